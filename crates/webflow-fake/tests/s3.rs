//! The embedded S3 checks uploads the way AWS does.

mod common;

use common::*;
use serde_json::{Map, Value, json};
use webflow_fake::{FakeWebflow, Limits};

fn details(created: &Value) -> Map<String, Value> {
    created["uploadDetails"].as_object().unwrap().clone()
}

fn upload_url(created: &Value) -> String {
    created["uploadUrl"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_correct_form_is_stored_and_then_listed_with_its_md5_checked() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let bytes = b"\x89PNG\r\n\x1a\n fake png bytes".to_vec();
    let created = create(&fake, "logo.png", &bytes, None).await;
    let id = created["id"].as_str().unwrap();
    assert!(
        fake.state().uploaded_assets().is_empty(),
        "not listed before the upload"
    );

    let (status, xml) = post_form(
        &upload_url(&created),
        form(&details(&created), "logo.png", &bytes),
    )
    .await;
    assert_eq!(status, 201, "{xml}");
    assert!(
        xml.contains("<PostResponse>") && xml.contains("<Key>"),
        "{xml}"
    );

    let record = fake.state().asset(id).unwrap();
    let stored = record.stored.unwrap();
    assert_eq!(
        (stored.size, stored.md5_matches),
        (bytes.len() as u64, true)
    );
    let (status, _, asset) =
        call(&fake, reqwest::Method::GET, &format!("/assets/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(asset["size"], bytes.len());
    let hosted = reqwest::get(asset["hostedUrl"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(hosted.headers()["content-type"], "image/png");
    assert_eq!(hosted.bytes().await.unwrap(), bytes);
}

#[tokio::test]
async fn bytes_that_differ_from_the_declared_hash_are_recorded() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let created = create(&fake, "a.txt", b"declared", None).await;
    let (status, _) = post_form(
        &upload_url(&created),
        form(&details(&created), "a.txt", b"actually sent"),
    )
    .await;
    assert_eq!(status, 201);
    let stored = fake
        .state()
        .asset(created["id"].as_str().unwrap())
        .unwrap()
        .stored
        .unwrap();
    assert!(!stored.md5_matches);
    assert_eq!(stored.md5, md5_hex(b"actually sent"));
}

async fn rejected(fake_form: impl FnOnce(&mut Map<String, Value>)) -> (u16, String) {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let created = create(&fake, "logo.png", b"png", None).await;
    let mut fields = details(&created);
    fake_form(&mut fields);
    let result = post_form(&upload_url(&created), form(&fields, "logo.png", b"png")).await;
    assert!(
        fake.state().uploaded_assets().is_empty(),
        "nothing may be stored"
    );
    result
}

#[tokio::test]
async fn a_tampered_signature_is_refused() {
    let (status, xml) = rejected(|f| {
        let sig = f["X-Amz-Signature"].as_str().unwrap();
        let first = if sig.starts_with('0') { '1' } else { '0' };
        let flipped: String = std::iter::once(first).chain(sig.chars().skip(1)).collect();
        f.insert("X-Amz-Signature".into(), json!(flipped));
    })
    .await;
    assert_eq!(status, 403, "{xml}");
    assert!(xml.contains("SignatureDoesNotMatch"), "{xml}");
}

#[tokio::test]
async fn a_violated_condition_is_refused() {
    let (status, xml) = rejected(|f| {
        f.insert("key".into(), json!("someone-else/evil.png"));
    })
    .await;
    assert_eq!(status, 400, "{xml}");
    assert!(
        xml.contains("InvalidPolicyDocument") && xml.contains("field &apos;key&apos;"),
        "{xml}"
    );
}

#[tokio::test]
async fn a_field_missing_from_the_form_is_refused() {
    let (status, xml) = rejected(|f| {
        f.shift_remove("Cache-Control");
    })
    .await;
    assert_eq!(status, 400, "{xml}");
    assert!(
        xml.contains("InvalidPolicyDocument") && xml.contains("cache-control"),
        "{xml}"
    );
}

#[tokio::test]
async fn an_extra_field_not_in_the_policy_is_refused() {
    let (status, xml) = rejected(|f| {
        f.insert("x-amz-meta-sneaky".into(), json!("1"));
    })
    .await;
    assert_eq!(status, 403, "{xml}");
    assert!(xml.contains("not specified in the policy"), "{xml}");
}

#[tokio::test]
async fn an_oversized_file_is_refused() {
    let fake = FakeWebflow::builder()
        .limits(Limits {
            image: 1024,
            ..Limits::default()
        })
        .start()
        .await
        .unwrap();
    let big = vec![7u8; 1025];
    let created = create(&fake, "big.png", &big, None).await;
    let (status, xml) = post_form(
        &upload_url(&created),
        form(&details(&created), "big.png", &big),
    )
    .await;
    assert_eq!(status, 400, "{xml}");
    assert!(xml.contains("EntityTooLarge"), "{xml}");
    // Exactly at the limit is fine.
    let fits = vec![7u8; 1024];
    let created = create(&fake, "fits.png", &fits, None).await;
    let (status, xml) = post_form(
        &upload_url(&created),
        form(&details(&created), "fits.png", &fits),
    )
    .await;
    assert_eq!(status, 201, "{xml}");
}

#[tokio::test]
async fn documents_get_the_larger_limit() {
    let fake = FakeWebflow::builder()
        .limits(Limits {
            image: 10,
            document: 20,
            lottie: 20,
        })
        .start()
        .await
        .unwrap();
    let bytes = vec![b'x'; 15];
    let created = create(&fake, "notes.txt", &bytes, None).await;
    let (status, xml) = post_form(
        &upload_url(&created),
        form(&details(&created), "notes.txt", &bytes),
    )
    .await;
    assert_eq!(status, 201, "{xml}");
}

#[tokio::test]
async fn an_expired_policy_is_refused() {
    let fake = FakeWebflow::builder()
        .policy_lifetime(std::time::Duration::from_millis(1))
        .start()
        .await
        .unwrap();
    let created = create(&fake, "logo.png", b"png", None).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let (status, xml) = post_form(
        &upload_url(&created),
        form(&details(&created), "logo.png", b"png"),
    )
    .await;
    assert_eq!(status, 403, "{xml}");
    assert!(
        xml.contains("AccessDenied") && xml.contains("expired"),
        "{xml}"
    );
}

#[tokio::test]
async fn an_extra_upload_field_is_issued_pinned_and_required() {
    let fake = FakeWebflow::builder()
        .extra_upload_field("x-amz-meta-origin", "webflow-fake")
        .start()
        .await
        .unwrap();
    let created = create(&fake, "logo.png", b"png", None).await;
    let fields = details(&created);
    let names: Vec<&String> = fields.keys().collect();
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
            "x-amz-meta-origin"
        ]
    );
    let mut without = fields.clone();
    without.shift_remove("x-amz-meta-origin");
    let (status, xml) = post_form(&upload_url(&created), form(&without, "logo.png", b"png")).await;
    assert_ne!(status, 201, "the policy pins the extra field: {xml}");
    let (status, xml) = post_form(&upload_url(&created), form(&fields, "logo.png", b"png")).await;
    assert_eq!(status, 201, "{xml}");
}
