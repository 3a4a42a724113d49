//! `spec/selection.toml`: which operations of Webflow's full description this workspace keeps.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// Where the selection lives, relative to the workspace root.
pub const FILE: &str = "spec/selection.toml";

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The parsed selection: the file the import writes, and the methods kept for each path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// File name, inside `spec/`, of the trimmed description the import writes.
    pub output: String,
    /// Files in `spec/` the import replaces: compared against, then removed once the import
    /// regenerates without them.
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// Path template (as Webflow writes it) to the lowercase methods kept on it.
    pub paths: BTreeMap<String, Vec<String>>,
}

impl Selection {
    /// Reads and checks the selection under `root`.
    pub fn read(root: &Path) -> Result<Self> {
        let path = root.join(FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Self::parse(&text)
    }

    /// Parses and checks a selection's text: known methods only, no path listed empty, and an
    /// output name that stays inside `spec/`.
    pub fn parse(text: &str) -> Result<Self> {
        let selection: Selection = toml::from_str(text).context("parsing spec/selection.toml")?;
        for name in std::iter::once(&selection.output).chain(&selection.supersedes) {
            if name.contains(['/', '\\'])
                || name.starts_with('.')
                || !(name.ends_with(".yaml") || name.ends_with(".yml"))
            {
                bail!("selection file names must be plain `*.yaml` names in spec/, not {name:?}");
            }
        }
        if selection.supersedes.contains(&selection.output) {
            bail!("the selection's output cannot supersede itself");
        }
        for (path, methods) in &selection.paths {
            if methods.is_empty() {
                bail!("selection lists {path} with no methods");
            }
            for method in methods {
                if !METHODS.contains(&method.as_str()) {
                    bail!("selection lists {path} with unknown method {method:?} (use lowercase)");
                }
            }
        }
        Ok(selection)
    }

    /// Whether `method path` is selected.
    pub fn keeps(&self, path: &str, method: &str) -> bool {
        self.paths
            .get(path)
            .is_some_and(|methods| methods.iter().any(|m| m == method))
    }

    /// Every selected `(method, path)`, sorted.
    pub fn operations(&self) -> Vec<(String, String)> {
        self.paths
            .iter()
            .flat_map(|(path, methods)| methods.iter().map(|m| (m.clone(), path.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_what_it_cannot_honour() {
        let s = Selection::parse(
            "output = \"webflow.yaml\"\n[paths]\n\"/sites\" = [\"get\"]\n\"/a/{id}\" = [\"get\", \"patch\"]\n",
        )
        .unwrap();
        assert!(s.keeps("/a/{id}", "patch") && !s.keeps("/a/{id}", "delete"));
        assert_eq!(s.operations().len(), 3);
        for bad in [
            "output = \"../x.yaml\"\n[paths]\n",
            "output = \"x.json\"\n[paths]\n",
            "output = \"x.yaml\"\n[paths]\n\"/a\" = []\n",
            "output = \"x.yaml\"\n[paths]\n\"/a\" = [\"GET\"]\n",
            "output = \"x.yaml\"\nextra = 1\n[paths]\n",
            "output = \"x.yaml\"\nsupersedes = [\"../y.yaml\"]\n[paths]\n",
            "output = \"x.yaml\"\nsupersedes = [\"x.yaml\"]\n[paths]\n",
        ] {
            assert!(Selection::parse(bad).is_err(), "{bad}");
        }
    }
}
