//! `cargo xtask spec-import` naming what Webflow's description offers beyond the selection, on
//! fixtures made from the real `spec/webflow-v2.yaml` with an operation added, imported into a
//! scratch copy of the real `spec/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use xtask::import::{Imported, Provenance, REPORT, import};
use xtask::upstream::{Fingerprint, Novelty, OperationKey, Relation};

/// The real description as imported: the operations the selection keeps, nothing else.
fn real_spec() -> PathBuf {
    xtask::workspace_root().join("spec/webflow-v2.yaml")
}

/// A scratch workspace with the real `spec/` (selection, vendored seed, trimmed description).
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    for file in xtask::read_spec(&xtask::workspace_root()).unwrap() {
        std::fs::write(root.join(&file.name), &file.text).unwrap();
    }
    std::fs::copy(
        xtask::workspace_root().join(xtask::selection::FILE),
        root.join(xtask::selection::FILE),
    )
    .unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace.package]\nversion = \"0.3.1\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join(xtask::generate::OUTPUT).parent().unwrap()).unwrap();
    dir
}

/// The real description with `added` operations (path, method, operation), written to `dir`.
fn fixture(dir: &Path, name: &str, added: &[(&str, &str, Value)]) -> PathBuf {
    let text = std::fs::read_to_string(real_spec()).unwrap();
    let mut doc: Value = serde_norway::from_str(&text).unwrap();
    for (path, method, op) in added {
        let item = doc["paths"]
            .as_object_mut()
            .unwrap()
            .entry(path.to_string())
            .or_insert_with(|| json!({}));
        assert!(
            item.get(method).is_none(),
            "{method} {path} is already there"
        );
        item[method] = op.clone();
    }
    let path = dir.join(name);
    std::fs::write(&path, serde_norway::to_string(&doc).unwrap()).unwrap();
    path
}

fn delete_folder() -> (&'static str, &'static str, Value) {
    (
        "/asset_folders/{asset_folder_id}",
        "delete",
        json!({
            "operationId": "delete-asset-folder",
            "summary": "Delete Asset Folder",
            "tags": ["Asset Folders"],
            "parameters": [{"name": "asset_folder_id", "in": "path", "required": true,
                            "schema": {"type": "string"}}],
            "responses": {"204": {"description": "Request was successful"}}
        }),
    )
}

