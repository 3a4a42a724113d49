//! The API-change report: what a new description changes for users of the generated client,
//! each change marked additive or breaking, and the version bump that follows.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::{Map, Value};

use crate::surface::type_name;

/// Whether a change can break code written against the previous client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Existing code keeps compiling and working.
    Additive,
    /// Existing code may stop compiling or stop reading responses.
    Breaking,
}

/// One change, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Additive or breaking.
    pub impact: Impact,
    /// What changed, e.g. "`Asset`: new field `fileSize` (integer)".
    pub what: String,
}

/// Every change between two normalised documents.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// In the order found: operations first, then named types by name.
    pub changes: Vec<Change>,
    /// A caveat on the comparison itself, printed above the changes.
    pub note: Option<String>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }

    /// The changes of one impact.
    pub fn of(&self, impact: Impact) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.impact == impact)
    }

    /// The bump the changes call for, in words, and the version it gives. Semver: breaking is a
    /// major bump, additive a minor one; before 1.0 Cargo reads the minor number as the major
    /// one, so both move one place right.
    pub fn bump(&self, version: &str) -> (&'static str, String) {
        let mut parts = version
            .split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .chain(std::iter::repeat(0));
        let (major, minor, patch) = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        match (self.changes.is_empty(), self.is_breaking(), major) {
            (true, _, _) => ("none", version.to_string()),
            (false, true, 0) => (
                "major (breaking; 0.x: the minor number)",
                format!("0.{}.0", minor + 1),
            ),
            (false, true, _) => ("major (breaking)", format!("{}.0.0", major + 1)),
            (false, false, 0) => (
                "minor (additive; 0.x: the patch number)",
                format!("0.{minor}.{}", patch + 1),
            ),
            (false, false, _) => ("minor (additive)", format!("{major}.{}.0", minor + 1)),
        }
    }

    /// The report as a CHANGELOG.md section.
    pub fn markdown(&self, version: &str, provenance: &str) -> String {
        let (bump, next) = self.bump(version);
        let mut out = String::new();
        let _ = writeln!(out, "### API changes from Webflow's description\n");
        let _ = writeln!(out, "Imported from {provenance}.\n");
        if let Some(note) = &self.note {
            let _ = writeln!(out, "Note: {note}.\n");
        }
        if self.changes.is_empty() {
            let _ = writeln!(out, "No change for users: the version stays {version}.");
            return out;
        }
        let _ = writeln!(out, "Version bump: {bump}, {version} -> {next}.\n");
        for (impact, title) in [
            (Impact::Breaking, "Breaking"),
            (Impact::Additive, "Additive"),
        ] {
            let mut items = self.of(impact).peekable();
            if items.peek().is_none() {
                continue;
            }
            let _ = writeln!(out, "#### {title}\n");
            for change in items {
                let _ = writeln!(out, "- {}", change.what);
            }
            out.push('\n');
        }
        out
    }
}

/// Which side of the wire a schema travels on: that decides whether a new required field or
/// an optional one breaks callers.
#[derive(Debug, Clone, Copy, Default)]
struct Sides {
    request: bool,
    response: bool,
}

/// Compares two normalised documents.
pub fn compare(before: &Value, after: &Value) -> Report {
    let mut out = Vec::new();
    let (old_ops, new_ops) = (operations(before), operations(after));
    for (key, old) in &old_ops {
        if !new_ops.contains_key(key) {
            out.push(breaking(format!(
                "removed operation `{}` ({key})",
                op_name(old)
            )));
        }
    }
    for (key, new) in &new_ops {
        match old_ops.get(key) {
            None => out.push(additive(format!(
                "new operation `{}` ({key})",
                op_name(new)
            ))),
            Some(old) => compare_operation(key, old, new, &mut out),
        }
    }
    let (old_schemas, new_schemas) = (schemas(before), schemas(after));
    let sides = schema_sides(after);
    for (name, new) in new_schemas {
        if let Some(old) = old_schemas.get(name) {
            let side = sides.get(name.as_str()).copied().unwrap_or_default();
            compare_schema(&format!("`{name}`"), old, new, side, &mut out);
        }
    }
    Report {
        changes: out,
        note: None,
    }
}

