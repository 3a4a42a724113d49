//! Each retry path ends uploaded with the expected number of requests; final errors arrive
//! typed, at once.

use crate::common;

use std::time::Duration;

use common::*;
use webflow_assets::raw::types::KnownErrorCode;
use webflow_assets::{Client, Error, ErrorCode, RateLimit, RetryPolicy, UploadSource};
use webflow_fake::{FakeWebflow, Fault, Side, Target};

fn png() -> UploadSource {
    UploadSource::bytes("logo.png", PNG.to_vec())
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after() {
    let (fake, first) = start(FakeWebflow::builder().rate_limit(2, Duration::from_secs(1))).await;
    first
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap();
    // A second client on the same token cannot know the budget is spent: it meets a 429.
    let second = client(&fake);
    let started = std::time::Instant::now();
    let asset = second
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.requests, 4, "create (429), create, S3, confirm");
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "it waited: {:?}",
        started.elapsed()
    );
    let limited = fake
        .requests()
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    assert_eq!(limited, 1);
}

#[tokio::test]
async fn a_client_that_knows_the_window_spends_the_budget_without_429s() {
    let fake = FakeWebflow::builder()
        .rate_limit(4, Duration::from_millis(600))
        .start()
        .await
        .unwrap();
    let client = builder(&fake)
        .rate_limit(RateLimit::new(4, Duration::from_millis(600)))
        .build()
        .unwrap();
    for _ in 0..5 {
        client
            .upload(&common::site(fake.site_id()), png())
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.status == Some(429))
            .count(),
        0
    );
    assert_eq!(fake.state().uploaded_assets().len(), 5);
}

#[tokio::test]
async fn html_502_from_a_proxy_is_retried() {
    let (fake, client) = fake().await;
    fake.faults()
        .inject(Target::CreateAsset, Fault::html(502), 2);
    let asset = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.requests, 5);
    assert_eq!(count(&fake, Side::Webflow, "POST", "/assets"), 3);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let (fake, client) = fake().await;
    fake.faults()
        .inject(Target::GetAsset, Fault::DropConnection, 1);
    let asset = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.requests, 4);
    assert_eq!(
        count(
            &fake,
            Side::Webflow,
            "GET",
            &format!("/assets/{}", asset.id)
        ),
        2
    );
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let client = builder(&fake)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    fake.faults()
        .inject(Target::CreateAsset, Fault::Delay(Duration::from_secs(2)), 1);
    let asset = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.requests, 4, "create (timed out), create, S3, confirm");

    fake.faults()
        .inject(Target::CreateAsset, Fault::Delay(Duration::from_secs(2)), 1);
    let once = builder(&fake)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = once
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn s3_slow_down_resends_the_same_form() {
    let (fake, client) = fake().await;
    fake.faults().inject(Target::S3Upload, Fault::SlowDown, 1);
    fake.faults()
        .inject(Target::S3Upload, Fault::InternalError, 1);
    let asset = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.requests, 5, "create, S3 503, S3 500, S3 201, confirm");
    assert_eq!(
        asset.s3_response.bucket.as_deref(),
        Some("webflow-fake-assets")
    );
    assert!(asset.s3_response.etag.is_some());
    assert_eq!(
        count(&fake, Side::Webflow, "POST", "/assets"),
        1,
        "no new upload details needed"
    );
    let s3: Vec<usize> = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::S3)
        .map(|r| r.body_size)
        .collect();
    assert!(
        s3.len() == 3 && s3.iter().all(|size| *size == s3[0]),
        "{s3:?}"
    );
}

#[tokio::test]
async fn an_expired_policy_gets_fresh_upload_details_once() {
    let (fake, client) = fake().await;
    fake.faults()
        .inject(Target::CreateAsset, Fault::ExpiredPolicy, 1);
    let asset = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap();
    assert_eq!(asset.requests, 5, "create, S3 403, create, S3 201, confirm");
    assert_eq!(fake.state().assets().len(), 2);
    assert_eq!(fake.state().uploaded_assets().len(), 1);

    // Twice expired: renewed once, then the S3 error is returned.
    fake.faults()
        .inject(Target::CreateAsset, Fault::ExpiredPolicy, 2);
    let err = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::S3 { status: 403, code, .. } if code == "AccessDenied"),
        "{err:?}"
    );
    assert_eq!(err.file(), Some("logo.png"));
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let client = builder(&fake)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    fake.faults()
        .inject(Target::CreateAsset, Fault::html(502), 1);
    let err = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedResponse { status: Some(502), body, .. } if body.contains("<h1>502</h1>")),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn webflow_refusals_arrive_typed_and_are_not_retried() {
    let (fake, client) = fake().await;
    let missing_folder = "6500aa00bb11cc22dd33ee01";
    let err = client
        .upload(&common::site(fake.site_id()), png())
        .folder_id(common::folder(missing_folder))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            file,
            status: 400,
            code: ErrorCode::Known(KnownErrorCode::ValidationError),
            message,
            details,
            ..
        } => {
            assert_eq!(file.as_deref(), Some("logo.png"));
            assert_eq!(message, "Validation Error");
            assert_eq!(details.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.requests().len(), 1);

    let err = client
        .upload(&common::site("6500aa00bb11cc22dd33ee02"), png())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 404,
                code: ErrorCode::Known(KnownErrorCode::ResourceNotFound),
                ..
            }
        ),
        "{err:?}"
    );

    let stranger = Client::builder("wrong-token")
        .base_url(fake.base_url())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = stranger
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 401,
                code: ErrorCode::Known(KnownErrorCode::NotAuthorized),
                ..
            }
        ),
        "{err:?}"
    );

    fake.faults().inject(
        Target::CreateAsset,
        Fault::webflow_error(400, "asset_quota_exceeded", "No room"),
        1,
    );
    let err = client
        .upload(&common::site(fake.site_id()), png())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: ErrorCode::Unknown(code), message, .. } if code == "asset_quota_exceeded" && message == "No room"),
        "{err:?}"
    );
    assert_eq!(fake.requests().len(), 4, "one request each, no retries");
}