fn list_collections() -> (&'static str, &'static str, Value) {
    (
        "/sites/{site_id}/collections",
        "get",
        json!({
            "operationId": "list-collections",
            "summary": "List Collections",
            "tags": ["Collections"],
            "parameters": [{"name": "site_id", "in": "path", "required": true,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Request was successful"}}
        }),
    )
}

fn run(root: &Path, input: &Path) -> Imported {
    import(root, input, Provenance::default()).unwrap()
}

/// Every file under `root` except the report, by path: the tree an import may change.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path != root.join(REPORT) {
                files.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

#[test]
fn a_new_operation_under_a_tracked_tag_is_named_with_its_line_and_fails_strict() {
    let dir = scratch();
    let root = dir.path();
    // The real description as imported: every operation is tracked, so nothing stops --strict,
    // and this import records the fingerprint the next one compares with.
    let baseline = run(root, &real_spec());
    assert_eq!(baseline.untracked.listed().count(), 0, "{baseline:#?}");
    baseline.untracked.check_strict().unwrap();
    assert!(read(root, REPORT).contains("operations of the description are tracked"));

    // Webflow adds a folder delete, and this crate's own create-asset operation appears in
    // the description too: the vendored upload-asset.yaml already tracks that one.
    let mut create_asset = json!({"operationId": "create", "summary": "Upload Asset",
                                   "tags": ["Assets"], "responses": {}});
    create_asset["responses"]["202"] = json!({"description": "Request was successful"});
    let input = fixture(
        root,
        "v2-with-folder-delete.yml",
        &[
            delete_folder(),
            ("/sites/{site_id}/assets", "post", create_asset),
        ],
    );
    let imported = run(root, &input);
    let untracked = &imported.untracked;
    let key = OperationKey::new("delete", "/asset_folders/{asset_folder_id}");
    let listed: Vec<_> = untracked.listed().collect();
    assert_eq!(listed.len(), 1, "only the delete is untracked: {listed:#?}");
    let candidate = listed[0];
    assert_eq!(candidate.operation.key, key);
    assert_eq!(candidate.novelty, Novelty::New);
    assert_eq!(candidate.relation, Relation::Tag);
    assert_eq!(
        candidate.operation.summary.as_deref(),
        Some("Delete Asset Folder")
    );
    assert!(candidate.line.replaces);
    let line = candidate.line.to_string();
    assert_eq!(
        line,
        r#""/asset_folders/{asset_folder_id}" = ["get", "delete"]"#
    );
    assert_eq!(untracked.groups["Asset Folders"].listed.len(), 1);

    // The report, printed and in CHANGES.md, names it with its summary and its line.
    let report = read(root, REPORT);
    assert!(
        report.contains(
            "- **new** `DELETE /asset_folders/{asset_folder_id}`: Delete Asset Folder; replace"
        ) && report.contains(&format!("`{line}`"))
            && report.contains("#### Asset Folders")
            && report.contains("1 operation is new since the last import"),
        "{report}"
    );
    assert!(!report.contains("POST /sites/{site_id}/assets"), "{report}");

    // The line it gives, added to the selection, keeps the operation on the next import.
    let selection = read(root, xtask::selection::FILE)
        .replace("\"/asset_folders/{asset_folder_id}\" = [\"get\"]", &line);
    let parsed = xtask::selection::Selection::parse(&selection).unwrap();
    assert!(parsed.keeps("/asset_folders/{asset_folder_id}", "delete"));

    let err = untracked.check_strict().unwrap_err();
    assert_eq!(err.left_out, std::slice::from_ref(&key));
    assert!(err.had_fingerprint);
    assert!(
        err.to_string()
            .contains("DELETE /asset_folders/{asset_folder_id}, under a tracked tag or path, is not in spec/selection.toml and is new upstream"),
        "{err}"
    );

    // The fingerprint in the trimmed file's header now holds the delete.
    let recorded = Fingerprint::read(&read(root, "spec/webflow-v2.yaml")).unwrap();
    assert!(recorded.contains(&key));
    assert_eq!(
        recorded.len(),
        20,
        "18 operations of the real spec and 2 added"
    );
}

#[test]
fn the_same_fixture_imported_twice_reports_nothing_new_and_changes_nothing() {
    let dir = scratch();
    let root = dir.path();
    let input = fixture(root, "v2-with-folder-delete.yml", &[delete_folder()]);
    run(root, &input);
    let before = tree(root);

    let again = run(root, &input);
    assert!(!again.changed);
    assert_eq!(tree(root), before, "the second import changes no file");
    assert_eq!(again.untracked.new_count(), 0, "{again:#?}");
    let listed: Vec<_> = again.untracked.listed().collect();
    assert_eq!(listed.len(), 1, "still listed, now as seen: {listed:#?}");
    assert_eq!(listed[0].novelty, Novelty::Seen);
    again.untracked.check_strict().unwrap();
    let report = read(root, REPORT);
    assert!(
        report.contains("Nothing is new since the last import.")
            && report.contains("No change for users")
            && !report.contains("**new**"),
        "{report}"
    );
}

#[test]
fn a_new_operation_under_an_untracked_tag_is_counted_not_listed_and_passes_strict() {
    let dir = scratch();
    let root = dir.path();
    run(root, &real_spec());
    let input = fixture(root, "v2-with-collections.yml", &[list_collections()]);
    let imported = run(root, &input);
    let untracked = &imported.untracked;
    assert_eq!(untracked.listed().count(), 0, "{untracked:#?}");
    let group = &untracked.groups["Collections"];
    assert_eq!((group.counted, group.counted_new), (1, 1));
    assert_eq!(untracked.new_count(), 1);
    untracked.check_strict().unwrap();
    let report = read(root, REPORT);
    assert!(
        report.contains("Counted, not listed (no tracked tag or path): Collections 1 (1 new)."),
        "{report}"
    );
    assert!(!report.contains("/sites/{site_id}/collections"), "{report}");
}

/// A trimmed file written before fingerprints existed: nothing can be called new, so every
/// listed operation stops `--strict` until an import records what it saw.
#[test]
fn without_a_recorded_fingerprint_listed_operations_may_be_new_and_fail_strict() {
    let dir = scratch();
    let root = dir.path();
    let trimmed = root.join("spec/webflow-v2.yaml");
    let text = std::fs::read_to_string(&trimmed).unwrap();
    let without: String = text
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("# Upstream operations seen: ") && !l.starts_with("#   "))
        .collect();
    std::fs::write(&trimmed, without).unwrap();
    let input = fixture(
        root,
        "v2-with-two.yml",
        &[delete_folder(), list_collections()],
    );
    let imported = run(root, &input);
    let untracked = &imported.untracked;
    assert!(!untracked.had_fingerprint);
    let listed: Vec<_> = untracked.listed().collect();
    assert_eq!(listed.len(), 1, "{listed:#?}");
    assert_eq!(listed[0].novelty, Novelty::Unknown);
    assert_eq!(untracked.groups["Collections"].counted, 1);
    let err = untracked.check_strict().unwrap_err();
    assert!(!err.had_fingerprint && err.left_out.len() == 1, "{err}");
    assert!(read(root, REPORT).contains("recorded no fingerprint"));
    assert!(Fingerprint::read(&read(root, "spec/webflow-v2.yaml")).is_some());
}

fn read(root: &Path, name: &str) -> String {
    std::fs::read_to_string(root.join(name)).unwrap()
}

/// What a scheduled job reads from the exit status of `cargo xtask spec-import --strict`: 0
/// when nothing is left out, 2 when the import was written but a new operation is left out
/// of the selection, 1 when the import itself failed.
#[test]
fn strict_exits_2_for_a_left_out_operation_and_1_for_a_failed_import() {
    let dir = scratch();
    let root = dir.path();
    let real = std::fs::read(real_spec()).unwrap();
    let xtask = |input: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["spec-import", "--strict", "--date", "2026-01-02", "--root"])
            .arg(root)
            .arg(input)
            .output()
            .unwrap()
    };
    let said = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };

    let baseline = xtask(&real_spec());
    assert_eq!(baseline.status.code(), Some(0), "{}", said(&baseline));

    let input = fixture(root, "v2-with-folder-delete.yml", &[delete_folder()]);
    let left_out = xtask(&input);
    assert_eq!(left_out.status.code(), Some(2), "{}", said(&left_out));
    assert!(
        String::from_utf8_lossy(&left_out.stderr)
            .contains("DELETE /asset_folders/{asset_folder_id}"),
        "{}",
        said(&left_out)
    );
    // Written all the same: the trimmed file's fingerprint holds the new operation.
    let recorded = Fingerprint::read(&read(root, "spec/webflow-v2.yaml")).unwrap();
    assert!(recorded.contains(&OperationKey::new(
        "delete",
        "/asset_folders/{asset_folder_id}"
    )));

    let broken = root.join("broken.yml");
    std::fs::write(&broken, "openapi: [this is not a description").unwrap();
    let failed = xtask(&broken);
    assert_eq!(failed.status.code(), Some(1), "{}", said(&failed));
    let missing = xtask(&root.join("no-such-file.yml"));
    assert_eq!(missing.status.code(), Some(1), "{}", said(&missing));

    assert_eq!(
        std::fs::read(real_spec()).unwrap(),
        real,
        "--root keeps the workspace's own spec/ as it was"
    );
}
