//! `pull` of 1,000 files against a minimal downloader: plain reqwest, the same concurrency;
//! it lists the assets (100 a page, as the SDK does), makes one directory per folder and
//! writes each body with one `tokio::fs::write` into it, the same tree as the SDK's (no
//! checks, no temporary files, no manifest). The SDK's run includes its plan
//! (the folder listing and one request per 100 assets, the walk), the size check, the
//! temporary file and rename of every file, the manifest's journal and the sidecar. The fake serves both from this
//! process; files are written to a temporary directory.
//!
//! `cargo bench -p webflow-bench --bench pull` (`BENCH_FILES=200` for a quick run,
//! `BENCH_CONCURRENCY=8` to change the concurrency, `BENCH_ROUNDS=3`, and `BENCH_ONLY=sdk`
//! or `BENCH_ONLY=minimal` to run one side, e.g. under a profiler).

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use futures::StreamExt;
use webflow_assets::Client;
use webflow_assets::pull::PullOptions;
use webflow_fake::{FakeHandle, FakeWebflow};

/// Deterministic file bodies of 4 KB to 400 KB (log-uniform, so most are small, like real
/// asset libraries).
fn bodies(count: usize) -> Vec<Vec<u8>> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    (0..count)
        .map(|_| {
            let unit = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let size = (4_000f64 * 100f64.powf(unit)) as usize;
            (0..size).map(|_| next() as u8).collect()
        })
        .collect()
}

/// The best of one side's rounds.
struct Side {
    best: Duration,
    best_downloads: Duration,
    best_cpu: Option<f64>,
}

impl Default for Side {
    fn default() -> Self {
        Self {
            best: Duration::MAX,
            best_downloads: Duration::MAX,
            best_cpu: None,
        }
    }
}

impl Side {
    fn add(&mut self, took: Duration, before_downloads: Duration, cpu: Option<f64>) {
        self.best = self.best.min(took);
        self.best_downloads = self.best_downloads.min(took - before_downloads);
        self.best_cpu = match (self.best_cpu, cpu) {
            (Some(best), Some(cpu)) => Some(best.min(cpu)),
            (best, cpu) => best.or(cpu),
        };
    }
}

async fn seed(fake: &FakeHandle, count: usize) -> u64 {
    let site = fake.site_id().to_string();
    let folders: Vec<String> = (0..10)
        .map(|i| fake.seed_folder(&site, None, &format!("folder-{i}")))
        .collect();
    let mut bytes = 0;
    for (i, body) in bodies(count).into_iter().enumerate() {
        bytes += body.len() as u64;
        let name = format!("asset-{i:04}.png");
        fake.seed_asset(&site, Some(&folders[i % folders.len()]), &name, &body)
            .expect("seeded");
    }
    bytes
}

/// The baseline: list the assets with plain reqwest, GET each hosted URL and write the body
/// to a file.
async fn minimal(fake: &FakeHandle, dir: &Path, concurrency: usize) -> (Duration, Duration) {
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut urls: Vec<(String, String, String)> = Vec::new();
    loop {
        let page: serde_json::Value = http
            .get(format!(
                "{}/sites/{}/assets?offset={}&limit=100",
                fake.base_url(),
                fake.site_id(),
                urls.len()
            ))
            .bearer_auth(fake.token())
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("page");
        let assets = page["assets"].as_array().expect("assets");
        urls.extend(assets.iter().map(|a| {
            let folder = a["folderId"].as_str().unwrap_or("").to_string();
            let name = a["displayName"].as_str().expect("name").to_string();
            let url = a["hostedUrl"].as_str().expect("url").to_string();
            (folder, name, url)
        }));
        if assets.is_empty()
            || urls.len() as u64 >= page["pagination"]["total"].as_u64().unwrap_or(0)
        {
            break;
        }
    }
    let listed = started.elapsed();
    // The same tree as the SDK writes: one directory per folder (by id here, which needs no
    // folder listing), made once.
    for folder in urls
        .iter()
        .map(|(folder, _, _)| folder)
        .collect::<HashSet<_>>()
    {
        tokio::fs::create_dir_all(dir.join(folder))
            .await
            .expect("mkdir");
    }
    let runs = urls.iter().map(|(folder, name, url)| {
        let http = http.clone();
        async move {
            let body = http
                .get(url)
                .send()
                .await
                .expect("GET")
                .bytes()
                .await
                .expect("body");
            tokio::fs::write(dir.join(folder).join(name), body)
                .await
                .expect("write");
        }
    });
    futures::stream::iter(runs)
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await;
    (started.elapsed(), listed)
}

