//! Steps about what the generated client may put on the wire.

use serde_json::Value;

use super::walk::operations_mut;

/// Quirk: the vendored YAML declares `Authorization` as a required header parameter, so every
/// generated method would take the token as an argument. The client sets the bearer header once,
/// on its own `reqwest::Client`, and nowhere else.
pub fn drop_authorization_header(doc: &mut Value) {
    let is_auth = |p: &Value| {
        p["in"] == "header"
            && p["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("authorization"))
    };
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(Value::Array(params)) = item.get_mut("parameters") {
                params.retain(|p| !is_auth(p));
            }
        }
    }
    for (_, _, op) in operations_mut(doc) {
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            params.retain(|p| !is_auth(p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_yaml;
    use serde_json::json;

    #[test]
    fn authorization_header_parameter_is_removed() {
        let mut doc = test_yaml(
            "paths:\n  /a/{id}:\n    parameters:\n      - {name: authorization, in: header, schema: {type: string}}\n    post:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: Authorization, in: header, required: true, schema: {type: string}}\n        - {name: Authorization, in: query, schema: {type: string}}\n",
        );
        drop_authorization_header(&mut doc);
        let names: Vec<_> = doc["paths"]["/a/{id}"]["post"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["name"].clone(), p["in"].clone()))
            .collect();
        assert_eq!(
            names,
            vec![
                (json!("id"), json!("path")),
                (json!("Authorization"), json!("query"))
            ]
        );
        assert_eq!(doc["paths"]["/a/{id}"]["parameters"], json!([]));
    }
}
