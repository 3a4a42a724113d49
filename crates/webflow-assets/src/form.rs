//! The S3 "POST Object" form built from `uploadDetails`, and what S3 answers to it.

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;
use serde_json::Value;
use webflow_assets_raw::types::UploadDetails;

use crate::Error;

/// The fields Webflow documents, in its documented order.
const DOCUMENTED_ORDER: [&str; 11] = [
    "acl",
    "bucket",
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "key",
    "Policy",
    "X-Amz-Signature",
    "success_action_status",
    "content-type",
    "Cache-Control",
];

/// Every `uploadDetails` entry as a form field, names and values exactly as received: the
/// documented fields in Webflow's order, then every other field in the order received. Values
/// that are not strings are sent as their JSON text.
pub(crate) fn form_fields(details: &UploadDetails) -> Vec<(String, String)> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(details) else {
        return Vec::new();
    };
    let text = |value: Value| match value {
        Value::String(s) => s,
        other => other.to_string(),
    };
    let mut fields = Vec::with_capacity(map.len());
    for name in DOCUMENTED_ORDER {
        if let Some(value) = map.shift_remove(name) {
            fields.push((name.to_string(), text(value)));
        }
    }
    fields.extend(map.into_iter().map(|(name, value)| (name, text(value))));
    fields
}

/// The multipart form: the fields, then the file as the last part (S3 ignores what follows
/// the file).
pub(crate) fn multipart(
    fields: &[(String, String)],
    file_name: &str,
    content_type: &str,
    bytes: Bytes,
) -> Result<Form, Error> {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.clone(), value.clone());
    }
    let length = bytes.len() as u64;
    let part = Part::stream_with_length(bytes, length)
        .file_name(file_name.to_string())
        .mime_str(content_type)
        .map_err(|_| Error::UnexpectedResponse {
            file: None,
            status: None,
            body: format!("Webflow gave an unusable content-type {content_type:?}"),
        })?;
    Ok(form.part("file", part))
}

/// The status S3 answers on success: `success_action_status` when given.
pub(crate) fn success_status(fields: &[(String, String)]) -> Option<u16> {
    fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("success_action_status"))
        .and_then(|(_, value)| value.parse().ok())
}

/// S3's answer to a successful upload (`success_action_status` 201).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PostResponse {
    /// The object's URL.
    pub location: Option<String>,
    /// The bucket.
    pub bucket: Option<String>,
    /// The object key.
    pub key: Option<String>,
    /// The object's ETag, quotes included.
    #[serde(rename = "ETag")]
    pub etag: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct S3ErrorBody {
    code: Option<String>,
    message: Option<String>,
}

/// Reads S3's answer: the `PostResponse` on the expected success status, a typed error
/// otherwise.
pub(crate) fn read_response(
    status: u16,
    expected: Option<u16>,
    body: &str,
) -> Result<PostResponse, Error> {
    let ok = match expected {
        Some(expected) => status == expected,
        None => (200..300).contains(&status),
    };
    if ok {
        return Ok(quick_xml::de::from_str(body).unwrap_or_default());
    }
    match quick_xml::de::from_str::<S3ErrorBody>(body) {
        Ok(S3ErrorBody {
            code: Some(code),
            message,
        }) => Err(Error::S3 {
            file: None,
            status,
            code,
            message: message.unwrap_or_default(),
        }),
        _ => Err(Error::UnexpectedResponse {
            file: None,
            status: Some(status),
            body: body.to_string(),
        }),
    }
}

/// Whether an S3 error says the policy expired (then fresh upload details are needed).
pub(crate) fn is_expired_policy(error: &Error) -> bool {
    matches!(error, Error::S3 { status: 403, code, message, .. }
        if code == "AccessDenied" && message.to_ascii_lowercase().contains("expired"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> UploadDetails {
        serde_json::from_str(
            r#"{"x-amz-meta-first":"1","acl":"public-read","bucket":"b","X-Amz-Algorithm":"AWS4-HMAC-SHA256",
                "X-Amz-Credential":"AK/20260301/us-east-1/s3/aws4_request","X-Amz-Date":"20260301T090000Z",
                "key":"site/id_logo.png","Policy":"cG9saWN5","X-Amz-Signature":"abc","success_action_status":"201",
                "content-type":"image/png","Cache-Control":"max-age=31536000, must-revalidate",
                "x-amz-security-token":"tok","x-count":3}"#,
        )
        .unwrap()
    }

    #[test]
    fn documented_fields_then_unknown_ones_in_order_received() {
        let fields = form_fields(&details());
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "acl",
                "bucket",
                "X-Amz-Algorithm",
                "X-Amz-Credential",
                "X-Amz-Date",
                "key",
                "Policy",
                "X-Amz-Signature",
                "success_action_status",
                "content-type",
                "Cache-Control",
                "x-amz-meta-first",
                "x-amz-security-token",
                "x-count"
            ]
        );
        assert_eq!(fields[6].1, "cG9saWN5");
        assert_eq!(fields[13].1, "3");
        assert_eq!(success_status(&fields), Some(201));
    }

    #[test]
    fn s3_answers_become_a_post_response_or_a_typed_error() {
        let ok = "<?xml version=\"1.0\"?><PostResponse><Location>http://s3/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>\"e\"</ETag></PostResponse>";
        let response = read_response(201, Some(201), ok).unwrap();
        assert_eq!(response.key.as_deref(), Some("k"));
        assert_eq!(response.etag.as_deref(), Some("\"e\""));
        assert_eq!(
            read_response(204, None, "").unwrap(),
            PostResponse::default()
        );
        assert!(matches!(
            read_response(200, Some(201), ""),
            Err(Error::UnexpectedResponse {
                status: Some(200),
                ..
            })
        ));

        let expired = "<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>";
        let err = read_response(403, Some(201), expired).unwrap_err();
        assert!(is_expired_policy(&err), "{err:?}");
        let slow = read_response(
            503,
            Some(201),
            "<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>",
        )
        .unwrap_err();
        assert!(matches!(&slow, Error::S3 { status: 503, code, .. } if code == "SlowDown"));
        assert!(slow.is_retryable() && !is_expired_policy(&slow));
        let html = read_response(502, Some(201), "<html>bad gateway</html>").unwrap_err();
        assert!(matches!(
            html,
            Error::UnexpectedResponse {
                status: Some(502),
                ..
            }
        ));
    }
}
