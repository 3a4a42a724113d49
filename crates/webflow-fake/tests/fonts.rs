//! The custom-font endpoints as any client sees them: Webflow's validation, the policy that
//! pins the MD5 and type, axes on replace, batch limits and scopes.

mod common;

use base64::Engine;
use common::*;
use serde_json::{Value, json};
use webflow_fake::{FakeHandle, FakeWebflow, SampleFont};

async fn call(
    fake: &FakeHandle,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (http, base) = api(fake);
    let mut request = http
        .request(method, format!("{base}/sites/{}{path}", fake.site_id()))
        .bearer_auth(fake.token());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn create_body(file_name: &str, bytes: &[u8]) -> Value {
    json!({
        "fileName": file_name, "fileHash": md5_hex(bytes), "fontFamily": "Sample",
        "weight": 400, "italic": false, "fontDisplay": "swap",
    })
}

/// Creates a font and uploads its file; returns the created font.
async fn upload_font(fake: &FakeHandle, file_name: &str, bytes: &[u8], axes: Value) -> Value {
    let mut body = create_body(file_name, bytes);
    body["axes"] = axes;
    let (status, created) = call(fake, reqwest::Method::POST, "/custom_fonts", Some(body)).await;
    assert_eq!(status, 202, "{created}");
    let fields = created["upload"]["fields"].as_object().unwrap();
    let (status, text) = post_form(
        created["upload"]["url"].as_str().unwrap(),
        form(fields, file_name, bytes),
    )
    .await;
    assert_eq!(status, 201, "{text}");
    created["customFont"].clone()
}

#[tokio::test]
async fn create_checks_the_body_and_pins_md5_and_type_in_the_policy() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let bad = json!({
        "fileName": "font.svg", "fileHash": "ABC", "fontFamily": "", "weight": 0,
        "italic": "no", "fontDisplay": "sometimes",
        "axes": [{"tag": "wg", "min": 1, "defaultValue": 0, "max": 2}],
    });
    let (status, body) = call(&fake, reqwest::Method::POST, "/custom_fonts", Some(bad)).await;
    assert_eq!(status, 400);
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for expected in [
        "fileName",
        "fileHash",
        "fontFamily",
        "weight",
        "italic",
        "fontDisplay",
        "fontMetadata.axes[0].tag",
        "fontMetadata.axes[0]",
    ] {
        assert!(
            fields.contains(&expected),
            "{expected} missing from {fields:?}"
        );
    }

    let bytes = SampleFont::new("Sample", 400, false).woff();
    let (status, created) = call(
        &fake,
        reqwest::Method::POST,
        "/custom_fonts",
        Some(create_body("Sample.woff", &bytes)),
    )
    .await;
    assert_eq!(status, 202, "{created}");
    assert_eq!(created["customFont"]["format"], "woff");
    let fields = &created["upload"]["fields"];
    let md5 =
        base64::engine::general_purpose::STANDARD.encode(<md5::Md5 as md5::Digest>::digest(&bytes));
    assert_eq!(fields["Content-MD5"], md5);
    assert_eq!(fields["Content-Type"], "font/woff");
    let policy: Value = serde_json::from_slice(
        &base64::engine::general_purpose::STANDARD
            .decode(fields["Policy"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    let conditions = policy["conditions"].as_array().unwrap();
    assert!(conditions.contains(&json!({"content-md5": md5})));
    assert!(conditions.contains(&json!({"content-type": "font/woff"})));
    // Not visible until the file is in S3.
    let id = created["customFont"]["id"].as_str().unwrap();
    assert_eq!(
        call(
            &fake,
            reqwest::Method::GET,
            &format!("/custom_fonts/{id}"),
            None
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn replacing_a_variable_font_needs_axes_and_keeps_the_id() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let variable = SampleFont::new("Sample", 400, false)
        .axis("wght", 100.0, 400.0, 900.0)
        .ttf();
    let axes = json!([{"tag": "wght", "min": 100, "defaultValue": 400, "max": 900}]);
    let font = upload_font(&fake, "Sample.ttf", &variable, axes).await;
    let id = font["id"].as_str().unwrap();
    let fresh = SampleFont::new("Sample", 400, false).ttf();
    let body = json!({"fileName": "Sample-2.ttf", "fileHash": md5_hex(&fresh)});
    let (status, answer) = call(
        &fake,
        reqwest::Method::PUT,
        &format!("/custom_fonts/{id}/file"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["details"][0]["field"], "axes");

    let mut with_axes = body;
    with_axes["axes"] = json!([]);
    let (status, answer) = call(
        &fake,
        reqwest::Method::PUT,
        &format!("/custom_fonts/{id}/file"),
        Some(with_axes),
    )
    .await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer["customFont"]["id"], id);
    // The old file serves until the new one lands.
    let (_, current) = call(
        &fake,
        reqwest::Method::GET,
        &format!("/custom_fonts/{id}"),
        None,
    )
    .await;
    assert_eq!(current["customFont"]["fileName"], "Sample.ttf");
    let fields = answer["upload"]["fields"].as_object().unwrap();
    let (status, _) = post_form(
        answer["upload"]["url"].as_str().unwrap(),
        form(fields, "Sample-2.ttf", &fresh),
    )
    .await;
    assert_eq!(status, 201);
    let (_, current) = call(
        &fake,
        reqwest::Method::GET,
        &format!("/custom_fonts/{id}"),
        None,
    )
    .await;
    assert_eq!(current["customFont"]["fileName"], "Sample-2.ttf");
    assert_eq!(current["customFont"]["axes"], json!([]));
}

#[tokio::test]
async fn batch_delete_takes_1_to_100_and_scopes_are_enforced() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    for items in [
        json!([]),
        json!(
            (0..101)
                .map(|i| json!({"id": format!("{i:024x}")}))
                .collect::<Vec<_>>()
        ),
    ] {
        let (status, _) = call(
            &fake,
            reqwest::Method::POST,
            "/custom_fonts/batchDelete",
            Some(json!({"items": items})),
        )
        .await;
        assert_eq!(status, 400);
    }
    let read_only = FakeWebflow::builder()
        .scopes(["sites:read"])
        .start()
        .await
        .unwrap();
    let bytes = SampleFont::new("Sample", 400, false).ttf();
    let (status, body) = call(
        &read_only,
        reqwest::Method::POST,
        "/custom_fonts",
        Some(create_body("a.ttf", &bytes)),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("missing_scopes"))
    );
    let (status, _) = call(&read_only, reqwest::Method::GET, "/custom_fonts", None).await;
    assert_eq!(status, 200);
    let none = FakeWebflow::builder()
        .scopes(["assets:read"])
        .start()
        .await
        .unwrap();
    assert_eq!(
        call(&none, reqwest::Method::GET, "/custom_fonts", None)
            .await
            .0,
        403
    );
}
