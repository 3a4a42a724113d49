//! `Cargo.lock` holds each crate once, except the duplicates `docs/dependencies.md` lists
//! with the reason each one stays, and none of the YAML crates that are no longer kept.

use std::collections::{BTreeMap, BTreeSet};

fn read(path: &str) -> String {
    let path = xtask::workspace_root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every crate name in `Cargo.lock`, with its versions.
fn locked() -> BTreeMap<String, BTreeSet<String>> {
    let lock: toml::Table = toml::from_str(&read("Cargo.lock")).expect("Cargo.lock parses");
    let mut versions = BTreeMap::<String, BTreeSet<String>>::new();
    for package in lock["package"].as_array().expect("[[package]] entries") {
        let field = |key: &str| package[key].as_str().expect("name and version").to_string();
        versions
            .entry(field("name"))
            .or_default()
            .insert(field("version"));
    }
    versions
}

/// The crates named in the first column of the doc's table of duplicates.
fn documented() -> BTreeSet<String> {
    let doc = read("docs/dependencies.md");
    let section = doc
        .split("## Duplicated dependencies")
        .nth(1)
        .expect("the doc has a \"Duplicated dependencies\" section");
    section
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_lock_holds_only_the_documented_duplicates() {
    let duplicated: BTreeSet<String> = locked()
        .into_iter()
        .filter(|(_, versions)| versions.len() > 1)
        .map(|(name, _)| name)
        .collect();
    let documented = documented();
    assert!(!documented.is_empty(), "the table of duplicates was read");
    let new: Vec<_> = duplicated.difference(&documented).collect();
    let gone: Vec<_> = documented.difference(&duplicated).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "docs/dependencies.md is out of date: newly duplicated {new:?} (raise our pin to the \
         version the other dependency uses, or say there why it cannot be); no longer \
         duplicated {gone:?} (take them out of the table)"
    );
}

#[test]
fn no_abandoned_yaml_crate_is_locked() {
    let locked = locked();
    for name in ["serde_yaml", "serde_yml"] {
        assert!(
            !locked.contains_key(name),
            "{name} is in Cargo.lock: use serde_norway, the maintained fork"
        );
    }
}
