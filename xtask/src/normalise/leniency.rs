//! Steps that make responses readable even when Webflow sends more, less or odder data than
//! documented.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::names::{components_schemas, schema_ref};
use super::walk::{for_each_schema, json_schema_mut, operations_mut, visit};

/// The shared lenient timestamp type.
pub const TIMESTAMP: &str = "Timestamp";

/// Quirk: the official description marks nearly every response field required, but real
/// responses (and the official SDKs' own wire fixtures) leave some out, e.g. a variant's
/// `height` and `error`. Both official SDKs treat them as optional; so do we, for every schema a
/// response can reach. Request bodies keep their `required`.
pub fn relax_response_required(doc: &mut Value) {
    let mut reachable = BTreeSet::new();
    let mut pending = Vec::new();
    let note_refs = |schema: &mut Value, pending: &mut Vec<String>| {
        visit(schema, &mut |s| {
            if let Some(name) = ref_name(s) {
                pending.push(name);
            }
        });
    };
    for (_, _, op) in operations_mut(doc) {
        for response in op
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flat_map(|r| r.values_mut())
        {
            if let Some(schema) = json_schema_mut(response) {
                visit(schema, &mut |s: &mut Map<String, Value>| {
                    s.remove("required");
                });
                note_refs(schema, &mut pending);
            }
        }
    }
    let schemas = components_schemas(doc);
    while let Some(name) = pending.pop() {
        if !reachable.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get_mut(&name) {
            visit(schema, &mut |s: &mut Map<String, Value>| {
                s.remove("required");
            });
            note_refs(schema, &mut pending);
        }
    }
}

fn ref_name(schema: &Map<String, Value>) -> Option<String> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
        .map(String::from)
}

/// Quirk: `uploadDetails` lists eleven fields, but S3 rejects a form that lacks any field its
/// policy names, and Webflow may add one (a security token, a meta field) at any time. The
/// listed fields stay typed; any other key is kept, in the order received, with whatever JSON
/// value it has, so the S3 form can be rebuilt from it whole. The same holds for a custom
/// font's `upload.fields`, which feed the same form.
pub fn keep_unknown_upload_details(doc: &mut Value) {
    for name in ["UploadDetails", "FontUploadFields"] {
        if let Some(details) = components_schemas(doc).get_mut(name) {
            details["additionalProperties"] = json!({});
        }
    }
}

/// Quirk: timestamps come both with and without milliseconds, and a strict date-time type
/// would let one odd value make a whole response (a page of 100 assets) unreadable. Every
/// `date-time` string becomes the shared `Timestamp`: parsed when it is RFC 3339, the text as
/// received otherwise.
pub fn lenient_timestamps(doc: &mut Value) {
    let mut found = false;
    for_each_schema(doc, &mut |schema| {
        if schema.get("type") == Some(&json!("string"))
            && schema.get("format") == Some(&json!("date-time"))
        {
            schema.remove("type");
            schema.remove("format");
            schema.insert("allOf".into(), json!([schema_ref(TIMESTAMP)]));
            found = true;
        }
    });
    if found {
        components_schemas(doc).insert(
            TIMESTAMP.into(),
            json!({
                "description": "An RFC 3339 timestamp, with or without fractional seconds; \
                    kept as the text received when it does not parse.",
                "oneOf": [
                    { "type": "string", "format": "date-time" },
                    { "type": "string" }
                ]
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_yaml;

    #[test]
    fn response_types_lose_required_and_requests_keep_it() {
        let mut doc = test_yaml(
            r#"
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Req'}
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                required: [inner]
                properties: {inner: {$ref: '#/components/schemas/Inner'}}
components:
  schemas:
    Req: {type: object, required: [x], properties: {x: {type: string}}}
    Inner:
      type: object
      required: [y]
      properties:
        y: {type: object, required: [z], properties: {z: {type: string}}}
"#,
        );
        relax_response_required(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Req"]["required"], json!(["x"]));
        assert!(schemas["Inner"].get("required").is_none());
        assert!(
            schemas["Inner"]["properties"]["y"]
                .get("required")
                .is_none()
        );
        let response =
            &doc["paths"]["/a"]["post"]["responses"]["200"]["content"]["application/json"];
        assert!(response["schema"].get("required").is_none());
    }

    #[test]
    fn upload_details_accept_any_other_key() {
        let mut doc = test_yaml(
            "paths: {}\ncomponents:\n  schemas:\n    UploadDetails: {type: object, properties: {acl: {type: string}}}\n",
        );
        keep_unknown_upload_details(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["UploadDetails"]["additionalProperties"],
            json!({})
        );
    }

    #[test]
    fn date_times_become_the_shared_timestamp() {
        let mut doc = test_yaml(
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        createdOn: {type: string, format: date-time, description: when}\n        name: {type: string}\n",
        );
        lenient_timestamps(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["createdOn"],
            json!({"description": "when", "allOf": [schema_ref(TIMESTAMP)]})
        );
        assert_eq!(
            schemas["A"]["properties"]["name"],
            json!({"type": "string"})
        );
        assert_eq!(schemas[TIMESTAMP]["oneOf"][0]["format"], "date-time");
    }
}
