//! `cargo xtask spec-import`: Webflow's full description -> the selected operations, written
//! into `spec/` with their provenance and a fingerprint of every upstream operation -> regen,
//! and a report of what changed for users and of what upstream offers that is not tracked
//! (see [`crate::upstream`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use crate::report::{self, Report};
use crate::selection::{METHODS, Selection};
use crate::spec::{self, SpecFile};
use crate::upstream::{self, Fingerprint, OperationKey, Untracked};

/// Where the change report goes, relative to the workspace root: outside `spec/`, so importing
/// the same file twice leaves the tracked tree unchanged.
pub const REPORT: &str = "target/spec-import/CHANGES.md";

/// Where the input came from, written into the trimmed file's header.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// Where the description was downloaded from.
    pub source: Option<String>,
    /// The date it was published or downloaded, `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// The trimmed file, relative to the root.
    pub written: String,
    /// Whether that file's bytes changed.
    pub changed: bool,
    /// The changes users see.
    pub report: Report,
    /// The upstream operations left out, for the maintainer.
    pub untracked: Untracked,
    /// Where the report was written.
    pub report_path: PathBuf,
}

/// The default `--source`: the file Webflow publishes its description in.
pub const DEFAULT_SOURCE: &str = "https://github.com/webflow/openapi-spec/blob/main/openapi/v2.yml";

/// Imports `input` into the workspace at `root`, then regenerates the client.
pub fn import(root: &Path, input: &Path, provenance: Provenance) -> Result<Imported> {
    let bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", input.display()))?;
    let input_sha = SpecFile {
        name: String::new(),
        text: text.clone(),
    }
    .sha256();
    let selection = Selection::read(root)?;
    let full = spec::parse_yaml(&input.display().to_string(), &text)?;
    let seen_upstream = upstream::operations(&full);
    let trimmed = trim(full, &selection)?;

    let target = root.join("spec").join(&selection.output);
    let written = format!("spec/{}", selection.output);
    let current = std::fs::read_to_string(&target).ok();
    let previous_fingerprint = current.as_deref().and_then(Fingerprint::read);
    let fingerprint = Fingerprint::of(seen_upstream.iter().map(|op| &op.key));
    let provenance = settle_provenance(current.as_deref(), &input_sha, provenance);
    let fresh = render_file(&trimmed, &provenance, &input_sha, &fingerprint)?;

    // A spec/ that does not regenerate today (a first import next to the vendored document
    // alone) is compared as if empty: every operation shows as new.
    let (before, note) = match crate::read_spec(root).and_then(|files| crate::normalised(&files)) {
        Ok(doc) => (doc, None),
        Err(e) => (
            serde_json::json!({"paths": {}}),
            Some(format!(
                "the previous spec/ did not regenerate ({e:#}); compared with nothing"
            )),
        ),
    };
    let changed = current.as_deref() != Some(fresh.as_str());
    if changed {
        std::fs::write(&target, &fresh).with_context(|| format!("writing {written}"))?;
    }
    let remaining = crate::read_spec(root).map(|files| {
        files
            .into_iter()
            .filter(|f| {
                !selection
                    .supersedes
                    .iter()
                    .any(|s| f.name == format!("spec/{s}"))
            })
            .collect::<Vec<_>>()
    });
    let after = match remaining.and_then(|files| crate::normalised(&files)) {
        Ok(doc) => doc,
        Err(e) => {
            if let Some(old) = current {
                std::fs::write(&target, old)?;
            } else {
                std::fs::remove_file(&target)?;
            }
            return Err(e.context(format!("{written} does not merge with the rest of spec/")));
        }
    };
    for name in &selection.supersedes {
        let path = root.join("spec").join(name);
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing spec/{name}"))?;
        }
    }
    let mut report = report::compare(&before, &after);
    report.note = note;
    let untracked = upstream::untracked(
        &seen_upstream,
        &tracked(&after),
        &selection,
        previous_fingerprint.as_ref(),
    );
    let report_path = root.join(REPORT);
    std::fs::create_dir_all(report_path.parent().expect("REPORT has a folder"))?;
    let changes = report.markdown(
        &workspace_version(root)?,
        &provenance_line(&provenance, &input_sha),
    );
    std::fs::write(&report_path, format!("{changes}\n{}", untracked.markdown()))?;
    crate::regen(root, false)?;
    Ok(Imported {
        written,
        changed,
        report,
        untracked,
        report_path,
    })
}

/// The operations the workspace generates code for: the selected ones and those the other
/// files in `spec/` describe (normalisation keeps every path and method).
fn tracked(generated_from: &Value) -> BTreeSet<OperationKey> {
    upstream::operations(generated_from)
        .into_iter()
        .map(|op| op.key)
        .collect()
}

