//! A readable summary of the API surface a normalised document gives: what a reviewer needs
//! to see when Webflow's description changes.

use std::fmt::Write;

use serde_json::Value;

/// One line per operation (method, path, Rust method name), then its parameters, request type
/// and response types. Deterministic for a given document.
pub fn summary(doc: &Value) -> String {
    let mut out = String::new();
    let Some(paths) = doc["paths"].as_object() else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(name) = op["operationId"].as_str() else {
                continue;
            };
            let _ = writeln!(out, "{name}: {} {path}", method.to_uppercase());
            for param in op["parameters"].as_array().into_iter().flatten() {
                let required = if param["required"] == true {
                    ", required"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  param {} ({}{required}): {}",
                    param["name"].as_str().unwrap_or("?"),
                    param["in"].as_str().unwrap_or("?"),
                    type_name(&param["schema"]),
                );
            }
            if let Some(schema) = op["requestBody"]["content"]["application/json"].get("schema") {
                let _ = writeln!(out, "  request: {}", type_name(schema));
            }
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let body = match response["content"]["application/json"].get("schema") {
                    Some(schema) => type_name(schema),
                    None => "no body".into(),
                };
                let _ = writeln!(out, "  response {status}: {body}");
            }
        }
    }
    out
}

/// A short name for a schema: its type name when it is a reference, `[T]` for arrays, the type
/// and format otherwise, `?` when nullable.
pub fn type_name(schema: &Value) -> String {
    if let Some(target) = schema["$ref"].as_str() {
        return target.rsplit('/').next().unwrap_or(target).to_string();
    }
    if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice) {
        return type_name(only);
    }
    let base = match schema["type"].as_str() {
        Some("array") => format!("[{}]", type_name(&schema["items"])),
        Some(t) => match schema["format"].as_str() {
            Some(f) => format!("{t}({f})"),
            None => t.to_string(),
        },
        None => "any".to_string(),
    };
    if schema["nullable"] == true {
        format!("{base}?")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summary_lists_parameters_and_bodies() {
        let doc = json!({"paths": {"/s/{id}": {"post": {
            "operationId": "make_thing",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "objectid"}},
                {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
            ],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
            "responses": {"200": {"content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/Thing"}]}}}},
                          "204": {"description": "none"}}
        }}}});
        assert_eq!(
            summary(&doc),
            "make_thing: POST /s/{id}\n  param id (path, required): string(objectid)\n  param tags (query): [string]\n  request: Req\n  response 200: Thing\n  response 204: no body\n"
        );
    }
}
