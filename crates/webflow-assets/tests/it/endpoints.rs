//! Every operation through one client: typed methods and the raw client alike draw on the
//! shared budget, are retried, and never repeat a request Webflow answered with a 2xx.

use crate::common;

use std::time::Duration;

use futures::StreamExt;
use webflow_assets::bulk::{BulkFile, BulkOptions, Outcome};
use webflow_assets::{Error, RateLimit, Rule, UploadSource};
use webflow_fake::{FakeWebflow, Fault, Side, Target};

use common::{PNG, count};

const LOCALE: &str = "65f0aa00bb11cc22dd33ee99";

#[tokio::test]
async fn every_typed_method_against_the_fake() {
    let (fake, client) = common::fake().await;
    let site = fake.site_id();

    let press = client
        .create_folder(&common::site(site), "press", None)
        .await
        .unwrap();
    let press_id = press.id.clone().unwrap();
    let kit = client
        .create_folder(
            &common::site(site),
            " kit ",
            Some(&common::folder(&press_id)),
        )
        .await
        .unwrap();
    assert_eq!(kit.display_name.as_deref(), Some("kit"));
    assert!(matches!(
        client
            .create_folder(&common::site(site), "press", None)
            .await,
        Err(Error::Api { status: 400, .. })
    ));

    let uploaded = client
        .upload(&common::site(site), UploadSource::bytes("dog.png", PNG))
        .folder_id(common::folder(&press_id))
        .send()
        .await
        .unwrap();
    let folder = client.get_folder(&common::folder(&press_id)).await.unwrap();
    assert_eq!(folder.assets, vec![uploaded.id.clone()]);

    let renamed = client
        .update_asset(&uploaded.id)
        .display_name("Good dog")
        .alt_text("A dog")
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.display_name.as_deref(), Some("Good dog"));
    assert_eq!(renamed.alt_text.as_deref(), Some("A dog"));

    // Alt text is per locale; a locale without its own shows the primary's.
    let french = client
        .update_asset(&uploaded.id)
        .alt_text("Un chien")
        .locale(LOCALE.parse().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(french.alt_text.as_deref(), Some("Un chien"));
    assert_eq!(
        client
            .get_asset(&uploaded.id, Some(&LOCALE.parse().unwrap()))
            .await
            .unwrap()
            .alt_text
            .as_deref(),
        Some("Un chien")
    );
    let primary = client.get_asset(&uploaded.id, None).await.unwrap();
    assert_eq!(primary.alt_text.as_deref(), Some("A dog"));
    assert_eq!(primary.display_name.as_deref(), Some("Good dog"));

    let listed = client
        .list_assets(&common::site(site), Some(&common::folder(&press_id)))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].alt_text.as_deref(), Some("A dog"));

    client.delete_asset(&uploaded.id).await.unwrap();
    assert!(matches!(
        client.get_asset(&uploaded.id, None).await,
        Err(Error::Api { status: 404, .. })
    ));
}

