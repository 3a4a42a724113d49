//! What a first sync costs beyond uploading: 3,000 small files in ten directories, uploaded
//! by `upload_many` to a fresh fake, then synced by `sync_dir` (no manifest yet) to another
//! fresh fake, with a roomy rate limit so neither waits on the budget. Prints both times, the
//! bytes the sync wrote to disk (`write_bytes` of /proc/self/io, Linux only), the size of the
//! manifest it left, and both ratios. The two alternate for three rounds and the medians are
//! compared, so that a burst of other work on a shared machine does not decide the ratio.
//! Each fake runs in a child process (this program started again with `--serve-fake`): in
//! this process, its S3 would write every uploaded object here, counted as the sync's bytes.
//!
//! `cargo bench -p webflow-bench --bench first_sync` (`SYNC_FILES=n`, `SYNC_ROUNDS=n` for
//! other counts)

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use webflow_assets::bulk::{BulkFile, BulkOptions};
use webflow_assets::manifest::DEFAULT_FILE_NAME;
use webflow_assets::sync::SyncOptions;
use webflow_assets::{Client, RateLimit};
use webflow_fake::FakeWebflow;

const DIRECTORIES: usize = 10;
/// Goal: the sync takes at most this many times as long as `upload_many`.
const TIME_GOAL: f64 = 1.5;
/// Goal: the sync writes at most this many times the size of the manifest it leaves.
const WRITE_GOAL: f64 = 20.0;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if std::env::args().any(|a| a == "--serve-fake") {
        return serve_fake();
    }
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let (count, rounds) = (number("SYNC_FILES", 3_000), number("SYNC_ROUNDS", 3).max(1));
    let dir = tempfile::tempdir().expect("temporary directory");
    let files = small_files(dir.path(), count);
    let bulk = BulkOptions::default();
    let runtime = Runtime::new().expect("runtime");
    println!(
        "First sync: {count} small files in {DIRECTORIES} directories, concurrency {}, no rate limit in the way",
        bulk.concurrency
    );
    let (mut upload_times, mut sync_times, mut written) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        let upload = upload(&runtime, &files, &bulk);
        let (sync, bytes) = first_sync(&runtime, dir.path(), count, &bulk);
        println!(
            "  round {round}: upload_many {upload:.2} s, sync_dir {sync:.2} s, sync wrote {}",
            bytes.map_or("n/a".into(), |b| format!("{b} bytes"))
        );
        upload_times.push(upload);
        sync_times.push(sync);
        written.extend(bytes);
    }
    let manifest = std::fs::metadata(dir.path().join(DEFAULT_FILE_NAME))
        .expect("the sync leaves a manifest")
        .len();

    let (upload_s, sync_s) = (median(upload_times), median(sync_times));
    println!("Medians of {rounds} rounds");
    println!(
        "  upload_many              {upload_s:>10.2} s   ({:.0} files/s)",
        count as f64 / upload_s
    );
    println!(
        "  sync_dir                 {sync_s:>10.2} s   ({:.0} files/s)",
        count as f64 / sync_s
    );
    println!("  manifest size            {manifest:>10} bytes");
    // The largest of the rounds: the bytes barely vary, and the goal is a bound.
    let written = written.into_iter().max();
    match written {
        Some(bytes) => println!(
            "  bytes written by sync    {bytes:>10} bytes   (/proc/self/io write_bytes, largest round)"
        ),
        None => println!("  bytes written by sync           n/a   (/proc/self/io is Linux only)"),
    }
    let time_ratio = sync_s / upload_s;
    println!(
        "  sync / upload time       {time_ratio:>10.2}   (goal <= {TIME_GOAL}: {})",
        verdict(time_ratio <= TIME_GOAL)
    );
    if let Some(bytes) = written {
        let write_ratio = bytes as f64 / manifest as f64;
        println!(
            "  written / manifest       {write_ratio:>10.2}   (goal <= {WRITE_GOAL}: {})",
            verdict(write_ratio <= WRITE_GOAL)
        );
    }
}

