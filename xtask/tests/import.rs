//! `cargo xtask spec-import` on a small full description and its next version, in a scratch
//! copy of the workspace holding only the vendored Upload Asset document.

use std::path::Path;

use xtask::import::{Provenance, REPORT, import, read_provenance};
use xtask::report::Impact;

const SELECTION: &str = r#"output = "webflow-v2.yaml"

[paths]
"/sites/{site_id}/assets" = ["get"]
"/assets/{asset_id}" = ["get"]
"#;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::copy(
        xtask::workspace_root().join("spec/upload-asset.yaml"),
        root.join("spec/upload-asset.yaml"),
    )
    .unwrap();
    std::fs::write(root.join("spec/selection.toml"), SELECTION).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace.package]\nversion = \"0.3.1\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join(xtask::generate::OUTPUT).parent().unwrap()).unwrap();
    dir
}

fn read(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join(name)).unwrap()
}

#[test]
fn import_keeps_the_selection_with_provenance_and_is_idempotent() {
    let dir = scratch();
    let root = dir.path();
    let given = Provenance {
        source: Some("https://example.test/v2.yml".into()),
        date: Some("2026-05-26".into()),
    };
    let first = import(root, &fixture("full-description.yaml"), given).unwrap();
    assert!(first.changed);
    let text = read(root, "spec/webflow-v2.yaml");
    let (sha, provenance) = read_provenance(&text).unwrap();
    let input = std::fs::read(fixture("full-description.yaml")).unwrap();
    assert_eq!(
        sha,
        xtask::SpecFile {
            name: String::new(),
            text: String::from_utf8(input).unwrap()
        }
        .sha256()
    );
    assert_eq!(
        provenance.source.as_deref(),
        Some("https://example.test/v2.yml")
    );
    assert_eq!(provenance.date.as_deref(), Some("2026-05-26"));
    assert!(
        text.contains("Copyright (c) 2024 Webflow"),
        "licence notice kept"
    );

    let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let paths: Vec<&str> = doc["paths"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/sites/{site_id}/assets", "/assets/{asset_id}"]);
    assert!(
        doc["paths"]["/sites/{site_id}/assets"]
            .get("post")
            .is_none()
    );
    assert!(doc["components"]["schemas"].get("Error").is_some());
    assert!(doc["components"]["schemas"].get("Collection").is_none());
    assert!(doc["components"]["securitySchemes"].get("OAuth2").is_some());
    let tags: Vec<&str> = doc["tags"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["Assets"]);

    let added: Vec<&str> = first
        .report
        .changes
        .iter()
        .map(|c| c.what.as_str())
        .collect();
    assert!(
        added
            .iter()
            .any(|c| c.contains("new operation `list_assets`")),
        "{added:?}"
    );
    assert!(
        added
            .iter()
            .any(|c| c.contains("new operation `get_asset`")),
        "{added:?}"
    );
    let generated = read(root, xtask::generate::OUTPUT);
    assert!(
        generated.contains("pub fn list_assets(&self)")
            && generated.contains("spec/webflow-v2.yaml")
    );

    // The same file again, without restating the provenance: nothing changes.
    let again = import(
        root,
        &fixture("full-description.yaml"),
        Provenance::default(),
    )
    .unwrap();
    assert!(!again.changed);
    assert!(again.report.changes.is_empty(), "{:?}", again.report);
    assert_eq!(read(root, "spec/webflow-v2.yaml"), text);
    assert_eq!(read(root, xtask::generate::OUTPUT), generated);
    assert!(read(root, REPORT).contains("No change for users"));
}

#[test]
fn the_next_version_is_reported_change_by_change() {
    let dir = scratch();
    let root = dir.path();
    import(
        root,
        &fixture("full-description.yaml"),
        Provenance::default(),
    )
    .unwrap();
    std::fs::write(
        root.join("spec/selection.toml"),
        format!("{SELECTION}\"/asset_folders/{{asset_folder_id}}\" = [\"get\"]\n"),
    )
    .unwrap();
    let next = import(
        root,
        &fixture("full-description-next.yaml"),
        Provenance::default(),
    )
    .unwrap();
    let report = &next.report;
    let impact = |needle: &str| {
        report
            .changes
            .iter()
            .find(|c| c.what.contains(needle))
            .unwrap_or_else(|| panic!("nothing mentions {needle:?}: {report:#?}"))
            .impact
    };
    assert_eq!(impact("`Asset`: new field `altText`"), Impact::Additive);
    assert_eq!(
        impact("`Asset`: removed field `displayName`"),
        Impact::Breaking
    );
    assert_eq!(
        impact("`Asset`.size: type changed from integer to string"),
        Impact::Breaking
    );
    assert_eq!(
        impact("`Asset`.kind: new enum value `video`"),
        Impact::Breaking
    );
    assert_eq!(impact("new operation `get_asset_folder`"), Impact::Additive);
    assert_eq!(report.changes.len(), 5, "{report:#?}");

    let markdown = read(root, REPORT);
    assert!(markdown.contains("0.3.1 -> 0.4.0"), "{markdown}");
    assert!(markdown.contains("#### Breaking") && markdown.contains("#### Additive"));
    assert!(read(root, xtask::generate::OUTPUT).contains("pub fn get_asset_folder(&self)"));
}

#[test]
fn a_selected_operation_missing_upstream_fails_and_writes_nothing() {
    let dir = scratch();
    let root = dir.path();
    std::fs::write(
        root.join("spec/selection.toml"),
        format!("{SELECTION}\"/sites/{{site_id}}/asset_folders\" = [\"get\"]\n"),
    )
    .unwrap();
    let err = import(
        root,
        &fixture("full-description.yaml"),
        Provenance::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("GET /sites/{site_id}/asset_folders"), "{err}");
    assert!(!root.join("spec/webflow-v2.yaml").exists());
}

#[test]
fn a_file_describing_an_operation_twice_is_refused_and_rolled_back() {
    let dir = scratch();
    let root = dir.path();
    std::fs::write(
        root.join("spec/selection.toml"),
        "output = \"webflow-v2.yaml\"\n[paths]\n\"/sites/{site_id}/assets\" = [\"post\"]\n",
    )
    .unwrap();
    let err = import(
        root,
        &fixture("full-description.yaml"),
        Provenance::default(),
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("more than one file"), "{err:#}");
    assert!(!root.join("spec/webflow-v2.yaml").exists());
}

/// The first import next to our own seed file: compared against it, then it is removed, and
/// the vendored Upload Asset document stays.
#[test]
fn a_superseded_seed_file_is_compared_against_then_removed() {
    let dir = scratch();
    let root = dir.path();
    std::fs::copy(
        xtask::workspace_root().join("tests/fixtures/assets-endpoints.yaml"),
        root.join("spec/assets-endpoints.yaml"),
    )
    .unwrap();
    xtask::regen(root, false).unwrap();
    std::fs::write(
        root.join("spec/selection.toml"),
        SELECTION.replace(
            "output = \"webflow-v2.yaml\"\n",
            "output = \"webflow-v2.yaml\"\nsupersedes = [\"assets-endpoints.yaml\"]\n",
        ),
    )
    .unwrap();
    let imported = import(
        root,
        &fixture("full-description.yaml"),
        Provenance::default(),
    )
    .unwrap();
    assert!(!root.join("spec/assets-endpoints.yaml").exists());
    assert!(root.join("spec/upload-asset.yaml").exists());
    let report = &imported.report;
    assert!(report.note.is_none(), "{report:?}");
    let removed = |op: &str| {
        report.changes.iter().any(|c| {
            c.impact == Impact::Breaking && c.what.contains(&format!("removed operation `{op}`"))
        })
    };
    assert!(
        removed("update_asset") && removed("list_asset_folders"),
        "{report:#?}"
    );
    assert!(
        !removed("create_asset") && !removed("get_asset"),
        "{report:#?}"
    );
    let generated = read(root, xtask::generate::OUTPUT);
    assert!(generated.contains("pub fn create_asset(&self)"));
    assert!(!generated.contains("pub fn update_asset(&self)"));
}
