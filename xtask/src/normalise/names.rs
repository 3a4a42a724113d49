//! Steps that give operations and types the names a Rust user reads.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use heck::ToSnakeCase;
use serde_json::{Map, Value, json};

use super::walk::{children_mut, for_each_root_schema, json_schema_mut, operations_mut};

/// The known operations (the eight Assets ones, sites, token, custom fonts), by what they do rather than by the id a document happens to
/// give them, so the vendored YAML and Webflow's full description produce one client.
pub const OPERATIONS: &[Operation] = &[
    Operation::new(
        "get",
        "/sites/{site_id}/assets",
        "list_assets",
        None,
        Some("AssetList"),
    ),
    Operation::new(
        "post",
        "/sites/{site_id}/assets",
        "create_asset",
        Some("CreateAssetRequest"),
        Some("AssetUpload"),
    ),
    Operation::new(
        "get",
        "/assets/{asset_id}",
        "get_asset",
        None,
        Some("Asset"),
    ),
    Operation::new(
        "patch",
        "/assets/{asset_id}",
        "update_asset",
        Some("UpdateAssetRequest"),
        Some("Asset"),
    ),
    Operation::new("delete", "/assets/{asset_id}", "delete_asset", None, None),
    Operation::new(
        "get",
        "/sites/{site_id}/asset_folders",
        "list_asset_folders",
        None,
        Some("AssetFolderList"),
    ),
    Operation::new(
        "post",
        "/sites/{site_id}/asset_folders",
        "create_asset_folder",
        Some("CreateAssetFolderRequest"),
        Some("AssetFolder"),
    ),
    Operation::new(
        "get",
        "/asset_folders/{asset_folder_id}",
        "get_asset_folder",
        None,
        Some("AssetFolder"),
    ),
    Operation::new("get", "/sites", "list_sites", None, Some("SiteList")),
    Operation::new("get", "/sites/{site_id}", "get_site", None, Some("Site")),
    Operation::new(
        "get",
        "/token/introspect",
        "introspect_token",
        None,
        Some("TokenIntrospection"),
    ),
    Operation::new(
        "get",
        "/token/authorized_by",
        "get_authorized_user",
        None,
        Some("AuthorizedUser"),
    ),
    Operation::new(
        "get",
        "/sites/{site_id}/custom_fonts",
        "list_custom_fonts",
        None,
        Some("CustomFontList"),
    ),
    Operation::new(
        "post",
        "/sites/{site_id}/custom_fonts",
        "create_custom_font",
        Some("CreateCustomFontRequest"),
        Some("CustomFontUpload"),
    ),
    Operation::new(
        "get",
        "/sites/{site_id}/custom_fonts/{font_id}",
        "get_custom_font",
        None,
        Some("CustomFontResponse"),
    ),
    Operation::new(
        "patch",
        "/sites/{site_id}/custom_fonts/{font_id}",
        "update_custom_font",
        Some("UpdateCustomFontRequest"),
        Some("CustomFontResponse"),
    ),
    Operation::new(
        "delete",
        "/sites/{site_id}/custom_fonts/{font_id}",
        "delete_custom_font",
        None,
        None,
    ),
    Operation::new(
        "put",
        "/sites/{site_id}/custom_fonts/{font_id}/file",
        "replace_custom_font_file",
        Some("ReplaceCustomFontFileRequest"),
        Some("CustomFontUpload"),
    ),
    Operation::new(
        "post",
        "/sites/{site_id}/custom_fonts/batchDelete",
        "delete_custom_fonts",
        Some("DeleteCustomFontsRequest"),
        Some("DeleteCustomFontsResult"),
    ),
];

/// The error body every operation documents.
pub const ERROR_TYPE: &str = "WebflowError";

