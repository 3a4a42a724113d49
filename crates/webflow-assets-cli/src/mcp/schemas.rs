//! The tools' JSON Schemas, made by schemars 0.8 from the same types as the `--json` lines
//! (`lines/`, the SDK's records), so an agent and a script read one vocabulary: `status`,
//! `reason`, `rule.code`, `code`. (rmcp builds on schemars 1, but only its macros need it;
//! the tools here are listed by hand, with these schemas as JSON objects.)
//!
//! An output schema is made compact, since an agent pays for `tools/list` in context: no
//! descriptions (the tool's says what it returns); each `oneOf` of a tagged enum joined into
//! one object whose tag lists every value; and below the result's own fields, only what is
//! required and the vocabulary ([`VOCABULARY`]: the words an agent matches on, with every
//! value they take). The schema accepts every value the type can take (it is looser, never
//! stricter, and no object forbids other fields); `webflow-assets schema` has the lines'
//! full schema, field by field.

use std::sync::Arc;

use rmcp::model::JsonObject;
use schemars::JsonSchema;
use serde_json::{Map, Value};

/// The schema of a tool's arguments, with each field's description.
pub fn input<T: JsonSchema>() -> Arc<JsonObject> {
    let mut schema = make::<T>(false);
    strip(&mut schema, &["title", "format", "default"]);
    if let Value::Object(map) = &mut schema {
        // The type's own doc comment is for the code; the tool's description says it.
        map.remove("description");
    }
    Arc::new(object(schema))
}

/// The compact schema of a tool's result.
pub fn output<T: JsonSchema>() -> Arc<JsonObject> {
    Arc::new(object(trim(compact(make::<T>(true)), 0, "")))
}

/// The fields whose values an agent matches on: a record's `status` and `reason`, a rule's
/// and an error's `code`, an audit's `finding`. Their schemas keep every value.
pub const VOCABULARY: &[&str] = &["status", "reason", "code", "finding"];

/// The schema schemars 0.8 makes for `T`, every subschema inline; with `null` among the
/// types of an `Option` (a result's `null`), or not (an argument left out is `None`).
fn make<T: JsonSchema>(null: bool) -> Value {
    let generator = schemars::r#gen::SchemaSettings::draft07()
        .with(|s| {
            s.inline_subschemas = true;
            s.option_add_null_type = null;
        })
        .into_generator();
    let mut schema = serde_json::to_value(generator.into_root_schema_for::<T>())
        .unwrap_or_else(|_| Value::Object(Map::new()));
    if let Value::Object(map) = &mut schema {
        map.remove("$schema");
        map.remove("title");
        map.remove("definitions");
    }
    schema
}

fn object(schema: Value) -> JsonObject {
    match schema {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Removes these keywords everywhere they are keywords (not where they are property names).
fn strip(schema: &mut Value, keys: &[&str]) {
    let Value::Object(map) = schema else { return };
    for key in keys {
        map.remove(*key);
    }
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("properties", Value::Object(props)) => {
                props.values_mut().for_each(|p| strip(p, keys));
            }
            ("enum" | "required" | "const", _) => {}
            (_, Value::Array(items)) => items.iter_mut().for_each(|i| strip(i, keys)),
            (_, value @ Value::Object(_)) => strip(value, keys),
            _ => {}
        }
    }
}

/// Whether a schema holds a field of the vocabulary, at any depth.
fn has_vocabulary(schema: &Value) -> bool {
    let props = schema.get("properties").and_then(Value::as_object);
    props.is_some_and(|p| {
        p.iter()
            .any(|(name, s)| VOCABULARY.contains(&name.as_str()) || has_vocabulary(s))
    }) || schema.get("items").is_some_and(has_vocabulary)
}

/// A compacted schema cut to the result's own fields (depth 0) and, below them, the fields
/// that are required or hold the vocabulary. Enums outside the vocabulary become their
/// type; an enum of the vocabulary needs no type beside it.
fn trim(schema: Value, depth: usize, name: &str) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    if map.contains_key("enum") {
        match VOCABULARY.contains(&name) {
            true => map.remove("type"),
            false => map.remove("enum"),
        };
    }
    if let Some(items) = map.remove("items") {
        map.insert("items".into(), trim(items, depth, name));
    }
    let vocabulary = has_vocabulary(&Value::Object(map.clone()));
    if let Some(Value::Object(props)) = map.remove("properties") {
        let required: Vec<Value> = match map.get("required") {
            Some(Value::Array(names)) => names.clone(),
            _ => Vec::new(),
        };
        let mut kept = Map::new();
        for (field, schema) in props {
            let wanted = depth == 0
                || required.contains(&Value::from(field.as_str()))
                || VOCABULARY.contains(&field.as_str())
                || has_vocabulary(&schema);
            if wanted {
                let trimmed = trim(schema, depth + 1, &field);
                kept.insert(field, trimmed);
            }
        }
        map.insert("properties".into(), Value::Object(kept));
    }
    // Below the result's own fields, what an object requires is said only where it holds
    // the vocabulary (a record's `file` and `status`, a rule's `code`); and `properties`
    // and `items` say enough of an object's or a list's type.
    if depth > 0 && !vocabulary {
        map.remove("required");
    }
    if depth > 0
        && (map.contains_key("properties") || map.contains_key("items"))
        && matches!(map.get("type"), Some(Value::String(_)))
    {
        map.remove("type");
    }
    Value::Object(map)
}

