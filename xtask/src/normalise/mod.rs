//! Spec normalisation: each step fixes one quirk of the documents Webflow publishes, so that
//! progenitor accepts them and generates the client a Rust user expects. The steps run in the
//! order of [`normalise`]; each is a small function with a test on a tiny YAML of its own.

mod auth;
mod constraints;
mod dialect;
mod errors;
mod leniency;
mod names;
mod walk;

use anyhow::Result;
use serde_json::Value;

pub use names::{ERROR_TYPE, NESTED, OPERATIONS, Operation};

/// Runs every step on a merged document.
pub fn normalise(doc: &mut Value) -> Result<()> {
    dialect::downgrade_openapi_version(doc);
    dialect::flatten_nested_tags(doc);
    dialect::type_arrays_to_nullable(doc);
    dialect::null_default_means_nullable(doc);
    dialect::tuple_items_to_any_of(doc);
    dialect::add_missing_object_type(doc);
    auth::drop_authorization_header(doc);
    names::name_operations(doc);
    names::inline_component_refs(doc)?;
    errors::document_error_bodies(doc)?;
    constraints::fold_codes_into_ranges(doc);
    names::hoist_named_schemas(doc)?;
    errors::tolerate_unknown_error_codes(doc);
    errors::type_error_detail_fields(doc);
    leniency::relax_response_required(doc);
    leniency::keep_unknown_upload_details(doc);
    leniency::lenient_timestamps(doc);
    constraints::drop_value_constraints(doc);
    constraints::keep_empty_replacement_axes(doc);
    Ok(())
}

#[cfg(test)]
pub(crate) fn test_yaml(text: &str) -> Value {
    crate::spec::parse_yaml("test.yaml", text).expect("test YAML parses")
}