#[tokio::test]
async fn bad_updates_are_refused_before_anything_is_sent() {
    let (fake, client) = common::fake().await;
    let id = "6500aa00bb11cc22dd33ee01";
    fn rule<T: std::fmt::Debug>(result: Result<T, Error>) -> Rule {
        match result {
            Err(Error::Validation { rule, .. }) => rule,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    assert_eq!(
        rule(client.update_asset(&common::asset(id)).send().await),
        Rule::NothingToUpdate
    );
    assert_eq!(
        rule(
            client
                .update_asset(&common::asset(id))
                .display_name("  ")
                .send()
                .await
        ),
        Rule::EmptyDisplayName
    );
    // A locale is a typed id too: a language code is refused when parsed, before any
    // update can carry it.
    assert!(matches!(
        "fr".parse::<webflow_assets::LocaleId>(),
        Err(Rule::InvalidId { what: "locale", .. })
    ));
    // A bad id is refused when it is built, before any method can take it.
    assert!(matches!(
        "nope".parse::<webflow_assets::FolderId>(),
        Err(Rule::InvalidId { what: "folder", .. })
    ));
    assert!(matches!(
        rule(
            client
                .create_folder(&common::site(fake.site_id()), "a/b", None)
                .await
        ),
        Rule::InvalidFolderName { .. }
    ));
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[tokio::test]
async fn alt_text_and_display_name_are_set_with_the_upload() {
    let (fake, client) = common::fake().await;
    let asset = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("cat.png", PNG),
        )
        .alt_text("A cat on a mat")
        .display_name("Cat")
        .send()
        .await
        .unwrap();
    assert_eq!(
        asset.requests, 3,
        "create, S3 form, one PATCH (no read-back)"
    );
    let reported = asset.asset.unwrap();
    assert_eq!(reported.alt_text.as_deref(), Some("A cat on a mat"));
    let stored = fake.state().asset(asset.id.as_str()).unwrap();
    assert_eq!(stored.alt_text.as_deref(), Some("A cat on a mat"));
    assert_eq!(stored.display_name, "Cat");
    assert_eq!(count(&fake, Side::Webflow, "PATCH", asset.id.as_str()), 1);
    assert_eq!(count(&fake, Side::Webflow, "GET", asset.id.as_str()), 0);
}

#[tokio::test]
async fn a_2xx_with_a_truncated_body_is_never_retried() {
    let (fake, client) = common::fake().await;
    fake.faults()
        .inject(Target::CreateAsset, Fault::Truncate, 1);
    let error = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::bytes("once.png", PNG),
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::UnexpectedResponse { status: None, .. }),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert_eq!(count(&fake, Side::Webflow, "POST", "/assets"), 1);
    assert_eq!(fake.state().assets().len(), 1, "exactly one create");
}

#[tokio::test]
async fn raw_calls_share_the_budget_and_retries_with_a_running_upload() {
    let window = Duration::from_millis(1500);
    let fake = FakeWebflow::builder()
        .rate_limit(10, window)
        .start()
        .await
        .unwrap();
    let client = common::builder(&fake)
        .rate_limit(RateLimit::new(10, window))
        .retry_policy(common::fast_retries().max_attempts(8))
        .build()
        .unwrap();
    let site = fake.site_id().to_string();
    // One 429 in the middle of the listings, with no Retry-After: the budget then holds
    // every caller, uploads and listings alike, for a window.
    fake.faults().inject(
        Target::ListAssets,
        Fault::webflow_error(429, "too_many_requests", "slow down"),
        1,
    );
    let files = (0..10).map(|i| BulkFile::bytes(format!("f{i}.png"), PNG));
    let mut run = client
        .upload_many(&common::site(&site), files, BulkOptions::default())
        .unwrap();
    let lister = {
        let client = client.clone();
        let site = site.clone();
        async move {
            let mut pages = 0;
            for _ in 0..6 {
                let page = client.raw().list_assets().site_id(&site).send().await;
                page.expect("a raw listing succeeds through the shared retries");
                client.list_folders(&common::site(&site)).await.unwrap();
                pages += 1;
            }
            pages
        }
    };
    let uploads = async {
        let mut failures = 0;
        while let Some(file) = run.next().await {
            if !matches!(file.outcome, Outcome::Uploaded(_)) {
                failures += 1;
            }
        }
        failures
    };
    let (pages, failures) = tokio::join!(lister, uploads);
    assert_eq!((pages, failures), (6, 0));
    let limited = fake
        .requests()
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    assert_eq!(
        limited, 1,
        "only the scripted 429: nobody outran the budget"
    );
}

#[tokio::test]
async fn dropping_a_run_starts_no_more_files() {
    // A slow S3 keeps most files waiting when the run is dropped.
    let (fake, client) = common::fake().await;
    fake.faults().inject(
        Target::S3Upload,
        Fault::Delay(Duration::from_millis(100)),
        40,
    );
    let files = (0..40).map(|i| BulkFile::bytes(format!("d{i}.png"), PNG));
    let options = BulkOptions::default().concurrency(2).confirm(false);
    let mut run = client
        .upload_many(&common::site(fake.site_id()), files, options)
        .unwrap();
    assert!(run.next().await.is_some());
    // The progress channel closes when the run's driver has ended: once it has, nothing
    // more can be sent. A run that went on after the drop would end only with all 40.
    let mut progress = run.progress();
    drop(run);
    tokio::time::timeout(Duration::from_secs(20), async {
        while progress.changed().await.is_ok() {}
    })
    .await
    .expect("the dropped run ends");
    let created = fake.state().assets().len();
    assert!(
        created <= 4,
        "only the files in flight when it was dropped finish: {created} of 40"
    );
}