fn additive(what: String) -> Change {
    Change {
        impact: Impact::Additive,
        what,
    }
}

fn breaking(what: String) -> Change {
    Change {
        impact: Impact::Breaking,
        what,
    }
}

fn operations(doc: &Value) -> BTreeMap<String, &Value> {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if crate::selection::METHODS.contains(&method.as_str()) {
                ops.insert(format!("{} {path}", method.to_uppercase()), op);
            }
        }
    }
    ops
}

fn schemas(doc: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    doc["components"]["schemas"]
        .as_object()
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

fn op_name(op: &Value) -> &str {
    op["operationId"].as_str().unwrap_or("?")
}

fn compare_operation(key: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let name = op_name(new);
    if op_name(old) != name {
        out.push(breaking(format!(
            "`{}` renamed to `{name}` ({key})",
            op_name(old)
        )));
    }
    let params = |op: &Value| -> BTreeMap<(String, String), Value> {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let id = (
                    p["in"].as_str().unwrap_or("?").to_string(),
                    p["name"].as_str().unwrap_or("?").to_string(),
                );
                (id, p.clone())
            })
            .collect()
    };
    let (old_params, new_params) = (params(old), params(new));
    for ((place, param), p) in &old_params {
        if !new_params.contains_key(&(place.clone(), param.clone())) {
            out.push(breaking(format!(
                "`{name}`: removed {place} parameter `{param}` ({})",
                type_name(&p["schema"])
            )));
        }
    }
    for (id @ (place, param), p) in &new_params {
        let required = p["required"] == true;
        let Some(o) = old_params.get(id) else {
            let what = format!(
                "`{name}`: new {}{place} parameter `{param}` ({})",
                if required { "required " } else { "" },
                type_name(&p["schema"])
            );
            out.push(if required {
                breaking(what)
            } else {
                additive(what)
            });
            continue;
        };
        let (was, is) = (type_name(&o["schema"]), type_name(&p["schema"]));
        if was != is {
            out.push(breaking(format!(
                "`{name}`: {place} parameter `{param}` changed type from {was} to {is}"
            )));
        }
        match (o["required"] == true, required) {
            (false, true) => out.push(breaking(format!(
                "`{name}`: {place} parameter `{param}` is now required"
            ))),
            (true, false) => out.push(additive(format!(
                "`{name}`: {place} parameter `{param}` is now optional"
            ))),
            _ => {}
        }
    }
    let body = |op: &Value| {
        op["requestBody"]["content"]["application/json"]
            .get("schema")
            .cloned()
    };
    match (body(old), body(new)) {
        (Some(_), None) => out.push(breaking(format!("`{name}`: the request body was removed"))),
        (None, Some(b)) => out.push(breaking(format!(
            "`{name}`: new request body ({})",
            type_name(&b)
        ))),
        (Some(o), Some(n)) => compare_schema(
            &format!("`{name}` request"),
            &o,
            &n,
            Sides {
                request: true,
                response: false,
            },
            out,
        ),
        (None, None) => {}
    }
    let responses = |op: &Value| op["responses"].as_object().cloned().unwrap_or_default();
    let (old_resp, new_resp) = (responses(old), responses(new));
    for status in old_resp.keys() {
        if !new_resp.contains_key(status) {
            let what = format!("`{name}`: no longer documents a {status} response");
            out.push(if status.starts_with('2') {
                breaking(what)
            } else {
                additive(what)
            });
        }
    }
    for (status, n) in &new_resp {
        let schema = |r: &Value| r["content"]["application/json"].get("schema").cloned();
        match old_resp.get(status) {
            None => {
                let what = format!("`{name}`: new {status} response");
                out.push(if status.starts_with('2') {
                    breaking(what)
                } else {
                    additive(what)
                });
            }
            Some(o) => match (schema(o), schema(n)) {
                (Some(o), Some(n)) => compare_schema(
                    &format!("`{name}` {status} response"),
                    &o,
                    &n,
                    Sides {
                        request: false,
                        response: true,
                    },
                    out,
                ),
                (None, None) => {}
                (o, n) => out.push(breaking(format!(
                    "`{name}`: {status} response body changed from {} to {}",
                    o.as_ref().map_or("none".into(), type_name),
                    n.as_ref().map_or("none".into(), type_name),
                ))),
            },
        }
    }
}

