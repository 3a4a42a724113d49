//! Deserialise-then-serialise of bodies for every endpoint: our own fixtures (snapshotted, with
//! the shapes Webflow sends: nulls, timestamps with and without milliseconds, unknown fields,
//! extra uploadDetails keys, variants, error details), and every example body published by
//! Webflow and the official SDK's tests (vendored in `fixtures/reference/`).

use std::path::{Path, PathBuf};

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Value, json};
use webflow_assets_raw::types::*;

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/bodies")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn round_trip<T: DeserializeOwned + Serialize>(body: &Value) -> Value {
    let typed: T = serde_json::from_value(body.clone()).unwrap();
    serde_json::to_value(&typed).unwrap()
}

macro_rules! round_trips {
    ($($file:literal => $ty:ty),* $(,)?) => {
        $(insta::assert_json_snapshot!($file, round_trip::<$ty>(&fixture($file)));)*
    };
}

#[test]
fn every_endpoint_body_round_trips() {
    round_trips!(
        "list-assets.response.json" => AssetList,
        "create-asset.request.json" => CreateAssetRequest,
        "create-asset.response.json" => AssetUpload,
        "get-asset.response.json" => Asset,
        "update-asset.request.json" => UpdateAssetRequest,
        "update-asset.response.json" => Asset,
        "list-asset-folders.response.json" => AssetFolderList,
        "create-asset-folder.request.json" => CreateAssetFolderRequest,
        "create-asset-folder.response.json" => AssetFolder,
        "get-asset-folder.response.json" => AssetFolder,
        "error-validation.json" => WebflowError,
        "error-unknown-code.json" => WebflowError,
        "error-rate-limit.json" => WebflowError,
    );
}

#[test]
fn upload_details_keep_unknown_keys_in_order_whatever_their_type() {
    let upload: AssetUpload =
        serde_json::from_value(fixture("create-asset.response.json")).unwrap();
    let details = upload.upload_details.unwrap();
    assert_eq!(
        details.policy.as_deref(),
        Some("eyJleHBpcmF0aW9uIjoiMjAyNi0wMy0wMVQxMDowMDowMFoifQ==")
    );
    let extra: Vec<(&str, &Value)> = details.extra.iter().map(|(k, v)| (k.as_str(), v)).collect();
    assert_eq!(
        extra,
        vec![
            ("x-amz-security-token", &json!("FwoGZXIvYXdzEXAMPLE")),
            ("x-amz-meta-origin", &json!("sync-job")),
            ("x-webflow-attempt", &json!(2)),
            ("x-webflow-tags", &json!(["a", "b"])),
        ]
    );
    assert_eq!(upload.parent_folder, None);
}

#[test]
fn timestamps_parse_with_and_without_milliseconds_and_odd_ones_are_kept() {
    let list: AssetList = serde_json::from_value(fixture("list-assets.response.json")).unwrap();
    let first = &list.assets[0];
    let parsed = |t: &Option<Timestamp>| match t {
        Some(Timestamp::DateTime(d)) => d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        other => panic!("not parsed: {other:?}"),
    };
    assert_eq!(parsed(&first.created_on), "2026-03-01T09:00:00.000Z");
    assert_eq!(parsed(&first.last_updated), "2026-03-02T10:15:30.125Z");
    let second = &list.assets[1];
    assert_eq!(
        second.last_updated,
        Some(Timestamp::String("not a timestamp".into()))
    );
    assert_eq!(parsed(&second.created_on), "2026-03-01T07:00:00.500Z");
}

#[test]
fn nulls_and_missing_variant_fields_are_read() {
    let list: AssetList = serde_json::from_value(fixture("list-assets.response.json")).unwrap();
    let logo = &list.assets[0];
    assert_eq!(logo.alt_text, None);
    assert_eq!(logo.folder_id.as_deref(), Some("6500aa00bb11cc22dd33ee99"));
    assert_eq!(list.assets[1].folder_id, None);
    let (with_nulls, omitted) = (&logo.variants[0], &logo.variants[1]);
    assert_eq!(
        (with_nulls.height, with_nulls.error.as_deref()),
        (None, None)
    );
    assert_eq!((omitted.width, omitted.height), (Some(800), None));
    assert_eq!(list.pagination.as_ref().and_then(|p| p.total), Some(7));
}

