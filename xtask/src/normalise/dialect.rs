//! Steps that translate the OpenAPI 3.1 dialect Webflow publishes into the 3.0 that progenitor
//! reads.

use serde_json::{Map, Value, json};

use super::walk::{for_each_schema, operations_mut};

/// Quirk: the documents declare `openapi: 3.1.1` (the official description `3.1.0`), and
/// progenitor refuses anything but 3.0.x. Nothing in them needs 3.1 once the other steps ran.
pub fn downgrade_openapi_version(doc: &mut Value) {
    if doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1"))
    {
        doc["openapi"] = json!("3.0.3");
    }
}

/// Quirk: the vendored YAML writes `tags` as a list of lists (`- - subpackage_assets`), which
/// is not a list of strings and fails to parse.
pub fn flatten_nested_tags(doc: &mut Value) {
    for (_, _, op) in operations_mut(doc) {
        if let Some(Value::Array(tags)) = op.get_mut("tags") {
            let flat = tags
                .drain(..)
                .flat_map(|t| match t {
                    Value::Array(inner) => inner,
                    other => vec![other],
                })
                .collect();
            *tags = flat;
        }
    }
}

/// Quirk: 3.1 spells "string or null" as `type: [string, "null"]`; 3.0 as `nullable: true`.
pub fn type_arrays_to_nullable(doc: &mut Value) {
    for_each_schema(doc, &mut |schema| {
        let Some(Value::Array(types)) = schema.get("type") else {
            return;
        };
        let had_null = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if rest.len() == 1 {
            schema.insert("type".into(), rest[0].clone());
            if had_null {
                schema.insert("nullable".into(), json!(true));
            }
        }
    });
}

/// Quirk: the official description writes `default: null` on string fields that are not
/// nullable (`parentFolder`), meaning "absent or null at the root". A null default of a
/// non-nullable type is rejected by the type generator; say what is meant instead. It also
/// writes it on the required `site_id` path parameter, which can never be null: there the
/// default is simply dropped.
pub fn null_default_means_nullable(doc: &mut Value) {
    for (_, _, op) in operations_mut(doc) {
        for param in op
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(schema) = param.get_mut("schema").and_then(Value::as_object_mut)
                && schema.get("default") == Some(&Value::Null)
            {
                schema.remove("default");
            }
        }
    }
    for_each_schema(doc, &mut |schema| {
        if schema.get("default") == Some(&Value::Null) {
            schema.remove("default");
            schema.insert("nullable".into(), json!(true));
        }
    });
}

/// Quirk: the error body's `details.items` is written as a list of schemas (a string, or an
/// object), which 3.0 does not allow; it means "each item is one of these".
pub fn tuple_items_to_any_of(doc: &mut Value) {
    for_each_schema(doc, &mut |schema| {
        if let Some(Value::Array(choices)) = schema.get_mut("items") {
            let choices = std::mem::take(choices);
            schema.insert("items".into(), json!({ "anyOf": choices }));
        }
    });
}

/// Quirk: the official description often gives `properties` with no `type: object`, which the
/// generator then reads as "any value" instead of a struct.
pub fn add_missing_object_type(doc: &mut Value) {
    for_each_schema(doc, &mut |schema: &mut Map<String, Value>| {
        let composed = ["allOf", "anyOf", "oneOf", "$ref"]
            .iter()
            .any(|k| schema.contains_key(*k));
        if schema.contains_key("properties") && !schema.contains_key("type") && !composed {
            schema.insert("type".into(), json!("object"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_yaml;

    #[test]
    fn version_3_1_becomes_3_0() {
        let mut doc = test_yaml("openapi: 3.1.1\npaths: {}");
        downgrade_openapi_version(&mut doc);
        assert_eq!(doc["openapi"], "3.0.3");
        let mut doc = test_yaml("openapi: 3.0.1\npaths: {}");
        downgrade_openapi_version(&mut doc);
        assert_eq!(doc["openapi"], "3.0.1");
    }

    #[test]
    fn nested_tags_are_flattened() {
        let mut doc = test_yaml(
            "paths:\n  /a:\n    post:\n      tags:\n        - - subpackage_assets\n        - plain\n",
        );
        flatten_nested_tags(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["post"]["tags"],
            json!(["subpackage_assets", "plain"])
        );
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        let mut doc = test_yaml(
            "components:\n  schemas:\n    A: {type: [string, 'null']}\n    B: {type: [integer]}\n",
        );
        type_arrays_to_nullable(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            doc["components"]["schemas"]["B"],
            json!({"type": "integer"})
        );
    }

    #[test]
    fn null_default_becomes_nullable() {
        let mut doc = test_yaml(
            "paths:\n  /s/{site_id}:\n    get:\n      parameters:\n        - {name: site_id, in: path, required: true, schema: {type: string, default: null}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        parentFolder: {type: string, default: null}\n        n: {type: integer, default: 3}\n",
        );
        null_default_means_nullable(&mut doc);
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(
            props["parentFolder"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(props["n"], json!({"type": "integer", "default": 3}));
        let param = &doc["paths"]["/s/{site_id}"]["get"]["parameters"][0]["schema"];
        assert_eq!(*param, json!({"type": "string"}));
    }

    #[test]
    fn list_of_item_schemas_becomes_any_of() {
        let mut doc = test_yaml(
            "components:\n  schemas:\n    D:\n      type: array\n      items:\n        - type: string\n        - type: object\n",
        );
        tuple_items_to_any_of(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["D"]["items"],
            json!({"anyOf": [{"type": "string"}, {"type": "object"}]})
        );
    }

    #[test]
    fn properties_without_type_become_objects() {
        let mut doc = test_yaml(
            "components:\n  schemas:\n    A: {properties: {x: {type: string}}}\n    B: {anyOf: [{type: string}], properties: {}}\n",
        );
        add_missing_object_type(&mut doc);
        assert_eq!(doc["components"]["schemas"]["A"]["type"], "object");
        assert!(doc["components"]["schemas"]["B"].get("type").is_none());
    }
}
