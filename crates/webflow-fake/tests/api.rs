//! The Webflow side behaves like the reference: auth, validation, 404s, pagination, folders,
//! the rate limit and its headers.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use webflow_fake::FakeWebflow;

const MD5: &str = "0cc175b9c0f1b6a831c399e269772661";

fn detail_fields(body: &Value) -> Vec<String> {
    body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn every_call_needs_the_bearer_token() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let http = reqwest::Client::new();
    for (method, path) in [
        (Method::GET, format!("/sites/{}/assets", fake.site_id())),
        (Method::POST, format!("/sites/{}/assets", fake.site_id())),
        (Method::GET, "/assets/6500aa00bb11cc22dd33ee01".to_string()),
        (
            Method::PATCH,
            "/assets/6500aa00bb11cc22dd33ee01".to_string(),
        ),
        (
            Method::DELETE,
            "/assets/6500aa00bb11cc22dd33ee01".to_string(),
        ),
        (
            Method::GET,
            format!("/sites/{}/asset_folders", fake.site_id()),
        ),
        (
            Method::POST,
            format!("/sites/{}/asset_folders", fake.site_id()),
        ),
        (
            Method::GET,
            "/asset_folders/6500aa00bb11cc22dd33ee01".to_string(),
        ),
    ] {
        let right = format!("Bearer {}", fake.token());
        for auth in [
            None,
            Some("Bearer wrong"),
            Some(fake.token()),
            Some(right.as_str()),
        ] {
            let mut request = http.request(method.clone(), format!("{}{path}", fake.base_url()));
            if let Some(auth) = auth {
                request = request.header("authorization", auth);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            if auth == Some(right.as_str()) {
                assert_ne!(status, 401, "{method} {path}");
                continue;
            }
            assert_eq!(status, 401, "{method} {path}");
            assert!(response.headers().contains_key("x-ratelimit-limit"));
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "not_authorized");
        }
    }
}

#[tokio::test]
async fn unknown_site_asset_and_folder_are_404() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let missing = "6500aa00bb11cc22dd33ee01";
    for (method, path, body) in [
        (Method::GET, format!("/sites/{missing}/assets"), None),
        (
            Method::POST,
            format!("/sites/{missing}/assets"),
            Some(json!({"fileName": "a.png", "fileHash": MD5})),
        ),
        (Method::GET, format!("/assets/{missing}"), None),
        (
            Method::PATCH,
            format!("/assets/{missing}"),
            Some(json!({"altText": "x"})),
        ),
        (Method::DELETE, format!("/assets/{missing}"), None),
        (Method::GET, format!("/sites/{missing}/asset_folders"), None),
        (
            Method::POST,
            format!("/sites/{missing}/asset_folders"),
            Some(json!({"displayName": "x"})),
        ),
        (Method::GET, format!("/asset_folders/{missing}"), None),
    ] {
        let (status, _, body) = call(&fake, method.clone(), &path, body).await;
        assert_eq!(status, 404, "{method} {path}");
        assert_eq!(body["code"], "resource_not_found");
    }
}

