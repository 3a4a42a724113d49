//! Steps that make error responses typed, and tolerant of what Webflow adds later.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::names::{components_schemas, schema_ref};
use super::walk::{json_schema_mut, operations_mut};

/// Quirk: the vendored YAML documents 400/401/404/429/500 with `content: {}`, so progenitor
/// throws the body away and callers lose Webflow's `code`, `message`, `externalReference` and
/// `details`. Every error response without a JSON body gets the error body documented
/// elsewhere in spec/ (the first 4xx/5xx response that has one).
pub fn document_error_bodies(doc: &mut Value) -> Result<()> {
    let is_error = |status: &str| status.starts_with(['4', '5']);
    let mut documented = None;
    let mut missing = 0;
    for (_, _, op) in operations_mut(doc) {
        for (status, response) in op
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            if !is_error(status) {
                continue;
            }
            match json_schema_mut(response) {
                Some(schema) => {
                    documented.get_or_insert_with(|| schema.clone());
                }
                None => missing += 1,
            }
        }
    }
    if missing == 0 {
        return Ok(());
    }
    let Some(error_schema) = documented else {
        bail!("{missing} error responses have no body and no file in spec/ documents one");
    };
    for (_, _, op) in operations_mut(doc) {
        for (status, response) in op
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            if is_error(status) && json_schema_mut(response).is_none() {
                response["content"] = json!({ "application/json": { "schema": error_schema } });
            }
        }
    }
    Ok(())
}

/// Quirk: `code` is a closed enum, but Webflow adds codes over time (`service_unavailable` is
/// newer than the vendored list); a strict enum would turn a new code into an unreadable
/// error. The documented codes move to `KnownErrorCode`, and `ErrorCode` becomes "one of
/// those, or any other string", which keeps an unknown code as received.
pub fn tolerate_unknown_error_codes(doc: &mut Value) {
    let schemas = components_schemas(doc);
    let Some(code) = schemas.get_mut("ErrorCode") else {
        return;
    };
    if code.get("enum").is_none() {
        return;
    }
    let mut known = code.take();
    let description = known
        .as_object_mut()
        .and_then(|k| k.remove("description"))
        .unwrap_or_else(|| json!("A Webflow error code."));
    *code = json!({
        "description": description,
        "oneOf": [schema_ref("KnownErrorCode"), { "type": "string" }],
    });
    known["description"] = json!("An error code Webflow documents.");
    schemas.insert("KnownErrorCode".into(), known);
}

/// Quirk: Webflow's full description gives the object form of an error detail no
/// properties (only an example with `field` and `message`), which would make it an untyped map
/// while the vendored YAML and Webflow's answers name those two fields. An object alternative
/// of `ErrorDetail` with no properties gets `field` and `message`, both optional strings.
pub fn type_error_detail_fields(doc: &mut Value) {
    let Some(detail) = components_schemas(doc).get_mut("ErrorDetail") else {
        return;
    };
    for key in ["anyOf", "oneOf"] {
        for alternative in detail
            .get_mut(key)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if alternative["type"] == "object" && alternative.get("properties").is_none() {
                alternative["properties"] = json!({
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_yaml;

    const EMPTY_AND_DOCUMENTED: &str = r#"
paths:
  /a:
    post:
      responses:
        '200': {description: ok, content: {}}
        '400': {description: bad, content: {}}
        '500': {description: broken}
  /b:
    get:
      responses:
        '404':
          description: missing
          content:
            application/json:
              schema: {type: object, properties: {code: {type: string}}}
"#;

    #[test]
    fn empty_error_responses_get_the_documented_body() {
        let mut doc = test_yaml(EMPTY_AND_DOCUMENTED);
        document_error_bodies(&mut doc).unwrap();
        let documented = doc["paths"]["/b"]["get"]["responses"]["404"]["content"].clone();
        let responses = &doc["paths"]["/a"]["post"]["responses"];
        assert_eq!(responses["400"]["content"], documented);
        assert_eq!(responses["500"]["content"], documented);
        assert_eq!(
            responses["200"]["content"],
            json!({}),
            "success bodies are left alone"
        );
    }

    #[test]
    fn empty_error_responses_with_nothing_to_copy_fail() {
        let mut doc = test_yaml(
            "paths:\n  /a:\n    get:\n      responses:\n        '400': {description: bad, content: {}}\n",
        );
        assert!(document_error_bodies(&mut doc).is_err());
    }

    #[test]
    fn error_code_enum_gains_a_string_fallback() {
        let mut doc = test_yaml(
            "paths: {}\ncomponents:\n  schemas:\n    ErrorCode: {type: string, description: d, enum: [a, b]}\n",
        );
        tolerate_unknown_error_codes(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["ErrorCode"],
            json!({"description": "d", "oneOf": [schema_ref("KnownErrorCode"), {"type": "string"}]})
        );
        assert_eq!(schemas["KnownErrorCode"]["enum"], json!(["a", "b"]));
    }

    #[test]
    fn untyped_detail_objects_get_field_and_message() {
        let mut doc = test_yaml(
            "paths: {}\ncomponents:\n  schemas:\n    ErrorDetail:\n      anyOf:\n        - {type: string}\n        - {type: object}\n",
        );
        type_error_detail_fields(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["ErrorDetail"]["anyOf"][1]["properties"],
            json!({"field": {"type": "string"}, "message": {"type": "string"}})
        );
    }
}
