//! Property tests of every parser: arbitrary input never panics, valid input round-trips.

use std::time::Duration;

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tokio::time::Instant;
#[cfg(feature = "fonts")]
use webflow_assets_raw::types::FontFormat;
use webflow_assets_raw::types::UploadDetails;

use crate::error::retry_after;
use crate::error::{Error, ErrorCode};
use crate::http::budget::{Budget, MAX_HOLD_WINDOWS, RateLimit};
use crate::http::form::{PostResponse, form_fields, multipart, read_response};
use crate::inventory::manifest::{Entry, Manifest, Pending};
use crate::path::{FolderPath, RelPath};
use crate::validate::{MAX_FILE_NAME_CHARS, check_file_name};

#[cfg(feature = "fonts")]
/// A font fixture of the crate's tests.
fn font_fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[cfg(feature = "fonts")]
/// The real WOFF2 and EOT files the readers are tried on, cut and corrupted, with their
/// formats and the metadata their TTF source gives.
fn damaged_font_inputs() -> Vec<(FontFormat, Vec<u8>, crate::fonts::meta::FontMeta)> {
    let dejavu =
        crate::fonts::meta::read(FontFormat::Truetype, &font_fixture("DejaVuSans-Latin.ttf"))
            .unwrap();
    let inter = crate::fonts::meta::read(
        FontFormat::Truetype,
        &font_fixture("Inter-Italic-Variable-Latin.ttf"),
    )
    .unwrap();
    vec![
        (
            FontFormat::Woff2,
            font_fixture("DejaVuSans-Latin.woff2"),
            dejavu.clone(),
        ),
        (
            FontFormat::Woff2,
            font_fixture("Inter-Italic-Variable-Latin.woff2"),
            inter,
        ),
        (
            FontFormat::EmbeddedOpentype,
            font_fixture("DejaVuSans-Latin.eot"),
            dejavu,
        ),
    ]
}

#[cfg(feature = "fonts")]
fn font_format() -> impl Strategy<Value = FontFormat> {
    prop_oneof![
        Just(FontFormat::Woff2),
        Just(FontFormat::EmbeddedOpentype),
        Just(FontFormat::Woff),
        Just(FontFormat::Truetype),
        Just(FontFormat::Opentype),
    ]
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Text XML 1.0 can carry, trimmed as a parser would leave it.
fn xml_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 /:._&<>\"'%é漢-]{1,40}".prop_map(|s| s.trim().to_string())
}

