//! Signing S3 browser-upload ("POST Object") policies with AWS Signature Version 4, the way
//! Webflow's backend does before it hands out `uploadDetails`.

use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// The region the embedded S3 signs for.
pub const REGION: &str = "us-east-1";

/// An access key pair of the fake's own; the embedded S3 accepts only this one.
#[derive(Clone)]
pub struct Credentials {
    /// The access key id, named in `X-Amz-Credential`.
    pub access_key: String,
    /// The secret the signature is derived from. Never sent anywhere.
    pub secret_key: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// What one upload may contain.
#[derive(Debug, Clone)]
pub struct PolicyRequest<'a> {
    /// The bucket objects go to.
    pub bucket: &'a str,
    /// The object key the form must name.
    pub key: &'a str,
    /// The `content-type` field the form must carry.
    pub content_type: &'a str,
    /// The `Cache-Control` field the form must carry.
    pub cache_control: &'a str,
    /// Largest accepted file, in bytes.
    pub max_size: u64,
    /// Fields beyond the documented ones, pinned like the others.
    pub extra_fields: &'a [(String, String)],
    /// When the signature is made (`X-Amz-Date`).
    pub now: DateTime<Utc>,
    /// When the policy stops being accepted.
    pub expires: DateTime<Utc>,
}

/// Builds the `uploadDetails` fields, in Webflow's documented order, with a policy whose
/// conditions pin every one of them and limit the file's size.
pub fn upload_details(creds: &Credentials, req: &PolicyRequest<'_>) -> Vec<(String, String)> {
    let mut pinned_after = vec![
        ("success_action_status".to_string(), "201".to_string()),
        ("content-type".to_string(), req.content_type.to_string()),
        ("Cache-Control".to_string(), req.cache_control.to_string()),
    ];
    pinned_after.extend(req.extra_fields.iter().cloned());
    signed_form(creds, req, pinned_after)
}

/// Builds a custom font's `upload.fields`: the same signed form as an asset's, with the
/// `Content-Type` and the `Content-MD5` (base64 of the declared MD5) pinned, so S3 itself
/// refuses bytes whose MD5 differs from the one declared at creation.
pub fn font_upload_fields(
    creds: &Credentials,
    req: &PolicyRequest<'_>,
    content_md5: &str,
) -> Vec<(String, String)> {
    let mut pinned_after = vec![
        ("Content-MD5".to_string(), content_md5.to_string()),
        ("Cache-Control".to_string(), req.cache_control.to_string()),
        ("Content-Type".to_string(), req.content_type.to_string()),
        ("success_action_status".to_string(), "201".to_string()),
    ];
    pinned_after.extend(req.extra_fields.iter().cloned());
    signed_form(creds, req, pinned_after)
}

/// The leading fields (acl, bucket, algorithm, credential, date, key), then `Policy` and
/// `X-Amz-Signature`, then `pinned_after`; the policy pins every field and the size.
fn signed_form(
    creds: &Credentials,
    req: &PolicyRequest<'_>,
    pinned_after: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let date = req.now.format("%Y%m%d").to_string();
    let amz_date = req.now.format("%Y%m%dT%H%M%SZ").to_string();
    let credential = format!("{}/{date}/{REGION}/s3/aws4_request", creds.access_key);
    let mut fields: Vec<(String, String)> = vec![
        ("acl".into(), "public-read".into()),
        ("bucket".into(), req.bucket.into()),
        ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
        ("X-Amz-Credential".into(), credential),
        ("X-Amz-Date".into(), amz_date),
        ("key".into(), req.key.into()),
    ];
    let mut conditions: Vec<Value> = fields
        .iter()
        .chain(&pinned_after)
        .map(|(name, value)| json!({ name.to_ascii_lowercase(): value }))
        .collect();
    conditions.push(json!(["content-length-range", 1, req.max_size]));
    let policy = json!({
        "expiration": req.expires.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "conditions": conditions,
    });
    let policy_b64 = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
    let signature = sign(&creds.secret_key, &date, &policy_b64);
    fields.push(("Policy".into(), policy_b64));
    fields.push(("X-Amz-Signature".into(), signature));
    fields.extend(pinned_after);
    fields
}

/// The SigV4 signature of a POST policy: HMAC chain over date, region and service, then over
/// the base64 policy itself (which is the string to sign for browser uploads).
pub fn sign(secret: &str, date: &str, policy_b64: &str) -> String {
    let key = [date, REGION, "s3", "aws4_request"]
        .iter()
        .fold(format!("AWS4{secret}").into_bytes(), |key, part| {
            hmac(&key, part.as_bytes())
        });
    hex(&hmac(&key, policy_b64.as_bytes()))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_covers_policy_and_date() {
        // Whether S3 accepts these signatures is checked end to end against the embedded S3.
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let a = sign(secret, "20151229", "eyJ0ZXN0IjoxfQ==");
        let b = sign(secret, "20151229", "eyJ0ZXN0IjoyfQ==");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b, "the signature covers the policy");
        assert_ne!(
            a,
            sign(secret, "20151230", "eyJ0ZXN0IjoxfQ=="),
            "and the date"
        );
    }

    #[test]
    fn the_policy_pins_each_field_and_the_size() {
        let creds = Credentials {
            access_key: "AK".into(),
            secret_key: "SK".into(),
        };
        let now = "2026-03-01T09:00:00Z".parse().unwrap();
        let extra = [("x-amz-meta-origin".to_string(), "fake".to_string())];
        let fields = upload_details(
            &creds,
            &PolicyRequest {
                bucket: "b",
                key: "site/id_logo.png",
                content_type: "image/png",
                cache_control: "max-age=31536000, must-revalidate",
                max_size: 4,
                extra_fields: &extra,
                now,
                expires: now + chrono::Duration::minutes(15),
            },
        );
        // The order itself is checked against the documented one by the integration tests.
        assert_eq!(fields.len(), 12);
        assert_eq!(fields[3].1, "AK/20260301/us-east-1/s3/aws4_request");
        let policy: Value = serde_json::from_slice(
            &base64::engine::general_purpose::STANDARD
                .decode(&fields[6].1)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(policy["expiration"], "2026-03-01T09:15:00.000Z");
        let conditions = policy["conditions"].as_array().unwrap();
        assert!(conditions.contains(&json!({"key": "site/id_logo.png"})));
        assert!(conditions.contains(&json!({"x-amz-meta-origin": "fake"})));
        assert!(conditions.contains(&json!(["content-length-range", 1, 4])));
        assert_eq!(fields[7].1, sign("SK", "20260301", &fields[6].1));
    }
}
