//! The layout's one rule, held by a test rather than by review: the library's folders import
//! only the folders below them, in the order `lib.rs` lists them, and its root files (the
//! words every layer shares) import no folder; in the command, the agent server never imports
//! a command module, which imports it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use xtask::workspace_root;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every `.rs` file under `dir`, with its path relative to `dir`.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in std::fs::read_dir(&at).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                found.push((relative, read(&path)));
            }
        }
    }
    found.sort();
    found
}

/// The code of a file, its comments (and so its doc links) left out.
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a piece of code names as `crate::<module>`, with those it names inside
/// `use crate::{...}` groups.
fn crate_paths(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut level = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        names.push(first_segment(item.trim()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            names.push(first_segment(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn first_segment(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The library's layers, bottom first, as `lib.rs` lists them after its marker comment, and
/// the layer each name `lib.rs` re-exports comes from.
fn layers(lib: &str) -> (Vec<String>, BTreeMap<String, String>) {
    let marker = "// The layers, from the wire up.";
    let start = lib
        .find(marker)
        .expect("lib.rs lists the layers after its marker");
    let mut order = Vec::new();
    for line in lib[start..].lines().skip(1) {
        let line = line.trim();
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if let Some(name) = line
            .strip_prefix("pub(crate) mod ")
            .or_else(|| line.strip_prefix("pub mod "))
        {
            order.push(name.trim_end_matches(';').to_string());
        }
    }
    let mut exported = BTreeMap::new();
    for line in lib.lines().filter(|l| l.starts_with("pub use ")) {
        let path = &line["pub use ".len()..];
        let head = first_segment(path);
        if !order.contains(&head) {
            continue;
        }
        let names = match (path.find('{'), path.rfind("::")) {
            (Some(open), _) => path[open + 1..].trim_end_matches("};").to_string(),
            (None, Some(at)) => path[at + 2..].trim_end_matches(';').to_string(),
            (None, None) => continue,
        };
        for name in names.split(',') {
            let name = name.split(" as ").last().unwrap_or(name).trim().to_string();
            exported.insert(name, head.clone());
        }
    }
    (order, exported)
}

#[test]
fn the_library_s_folders_import_only_the_folders_below_them() {
    let src = workspace_root().join("crates/webflow-assets/src");
    let lib = read(&src.join("lib.rs"));
    let (order, exported) = layers(&lib);
    assert!(
        order.len() >= 8 && order[0] == "http",
        "the layers as lib.rs lists them: {order:?}"
    );
    let rank = |layer: &str| order.iter().position(|l| l == layer);
    let mut wrong = Vec::new();
    let mut files = 0;
    for (path, text) in sources(&src) {
        let folder = match path.components().count() {
            1 => None,
            _ => Some(
                path.components()
                    .next()
                    .unwrap()
                    .as_os_str()
                    .to_string_lossy()
                    .to_string(),
            ),
        };
        if path == Path::new("lib.rs") || folder.as_deref() == Some("tests") {
            continue;
        }
        files += 1;
        // A root file stands below every layer.
        let own = folder.as_deref().and_then(rank).map_or(-1, |r| r as i64);
        for name in crate_paths(&code(&text)) {
            let layer = match rank(&name) {
                Some(_) => name.clone(),
                None => match exported.get(&name) {
                    Some(layer) => layer.clone(),
                    None => continue,
                },
            };
            let theirs = rank(&layer).unwrap() as i64;
            if theirs > own {
                wrong.push(format!(
                    "{} uses crate::{name} (layer {layer})",
                    path.display()
                ));
            }
        }
    }
    assert!(files > 50, "only {files} library files were read");
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports that point up the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_agent_server_never_imports_a_command_module() {
    let mcp = workspace_root().join("crates/webflow-assets-cli/src/mcp");
    let mut wrong = Vec::new();
    for (path, text) in sources(&mcp) {
        if crate_paths(&code(&text)).iter().any(|m| m == "commands") {
            wrong.push(path.display().to_string());
        }
    }
    assert!(
        wrong.is_empty(),
        "the agent server imports the commands, which import it: {wrong:?}"
    );
}

#[test]
fn the_scan_sees_plain_paths_and_groups() {
    let source = "use crate::http::client::Client;\nuse crate::{error::Error, run::{a, b}, Token};\nlet x = crate::sync::plan(1);";
    assert_eq!(
        crate_paths(source),
        ["http", "error", "run", "Token", "sync"]
    );
    // A path in a comment (a doc link) is no import.
    assert!(crate_paths(&code("let a = 1; // crate::sync")).is_empty());
}