#[tokio::test]
async fn create_asset_validates_like_webflow() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let other_site_folder = {
        let other = FakeWebflow::builder().start().await.unwrap();
        create_folder(&other, "elsewhere", None).await
    };
    let long_name = format!("{}.png", "a".repeat(96));
    let cases = [
        (json!({"fileHash": MD5}), vec!["fileName"]),
        (json!({"fileName": "", "fileHash": MD5}), vec!["fileName"]),
        (
            json!({"fileName": long_name, "fileHash": MD5}),
            vec!["fileName"],
        ),
        (
            json!({"fileName": "README", "fileHash": MD5}),
            vec!["fileName"],
        ),
        (
            json!({"fileName": "setup.exe", "fileHash": MD5}),
            vec!["fileName"],
        ),
        (json!({"fileName": "a.png"}), vec!["fileHash"]),
        (
            json!({"fileName": "a.png", "fileHash": "abc"}),
            vec!["fileHash"],
        ),
        (
            json!({"fileName": "a.png", "fileHash": MD5.to_uppercase()}),
            vec!["fileHash"],
        ),
        (
            json!({"fileName": "a.png", "fileHash": MD5, "parentFolder": "6500aa00bb11cc22dd33ee01"}),
            vec!["parentFolder"],
        ),
        (
            json!({"fileName": "a.png", "fileHash": MD5, "parentFolder": other_site_folder}),
            vec!["parentFolder"],
        ),
        (json!({"fileHash": 5}), vec!["fileName", "fileHash"]),
    ];
    for (body, fields) in cases {
        let (status, answer) = create_raw(&fake, body.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["code"], "validation_error", "{body}");
        assert_eq!(detail_fields(&answer), fields, "{body}");
    }
    let (status, answer) = create_raw(&fake, json!(["not", "an", "object"])).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("bad_request"))
    );
    // 99 characters is "under 100"; upper-case extensions are fine.
    let ok_name = format!("{}.PNG", "a".repeat(95));
    let (status, answer) = create_raw(&fake, json!({"fileName": ok_name, "fileHash": MD5})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["contentType"], "image/png");
    assert!(fake.state().uploaded_assets().is_empty());
}

#[tokio::test]
async fn create_asset_answers_like_the_reference() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let folder = create_folder(&fake, "brand", None).await;
    let created = create(&fake, "Report 2026.pdf", b"%PDF", Some(&folder)).await;
    let keys: Vec<&String> = created.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "uploadDetails",
            "contentType",
            "id",
            "parentFolder",
            "uploadUrl",
            "assetUrl",
            "hostedUrl",
            "originalFileName",
            "createdOn",
            "lastUpdated"
        ]
    );
    assert_eq!(created["parentFolder"], folder.as_str());
    assert_eq!(created["contentType"], "application/pdf");
    assert_eq!(created["uploadDetails"]["success_action_status"], "201");
    assert_eq!(created["uploadDetails"]["content-type"], "application/pdf");
    let id = created["id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let created_on = created["createdOn"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(created_on).is_ok());
    assert_eq!(
        created_on.len(),
        "2026-03-01T09:00:00.000Z".len(),
        "milliseconds: {created_on}"
    );
    assert!(
        created["uploadUrl"]
            .as_str()
            .unwrap()
            .starts_with(&fake.s3_url())
    );
}

