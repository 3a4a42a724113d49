//! The token reaches the Webflow API and nothing else, and shows nowhere.

use crate::common;

use std::sync::{Arc, Mutex};

use common::*;
use webflow_assets::{Client, Error, UploadSource};
use webflow_fake::{FakeWebflow, Side};

#[tokio::test]
async fn unknown_upload_details_fields_are_forwarded_and_satisfy_the_policy() {
    let (fake, client) = start(
        FakeWebflow::builder()
            .extra_upload_field("x-amz-meta-origin", "webflow")
            .extra_upload_field("x-amz-security-token", "session-token"),
    )
    .await;
    let asset = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("logo.png", PNG.to_vec()),
        )
        .send()
        .await
        .unwrap();
    assert!(
        fake.state()
            .asset(asset.id.as_str())
            .unwrap()
            .stored
            .is_some()
    );
}

#[tokio::test]
async fn no_request_but_the_api_carries_the_token() {
    let (fake, client) = fake().await;
    client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("logo.png", PNG.to_vec()),
        )
        .folder("a/b".parse().unwrap())
        .send()
        .await
        .unwrap();
    let log = fake.requests();
    assert!(log.iter().any(|r| r.side == Side::S3));
    for request in &log {
        let bearer = format!("Bearer {}", fake.token());
        match request.side {
            Side::Webflow => assert_eq!(request.header("authorization"), Some(bearer.as_str())),
            Side::S3 | Side::Hosted => {
                assert!(request.header("authorization").is_none(), "{request:?}");
                assert!(!request.mentions(fake.token()), "{request:?}");
            }
        }
        assert_eq!(
            request.header("user-agent"),
            Some(webflow_assets::DEFAULT_USER_AGENT)
        );
    }
}

#[tokio::test]
async fn a_callers_own_http_client_gets_the_token_on_api_requests_only() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let client = builder(&fake)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("logo.png", PNG.to_vec()),
        )
        .send()
        .await
        .unwrap();
    for request in fake.requests() {
        assert_eq!(
            request.header("authorization").is_some(),
            request.side == Side::Webflow,
            "{request:?}"
        );
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    // A second server records whatever reaches it; the "API" redirects every call there.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let elsewhere = axum::Router::new().fallback(move |headers: axum::http::HeaderMap| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(format!("{headers:?}"));
            "captured"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("http://{}", listener.local_addr().unwrap());
    let other = tokio::spawn(async move { axum::serve(listener, elsewhere).await.unwrap() });
    let redirecting = axum::Router::new().fallback(move || {
        let target = target.clone();
        async move { axum::response::Redirect::temporary(&format!("{target}/steal")) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/v2", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, redirecting).await.unwrap() });

    let client = Client::builder("t0ken-value")
        .base_url(api)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client
        .ensure_folder(&common::site("6500aa00bb11cc22dd33ff00"), "x", None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedResponse {
                status: Some(307),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "the redirect was followed: {:?}",
        seen.lock().unwrap()
    );
    server.abort();
    other.abort();
}

#[tokio::test]
async fn the_token_is_in_no_debug_or_display_output() {
    let fake = FakeWebflow::builder()
        .token("very-secret-token-123")
        .start()
        .await
        .unwrap();
    let client = client(&fake);
    let builder = client.upload(
        &common::site(fake.site_id()),
        UploadSource::bytes("logo.png", PNG.to_vec()),
    );
    let mut outputs = vec![
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{:?}", Client::builder("very-secret-token-123")),
        format!("{:?}", client.raw()),
    ];
    let ok = builder.send().await.unwrap();
    outputs.push(format!("{ok:?}"));
    let errors = [
        Client::builder("very-secret-token-123")
            .base_url("http://127.0.0.1:1/v2")
            .retry_policy(webflow_assets::RetryPolicy::none())
            .build()
            .unwrap()
            .upload(
                &common::site(fake.site_id()),
                UploadSource::bytes("a.png", PNG.to_vec()),
            )
            .send()
            .await
            .unwrap_err(),
        Client::builder("very-secret-token-123 but wrong")
            .base_url(fake.base_url())
            .build()
            .unwrap()
            .upload(
                &common::site(fake.site_id()),
                UploadSource::bytes("a.png", PNG.to_vec()),
            )
            .send()
            .await
            .unwrap_err(),
        Client::builder("very-secret-token-123")
            .base_url("http://example.com/v2")
            .build()
            .unwrap_err(),
    ];
    assert!(
        matches!(errors[0], Error::Transport { .. }),
        "{:?}",
        errors[0]
    );
    for err in &errors {
        outputs.push(format!("{err:?}"));
        outputs.push(err.to_string());
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            outputs.push(format!("{cause:?} {cause}"));
            source = cause.source();
        }
    }
    for output in outputs {
        assert!(!output.contains("very-secret-token"), "{output}");
    }
}