/// Types named after the property of another named type that holds them (for an array, its
/// items): `(parent, property, name)`. Applied in this order, so a parent is named before its
/// children are looked for.
pub const NESTED: &[(&str, &str, &str)] = &[
    ("AssetUpload", "uploadDetails", "UploadDetails"),
    ("AssetList", "assets", "Asset"),
    ("AssetList", "pagination", "Pagination"),
    ("AssetFolderList", "assetFolders", "AssetFolder"),
    ("AssetFolderList", "pagination", "Pagination"),
    ("Asset", "variants", "AssetVariant"),
    ("SiteList", "sites", "Site"),
    ("Site", "customDomains", "Domain"),
    ("Site", "locales", "Locales"),
    ("Locales", "primary", "Locale"),
    ("Locales", "secondary", "Locale"),
    ("TokenIntrospection", "authorization", "TokenAuthorization"),
    ("TokenIntrospection", "application", "TokenApplication"),
    ("TokenAuthorization", "authorizedTo", "AuthorizedTo"),
    ("CustomFontList", "customFonts", "CustomFont"),
    ("CustomFontList", "pagination", "Pagination"),
    ("CustomFontResponse", "customFont", "CustomFont"),
    ("CustomFontUpload", "customFont", "CustomFont"),
    ("CustomFontUpload", "upload", "FontUploadTarget"),
    ("FontUploadTarget", "fields", "FontUploadFields"),
    ("CustomFont", "axes", "FontAxis"),
    ("CustomFont", "fontDisplay", "FontDisplay"),
    ("CustomFont", "format", "FontFormat"),
    ("CreateCustomFontRequest", "axes", "FontAxis"),
    ("CreateCustomFontRequest", "fontDisplay", "FontDisplay"),
    ("UpdateCustomFontRequest", "fontDisplay", "FontDisplay"),
    ("ReplaceCustomFontFileRequest", "axes", "FontAxis"),
    ("DeleteCustomFontsRequest", "items", "FontRef"),
    ("DeleteCustomFontsResult", "deleted", "FontRef"),
    ("DeleteCustomFontsResult", "failed", "FontDeleteFailure"),
    (ERROR_TYPE, "code", "ErrorCode"),
    (ERROR_TYPE, "details", "ErrorDetail"),
];

/// How one known operation is named.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// Lowercase HTTP method.
    pub method: &'static str,
    /// Path template as documented.
    pub path: &'static str,
    /// The Rust method name.
    pub rust_name: &'static str,
    /// Name of the JSON request body type.
    pub request: Option<&'static str>,
    /// Name of the 2xx JSON response type.
    pub response: Option<&'static str>,
}

impl Operation {
    const fn new(
        method: &'static str,
        path: &'static str,
        rust_name: &'static str,
        request: Option<&'static str>,
        response: Option<&'static str>,
    ) -> Self {
        Self {
            method,
            path,
            rust_name,
            request,
            response,
        }
    }

    fn find(method: &str, path: &str) -> Option<&'static Operation> {
        OPERATIONS
            .iter()
            .find(|o| o.method == method && o.path == path)
    }
}

/// Quirk: the vendored YAML calls its operation `create` and the official description uses
/// ids like `list-assets`; progenitor turns ids into method names, so `create` says nothing
/// and the two documents would give different clients. Known operations get their name from
/// [`OPERATIONS`]; any other keeps its id in snake case, made unique.
pub fn name_operations(doc: &mut Value) {
    let mut taken: BTreeSet<String> = OPERATIONS.iter().map(|o| o.rust_name.to_string()).collect();
    for (method, path, op) in operations_mut(doc) {
        let name = match Operation::find(&method, &path) {
            Some(known) => known.rust_name.to_string(),
            None => {
                let base = match op.get("operationId").and_then(Value::as_str) {
                    Some(id) => id.to_snake_case(),
                    None => format!("{method} {path}").to_snake_case(),
                };
                let mut name = base.clone();
                let mut n = 2;
                while !taken.insert(name.clone()) {
                    name = format!("{base}_{n}");
                    n += 1;
                }
                name
            }
        };
        op.insert("operationId".into(), json!(name));
    }
}