/// Any JSON value, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[cfg(feature = "fonts")]
    #[test]
    fn font_readers_never_panic_on_any_bytes(
        format in font_format(),
        magic in prop_oneof![Just(&b"wOF2"[..]), Just(&b"wOFF"[..]), Just(&b"OTTO"[..]), Just(&[0u8, 1, 0, 0][..]), Just(&b""[..])],
        rest in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&rest);
        let _ = crate::fonts::meta::read(format, &bytes);
    }

    /// A WOFF2 or EOT file cut anywhere is refused with a reason, or (cut only in its
    /// padding) still read as it was: never read as something else, never a panic.
    #[cfg(feature = "fonts")]
    #[test]
    fn truncated_woff2_and_eot_files_are_refused(which in 0usize..3, cut in any::<prop::sample::Index>()) {
        let (format, bytes, expected) = damaged_font_inputs().swap_remove(which);
        let cut = cut.index(bytes.len());
        match crate::fonts::meta::read(format, &bytes[..cut]) {
            Err(reason) => prop_assert!(reason.starts_with("not a readable"), "{}", reason),
            Ok(meta) => {
                prop_assert!(cut + 4 > bytes.len(), "cut at {} of {} and still read", cut, bytes.len());
                prop_assert_eq!(meta, expected);
            }
        }
    }

    /// Bytes of a real WOFF2 or EOT file overwritten anywhere, the header included: a
    /// reason or some metadata, never a panic.
    #[cfg(feature = "fonts")]
    #[test]
    fn corrupt_woff2_and_eot_files_never_panic(
        which in 0usize..3,
        hits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        in_header in any::<bool>(),
    ) {
        let (format, mut bytes, _) = damaged_font_inputs().swap_remove(which);
        let span = if in_header { 120.min(bytes.len()) } else { bytes.len() };
        for (at, value) in hits {
            let at = at.index(span);
            bytes[at] = value;
        }
        if let Err(reason) = crate::fonts::meta::read(format, &bytes) {
            prop_assert!(reason.starts_with("not a readable"), "{}", reason);
        }
    }

    #[test]
    fn s3_answers_never_panic(status in 0u16..1000, expected in proptest::option::of(100u16..600), body in ".{0,300}") {
        let _ = read_response(status, expected, &body);
    }

    #[test]
    fn s3_xml_with_entities_encodings_and_bulk_never_panics(
        decl in prop_oneof![
            Just(""),
            Just("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            Just("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
            Just("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"),
            Just("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"),
        ],
        inner in prop_oneof![
            Just("&amp;&lt;&#x41;&#65;&unknown;&#xFFFFFFFF;".to_string()),
            Just("&b;&b;&b;".to_string()),
            "[<>&;#a-zA-Z0-9/]{0,200}",
        ],
        repeat in 1usize..2000,
        status in prop_oneof![Just(201u16), Just(403), Just(503)],
    ) {
        let body = format!("{decl}<Error><Code>{}</Code><Message>m</Message></Error>", inner.repeat(repeat));
        let _ = read_response(status, Some(201), &body);
        let ok = format!("{decl}<PostResponse><Key>{inner}</Key></PostResponse>");
        let _ = read_response(201, Some(201), &ok);
    }

    #[test]
    fn a_valid_post_response_round_trips(location in xml_text(), bucket in xml_text(), key in xml_text(), etag in xml_text()) {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>{}</Location><Bucket>{}</Bucket><Key>{}</Key><ETag>{}</ETag></PostResponse>",
            xml_escape(&location), xml_escape(&bucket), xml_escape(&key), xml_escape(&etag)
        );
        let parsed = read_response(201, Some(201), &body).unwrap();
        prop_assert_eq!(parsed, PostResponse {
            location: Some(location),
            bucket: Some(bucket),
            key: Some(key),
            etag: Some(etag),
        });
    }

    #[test]
    fn a_valid_s3_error_round_trips(code in "[A-Za-z]{1,20}", message in xml_text(), status in 400u16..600) {
        let body = format!("<Error><Code>{code}</Code><Message>{}</Message></Error>", xml_escape(&message));
        match read_response(status, Some(201), &body) {
            Err(Error::S3 { status: s, code: c, message: m, .. }) => {
                prop_assert_eq!((s, c, m), (status, code, message));
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn webflow_error_bodies_never_panic(status in 0u16..1000, body in prop_oneof![".{0,200}", json_value().prop_map(|v| v.to_string())]) {
        let error = Error::from_body(status, None, body);
        let _ = (error.to_string(), error.is_retryable());
    }

    #[test]
    fn from_raw_never_panics_on_any_documented_error_body(
        status in prop_oneof![Just(400u16), Just(401), Just(404), Just(429), Just(500)],
        body in json_value(),
        wait in ".{0,12}",
    ) {
        use webflow_assets_raw::{Error as Raw, ResponseValue};
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&wait) {
            headers.insert("retry-after", value);
        }
        let status_code = reqwest::StatusCode::from_u16(status).unwrap();
        // What the generated client gives for a body that parses, and for one that does not.
        let raw = match serde_json::from_value(body.clone()) {
            Ok(parsed) => Raw::ErrorResponse(ResponseValue::new(parsed, status_code, headers)),
            Err(e) => Raw::InvalidResponsePayload(body.to_string().into(), e),
        };
        let error = futures::executor::block_on(Error::from_raw(raw));
        if status == 429 && matches!(error, Error::RateLimited { .. }) {
            prop_assert!(error.is_retryable());
        }
        let _ = error.to_string();
    }

    #[test]
    fn webflow_errors_round_trip(
        status in 400u16..600,
        code in prop_oneof![Just("validation_error".to_string()), Just("not_authorized".to_string()), "[a-z_]{1,24}"],
        message in ".{0,60}",
        details in prop::collection::vec(prop_oneof![
            ".{0,20}".prop_map(Value::from),
            (".{0,10}", ".{0,20}").prop_map(|(f, m)| json!({"field": f, "message": m})),
        ], 0..4),
    ) {
        prop_assume!(status != 429);
        let body = json!({"code": code, "message": message, "externalReference": null, "details": details});
        match Error::from_body(status, None, body.to_string()) {
            Error::Api { status: s, code: c, message: m, details: d, .. } => {
                prop_assert_eq!(s, status);
                prop_assert_eq!(c.to_string(), code.clone());
                if code == "validation_error" {
                    prop_assert!(matches!(c, ErrorCode::Known(_)));
                }
                prop_assert_eq!(m, message);
                prop_assert_eq!(serde_json::to_value(&d).unwrap(), Value::from(details));
            }
            other => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn every_upload_details_key_is_forwarded_once_and_the_file_goes_last(
        extra in prop::collection::btree_map("x-[a-zA-Z0-9 _.:$@!~é漢\"-]{1,16}", json_value(), 0..8),
        policy in "[A-Za-z0-9+/=]{1,40}",
    ) {
        let mut details = json!({"key": "site/a.png", "Policy": policy, "success_action_status": "201"});
        for (name, value) in &extra {
            details[name] = value.clone();
        }
        let details: UploadDetails = serde_json::from_value(details).unwrap();
        let fields = form_fields(&details, crate::http::form::ASSET_FIELD_ORDER);
        prop_assert_eq!(fields.len(), 3 + extra.len());
        for (name, value) in &extra {
            let sent: Vec<&(String, String)> = fields.iter().filter(|(n, _)| n == name).collect();
            prop_assert_eq!(sent.len(), 1, "{} once", name);
            let expected = match value { Value::String(s) => s.clone(), other => other.to_string() };
            prop_assert_eq!(&sent[0].1, &expected);
        }
        let names = multipart_names(&fields);
        let mut expected: Vec<String> = fields.iter().map(|(n, _)| n.clone()).collect();
        expected.push("file".into());
        prop_assert_eq!(names, expected);
    }

    #[test]
    fn the_manifest_loader_never_panics_on_any_file(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, &bytes).unwrap();
        let loaded = Manifest::load(&path, &"580e63e98c9a982ac9b8b741".parse().unwrap(), None).unwrap();
        prop_assert_eq!(loaded.site_id, "580e63e98c9a982ac9b8b741");
    }

    #[test]
    fn a_manifest_round_trips_and_a_bad_entry_costs_only_itself(
        files in prop::collection::btree_map("[a-z/é漢 ]{1,20}", (any::<u64>(), any::<u64>(), "[0-9a-f]{32}", "[0-9a-f]{24}"), 1..10),
        cut in any::<prop::sample::Index>(),
    ) {
        let files: std::collections::BTreeMap<RelPath, _> = files
            .into_iter()
            .filter_map(|(name, entry)| Some((RelPath::parse(&name)?, entry)))
            .collect();
        prop_assume!(!files.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut manifest = Manifest::load(&path, &"580e63e98c9a982ac9b8b741".parse().unwrap(), Some(&"f".parse().unwrap())).unwrap();
        for (name, (size, modified_ns, md5, asset_id)) in &files {
            manifest.files.insert(name.clone(), Entry { size: *size, modified_ns: *modified_ns, md5: md5.clone(), asset_id: asset_id.parse().unwrap(), alt_text: None });
        }
        manifest.pending.insert(RelPath::parse("p.png").unwrap(), Pending { md5: "0".repeat(32), size: 1, started_ms: 2 });
        manifest.save(&path).unwrap();
        prop_assert_eq!(&Manifest::load(&path, &"580e63e98c9a982ac9b8b741".parse().unwrap(), Some(&"f".parse().unwrap())).unwrap(), &manifest);

        let broken = cut.get(&files.keys().collect::<Vec<_>>()).to_string();
        let mut value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        value["files"][&broken] = json!({"size": "not a number"});
        std::fs::write(&path, value.to_string()).unwrap();
        let loaded = Manifest::load(&path, &"580e63e98c9a982ac9b8b741".parse().unwrap(), Some(&"f".parse().unwrap())).unwrap();
        prop_assert_eq!(loaded.files.len(), files.len() - 1);
        prop_assert!(!loaded.files.contains_key(&RelPath::parse(&broken).unwrap()));
        prop_assert_eq!(loaded.pending.len(), 1);
    }

    #[test]
    fn rate_limit_headers_never_stall_the_budget_past_its_bounds(
        limit in prop_oneof![".{0,12}", any::<i64>().prop_map(|n| n.to_string()), any::<u32>().prop_map(|n| n.to_string())],
        remaining in prop_oneof![
            ".{0,12}",
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u32>().prop_map(|n| n.to_string()),
            Just(u32::MAX.to_string()),
            Just("0".to_string()),
            Just("-1".to_string()),
        ],
        wait in prop_oneof![
            ".{0,12}",
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            Just(u64::MAX.to_string()),
            Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
            Just("Wed, 21 Oct 2015 07:28:00 GMT".to_string()),
        ],
        window_ms in 1u64..120_000,
    ) {
        let window = Duration::from_millis(window_ms);
        let budget = Budget::new(RateLimit { requests: 60, window });
        let mut headers = HeaderMap::new();
        for (name, value) in [("x-ratelimit-limit", &limit), ("x-ratelimit-remaining", &remaining), ("retry-after", &wait)] {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(name, value);
            }
        }
        budget.observe(&headers, Instant::now());
        prop_assert!(budget.wait_now() <= window);
        budget.exhausted(retry_after(&headers));
        prop_assert!(budget.wait_now() <= window * MAX_HOLD_WINDOWS);
    }

    #[test]
    fn file_names_never_panic_and_accepted_ones_keep_the_rules(name in "\\PC{0,120}") {
        if let Ok((_, content_type)) = check_file_name(&name) {
            prop_assert!(name.chars().count() < MAX_FILE_NAME_CHARS);
            prop_assert!(!name.contains(['/', '\\']));
            prop_assert!(name.rsplit_once('.').is_some_and(|(stem, _)| !stem.is_empty()));
            prop_assert!(!content_type.is_empty());
        }
    }

    #[test]
    fn folder_paths_never_panic_and_segments_are_usable(path in "\\PC{0,60}") {
        if let Ok(parsed) = FolderPath::parse(&path) {
            prop_assert!(!parsed.is_root());
            for segment in parsed.segments() {
                prop_assert!(!segment.is_empty() && !segment.contains(['/', '\\']));
                prop_assert_eq!(segment, segment.trim());
            }
        }
    }
}

proptest! {
    // Each case compresses a real font at Brotli quality 11, slow in a debug build.
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// A damaged TTF or OTF given to the WOFF2 encoder is compressed or refused with
    /// `FontRule::Compress`, never a panic.
    #[cfg(feature = "fonts")]
    #[test]
    fn the_woff2_encoder_never_panics_on_damaged_fonts(
        otf in any::<bool>(),
        cut in proptest::option::of(any::<prop::sample::Index>()),
        hits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
    ) {
        let mut font = font_fixture(if otf { "Cantarell-Thin.otf" } else { "DejaVuSans-Latin.ttf" });
        for (at, value) in hits {
            let at = at.index(font.len());
            font[at] = value;
        }
        if let Some(cut) = cut {
            font.truncate(cut.index(font.len()));
        }
        match crate::fonts::woff2::compress(&font) {
            Ok(woff2) => prop_assert_eq!(&woff2[..4], b"wOF2"),
            Err(rule) => prop_assert!(matches!(rule, crate::FontRule::Compress { .. }), "{rule:?}"),
        }
    }
}

/// The part names of the multipart body built from `fields`, in order, decoded from either
/// form reqwest writes (`name="…"` or RFC 5987 `name*=utf-8''…`).
fn multipart_names(fields: &[(String, String)]) -> Vec<String> {
    let form = multipart(
        fields,
        "a.png",
        "image/png",
        bytes::Bytes::from_static(b"PNG"),
    )
    .unwrap();
    let boundary = form.boundary().to_string();
    let request = reqwest::Client::new()
        .post("http://127.0.0.1:9/")
        .multipart(form)
        .build()
        .unwrap();
    let body = futures::executor::block_on(body_bytes(request));
    let text = String::from_utf8_lossy(&body);
    text.split(&format!("--{boundary}"))
        .filter_map(|part| {
            let line = part
                .lines()
                .find(|l| l.starts_with("Content-Disposition"))?;
            if let Some(rest) = line.split("name=\"").nth(1) {
                return Some(rest.split('"').next()?.to_string());
            }
            let encoded = line.split("name*=utf-8''").nth(1)?.split(';').next()?;
            Some(
                percent_encoding::percent_decode_str(encoded)
                    .decode_utf8_lossy()
                    .into_owned(),
            )
        })
        .collect()
}

async fn body_bytes(mut request: reqwest::Request) -> Vec<u8> {
    use futures::StreamExt;
    let body = request.body_mut().take().unwrap();
    let mut stream = http_body_util::BodyDataStream::new(body);
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    out
}

#[test]
fn a_retry_after_of_centuries_neither_panics_nor_waits() {
    let (result, attempts) =
        futures::executor::block_on(crate::RetryPolicy::default().run(|_| async {
            Err::<(), _>(Error::RateLimited {
                file: None,
                retry_after: Some(Duration::MAX),
            })
        }));
    assert!(result.is_err());
    assert_eq!(
        attempts, 1,
        "a wait past the policy's time budget is not started"
    );
}