/// Compares two schemas in place. A reference to the same named type on both sides is left to
/// that type's own comparison, so a change to a shared type is reported once.
fn compare_schema(ctx: &str, old: &Value, new: &Value, side: Sides, out: &mut Vec<Change>) {
    let (was, is) = (type_name(old), type_name(new));
    if rust_shape(&was, side) == rust_shape(&is, side) && old.get("$ref").is_none() {
        return compare_members(ctx, old, new, side, out);
    }
    if (old.get("$ref").is_some() || new.get("$ref").is_some()) && was == is {
        return;
    }
    out.push(breaking(format!("{ctx}: type changed from {was} to {is}")));
}

/// A schema's type as the generated Rust sees it: formats progenitor maps to `String` say
/// nothing, and in a response every field is an `Option` already, so `nullable` adds nothing.
fn rust_shape(name: &str, side: Sides) -> String {
    let mut shape = name.to_string();
    for format in ["objectid", "uri", "email", "uri-reference", "hostname"] {
        shape = shape.replace(&format!("({format})"), "");
    }
    if !side.request {
        shape = shape.replace('?', "");
    }
    shape
}

/// Compares what two schemas of the same type hold: enum values, fields, items.
fn compare_members(ctx: &str, old: &Value, new: &Value, side: Sides, out: &mut Vec<Change>) {
    let values = |s: &Value| -> BTreeSet<String> {
        s["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
            .collect()
    };
    let (old_values, new_values) = (values(old), values(new));
    for gone in old_values.difference(&new_values) {
        out.push(breaking(format!("{ctx}: enum value `{gone}` removed")));
    }
    for added in new_values.difference(&old_values) {
        out.push(breaking(format!(
            "{ctx}: new enum value `{added}` (generated enums are exhaustive: a `match` on them \
             stops compiling, and older clients cannot read the value)"
        )));
    }
    let required = |s: &Value| -> BTreeSet<String> {
        s["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    let (old_req, new_req) = (required(old), required(new));
    let props = |s: &Value| s["properties"].as_object().cloned().unwrap_or_default();
    let (old_props, new_props) = (props(old), props(new));
    for (field, schema) in &old_props {
        if !new_props.contains_key(field) {
            out.push(breaking(format!(
                "{ctx}: removed field `{field}` ({})",
                type_name(schema)
            )));
        }
    }
    for (field, schema) in &new_props {
        let Some(o) = old_props.get(field) else {
            let required = new_req.contains(field);
            let what = format!(
                "{ctx}: new {}field `{field}` ({})",
                if required && side.request {
                    "required "
                } else {
                    ""
                },
                type_name(schema)
            );
            out.push(if required && side.request {
                breaking(what)
            } else {
                additive(what)
            });
            continue;
        };
        if side.request && new_req.contains(field) && !old_req.contains(field) {
            out.push(breaking(format!("{ctx}: field `{field}` is now required")));
        }
        compare_schema(&format!("{ctx}.{field}"), o, schema, side, out);
    }
    if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
        compare_schema(&format!("{ctx}[]"), o, n, side, out);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if old.get(key) != new.get(key) {
            out.push(breaking(format!("{ctx}: `{key}` alternatives changed")));
        }
    }
}

/// For each named schema, whether requests, responses or both reach it.
fn schema_sides(doc: &Value) -> BTreeMap<String, Sides> {
    let mut sides: BTreeMap<String, Sides> = BTreeMap::new();
    let named = schemas(doc);
    for op in operations(doc).values() {
        let mut request = Vec::new();
        refs(&op["requestBody"], &mut request);
        refs(&op["parameters"], &mut request);
        let mut response = Vec::new();
        refs(&op["responses"], &mut response);
        for (mut pending, is_request) in [(request, true), (response, false)] {
            let mut seen = BTreeSet::new();
            while let Some(name) = pending.pop() {
                if !seen.insert(name.clone()) {
                    continue;
                }
                let entry = sides.entry(name.clone()).or_default();
                if is_request {
                    entry.request = true;
                } else {
                    entry.response = true;
                }
                if let Some(schema) = named.get(&name) {
                    refs(schema, &mut pending);
                }
            }
        }
    }
    sides
}

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.to_string());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(thing: Value, request: Value) -> Value {
        json!({
            "paths": {"/t/{id}": {"post": {
                "operationId": "make_thing",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": request}}},
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
            }}},
            "components": {"schemas": {"Thing": thing}}
        })
    }

    #[test]
    fn classifies_each_kind_of_change() {
        let before = doc(
            json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "k": {"type": "string", "enum": ["x"]}}}),
            json!({"type": "object", "properties": {"n": {"type": "string"}}}),
        );
        let after = doc(
            json!({"type": "object", "properties": {"a": {"type": "integer"}, "c": {"type": "string"}, "k": {"type": "string", "enum": ["x", "y"]}}}),
            json!({"type": "object", "required": ["m"], "properties": {"n": {"type": "string"}, "m": {"type": "string"}, "o": {"type": "string"}}}),
        );
        let report = compare(&before, &after);
        let find = |needle: &str| {
            report
                .changes
                .iter()
                .find(|c| c.what.contains(needle))
                .unwrap_or_else(|| panic!("no change mentions {needle}: {report:#?}"))
                .impact
        };
        assert_eq!(
            find("`Thing`.a: type changed from string to integer"),
            Impact::Breaking
        );
        assert_eq!(find("removed field `b`"), Impact::Breaking);
        assert_eq!(find("`Thing`: new field `c`"), Impact::Additive);
        assert_eq!(find("new enum value `y`"), Impact::Breaking);
        assert_eq!(find("new required field `m`"), Impact::Breaking);
        assert_eq!(find("new field `o`"), Impact::Additive);
        assert_eq!(report.changes.len(), 6, "{report:#?}");
        assert_eq!(report.bump("0.1.0").1, "0.2.0");
        assert_eq!(report.bump("1.4.2").1, "2.0.0");
        assert!(compare(&after, &after).changes.is_empty());
    }

    #[test]
    fn operations_added_and_removed_and_the_bump_they_give() {
        let before = doc(json!({"type": "object"}), json!({"type": "object"}));
        let mut after = before.clone();
        after["paths"]["/new"] = json!({"get": {"operationId": "list_new", "responses": {}}});
        let added = compare(&before, &after);
        assert_eq!(added.changes.len(), 1);
        assert_eq!(added.changes[0].impact, Impact::Additive);
        assert_eq!(added.bump("0.1.0").1, "0.1.1");
        assert_eq!(added.bump("1.4.2").1, "1.5.0");
        let removed = compare(&after, &before);
        assert!(removed.is_breaking());
        assert!(
            removed.changes[0]
                .what
                .contains("removed operation `list_new`")
        );
        let md = removed.markdown("0.1.0", "here");
        assert!(
            md.contains("#### Breaking") && md.contains("0.1.0 -> 0.2.0"),
            "{md}"
        );
    }

    #[test]
    fn parameters_and_responses() {
        let before = doc(json!({"type": "object"}), json!({"type": "object"}));
        let mut after = before.clone();
        let op = &mut after["paths"]["/t/{id}"]["post"];
        op["parameters"] = json!([
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "mode", "in": "query", "required": true, "schema": {"type": "string"}}
        ]);
        op["responses"]["409"] =
            json!({"content": {"application/json": {"schema": {"type": "object"}}}});
        let report = compare(&before, &after);
        let find = |needle: &str| {
            report
                .changes
                .iter()
                .find(|c| c.what.contains(needle))
                .unwrap_or_else(|| panic!("no change mentions {needle}: {report:#?}"))
                .impact
        };
        assert_eq!(
            find("path parameter `id` changed type from string to integer"),
            Impact::Breaking
        );
        assert_eq!(find("new query parameter `limit`"), Impact::Additive);
        assert_eq!(
            find("new required query parameter `mode`"),
            Impact::Breaking
        );
        assert_eq!(find("new 409 response"), Impact::Additive);
        assert_eq!(report.changes.len(), 4, "{report:#?}");
        let back = compare(&after, &before);
        assert!(
            back.changes
                .iter()
                .any(|c| c.what.contains("removed query parameter `limit`")
                    && c.impact == Impact::Breaking)
        );
    }
}
