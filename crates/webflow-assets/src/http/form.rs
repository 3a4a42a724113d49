//! The S3 "POST Object" form built from the fields Webflow hands out (an asset's
//! `uploadDetails`, a custom font's `upload.fields`), posting it, and what S3 answers.

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::http::client::Client;
use crate::http::client::check_url;

/// An asset's `uploadDetails` fields, in Webflow's documented order.
pub(crate) const ASSET_FIELD_ORDER: &[&str] = &[
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

/// A custom font's `upload.fields`, in Webflow's documented order.
#[cfg(feature = "fonts")]
pub(crate) const FONT_FIELD_ORDER: &[&str] = &[
    "bucket",
    "key",
    "Policy",
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
    "Content-MD5",
    "acl",
    "Cache-Control",
    "Content-Type",
    "success_action_status",
];

/// Every entry of the upload fields as a form field, names and values exactly as received:
/// the documented fields in Webflow's order, then every other field in the order received.
/// Values that are not strings are sent as their JSON text.
pub(crate) fn form_fields(details: &impl Serialize, documented: &[&str]) -> Vec<(String, String)> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(details) else {
        return Vec::new();
    };
    let text = |value: Value| match value {
        Value::String(s) => s,
        other => other.to_string(),
    };
    let mut fields = Vec::with_capacity(map.len());
    for name in documented {
        if let Some(value) = map.shift_remove(*name) {
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

/// Posts the form to `upload_url` (checked like every URL the client sends to), re-sending
/// the same form on S3's transient errors. The plain HTTP client sends it: no token.
pub(crate) async fn post(
    client: &Client,
    upload_url: &str,
    fields: &[(String, String)],
    file_name: &str,
    content_type: &str,
    bytes: Bytes,
) -> Result<PostResponse, Error> {
    crate::runtime::current()?;
    let upload_url = check_url("upload URL", upload_url)?;
    let expected = success_status(fields);
    let (result, attempts) = client
        .retry()
        .run(|_| {
            let form = multipart(fields, file_name, content_type, bytes.clone());
            let url = upload_url.clone();
            async move {
                let response = client
                    .http()
                    .post(url)
                    .multipart(form?)
                    .send()
                    .await
                    .map_err(Error::from_reqwest)?;
                let status = response.status().as_u16();
                let body = response.text().await.map_err(Error::from_reqwest)?;
                read_response(status, expected, &body)
            }
        })
        .await;
    crate::http::transport::count(attempts);
    result
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
#[non_exhaustive]
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

    use webflow_assets_raw::types::UploadDetails;

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
        let fields = form_fields(&details(), ASSET_FIELD_ORDER);
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
