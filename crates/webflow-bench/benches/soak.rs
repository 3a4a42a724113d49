//! Soak: 5,000 small files through `upload_many` at concurrency 32 against the fake with 1% of
//! calls failing at random on both sides. Prints files per second, failures, resident memory
//! after 1,000 and 5,000 files (it must stay flat), peak memory, and open file descriptors at
//! the end and once the client is dropped. The fake runs in a child process (this program
//! started again with `--serve-fake`), so the figures are the client's alone.
//!
//! `cargo bench -p webflow-bench --bench soak` (`SOAK_FILES=n` for another count)

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use webflow_assets::bulk::{BulkFile, BulkOptions, Outcome};
use webflow_assets::{Client, RateLimit, RetryPolicy};
use webflow_fake::FakeWebflow;

const CONCURRENCY: usize = 32;
const FAULT_RATE: f64 = 0.01;

/// A field of /proc/self/status in KiB (VmRSS: now; VmHWM: the peak).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn open_fds() -> Option<usize> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if std::env::args().any(|a| a == "--serve-fake") {
        return serve_fake();
    }
    let files: usize = std::env::var("SOAK_FILES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .arg("--serve-fake")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the fake");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut next = || lines.next().expect("a line").expect("text");
    let (base_url, token, site_id) = (next(), next(), next());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = Client::builder(token)
            .base_url(base_url)
            .rate_limit(RateLimit::per_minute(1_000_000))
            .retry_policy(
                RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(10))
                    .max_backoff(Duration::from_millis(200)),
            )
            .build()
            .expect("client");
        let fds_before = open_fds();
        let batch = (0..files).map(|i| {
            BulkFile::bytes(
                format!("soak-{i:05}.txt"),
                format!("soak file {i}\n").into_bytes(),
            )
        });
        let started = Instant::now();
        let mut run = client.upload_many(
            &site_id.parse::<webflow_assets::SiteId>().unwrap(),
            batch,
            BulkOptions::default().concurrency(CONCURRENCY).confirm(false),
        )
        .expect("a runtime");
        let (mut done, mut failed) = (0, 0);
        let mut rss_at_1k = None;
        while let Some(file) = run.next().await {
            done += 1;
            if matches!(file.outcome, Outcome::Failed(_)) {
                failed += 1;
            }
            if done == 1_000.min(files) {
                rss_at_1k = status_kib("VmRSS:");
            }
        }
        let elapsed = started.elapsed();
        drop(run);
        let rss_at_end = status_kib("VmRSS:");
        let fds_at_end = open_fds();
        drop(client);
        tokio::time::sleep(Duration::from_millis(300)).await;
        println!(
            "Soak: {files} files, concurrency {CONCURRENCY}, {:.0}% of calls faulted",
            FAULT_RATE * 100.0
        );
        println!(
            "  elapsed                  {:>10.2} s",
            elapsed.as_secs_f64()
        );
        println!(
            "  files per second         {:>10.1}",
            files as f64 / elapsed.as_secs_f64()
        );
        println!("  failures                 {failed:>10}");
        println!("  RSS after 1,000 files    {:>10}", mib(rss_at_1k));
        println!("  RSS after {files:>5} files    {:>10}", mib(rss_at_end));
        if let (Some(a), Some(b)) = (rss_at_1k, rss_at_end) {
            println!(
                "  RSS growth, 1k to end    {:>10}",
                format!("{:+.1}%", 100.0 * (b as f64 - a as f64) / a as f64)
            );
        }
        println!(
            "  peak RSS                 {:>10}",
            mib(status_kib("VmHWM:"))
        );
        let count = |n: Option<usize>| n.map_or("n/a".into(), |n| n.to_string());
        println!(
            "  open fds                 {:>10}   (start {}, client dropped {}; the rest are pooled connections)",
            count(fds_at_end),
            count(fds_before),
            count(open_fds())
        );
    });
    drop(child.stdin.take());
    let _ = child.wait();
}

/// The fake, in its own process: prints where it is, serves until its stdin closes (so it
/// stops by itself when the benchmark ends, however it ends).
fn serve_fake() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let fake = FakeWebflow::builder()
            .rate_limit(1_000_000, Duration::from_secs(60))
            .start()
            .await
            .expect("fake");
        fake.faults().chaos(0x50a4, FAULT_RATE);
        // The soak measures the client; the fake need not remember every request.
        let log = fake.log();
        println!("{}\n{}\n{}", fake.base_url(), fake.token(), fake.site_id());
        let stdin_closed = tokio::task::spawn_blocking(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
        });
        tokio::pin!(stdin_closed);
        loop {
            tokio::select! {
                _ = &mut stdin_closed => break,
                _ = tokio::time::sleep(Duration::from_secs(1)) => log.clear(),
            }
        }
    });
}
