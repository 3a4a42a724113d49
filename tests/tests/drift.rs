//! Schema drift: snapshots of what the spec gives users, so a reviewer sees exactly what changed
//! when Webflow's description (or ours) changes.

use serde_json::Value;
use xtask::{SpecFile, normalised, read_spec, surface::summary, workspace_root};

fn spec() -> Vec<SpecFile> {
    read_spec(&workspace_root()).expect("spec/ reads")
}

fn schemas(doc: &Value) -> &serde_json::Map<String, Value> {
    doc["components"]["schemas"]
        .as_object()
        .expect("normalised spec has named schemas")
}

#[test]
fn normalised_spec() {
    let doc = normalised(&spec()).unwrap();
    insta::assert_snapshot!(serde_norway::to_string(&doc).unwrap());
}

#[test]
fn api_surface() {
    insta::assert_snapshot!(summary(&normalised(&spec()).unwrap()));
}

#[test]
fn generated_client_matches_the_spec() {
    let fresh = xtask::render(&spec()).unwrap();
    let path = workspace_root().join(xtask::generate::OUTPUT);
    let checked_in = std::fs::read_to_string(&path).unwrap();
    assert!(
        fresh == checked_in,
        "{} is stale: run `cargo xtask regen`",
        path.display()
    );
    assert!(
        !fresh.contains("api-version"),
        "no api-version header may reach Webflow"
    );
}

#[test]
fn regen_is_deterministic() {
    assert_eq!(
        xtask::render(&spec()).unwrap(),
        xtask::render(&spec()).unwrap()
    );
}

/// Applies a textual edit to one spec file, failing if the text to replace is not there (so an
/// edit that silently does nothing cannot make this test pass).
fn edited(file: &str, from: &str, to: &str) -> Vec<SpecFile> {
    edited_in(spec(), file, from, to)
}

fn edited_in(mut files: Vec<SpecFile>, file: &str, from: &str, to: &str) -> Vec<SpecFile> {
    let target = files
        .iter_mut()
        .find(|f| f.name == file)
        .expect("spec file exists");
    assert!(
        target.text.contains(from),
        "{file} does not contain {from:?}"
    );
    target.text = target.text.replacen(from, to, 1);
    files
}

#[test]
fn spec_edits_show_in_the_snapshots() {
    let base = normalised(&spec()).unwrap();

    // A field Webflow adds to uploadDetails changes the UploadDetails schema.
    let added = normalised(&edited(
        "spec/upload-asset.yaml",
        "        Cache-Control:\n          type: string\n",
        "        Cache-Control:\n          type: string\n        x-amz-security-token:\n          type: string\n",
    ))
    .unwrap();
    assert_ne!(
        schemas(&added)["UploadDetails"],
        schemas(&base)["UploadDetails"]
    );
    assert!(
        schemas(&added)["UploadDetails"]["properties"]
            .get("x-amz-security-token")
            .is_some()
    );

    // Dropping fileHash changes the request type.
    let without_hash = edited(
        "spec/upload-asset.yaml",
        "                fileHash:\n                  type: string\n                  description: MD5 hash of the file\n",
        "",
    );
    let without_hash = normalised(&edited_in(
        without_hash,
        "spec/upload-asset.yaml",
        "                - fileHash\n",
        "",
    ))
    .unwrap();
    assert_ne!(
        schemas(&without_hash)["CreateAssetRequest"],
        schemas(&base)["CreateAssetRequest"]
    );
    assert_eq!(
        schemas(&without_hash)["CreateAssetRequest"]["required"],
        serde_json::json!(["fileName"])
    );

    // Renaming a path changes the surface summary.
    let renamed = normalised(&edited(
        "spec/webflow-v2.yaml",
        "  /asset_folders/{asset_folder_id}:",
        "  /folders/{asset_folder_id}:",
    ))
    .unwrap();
    let (before, after) = (summary(&base), summary(&renamed));
    assert_ne!(before, after);
    assert!(after.contains("GET /folders/{asset_folder_id}"), "{after}");
}