async fn sdk(fake: &FakeHandle, dir: &Path, concurrency: usize) -> (Duration, Duration, usize) {
    // The fake's CDN is on loopback, which downloads reach only when allowed.
    let client = Client::builder(fake.token())
        .base_url(fake.base_url())
        .allow_private_urls(true)
        .build()
        .expect("client");
    let options = PullOptions::default().concurrency(concurrency);
    let started = Instant::now();
    let plan = client
        .pull_plan(
            &fake.site_id().parse::<webflow_assets::SiteId>().unwrap(),
            dir,
            options,
        )
        .await
        .expect("plan");
    let planned = started.elapsed();
    let report = plan.execute(&client).await.expect("run");
    assert!(report.failed.is_empty(), "{:?}", report.failed.first());
    (started.elapsed(), planned, report.downloaded.len())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let count = env("BENCH_FILES", 1000);
    let concurrency = env("BENCH_CONCURRENCY", 16);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let fake = FakeWebflow::builder()
            .rate_limit(1_000_000, Duration::from_secs(60))
            .start()
            .await
            .expect("fake");
        let bytes = seed(&fake, count).await;
        println!(
            "pull of {count} files ({:.1} MB) at concurrency {concurrency}",
            bytes as f64 / 1e6
        );
        // Warm the fake's and the page cache's view of the objects, for both alike.
        let warm = tempfile::tempdir().expect("dir");
        minimal(&fake, warm.path(), concurrency).await;
        let only = std::env::var("BENCH_ONLY").unwrap_or_default();
        let mut minimal_side = Side::default();
        let mut sdk_side = Side::default();
        let rounds = env("BENCH_ROUNDS", 5);
        for round in 1..=rounds {
            // Each side goes first in every other round, so neither always meets the file
            // system just after the other's directory was removed.
            for sdk_turn in [round % 2 == 0, round % 2 == 1] {
                if !only.is_empty() && only != if sdk_turn { "sdk" } else { "minimal" } {
                    continue;
                }
                let dir = tempfile::tempdir().expect("dir");
                fake.log().clear();
                let cpu = webflow_bench::own_usage().map(|(cpu, _)| cpu);
                let (took, before_downloads) = match sdk_turn {
                    true => {
                        let (took, planned, downloaded) = sdk(&fake, dir.path(), concurrency).await;
                        assert_eq!(downloaded, count);
                        (took, planned)
                    }
                    false => minimal(&fake, dir.path(), concurrency).await,
                };
                let cpu = cpu.zip(webflow_bench::own_usage()).map(|(a, (b, _))| b - a);
                let requests = fake
                    .requests()
                    .iter()
                    .filter(|r| r.side == webflow_fake::Side::Webflow)
                    .count();
                println!(
                    "round {round}: {:<7} {:>5.0} files/s, {} CPU ms, {:.0} ms before the first download, {requests} API requests",
                    if sdk_turn { "SDK" } else { "minimal" },
                    count as f64 / took.as_secs_f64(),
                    cpu.map_or("unmeasured".into(), |c| format!("{:.0}", c * 1e3)),
                    before_downloads.as_secs_f64() * 1e3,
                );
                let side = if sdk_turn { &mut sdk_side } else { &mut minimal_side };
                side.add(took, before_downloads, cpu);
                if sdk_turn && round == rounds {
                    fake.log().clear();
                    let (_, _, again) = sdk(&fake, dir.path(), concurrency).await;
                    let hosted = fake
                        .requests()
                        .iter()
                        .filter(|r| r.side == webflow_fake::Side::Hosted)
                        .count();
                    println!("rerun: {again} downloaded, {hosted} CDN requests");
                }
                // Removed before the next side runs, outside its timing.
                drop(dir);
            }
        }
        if !only.is_empty() {
            return;
        }
        let rate = |took: Duration| count as f64 / took.as_secs_f64();
        println!(
            "best of {rounds}: minimal {:.0} files/s, SDK {:.0} files/s, ratio {:.2} (goal >= 0.90)",
            rate(minimal_side.best),
            rate(sdk_side.best),
            minimal_side.best.as_secs_f64() / sdk_side.best.as_secs_f64()
        );
        println!(
            "downloads alone, best of {rounds}: minimal {:.0} files/s, SDK {:.0} files/s, ratio {:.2}",
            rate(minimal_side.best_downloads),
            rate(sdk_side.best_downloads),
            minimal_side.best_downloads.as_secs_f64() / sdk_side.best_downloads.as_secs_f64()
        );
        if let (Some(minimal_cpu), Some(sdk_cpu)) = (minimal_side.best_cpu, sdk_side.best_cpu) {
            println!(
                "CPU time of the process (the fake's serving included, alike for both), best of {rounds}: minimal {:.0} ms, SDK {:.0} ms, ratio {:.2}",
                minimal_cpu * 1e3,
                sdk_cpu * 1e3,
                minimal_cpu / sdk_cpu
            );
        }
    });
}
