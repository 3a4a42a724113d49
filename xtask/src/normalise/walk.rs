//! Visiting every schema of a document, and only schemas: examples can hold keys such as
//! `items` or `default` that must not be mistaken for schema keywords.

use serde_json::{Map, Value};

/// Calls `f` on every schema object in `doc`: parameters, headers, request and response bodies,
/// `components.schemas`, and everything nested in those. `f` sees a schema before its children,
/// so it may reshape the children it is about to have visited.
pub fn for_each_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    for_each_root_schema(doc, &mut |schema| visit(schema, f));
}

/// Calls `f` on every schema that is not nested in another one: those of parameters, headers,
/// request and response bodies, and `components.schemas`.
pub fn for_each_root_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for_each_in_path_item(item, f);
        }
    }
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut)
        && let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut)
    {
        schemas.values_mut().for_each(f);
    }
}

fn for_each_in_path_item(item: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (key, value) in item.iter_mut() {
        if key == "parameters" {
            for_each_in_parameters(value, f);
        } else if let Some(op) = value.as_object_mut() {
            for_each_in_operation(op, f);
        }
    }
}

fn for_each_in_parameters(params: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    for param in params.as_array_mut().into_iter().flatten() {
        if let Some(schema) = param.get_mut("schema") {
            f(schema);
        }
    }
}

fn for_each_in_operation(op: &mut Map<String, Value>, f: &mut dyn FnMut(&mut Value)) {
    if let Some(params) = op.get_mut("parameters") {
        for_each_in_parameters(params, f);
    }
    if let Some(content) = op.get_mut("requestBody").and_then(|b| b.get_mut("content")) {
        for_each_in_content(content, f);
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for response in responses.values_mut() {
            if let Some(content) = response.get_mut("content") {
                for_each_in_content(content, f);
            }
            if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
                for header in headers.values_mut() {
                    if let Some(schema) = header.get_mut("schema") {
                        f(schema);
                    }
                }
            }
        }
    }
}

fn for_each_in_content(content: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    for media in content
        .as_object_mut()
        .into_iter()
        .flat_map(|c| c.values_mut())
    {
        if let Some(schema) = media.get_mut("schema") {
            f(schema);
        }
    }
}

/// Visits one schema and, recursively, its subschemas.
pub fn visit(schema: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    f(obj);
    for child in children_mut(obj) {
        visit(child, f);
    }
}

/// The direct subschemas of a schema.
pub fn children_mut(schema: &mut Map<String, Value>) -> Vec<&mut Value> {
    let mut children = Vec::new();
    for (key, value) in schema.iter_mut() {
        match key.as_str() {
            "properties" => children.extend(
                value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|p| p.values_mut()),
            ),
            "items" | "additionalProperties" | "not" => match value {
                Value::Array(list) => children.extend(list.iter_mut()),
                other => children.push(other),
            },
            "allOf" | "anyOf" | "oneOf" => {
                children.extend(value.as_array_mut().into_iter().flatten())
            }
            _ => {}
        }
    }
    children
}

/// Every operation of the document as `(method, path, operation)`.
pub fn operations_mut(doc: &mut Value) -> Vec<(String, String, &mut Map<String, Value>)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut ops = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            for (method, op) in item.as_object_mut().into_iter().flatten() {
                if METHODS.contains(&method.as_str())
                    && let Some(op) = op.as_object_mut()
                {
                    ops.push((method.clone(), path.clone(), op));
                }
            }
        }
    }
    ops
}

/// The JSON schema of a request body or response, if it has one.
pub fn json_schema_mut(holder: &mut Value) -> Option<&mut Value> {
    holder
        .get_mut("content")?
        .get_mut("application/json")?
        .get_mut("schema")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn visits_schemas_but_not_examples() {
        let mut doc = json!({
            "paths": {"/p": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {
                    "example": {"items": [1], "type": "not-a-schema"},
                    "schema": {"type": "object", "example": {"type": "nope"},
                        "properties": {"a": {"type": "array", "items": {"type": "integer"}}}}
                }}}}
            }}},
            "components": {"schemas": {"C": {"anyOf": [{"type": "boolean"}]}}}
        });
        let mut seen = Vec::new();
        for_each_schema(&mut doc, &mut |s| {
            seen.push(s.get("type").cloned().unwrap_or(Value::Null))
        });
        assert_eq!(
            seen,
            vec![
                json!("string"),
                json!("object"),
                json!("array"),
                json!("integer"),
                Value::Null,
                json!("boolean")
            ]
        );
    }
}