/// Seconds `upload_many` takes to put every file on a fresh site, in folders named as the
/// sync names them.
fn upload(runtime: &Runtime, files: &[(String, PathBuf)], bulk: &BulkOptions) -> f64 {
    let fake = ChildFake::start();
    let client = fake.client();
    let batch = files.iter().map(|(relative, disk)| {
        let folder = Path::new(relative).parent().expect("in a directory");
        let path = format!("upload/{}", folder.display());
        BulkFile::path(disk).folder(path.parse().expect("a folder path"))
    });
    let started = Instant::now();
    let report = runtime.block_on(async {
        client
            .upload_many(
                &fake.site_id.parse::<webflow_assets::SiteId>().unwrap(),
                batch,
                bulk.clone(),
            )
            .expect("a runtime")
            .finish()
            .await
    });
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(report.uploaded.len(), files.len(), "{:?}", report.failed);
    seconds
}

/// Seconds a first sync of `dir` to a fresh site takes, and the bytes it wrote to disk.
fn first_sync(
    runtime: &Runtime,
    dir: &Path,
    count: usize,
    bulk: &BulkOptions,
) -> (f64, Option<u64>) {
    // An earlier round's manifest would name another site; a first sync has none.
    let _ = std::fs::remove_file(dir.join(DEFAULT_FILE_NAME));
    let fake = ChildFake::start();
    let client = fake.client();
    let options = SyncOptions::default()
        .folder("sync".parse().expect("folder path"))
        .bulk(bulk.clone());
    let written_before = written_bytes();
    let started = Instant::now();
    let report = runtime.block_on(async {
        client
            .sync_dir(
                &fake.site_id.parse::<webflow_assets::SiteId>().unwrap(),
                dir,
                options,
            )
            .await
            .expect("sync")
            .finish()
            .await
    });
    let seconds = started.elapsed().as_secs_f64();
    let written = written_bytes()
        .zip(written_before)
        .map(|(after, before)| after - before);
    assert_eq!(report.uploaded.len(), count, "{:?}", report.failed);
    (seconds, written)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}

/// `count` files of a few bytes each, spread over [`DIRECTORIES`] directories: their paths
/// relative to `dir` and on disk.
fn small_files(dir: &Path, count: usize) -> Vec<(String, PathBuf)> {
    (0..count)
        .map(|i| {
            let relative = format!("set-{}/file-{i:05}.txt", i % DIRECTORIES);
            let disk = dir.join(&relative);
            std::fs::create_dir_all(disk.parent().expect("in a directory")).expect("directory");
            std::fs::write(&disk, format!("small file number {i}\n")).expect("file");
            (relative, disk)
        })
        .collect()
}

/// Bytes this process has caused to be written to storage so far.
#[cfg(target_os = "linux")]
fn written_bytes() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    let line = io.lines().find(|l| l.starts_with("write_bytes:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn written_bytes() -> Option<u64> {
    None
}

/// A fresh fake in a child process, which stops when its standard input closes.
struct ChildFake {
    child: Child,
    base_url: String,
    token: String,
    site_id: String,
}

impl ChildFake {
    fn start() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("this program"))
            .arg("--serve-fake")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the fake");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut next = || lines.next().expect("a line").expect("text");
        let (base_url, token, site_id) = (next(), next(), next());
        Self {
            child,
            base_url,
            token,
            site_id,
        }
    }

    fn client(&self) -> Client {
        Client::builder(self.token.clone())
            .base_url(&self.base_url)
            .rate_limit(RateLimit::per_minute(1_000_000))
            .build()
            .expect("client")
    }
}

impl Drop for ChildFake {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
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
        println!("{}\n{}\n{}", fake.base_url(), fake.token(), fake.site_id());
        tokio::task::spawn_blocking(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
        })
        .await
        .expect("stdin reader");
    });
}
