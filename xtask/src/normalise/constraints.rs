//! Steps that keep value constraints and status ranges from reshaping the generated client.

use serde_json::{Map, Value};

use super::names::components_schemas;
use super::walk::{for_each_schema, json_schema_mut, operations_mut};

/// The schema keywords that only constrain values.
const VALUE_CONSTRAINTS: &[&str] = &[
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Quirk: the custom-font schemas constrain values (an axis `tag` has a `pattern` and a
/// length, `weight` a range, `axes` at most 16 items). Progenitor turns a constrained string
/// into a validating newtype that needs the `regress` crate, and a response with one value
/// outside the documented range would then be unreadable as a whole. The handwritten crate
/// checks these limits before sending, with typed errors; the generated types stay plain.
pub fn drop_value_constraints(doc: &mut Value) {
    for_each_schema(doc, &mut |schema: &mut Map<String, Value>| {
        for key in VALUE_CONSTRAINTS {
            schema.remove(*key);
        }
    });
}

/// Quirk: the token and sites operations document `4XX`/`5XX` ranges beside specific codes
/// in the same range (`401`, `403`) with the same body. Progenitor matches the range first,
/// leaving the specific arms unreachable (a warning in the generated crate). A specific code
/// whose body is the same as its range's is dropped: the range answers for it.
pub fn fold_codes_into_ranges(doc: &mut Value) {
    for (_, _, op) in operations_mut(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        let ranges: Vec<(char, Option<Value>)> = responses
            .iter_mut()
            .filter(|(status, _)| status.len() == 3 && status.ends_with("XX"))
            .map(|(status, response)| {
                let first = status.chars().next().expect("three characters");
                (first, json_schema_mut(response).cloned())
            })
            .collect();
        responses.retain(|status, response| {
            let covered = ranges.iter().any(|(first, body)| {
                status.len() == 3
                    && !status.ends_with("XX")
                    && status.starts_with(*first)
                    && json_schema_mut(response).cloned() == *body
            });
            !covered
        });
    }
}

/// Quirk: replacing a font file tells an absent `axes` (refused when the font is variable)
/// from an empty one (`[]`: the new file is static), but progenitor skips an empty list when
/// serialising an optional array, so `[]` could never be sent. Marked nullable, the request
/// holds an `Option<Vec<FontAxis>>`: `None` is omitted, `Some(vec![])` is sent as `[]`.
pub fn keep_empty_replacement_axes(doc: &mut Value) {
    if let Some(axes) = components_schemas(doc)
        .get_mut("ReplaceCustomFontFileRequest")
        .and_then(|r| r.get_mut("properties"))
        .and_then(|p| p.get_mut("axes"))
    {
        axes["nullable"] = Value::Bool(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_yaml;

    #[test]
    fn value_constraints_are_dropped_and_types_kept() {
        let mut doc = test_yaml(
            "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                tag: {type: string, minLength: 4, maxLength: 4, pattern: '^x$'}\n                weight: {type: integer, minimum: 1, maximum: 1000}\n                axes: {type: array, maxItems: 16, items: {type: string}}\n",
        );
        drop_value_constraints(&mut doc);
        let props = &doc["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"]
            ["properties"];
        assert_eq!(props["tag"], serde_json::json!({"type": "string"}));
        assert_eq!(props["weight"], serde_json::json!({"type": "integer"}));
        assert_eq!(
            props["axes"],
            serde_json::json!({"type": "array", "items": {"type": "string"}})
        );
    }

    #[test]
    fn codes_with_their_range_body_fold_into_the_range() {
        let body = "content: {application/json: {schema: {type: object}}}";
        let other = "content: {application/json: {schema: {type: string}}}";
        let mut doc = test_yaml(&format!(
            "paths:\n  /a:\n    get:\n      responses:\n        '200': {{{body}}}\n        '401': {{{body}}}\n        '403': {{{other}}}\n        '4XX': {{{body}}}\n        '500': {{{body}}}\n"
        ));
        fold_codes_into_ranges(&mut doc);
        let kept: Vec<&String> = doc["paths"]["/a"]["get"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kept, ["200", "403", "4XX", "500"]);
    }

    #[test]
    fn replacement_axes_become_nullable() {
        let mut doc = test_yaml(
            "paths: {}\ncomponents:\n  schemas:\n    ReplaceCustomFontFileRequest:\n      type: object\n      properties:\n        axes: {type: array, items: {type: string}}\n",
        );
        keep_empty_replacement_axes(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["ReplaceCustomFontFileRequest"]["properties"]["axes"]["nullable"],
            true
        );
    }
}