#[test]
fn error_codes_known_and_unknown_and_both_detail_shapes() {
    let validation: WebflowError =
        serde_json::from_value(fixture("error-validation.json")).unwrap();
    assert_eq!(
        validation.code,
        Some(ErrorCode::KnownErrorCode(KnownErrorCode::ValidationError))
    );
    match validation.details.as_slice() {
        [
            ErrorDetail::String(text),
            ErrorDetail::Object { field, message, .. },
        ] => {
            assert_eq!(text, "fileName must have an extension");
            assert_eq!(field.as_deref(), Some("fileHash"));
            assert_eq!(
                message.as_deref(),
                Some("must be 32 hexadecimal characters")
            );
        }
        other => panic!("expected a text and an object detail, got {other:?}"),
    }
    let unknown: WebflowError = serde_json::from_value(fixture("error-unknown-code.json")).unwrap();
    assert_eq!(
        unknown.code,
        Some(ErrorCode::String("asset_quota_exceeded".into()))
    );
    assert_eq!(
        unknown.external_reference.as_deref(),
        Some("https://developers.webflow.com/errors#asset_quota_exceeded")
    );
}

/// The published bodies (Webflow's description's examples and the official SDK's wire
/// fixtures, vendored with their provenance and licence in `fixtures/reference/`), by file
/// name. Missing ones fail the test: it must not pass without reading them.
fn reference_bodies() -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference");
    let mut out = Vec::new();
    for dir in ["spec-examples", "official-sdk-wire-fixtures"] {
        let entries = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{}: {e}", root.join(dir).display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let body = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.push((path, body));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn check<T: DeserializeOwned + Serialize>(path: &Path, body: &Value) {
    let typed: T = serde_json::from_value(body.clone()).unwrap_or_else(|e| {
        panic!(
            "{} does not read as {}: {e}",
            path.display(),
            std::any::type_name::<T>()
        )
    });
    // Every field the reference sends must survive the round trip (nothing is silently dropped;
    // nulls and empty lists may be left out when serialising).
    let back = serde_json::to_value(&typed).unwrap();
    for key in body.as_object().unwrap().keys() {
        assert!(
            back.get(key).is_some() || body[key].is_null() || body[key] == json!([]),
            "{}: `{key}` was lost",
            path.display()
        );
    }
}

#[test]
fn every_published_example_body_reads() {
    let bodies = reference_bodies();
    assert!(
        bodies.len() >= 20,
        "expected the published examples, found {}",
        bodies.len()
    );
    for (path, body) in &bodies {
        let name = path.file_name().unwrap().to_str().unwrap();
        match name {
            n if n.starts_with("error-") => check::<WebflowError>(path, body),
            n if n.ends_with("request.json") => match n.split('.').next().unwrap() {
                "create" | "create-asset" => check::<CreateAssetRequest>(path, body),
                "update" | "patch-asset" => check::<UpdateAssetRequest>(path, body),
                "createFolder" | "create-asset-folder" => {
                    check::<CreateAssetFolderRequest>(path, body)
                }
                other => panic!("no request type for {other}"),
            },
            n => match n.split('.').next().unwrap() {
                "list" | "list-assets" => check::<AssetList>(path, body),
                "create" | "create-asset" => check::<AssetUpload>(path, body),
                "get" | "get-asset" | "update" | "patch-asset" => check::<Asset>(path, body),
                "listFolders" | "list-asset-folders" => check::<AssetFolderList>(path, body),
                "createFolder" | "create-asset-folder" | "getFolder" | "get-asset-folder" => {
                    check::<AssetFolder>(path, body)
                }
                other => panic!("no response type for {other}"),
            },
        }
    }
}