/// A schema without words, and with each `oneOf`/`anyOf` joined into one schema.
pub fn compact(schema: Value) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    for key in [
        "description",
        "title",
        "format",
        "minimum",
        "maximum",
        "default",
        "examples",
    ] {
        map.remove(key);
    }
    // Any other field allowed is what a schema says when it says nothing.
    if map.get("additionalProperties") == Some(&Value::Bool(true)) {
        map.remove("additionalProperties");
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for value in props.values_mut() {
            *value = compact(std::mem::take(value));
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(value @ Value::Object(_)) = map.get_mut(key) {
            *value = compact(std::mem::take(value));
        }
    }
    if let Some(Value::Array(parts)) = map.remove("allOf") {
        for part in parts {
            map = both(map, object(compact(part)));
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(variants)) = map.remove(key) {
            let joined = variants.into_iter().map(compact).reduce(either);
            if let Some(joined) = joined {
                map = both(map, object(joined));
            }
        }
    }
    Value::Object(map)
}

/// A schema that both must satisfy (for `allOf`, and a tagged enum's shared fields): their
/// properties together, and the fields each requires.
fn both(mut a: JsonObject, b: JsonObject) -> JsonObject {
    for (key, value) in b {
        match (key.as_str(), a.remove(&key)) {
            ("properties", Some(Value::Object(mut mine))) => {
                if let Value::Object(theirs) = value {
                    for (name, schema) in theirs {
                        let merged = match mine.remove(&name) {
                            Some(existing) => either(existing, schema),
                            None => schema,
                        };
                        mine.insert(name, merged);
                    }
                }
                a.insert(key, Value::Object(mine));
            }
            ("required", Some(Value::Array(mut mine))) => {
                if let Value::Array(theirs) = value {
                    for name in theirs {
                        if !mine.contains(&name) {
                            mine.push(name);
                        }
                    }
                }
                mine.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
                a.insert(key, Value::Array(mine));
            }
            (_, Some(mine)) => {
                a.insert(key, mine);
            }
            (_, None) => {
                a.insert(key, value);
            }
        }
    }
    a
}

/// A schema that either satisfies: it accepts every value that one of them accepts.
fn either(a: Value, b: Value) -> Value {
    if a == b {
        return a;
    }
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return Value::Object(Map::new());
    };
    // `Option<T>`: T's schema, with null allowed.
    for (some, none) in [(&a, &b), (&b, &a)] {
        if none.len() == 1 && none.get("type") == Some(&Value::from("null")) {
            let mut joined = some.clone();
            if let Some(types) = joined.get("type").cloned() {
                joined.insert("type".into(), union(types, Value::from("null")));
            }
            if let Some(Value::Array(values)) = joined.get_mut("enum") {
                values.push(Value::Null);
            }
            return Value::Object(joined);
        }
    }
    let mut joined = Map::new();
    for (key, mine) in &a {
        let Some(theirs) = b.get(key) else { continue };
        let value = match key.as_str() {
            "type" | "enum" => union(mine.clone(), theirs.clone()),
            "required" => match (mine, theirs) {
                (Value::Array(x), Value::Array(y)) => {
                    Value::Array(x.iter().filter(|n| y.contains(n)).cloned().collect())
                }
                _ => continue,
            },
            "items" | "additionalProperties" => either(mine.clone(), theirs.clone()),
            "properties" => continue,
            _ if mine == theirs => mine.clone(),
            _ => continue,
        };
        joined.insert(key.clone(), value);
    }
    let props = |m: &JsonObject| match m.get("properties") {
        Some(Value::Object(p)) => Some(p.clone()),
        _ => None,
    };
    if let (Some(mut mine), theirs) = (props(&a), props(&b)) {
        for (name, schema) in theirs.unwrap_or_default() {
            let merged = match mine.remove(&name) {
                Some(existing) => either(existing, schema),
                None => schema,
            };
            mine.insert(name, merged);
        }
        joined.insert("properties".into(), Value::Object(mine));
    } else if let Some(theirs) = props(&b) {
        joined.insert("properties".into(), Value::Object(theirs));
    }
    Value::Object(joined)
}

/// Two `type` or `enum` values as one list, each value once.
fn union(a: Value, b: Value) -> Value {
    let list = |v: Value| match v {
        Value::Array(items) => items,
        other => vec![other],
    };
    let mut all = list(a);
    for value in list(b) {
        if !all.contains(&value) {
            all.push(value);
        }
    }
    match all.len() {
        1 => all.remove(0),
        _ => Value::Array(all),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_tagged_enum_joins_into_one_object_that_keeps_every_tag() {
        let schema = json!({
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "description": "words"}},
            "oneOf": [
                {"type": "object", "required": ["status", "asset_id"],
                 "properties": {"status": {"type": "string", "enum": ["uploaded"]},
                                "asset_id": {"type": "string"}}},
                {"type": "object", "required": ["status", "reason"],
                 "properties": {"status": {"type": "string", "enum": ["skipped"]},
                                "reason": {"type": "string", "enum": ["hidden"]}}},
                {"type": "object", "required": ["status"],
                 "properties": {"status": {"type": "string", "enum": ["failed"]},
                                "kind": {"anyOf": [{"type": "string", "enum": ["io"]},
                                                   {"type": "null"}]}}}
            ]
        });
        let compacted = compact(schema);
        assert_eq!(
            compacted,
            json!({
                "type": "object",
                "required": ["file", "status"],
                "properties": {
                    "file": {"type": "string"},
                    "status": {"type": "string", "enum": ["uploaded", "skipped", "failed"]},
                    "asset_id": {"type": "string"},
                    "reason": {"type": "string", "enum": ["hidden"]},
                    "kind": {"type": ["string", "null"], "enum": ["io", null]}
                }
            })
        );
    }
}