#[test]
fn official_dialect_regenerates_unchanged() {
    let path = workspace_root().join("tests/fixtures/official-dialect.yaml");
    let files = vec![SpecFile {
        name: "spec/official-dialect.yaml".into(),
        text: std::fs::read_to_string(path).unwrap(),
    }];
    let doc = normalised(&files).unwrap();
    insta::assert_snapshot!(summary(&doc));
    let names: Vec<&String> = schemas(&doc).keys().collect();
    for expected in [
        "AssetUpload",
        "UploadDetails",
        "CreateAssetRequest",
        "Asset",
        "AssetVariant",
        "WebflowError",
        "ErrorCode",
        "KnownErrorCode",
        "ErrorDetail",
        "Timestamp",
    ] {
        assert!(
            names.iter().any(|n| *n == expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(schemas(&doc)["Asset"].get("required").is_none());
    assert_eq!(
        schemas(&doc)["Asset"]["properties"]["altText"]["nullable"],
        true
    );
    assert_eq!(
        schemas(&doc)["AssetUpload"]["properties"]["parentFolder"]["nullable"],
        true
    );
    assert_eq!(schemas(&doc)["CreateAssetRequest"]["type"], "object");
    let code = xtask::render(&files).unwrap();
    assert!(code.contains("pub async fn send(") && code.contains("pub fn create_asset(&self)"));
}

/// The eight Assets operations' part of a surface summary.
fn asset_surface(doc: &Value) -> String {
    let names: Vec<&str> = xtask::normalise::OPERATIONS[..8]
        .iter()
        .map(|o| o.rust_name)
        .collect();
    let mut blocks: Vec<String> = Vec::new();
    for line in summary(doc).lines() {
        if !line.starts_with(' ') {
            blocks.push(String::new());
        }
        let block = blocks
            .last_mut()
            .expect("a summary starts with an operation");
        block.push_str(line);
        block.push('\n');
    }
    blocks.retain(|b| names.iter().any(|n| b.starts_with(&format!("{n}: "))));
    blocks.sort();
    assert_eq!(blocks.len(), 8, "{blocks:?}");
    blocks.concat()
}

/// The seed YAML (the vendored Upload Asset document and our own description of the other
/// seven Assets endpoints, kept in tests/fixtures since the first import replaced it) still
/// regenerates, into the same Assets operations as spec/.
#[test]
fn the_seed_yaml_regenerates_the_same_asset_operations() {
    let seed = vec![
        SpecFile {
            name: "tests/fixtures/assets-endpoints.yaml".into(),
            text: std::fs::read_to_string(
                workspace_root().join("tests/fixtures/assets-endpoints.yaml"),
            )
            .unwrap(),
        },
        spec()
            .into_iter()
            .find(|f| f.name == "spec/upload-asset.yaml")
            .expect("the vendored document stays in spec/"),
    ];
    let doc = normalised(&seed).unwrap();
    assert_eq!(
        asset_surface(&doc),
        asset_surface(&normalised(&spec()).unwrap())
    );
    let code = xtask::render(&seed).unwrap();
    assert!(
        code.contains("pub fn create_asset(&self)")
            && code.contains("pub fn get_asset_folder(&self)")
    );
}

/// Webflow's full official description of the Assets paths (vendored, with its provenance and
/// licence, in tests/fixtures/reference/): dropped into spec/, it must give the same Assets
/// operations as ours.
#[test]
fn official_description_gives_the_same_client() {
    let path = workspace_root().join("tests/fixtures/reference/official-v2-assets.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let files = vec![SpecFile {
        name: "spec/official-v2-assets.yaml".into(),
        text,
    }];
    let official = normalised(&files).unwrap();
    let ours = normalised(&spec()).unwrap();
    assert_eq!(asset_surface(&official), asset_surface(&ours));
    let names = |doc: &Value| schemas(doc).keys().cloned().collect::<Vec<_>>();
    let mine = names(&ours);
    for name in names(&official) {
        assert!(mine.contains(&name), "{name} missing from {mine:?}");
    }
    xtask::render(&files).unwrap();
}
