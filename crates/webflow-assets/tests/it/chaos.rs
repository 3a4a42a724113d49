//! A 300-file nested sync while the fake fails at random on both sides at once: 429s with
//! Retry-After, JSON 500s and HTML 502s, dropped connections, S3 SlowDown and InternalError,
//! policies issued already expired, and slow answers. The faults are seeded: CI runs a fixed
//! seed, `CHAOS_SEED=n` picks another.

use crate::common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use futures::StreamExt;
use webflow_assets::bulk::{BulkOptions, Outcome};
use webflow_assets::sync::SyncOptions;
use webflow_fake::{FakeWebflow, Side};

const FILES: usize = 300;
const MAX_ATTEMPTS: u32 = 8;

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_under_chaos_accounts_for_every_file_and_duplicates_none() {
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_u64);
    let fake = FakeWebflow::builder()
        .rate_limit(100_000, Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let client = builder(&fake)
        .retry_policy(
            fast_retries()
                .max_attempts(MAX_ATTEMPTS)
                .max_elapsed(Duration::from_secs(60)),
        )
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..FILES {
        let sub = format!("d{}/e{}", i % 5, i % 3);
        std::fs::create_dir_all(dir.path().join(&sub)).unwrap();
        std::fs::write(
            dir.path().join(format!("{sub}/f{i:03}.txt")),
            format!("{i}\n"),
        )
        .unwrap();
    }
    let options = SyncOptions::default()
        .folder("chaos".parse().unwrap())
        .bulk(BulkOptions::default().concurrency(8).confirm(false));

    fake.faults().chaos(seed, 0.06);
    let mut run = client
        .sync_dir(&common::site(fake.site_id()), dir.path(), options.clone())
        .await
        .unwrap_or_else(|e| panic!("seed {seed}: planning failed: {e}"));
    let mut most_requests = 0;
    let mut outcomes = 0;
    while let Some(file) = run.next().await {
        outcomes += 1;
        match &file.outcome {
            Outcome::Uploaded(asset) => most_requests = most_requests.max(asset.requests),
            Outcome::Failed(error) => assert!(!error.to_string().is_empty()),
            Outcome::Skipped(reason) => panic!("seed {seed}: {} skipped: {reason}", file.label),
            other => panic!("seed {seed}: {other:?}"),
        }
    }
    let report = run.finish().await;
    fake.faults().calm();
    let injected = fake
        .requests()
        .iter()
        .filter(|r| r.status.is_none_or(|s| s >= 400))
        .count();
    eprintln!(
        "seed {seed}: {} uploaded, {} failed, {injected} faulty answers, at most {most_requests} requests for one file",
        report.uploaded.len(),
        report.failed.len()
    );

    assert_eq!(
        outcomes, FILES,
        "seed {seed}: every file has exactly one outcome"
    );
    assert_eq!(report.uploaded.len() + report.failed.len(), FILES);
    assert!(
        injected > 20,
        "seed {seed}: the chaos was real ({injected})"
    );
    // Create and S3 form, each at most MAX_ATTEMPTS times, twice if the policy was renewed.
    assert!(
        most_requests <= 4 * MAX_ATTEMPTS,
        "seed {seed}: {most_requests}"
    );

    let listed = client
        .list_assets(&common::site(fake.site_id()), None)
        .await
        .unwrap();
    let distinct: BTreeSet<_> = listed
        .iter()
        .map(|a| (a.folder_id.clone(), a.original_file_name.clone()))
        .collect();
    assert_eq!(distinct.len(), listed.len(), "seed {seed}: no duplicates");
    assert_eq!(
        listed.len(),
        report.uploaded.len(),
        "seed {seed}: one asset per upload"
    );
    for asset in fake.state().uploaded_assets() {
        let stored = asset.stored.unwrap();
        assert!(
            stored.md5_matches,
            "seed {seed}: {} holds other bytes",
            asset.file_name
        );
    }
    for request in fake.requests().iter().filter(|r| r.side == Side::S3) {
        assert!(
            request
                .headers
                .iter()
                .all(|(name, value)| name != "authorization" && !value.contains(fake.token())),
            "seed {seed}: the token went to S3"
        );
    }

    // Calm again: a rerun converges to exactly one asset per file.
    let rerun = client
        .sync_dir(&common::site(fake.site_id()), dir.path(), options)
        .await
        .unwrap()
        .finish()
        .await;
    assert!(rerun.failed.is_empty(), "seed {seed}: {:?}", rerun.failed);
    assert_eq!(rerun.uploaded.len(), report.failed.len());
    assert_eq!(fake.state().uploaded_assets().len(), FILES);
}
