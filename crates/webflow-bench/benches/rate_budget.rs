//! How much of Webflow's request budget a bulk run uses: 200 files through `upload_many`
//! against the fake with a scaled-down limit of 20 requests per 2 s; then what a sync rerun
//! of 1,000 unchanged files costs with its manifest lost.
//!
//! `cargo bench -p webflow-bench --bench rate_budget`

use std::time::{Duration, Instant};

use webflow_assets::bulk::{BulkFile, BulkOptions};
use webflow_assets::sync::SyncOptions;
use webflow_assets::{Client, RateLimit};
use webflow_fake::{FakeWebflow, Side};

const LIMIT: u32 = 20;
const WINDOW: Duration = Duration::from_secs(2);
const FILES: usize = 200;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(upload_many_budget());
    runtime.block_on(rerun_without_manifest());
}

async fn upload_many_budget() {
    {
        let fake = FakeWebflow::builder()
            .rate_limit(LIMIT, WINDOW)
            .start()
            .await
            .expect("fake");
        let client = Client::builder(fake.token())
            .base_url(fake.base_url())
            .rate_limit(RateLimit::new(LIMIT, WINDOW))
            .build()
            .expect("client");
        let files = (0..FILES).map(|i| {
            BulkFile::bytes(
                format!("budget-{i:03}.txt"),
                format!("file {i}\n").into_bytes(),
            )
        });
        let started = Instant::now();
        let report = client
            .upload_many(
                &fake.site_id().parse::<webflow_assets::SiteId>().unwrap(),
                files,
                BulkOptions::default().concurrency(8).confirm(false),
            )
            .expect("a runtime")
            .finish()
            .await;
        let elapsed = started.elapsed();
        assert_eq!(report.uploaded.len(), FILES, "{:?}", report.failed);

        let creates: Vec<_> = fake
            .requests()
            .into_iter()
            .filter(|r| r.side == Side::Webflow && r.method == "POST")
            .collect();
        let accepted = creates.iter().filter(|r| r.status == Some(200)).count();
        let limited = creates.iter().filter(|r| r.status == Some(429)).count();
        let budget = LIMIT as f64 / WINDOW.as_secs_f64();
        // Fixed windows let a window's requests all go at its start, so the rate is taken over
        // the whole windows the run spanned.
        let windows = (elapsed.as_secs_f64() / WINDOW.as_secs_f64()).ceil();
        let achieved = accepted as f64 / (windows * WINDOW.as_secs_f64());
        println!(
            "Rate budget: {FILES} files, budget {LIMIT} requests per {WINDOW:?} ({budget:.1}/s)"
        );
        println!(
            "  elapsed                  {:>8.2} s ({windows} windows)",
            elapsed.as_secs_f64()
        );
        println!("  creates accepted         {accepted:>8}");
        println!(
            "  creates per second       {achieved:>8.2}   (raw {:.2} over elapsed)",
            accepted as f64 / elapsed.as_secs_f64()
        );
        println!(
            "  budget used              {:>8.3}   (target >= 0.95)",
            achieved / budget
        );
        println!(
            "  429s received            {limited:>8}   ({:.2}% of creates, target <= 1%)",
            100.0 * limited as f64 / creates.len() as f64
        );
    }
}

/// A sync of 1,000 files, its manifest deleted, synced again: the site's listing must show
/// every file is there, at one request per 100 assets plus the folder listing, and upload
/// nothing. Webflow's smallest plan (60 requests a minute) is the limit.
async fn rerun_without_manifest() {
    const RERUN_FILES: usize = 1000;
    let fake = FakeWebflow::builder()
        .rate_limit(60, Duration::from_secs(60))
        .start()
        .await
        .expect("fake");
    let dir = tempfile::tempdir().expect("temporary directory");
    for i in 0..RERUN_FILES {
        let sub = dir.path().join(format!("set-{}", i % 10));
        std::fs::create_dir_all(&sub).expect("directory");
        std::fs::write(sub.join(format!("f{i:04}.txt")), format!("file {i}\n")).expect("file");
    }
    // Seeding is not measured, and runs at full speed.
    fake.suspend_rate_limit(true);
    let client = Client::builder(fake.token())
        .base_url(fake.base_url())
        .rate_limit(RateLimit::per_minute(100_000))
        .build()
        .expect("client");
    let options = SyncOptions::default()
        .folder("rerun".parse().unwrap())
        .bulk(BulkOptions::default().concurrency(16).confirm(false));
    let seeded = client
        .sync_dir(
            &fake.site_id().parse::<webflow_assets::SiteId>().unwrap(),
            dir.path(),
            options.clone(),
        )
        .await
        .expect("sync")
        .finish()
        .await;
    assert_eq!(seeded.uploaded.len(), RERUN_FILES, "{:?}", seeded.failed);
    fake.suspend_rate_limit(false);
    std::fs::remove_file(dir.path().join(webflow_assets::manifest::DEFAULT_FILE_NAME))
        .expect("manifest");
    fake.log().clear();

    let client = Client::builder(fake.token())
        .base_url(fake.base_url())
        .build()
        .expect("client");
    let started = Instant::now();
    let report = client
        .sync_dir(
            &fake.site_id().parse::<webflow_assets::SiteId>().unwrap(),
            dir.path(),
            options,
        )
        .await
        .expect("sync")
        .finish()
        .await;
    let elapsed = started.elapsed();
    let requests = fake
        .requests()
        .iter()
        .filter(|r| r.side == Side::Webflow)
        .count();
    let bound = RERUN_FILES.div_ceil(100) + 1;
    println!("Sync rerun of {RERUN_FILES} unchanged files, manifest deleted (60 requests/min)");
    println!(
        "  elapsed                  {:>8.2} s",
        elapsed.as_secs_f64()
    );
    println!(
        "  API requests             {requests:>8}   (bound {bound}: ceil(files/100) + 1 folder listing)"
    );
    println!("  files hashed             {:>8}", report.hashed);
    println!(
        "  uploads                  {:>8}   (target 0)",
        report.uploaded.len()
    );
    println!("  failures                 {:>8}", report.failed.len());
}
