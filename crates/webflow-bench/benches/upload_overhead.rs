//! The SDK's own cost per upload: 500 files of mixed kinds and sizes through the SDK and
//! through a minimal client, at concurrency 1, 4 and 16, each run in its own process so its
//! CPU time and peak RSS are its own. The fake (and its S3) run here, in this process.
//!
//! `cargo bench -p webflow-bench --bench upload_overhead` (`BENCH_FILES=100` for a quick run).

use std::process::Command;
use std::time::Duration;

use webflow_bench::{ClientStats, workload};
use webflow_fake::FakeWebflow;

fn run(mode: &str, concurrency: usize, files: &[std::path::PathBuf]) -> ClientStats {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let fake = runtime
        .block_on(
            FakeWebflow::builder()
                .rate_limit(1_000_000, Duration::from_secs(60))
                .start(),
        )
        .expect("fake");
    let output = Command::new(env!("CARGO_BIN_EXE_bench-client"))
        .args(["--mode", mode, "--concurrency", &concurrency.to_string()])
        .args([
            "--base-url",
            &fake.base_url(),
            "--token",
            fake.token(),
            "--site",
            fake.site_id(),
        ])
        .args(files)
        .output()
        .expect("client runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let uploaded = fake.state().uploaded_assets();
    assert_eq!(uploaded.len(), files.len(), "every file stored");
    assert!(
        uploaded
            .iter()
            .all(|a| a.stored.as_ref().is_some_and(|s| s.md5_matches))
    );
    drop(fake);
    serde_json::from_slice(&output.stdout).expect("client stats")
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let count: usize = std::env::var("BENCH_FILES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().expect("temporary directory");
    let (files, largest) = workload(dir.path(), count).expect("workload");
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    println!(
        "Upload overhead: {count} files, {:.1} MB, largest {:.1} MB, {} cores",
        total as f64 / 1e6,
        largest as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:>4} {:>8} {:>9} {:>8} {:>8} {:>9} {:>9} {:>10} {:>10}",
        "conc", "client", "files/s", "MB/s", "CPU s", "RSS MB", "RSS cap", "ratio", "RSS ok"
    );
    for concurrency in [1, 4, 16] {
        // Interleave the two clients so drift on a shared machine hits both alike.
        let minimal = run("minimal", concurrency, &files);
        let sdk = run("sdk", concurrency, &files);
        let cap = 32.0 * 1024.0 * 1024.0 + concurrency as f64 * largest as f64;
        for (name, stats) in [("minimal", &minimal), ("sdk", &sdk)] {
            let ratio = if name == "sdk" {
                format!("{:.2}", minimal.seconds / sdk.seconds)
            } else {
                "-".into()
            };
            let rss_ok = match (name, sdk.peak_rss) {
                ("sdk", Some(rss)) => (rss as f64 <= cap).to_string(),
                ("sdk", None) => "n/a".into(),
                _ => "-".into(),
            };
            let or_na = |value: Option<f64>, precision: usize| {
                value.map_or("n/a".to_string(), |v| format!("{v:.precision$}"))
            };
            println!(
                "{concurrency:>4} {name:>8} {:>9.1} {:>8.1} {:>8} {:>9} {:>9.1} {ratio:>10} {rss_ok:>10}",
                stats.files as f64 / stats.seconds,
                stats.bytes as f64 / 1e6 / stats.seconds,
                or_na(stats.cpu_seconds, 2),
                or_na(stats.peak_rss.map(|rss| rss as f64 / 1048576.0), 1),
                cap / 1048576.0,
            );
        }
    }
    println!(
        "ratio = SDK throughput / minimal throughput (target >= 0.90); RSS cap = 32 MB + concurrency x largest file"
    );
}