#[tokio::test]
async fn assets_list_paginates_and_filters_through_descendant_folders() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let brand = create_folder(&fake, "brand", None).await;
    let logos = create_folder(&fake, "logos", Some(&brand)).await;
    let other = create_folder(&fake, "other", None).await;
    for i in 0..3 {
        upload(
            &fake,
            &format!("root-{i}.txt"),
            format!("root {i}").as_bytes(),
            None,
        )
        .await;
    }
    upload(&fake, "brand.txt", b"brand", Some(&brand)).await;
    upload(&fake, "logo.svg", b"<svg/>", Some(&logos)).await;
    upload(&fake, "other.txt", b"other", Some(&other)).await;
    create(&fake, "never-uploaded.png", b"x", None).await;

    let list = |query: String| {
        let fake = &fake;
        async move {
            let (status, headers, body) = call(
                fake,
                Method::GET,
                &format!("/sites/{}/assets{query}", fake.site_id()),
                None,
            )
            .await;
            assert_eq!(status, 200, "{body}");
            assert!(headers.contains_key("x-ratelimit-remaining"));
            body
        }
    };
    let all = list(String::new()).await;
    assert_eq!(
        all["pagination"],
        json!({"limit": 100, "offset": 0, "total": 6})
    );
    assert_eq!(all["assets"].as_array().unwrap().len(), 6);
    assert!(all["assets"][0]["folderId"].is_null());
    assert_eq!(all["assets"][3]["folderId"], brand.as_str());

    let page = list("?offset=2&limit=3".into()).await;
    assert_eq!(
        page["pagination"],
        json!({"limit": 3, "offset": 2, "total": 6})
    );
    let names: Vec<&str> = page["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["originalFileName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["root-2.txt", "brand.txt", "logo.svg"]);

    assert_eq!(
        list("?limit=1000".into()).await["pagination"]["limit"],
        100,
        "limit is capped"
    );
    let within = list(format!("?folderId={brand}")).await;
    let names: Vec<&str> = within["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["originalFileName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["brand.txt", "logo.svg"]);
    assert_eq!(within["pagination"]["total"], 2);

    let (status, _, body) = call(
        &fake,
        Method::GET,
        &format!("/sites/{}/assets?offset=-1", fake.site_id()),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("validation_error"))
    );

    let folders = call(
        &fake,
        Method::GET,
        &format!("/sites/{}/asset_folders", fake.site_id()),
        None,
    )
    .await
    .2;
    assert_eq!(folders["pagination"]["total"], 3);
    assert_eq!(folders["assetFolders"][1]["parentFolder"], brand.as_str());
    assert_eq!(
        folders["assetFolders"][1]["assets"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn folder_names_are_unique_among_siblings() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let brand = create_folder(&fake, "brand", None).await;
    create_folder(&fake, "logos", Some(&brand)).await;
    create_folder(&fake, "logos", None).await; // a different parent: fine
    let (status, _, body) = call(
        &fake,
        Method::POST,
        &format!("/sites/{}/asset_folders", fake.site_id()),
        Some(json!({"displayName": "logos", "parentFolder": brand})),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("conflict")));
    for bad in [
        json!({}),
        json!({"displayName": "  "}),
        json!({"displayName": "x", "parentFolder": "6500aa00bb11cc22dd33ee01"}),
    ] {
        let (status, _, body) = call(
            &fake,
            Method::POST,
            &format!("/sites/{}/asset_folders", fake.site_id()),
            Some(bad.clone()),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("validation_error")),
            "{bad}"
        );
    }
    let (status, _, folder) =
        call(&fake, Method::GET, &format!("/asset_folders/{brand}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(folder["displayName"], "brand");
    assert!(folder["parentFolder"].is_null());
}

#[tokio::test]
async fn update_and_delete_an_uploaded_asset() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let id = upload(&fake, "logo.png", b"png", None).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _, asset) = call(
        &fake,
        Method::PATCH,
        &format!("/assets/{id}"),
        Some(json!({"displayName": "Logo", "altText": "Our logo"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (asset["displayName"].as_str(), asset["altText"].as_str()),
        (Some("Logo"), Some("Our logo"))
    );
    assert!(
        asset.get("folderId").is_none(),
        "only list responses carry folderId"
    );
    let (status, _, body) = call(
        &fake,
        Method::PATCH,
        &format!("/assets/{id}"),
        Some(json!({"altText": 3})),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("validation_error"))
    );
    let (status, _, _) = call(&fake, Method::DELETE, &format!("/assets/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, _, _) = call(&fake, Method::GET, &format!("/assets/{id}"), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_rate_limit_counts_down_then_answers_429_with_retry_after() {
    let fake = FakeWebflow::builder()
        .rate_limit(3, Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let path = format!("/sites/{}/asset_folders", fake.site_id());
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let (status, headers, _) = call(&fake, Method::GET, &path, None).await;
        assert_eq!(status, 200);
        assert_eq!(headers["x-ratelimit-limit"], "3");
        remaining.push(
            headers["x-ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let (status, headers, body) = call(&fake, Method::GET, &path, None).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (429, Some("too_many_requests"))
    );
    let retry_after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let (status, headers, _) = call(&fake, Method::GET, &path, None).await;
    assert_eq!(status, 200);
    assert_eq!(headers["x-ratelimit-remaining"], "2");
}