/// Quirk: the vendored YAML keeps schemas under machine-made component names
/// (`assets_create_Response_200`, `SitesSiteIdAssetsPostResponsesContentApplicationJsonSchema...`)
/// while the official description writes everything inline. Inlining every reference first
/// lets [`hoist_named_schemas`] name both the same way. Keys written beside a `$ref` (a
/// `description`) are kept over the referenced schema's.
pub fn inline_component_refs(doc: &mut Value) -> Result<()> {
    let components = doc
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("schemas"))
        .unwrap_or_else(|| json!({}));
    let mut result = Ok(());
    for_each_root_schema(doc, &mut |schema| {
        if result.is_ok() {
            result = inline_refs(schema, &components, &mut Vec::new());
        }
    });
    result?;
    if doc["components"].as_object().is_some_and(Map::is_empty) {
        doc.as_object_mut()
            .expect("an OpenAPI document is a mapping")
            .remove("components");
    }
    Ok(())
}

/// Replaces references in `schema` and below; `within` holds the references being expanded
/// above it, so a schema that contains itself is an error instead of an endless expansion.
fn inline_refs(schema: &mut Value, components: &Value, within: &mut Vec<String>) -> Result<()> {
    let Some(obj) = schema.as_object_mut() else {
        return Ok(());
    };
    let Some(Value::String(target)) = obj.remove("$ref") else {
        for child in children_mut(obj) {
            inline_refs(child, components, within)?;
        }
        return Ok(());
    };
    if within.contains(&target) {
        bail!("recursive schema reference {target}");
    }
    let name = target
        .strip_prefix("#/components/schemas/")
        .unwrap_or(&target);
    let Some(Value::Object(resolved)) = components.get(name) else {
        bail!("unresolved schema reference {target}");
    };
    let siblings = std::mem::take(obj);
    obj.extend(resolved.clone());
    obj.extend(siblings);
    within.push(target);
    let result = inline_refs(schema, components, within);
    within.pop();
    result
}

/// Quirk: left inline, schemas get names the generator makes up from their position
/// (`ListAssetsResponse`, `CreateAssetResponseUploadDetails`). Known operations' bodies, the
/// error body and the types in [`NESTED`] move to `components.schemas` under readable names.
/// A name met twice (the asset of `get_asset` and the asset items of `list_assets`) becomes
/// one type with the union of both property lists, required only where both require it.
pub fn hoist_named_schemas(doc: &mut Value) -> Result<()> {
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    for (method, path, op) in operations_mut(doc) {
        let known = Operation::find(&method, &path);
        if let (Some(name), Some(body)) = (known.and_then(|k| k.request), op.get_mut("requestBody"))
        {
            take_named(body, name, &mut hoisted);
        }
        for (status, response) in op
            .get_mut("responses")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            if status.starts_with(['4', '5']) {
                take_named(response, ERROR_TYPE, &mut hoisted);
            } else if status.starts_with('2')
                && let Some(name) = known.and_then(|k| k.response)
            {
                take_named(response, name, &mut hoisted);
            }
        }
    }
    let schemas = components_schemas(doc);
    for (name, schema) in hoisted {
        add_schema(schemas, &name, schema);
    }
    for (parent, property, name) in NESTED {
        let Some(slot) = schemas
            .get_mut(*parent)
            .and_then(|p| p.get_mut("properties"))
            .and_then(|p| p.get_mut(*property))
        else {
            continue;
        };
        let slot = if slot["type"] == "array" {
            &mut slot["items"]
        } else {
            slot
        };
        if slot.is_object() && slot.get("$ref").is_none() {
            let schema = std::mem::replace(slot, schema_ref(name));
            add_schema(schemas, name, schema);
        }
    }
    Ok(())
}

fn take_named(holder: &mut Value, name: &str, hoisted: &mut Vec<(String, Value)>) {
    if let Some(schema) = json_schema_mut(holder)
        && schema.get("$ref").is_none()
    {
        hoisted.push((
            name.to_string(),
            std::mem::replace(schema, schema_ref(name)),
        ));
    }
}

/// `components.schemas`, created when missing.
pub fn components_schemas(doc: &mut Value) -> &mut Map<String, Value> {
    doc.as_object_mut()
        .expect("an OpenAPI document is a mapping")
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("components is a mapping")
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("components.schemas is a mapping")
}

