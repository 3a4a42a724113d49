//! Plain-reqwest helpers for driving the fake the way any client would.
#![allow(dead_code)]

use md5::{Digest, Md5};
use reqwest::multipart::{Form, Part};
use serde_json::{Map, Value, json};
use webflow_fake::FakeHandle;

pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn api(fake: &FakeHandle) -> (reqwest::Client, String) {
    (reqwest::Client::new(), fake.base_url())
}

/// `POST /sites/{site}/assets` with the given JSON body; returns status and body.
pub async fn create_raw(fake: &FakeHandle, body: Value) -> (u16, Value) {
    let (http, base) = api(fake);
    let response = http
        .post(format!("{base}/sites/{}/assets", fake.site_id()))
        .bearer_auth(fake.token())
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Creates an asset for `bytes` and returns the create response.
pub async fn create(
    fake: &FakeHandle,
    file_name: &str,
    bytes: &[u8],
    folder: Option<&str>,
) -> Value {
    let mut body = json!({ "fileName": file_name, "fileHash": md5_hex(bytes) });
    if let Some(folder) = folder {
        body["parentFolder"] = json!(folder);
    }
    let (status, body) = create_raw(fake, body).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The S3 form: every uploadDetails field as received, then the file last.
pub fn form(details: &Map<String, Value>, file_name: &str, bytes: &[u8]) -> Form {
    let mut form = Form::new();
    for (name, value) in details {
        let value = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        form = form.text(name.clone(), value);
    }
    form.part(
        "file",
        Part::bytes(bytes.to_vec()).file_name(file_name.to_string()),
    )
}

/// Posts a form to the upload URL; returns status and body text.
pub async fn post_form(upload_url: &str, form: Form) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(upload_url)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Creates and uploads a file; returns the create response.
pub async fn upload(
    fake: &FakeHandle,
    file_name: &str,
    bytes: &[u8],
    folder: Option<&str>,
) -> Value {
    let created = create(fake, file_name, bytes, folder).await;
    let details = created["uploadDetails"].as_object().unwrap();
    let (status, text) = post_form(
        created["uploadUrl"].as_str().unwrap(),
        form(details, file_name, bytes),
    )
    .await;
    assert_eq!(status, 201, "{text}");
    created
}

/// An authorised request to the API; returns status, headers and JSON body.
pub async fn call(
    fake: &FakeHandle,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let (http, base) = api(fake);
    let mut request = http
        .request(method, format!("{base}{path}"))
        .bearer_auth(fake.token());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.json().await.unwrap_or(Value::Null),
    )
}

pub async fn create_folder(fake: &FakeHandle, name: &str, parent: Option<&str>) -> String {
    let (status, _, body) = call(
        fake,
        reqwest::Method::POST,
        &format!("/sites/{}/asset_folders", fake.site_id()),
        Some(json!({ "displayName": name, "parentFolder": parent })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_string()
}