/// Keeps the selected operations and what they need: the header keys, the tags they use, and
/// the components they reference (directly or through other components). Every selected
/// operation must be in the input, so an upstream rename fails loudly instead of silently
/// dropping an endpoint.
pub fn trim(full: Value, selection: &Selection) -> Result<Value> {
    let Value::Object(mut full) = full else {
        bail!("the description's top level is not a mapping");
    };
    let mut paths = Map::new();
    let all_paths = full
        .remove("paths")
        .and_then(|p| match p {
            Value::Object(p) => Some(p),
            _ => None,
        })
        .unwrap_or_default();
    for (path, item) in all_paths {
        let Value::Object(item) = item else { continue };
        let kept: Map<String, Value> = item
            .into_iter()
            .filter(|(key, _)| !METHODS.contains(&key.as_str()) || selection.keeps(&path, key))
            .collect();
        if kept.keys().any(|k| METHODS.contains(&k.as_str())) {
            paths.insert(path, Value::Object(kept));
        }
    }
    let missing: Vec<String> = selection
        .operations()
        .into_iter()
        .filter(|(method, path)| paths.get(path).and_then(|p| p.get(method)).is_none())
        .map(|(method, path)| format!("{} {path}", method.to_uppercase()))
        .collect();
    if !missing.is_empty() {
        bail!(
            "selected operations missing from the description: {}",
            missing.join(", ")
        );
    }

    let mut out = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = full.remove(key) {
            out.insert(key.into(), value);
        }
    }
    let paths = Value::Object(paths);
    let used_tags = collect_tags(&paths);
    if let Some(Value::Array(tags)) = full.remove("tags") {
        let tags: Vec<Value> = tags
            .into_iter()
            .filter(|t| t["name"].as_str().is_some_and(|n| used_tags.contains(n)))
            .collect();
        if !tags.is_empty() {
            out.insert("tags".into(), Value::Array(tags));
        }
    }
    let components = full.remove("components").unwrap_or(Value::Null);
    let kept_components = referenced_components(&paths, &components);
    out.insert("paths".into(), paths);
    if !kept_components.is_empty() {
        out.insert("components".into(), Value::Object(kept_components));
    }
    Ok(Value::Object(out))
}

fn collect_tags(paths: &Value) -> BTreeSet<String> {
    let mut tags = BTreeSet::new();
    for item in paths.as_object().into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|i| i.values()) {
            for tag in op["tags"].as_array().into_iter().flatten() {
                if let Some(tag) = tag.as_str() {
                    tags.insert(tag.to_string());
                }
            }
        }
    }
    tags
}

/// The components reachable from `from`, plus every security scheme (operations name those
/// by key, not by `$ref`).
fn referenced_components(from: &Value, components: &Value) -> Map<String, Value> {
    let mut kept: Map<String, Value> = Map::new();
    if let Some(schemes) = components.get("securitySchemes") {
        kept.insert("securitySchemes".into(), schemes.clone());
    }
    let mut pending = Vec::new();
    collect_refs(from, &mut pending);
    let mut seen = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some(rest) = reference.strip_prefix("#/components/") else {
            continue;
        };
        let Some((kind, name)) = rest.split_once('/') else {
            continue;
        };
        let Some(value) = components.get(kind).and_then(|k| k.get(name)) else {
            continue;
        };
        collect_refs(value, &mut pending);
        kept.entry(kind.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("inserted as a mapping")
            .insert(name.to_string(), value.clone());
    }
    kept
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => out.push(target.clone()),
                    _ => collect_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// An input already imported keeps the source and date recorded for it unless new ones are
/// given, which is what makes a second import of the same file a no-op.
fn settle_provenance(current: Option<&str>, input_sha: &str, given: Provenance) -> Provenance {
    let recorded = current
        .and_then(read_provenance)
        .filter(|(sha, _)| sha == input_sha)
        .map(|(_, p)| p)
        .unwrap_or_default();
    Provenance {
        source: given
            .source
            .or(recorded.source)
            .or_else(|| Some(DEFAULT_SOURCE.into())),
        date: given
            .date
            .or(recorded.date)
            .or_else(|| Some(chrono::Utc::now().format("%Y-%m-%d").to_string())),
    }
}

const SOURCE_LINE: &str = "# Source: ";
const DATE_LINE: &str = "# Date: ";
const SHA_LINE: &str = "# Input sha256: ";

/// The sha256 and provenance recorded in a trimmed file's header.
pub fn read_provenance(text: &str) -> Option<(String, Provenance)> {
    let field = |prefix: &str| {
        text.lines()
            .take_while(|l| l.starts_with('#'))
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::to_string)
    };
    Some((
        field(SHA_LINE)?,
        Provenance {
            source: field(SOURCE_LINE),
            date: field(DATE_LINE),
        },
    ))
}

fn provenance_line(p: &Provenance, sha: &str) -> String {
    format!(
        "{} ({}, sha256 {sha})",
        p.source.as_deref().unwrap_or(DEFAULT_SOURCE),
        p.date.as_deref().unwrap_or("undated"),
    )
}

/// The trimmed file: a header with the provenance, the fingerprint of the operations the whole
/// description had, and the licence the description is published under, then the document as
/// YAML.
pub fn render_file(
    doc: &Value,
    p: &Provenance,
    input_sha: &str,
    seen: &Fingerprint,
) -> Result<String> {
    if let Some(date) = &p.date
        && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err()
    {
        bail!("--date must be YYYY-MM-DD, not {date:?}");
    }
    let yaml = serde_norway::to_string(doc).context("writing the trimmed description")?;
    Ok(format!(
        "# Webflow's OpenAPI description of the Data API v2, trimmed by `cargo xtask spec-import`\n\
         # to the operations listed in spec/selection.toml. Do not edit: import again instead.\n\
         {SOURCE_LINE}{}\n\
         {DATE_LINE}{}\n\
         {SHA_LINE}{input_sha}\n\
         {}\
         #\n\
         {LICENCE}\
         {yaml}",
        p.source.as_deref().unwrap_or(DEFAULT_SOURCE),
        p.date.as_deref().unwrap_or("undated"),
        seen.header(),
    ))
}

/// Webflow publishes the description under the MIT licence, which asks that its notice travel
/// with every copy, trimmed ones included.
const LICENCE: &str = "\
# MIT License
#
# Copyright (c) 2024 Webflow
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the \"Software\"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
# SOFTWARE.

";

/// The workspace's version, from the root `Cargo.toml`.
fn workspace_version(root: &Path) -> Result<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
    let manifest: toml::Value =
        toml::from_str(&text).unwrap_or(toml::Value::Table(Default::default()));
    Ok(manifest
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .unwrap_or("0.1.0")
        .to_string())
}
