//! How much of Webflow's request budget a bulk run uses: 200 files through `upload_many`
//! against the fake with a scaled-down limit of 20 requests per 2 s.
//!
//! `cargo bench -p webflow-bench --bench rate_budget`

use std::time::{Duration, Instant};

use webflow_assets::bulk::{BulkFile, BulkOptions};
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
    runtime.block_on(async {
        let fake = FakeWebflow::builder()
            .rate_limit(LIMIT, WINDOW)
            .start()
            .await
            .expect("fake");
        let client = Client::builder(fake.token())
            .base_url(fake.base_url())
            .rate_limit(RateLimit {
                requests: LIMIT,
                window: WINDOW,
            })
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
                fake.site_id(),
                files,
                BulkOptions {
                    concurrency: 8,
                    confirm: false,
                },
            )
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
    });
}
