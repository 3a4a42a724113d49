//! Reading spec/: every YAML file, merged into one OpenAPI document.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One input file, kept with its bytes so the generated header can name its hash.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Path relative to the workspace root, with `/` separators, e.g. `spec/upload-asset.yaml`.
    pub name: String,
    /// The file's text as read.
    pub text: String,
}

impl SpecFile {
    /// Lowercase hex sha256 of the file's bytes.
    pub fn sha256(&self) -> String {
        hex(&Sha256::digest(self.text.as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads every `*.yaml`/`*.yml` file directly in `dir`, sorted by name so the merge order (and
/// therefore the output) never depends on the file system's listing order.
pub fn read_dir(root: &Path, dir: &Path) -> Result<Vec<SpecFile>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    paths.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")));
    paths.sort();
    if paths.is_empty() {
        bail!("no OpenAPI YAML files in {}", dir.display());
    }
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Ok(SpecFile { name, text })
        })
        .collect()
}

/// One sha256 over all inputs, in merge order, each prefixed by its name.
pub fn combined_sha256(files: &[SpecFile]) -> String {
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.name.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

/// Parses one YAML document into JSON, resolving anchors, aliases and `<<` merge keys.
pub fn parse_yaml(name: &str, text: &str) -> Result<Value> {
    let mut yaml: serde_norway::Value =
        serde_norway::from_str(text).with_context(|| format!("parsing {name}"))?;
    yaml.apply_merge()
        .with_context(|| format!("resolving merge keys in {name}"))?;
    serde_json::to_value(yaml).with_context(|| format!("{name} is not representable as JSON"))
}

/// Merges documents: the first file's header (`openapi`, `info`, `servers`), the union of
/// `paths` (methods of a shared path are combined) and of `components`. Top-level `x-` keys are
/// dropped: in our own file they only hold YAML anchors, and nothing downstream reads them.
pub fn merge(docs: Vec<(String, Value)>) -> Result<Value> {
    let mut merged = Map::new();
    let mut paths = Map::new();
    let mut components = Map::new();
    for (name, doc) in docs {
        let Value::Object(doc) = doc else {
            bail!("{name}: the top level is not a mapping");
        };
        for (key, value) in doc {
            match key.as_str() {
                "paths" => merge_paths(&name, &mut paths, value)?,
                "components" => merge_components(&name, &mut components, value)?,
                k if k.starts_with("x-") => {}
                _ => {
                    merged.entry(key).or_insert(value);
                }
            }
        }
    }
    merged.insert("paths".into(), Value::Object(paths));
    if !components.is_empty() {
        merged.insert("components".into(), Value::Object(components));
    }
    Ok(Value::Object(merged))
}

fn merge_paths(name: &str, paths: &mut Map<String, Value>, value: Value) -> Result<()> {
    let Value::Object(new) = value else {
        bail!("{name}: `paths` is not a mapping");
    };
    for (path, item) in new {
        let Value::Object(item) = item else {
            bail!("{name}: path {path} is not a mapping");
        };
        let entry = paths
            .entry(path.clone())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("inserted as an object");
        for (method, op) in item {
            if entry.contains_key(&method) {
                bail!("{name}: `{method} {path}` is described by more than one file");
            }
            entry.insert(method, op);
        }
    }
    Ok(())
}

fn merge_components(name: &str, components: &mut Map<String, Value>, value: Value) -> Result<()> {
    let Value::Object(new) = value else {
        bail!("{name}: `components` is not a mapping");
    };
    for (kind, entries) in new {
        let Value::Object(entries) = entries else {
            bail!("{name}: components.{kind} is not a mapping");
        };
        let target = components
            .entry(kind.clone())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("inserted as an object");
        for (key, value) in entries {
            match target.get(&key) {
                Some(existing) if *existing != value => {
                    bail!("{name}: components.{kind}.{key} differs from an earlier file's")
                }
                _ => {
                    target.insert(key, value);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_keys_and_aliases_resolve() {
        let doc = parse_yaml("t", "base: &b {a: 1}\nuse:\n  <<: *b\n  c: 2\nalias: *b\n").unwrap();
        assert_eq!(doc["use"], json!({"a": 1, "c": 2}));
        assert_eq!(doc["alias"], json!({"a": 1}));
    }

    #[test]
    fn merge_combines_methods_and_rejects_duplicates() {
        let a = json!({"openapi": "3.1.1", "x-anchor": 1, "paths": {"/p": {"get": {}}}});
        let b = json!({"openapi": "3.1.0", "paths": {"/p": {"post": {}}}});
        let merged = merge(vec![("a".into(), a.clone()), ("b".into(), b)]).unwrap();
        assert_eq!(merged["openapi"], "3.1.1");
        assert!(merged.get("x-anchor").is_none());
        assert_eq!(merged["paths"]["/p"], json!({"get": {}, "post": {}}));
        let err = merge(vec![("a".into(), a.clone()), ("again".into(), a)]).unwrap_err();
        assert!(err.to_string().contains("more than one file"), "{err}");
    }

    #[test]
    fn combined_hash_depends_on_names_and_contents() {
        let f = |n: &str, t: &str| SpecFile {
            name: n.into(),
            text: t.into(),
        };
        let base = combined_sha256(&[f("a", "x")]);
        assert_ne!(base, combined_sha256(&[f("b", "x")]));
        assert_ne!(base, combined_sha256(&[f("a", "y")]));
        assert_eq!(base, combined_sha256(&[f("a", "x")]));
    }
}