/// A reference to a schema in `components.schemas`.
pub fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn add_schema(schemas: &mut Map<String, Value>, name: &str, schema: Value) {
    match schemas.get_mut(name) {
        None => {
            schemas.insert(name.to_string(), schema);
        }
        Some(existing) => merge_schema(existing, schema),
    }
}

fn merge_schema(existing: &mut Value, other: Value) {
    let (Some(existing), Value::Object(mut other)) = (existing.as_object_mut(), other) else {
        return;
    };
    if let (Some(Value::Object(mine)), Some(Value::Object(theirs))) =
        (existing.get_mut("properties"), other.remove("properties"))
    {
        for (key, value) in theirs {
            mine.entry(key).or_insert(value);
        }
    }
    let required = |v: Option<&Value>| -> BTreeSet<String> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(String::from))
            .collect()
    };
    let theirs = required(other.get("required"));
    if let Some(Value::Array(mine)) = existing.get_mut("required") {
        mine.retain(|r| r.as_str().is_some_and(|r| theirs.contains(r)));
        if mine.is_empty() {
            existing.remove("required");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::test_yaml;

    #[test]
    fn known_operations_get_fixed_names_and_others_unique_snake_case() {
        let mut doc = test_yaml(
            "paths:\n  /sites/{site_id}/assets:\n    post: {operationId: create}\n    get: {operationId: list-assets}\n  /x:\n    get: {operationId: create-asset}\n    put: {operationId: createAsset}\n    post: {}\n",
        );
        name_operations(&mut doc);
        let id = |p: &str, m: &str| doc["paths"][p][m]["operationId"].clone();
        assert_eq!(id("/sites/{site_id}/assets", "post"), "create_asset");
        assert_eq!(id("/sites/{site_id}/assets", "get"), "list_assets");
        assert_eq!(id("/x", "get"), "create_asset_2");
        assert_eq!(id("/x", "put"), "create_asset_3");
        assert_eq!(id("/x", "post"), "post_x");
    }

    #[test]
    fn references_are_inlined_with_sibling_keys_kept() {
        let mut doc = test_yaml(
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Resp_200'}\ncomponents:\n  schemas:\n    Resp_200:\n      type: object\n      properties:\n        inner: {$ref: '#/components/schemas/Inner', description: mine}\n    Inner: {type: string, description: theirs}\n",
        );
        inline_component_refs(&mut doc).unwrap();
        let schema =
            &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(
            schema["properties"]["inner"],
            json!({"type": "string", "description": "mine"})
        );
        assert!(doc.get("components").is_none());
    }

    #[test]
    fn unresolved_or_recursive_references_fail() {
        let mut doc = test_yaml(
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/Missing'}}}\n",
        );
        assert!(
            inline_component_refs(&mut doc)
                .unwrap_err()
                .to_string()
                .contains("unresolved")
        );
        let mut doc = test_yaml(
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/A'}}}\n",
        );
        assert!(
            inline_component_refs(&mut doc)
                .unwrap_err()
                .to_string()
                .contains("recursive")
        );
    }

    #[test]
    fn bodies_and_nested_types_are_hoisted_and_merged() {
        let mut doc = test_yaml(
            r#"
paths:
  /sites/{site_id}/assets:
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  assets:
                    type: array
                    items:
                      type: object
                      required: [id, folderId]
                      properties: {id: {type: string}, folderId: {type: string}}
        '404':
          content:
            application/json:
              schema: {type: object, properties: {code: {type: string, enum: [a]}}}
  /assets/{asset_id}:
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties: {id: {type: string}, size: {type: integer}}
"#,
        );
        hoist_named_schemas(&mut doc).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["AssetList"]["properties"]["assets"]["items"],
            schema_ref("Asset")
        );
        assert_eq!(
            schemas["Asset"]["properties"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            vec!["id", "size", "folderId"]
        );
        assert_eq!(schemas["Asset"]["required"], json!(["id"]));
        assert_eq!(
            schemas["WebflowError"]["properties"]["code"],
            schema_ref("ErrorCode")
        );
        assert_eq!(schemas["ErrorCode"]["enum"], json!(["a"]));
        assert_eq!(
            doc["paths"]["/assets/{asset_id}"]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"],
            schema_ref("Asset")
        );
    }
}
