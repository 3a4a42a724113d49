//! Hashing at the machine's limit: the SDK's file hashing against md-5 on bytes already in
//! memory, many files on every core against one, and MD5 from aws-lc (already compiled into
//! the tree by rustls) against md-5.
//!
//! `cargo bench -p webflow-assets --bench hashing` measures with criterion, then prints the
//! throughputs and ratios side by side from criterion's own estimates.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput};
use md5::{Digest, Md5};
use webflow_assets::hash;

const BIG: usize = 64 * 1024 * 1024;
const SMALL: usize = 100 * 1024;
const MANY: usize = 1000;

fn bytes(len: usize, seed: u32) -> Vec<u8> {
    (0..len as u32)
        .map(|i| (i.wrapping_add(seed).wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

fn aws_lc_md5(data: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    // SAFETY: MD5 reads `len` bytes from `data` and writes 16 bytes to `out`, both valid here.
    unsafe { aws_lc_sys::MD5(data.as_ptr(), data.len(), out.as_mut_ptr()) };
    out
}

struct Fixture {
    _dir: tempfile::TempDir,
    big: PathBuf,
    big_bytes: Vec<u8>,
    small: Vec<PathBuf>,
    small_bytes: Vec<Vec<u8>>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let big = dir.path().join("big.bin");
    let big_bytes = bytes(BIG, 1);
    std::fs::write(&big, &big_bytes).expect("write");
    let mut small = Vec::new();
    let mut small_bytes = Vec::new();
    for i in 0..MANY {
        let path = dir.path().join(format!("small-{i:04}.bin"));
        let data = bytes(SMALL, i as u32 + 7);
        std::fs::write(&path, &data).expect("write");
        small.push(path);
        small_bytes.push(data);
    }
    Fixture {
        _dir: dir,
        big,
        big_bytes,
        small,
        small_bytes,
    }
}

fn benches(c: &mut Criterion, f: &Fixture) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");

    let mut group = c.benchmark_group("one-64MiB-file");
    group.throughput(Throughput::Bytes(BIG as u64));
    group.bench_function("md5-in-memory", |b| {
        b.iter(|| Md5::digest(black_box(&f.big_bytes)))
    });
    group.bench_function("aws-lc-in-memory", |b| {
        b.iter(|| aws_lc_md5(black_box(&f.big_bytes)))
    });
    group.bench_function("sdk-md5_bytes", |b| {
        b.iter(|| hash::md5_bytes(black_box(&f.big_bytes)))
    });
    group.bench_function("sdk-md5_file", |b| {
        b.iter(|| runtime.block_on(hash::md5_file(&f.big)).expect("hash"))
    });
    group.finish();

    let mut group = c.benchmark_group("1000-files-of-100KiB");
    group.throughput(Throughput::Bytes((SMALL * MANY) as u64));
    group.bench_function("md5-in-memory", |b| {
        b.iter(|| {
            for data in &f.small_bytes {
                black_box(Md5::digest(black_box(data)));
            }
        })
    });
    group.bench_function("sdk-md5_bytes", |b| {
        b.iter(|| {
            for data in &f.small_bytes {
                black_box(hash::md5_bytes(black_box(data)));
            }
        })
    });
    group.bench_function("sdk-md5_file-each", |b| {
        b.iter(|| {
            runtime.block_on(async {
                for p in &f.small {
                    hash::md5_file(p).await.expect("hash");
                }
            })
        })
    });
    // The crate's own API, as a caller uses it: one worker per core.
    group.bench_function("sdk-md5_files", |b| {
        b.iter(|| runtime.block_on(hash::md5_files(black_box(f.small.clone()))))
    });
    group.finish();
}

/// criterion's mean time per iteration, in seconds.
fn mean_secs(root: &Path, group: &str, id: &str) -> Option<f64> {
    let text =
        std::fs::read_to_string(root.join(group).join(id).join("new/estimates.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(value["mean"]["point_estimate"].as_f64()? / 1e9)
}

fn summary(root: &Path, cores: usize) {
    let rate = |group: &str, id: &str, bytes: usize| {
        mean_secs(root, group, id).map(|s| bytes as f64 / s / 1e6)
    };
    let show = |label: &str, value: Option<f64>| match value {
        Some(v) => println!("  {label:<52} {v:>8.0} MB/s"),
        None => println!("  {label:<52}      n/a"),
    };
    let ratio = |label: &str, a: Option<f64>, b: Option<f64>, target: &str| match (a, b) {
        (Some(a), Some(b)) => println!("  {label:<52} {:>8.2}   (target {target})", a / b),
        _ => println!("  {label:<52}      n/a"),
    };
    let (g1, g2) = ("one-64MiB-file", "1000-files-of-100KiB");
    let big_mem = rate(g1, "md5-in-memory", BIG);
    let big_sdk = rate(g1, "sdk-md5_file", BIG);
    let big_aws = rate(g1, "aws-lc-in-memory", BIG);
    let big_backend = rate(g1, "sdk-md5_bytes", BIG);
    let many = SMALL * MANY;
    let small_mem = rate(g2, "md5-in-memory", many);
    let small_backend = rate(g2, "sdk-md5_bytes", many);
    let small_each = rate(g2, "sdk-md5_file-each", many);
    let all = rate(g2, "sdk-md5_files", many);
    // What one of the workers hashes: the I/O path's cost per core.
    let one = all.map(|all| all / cores as f64);
    println!("\nHashing summary ({cores} cores):");
    show("one 64 MiB file: md-5 on bytes in memory", big_mem);
    show("one 64 MiB file: aws-lc MD5 on bytes in memory", big_aws);
    show(
        "one 64 MiB file: the SDK's MD5 on bytes in memory",
        big_backend,
    );
    show("one 64 MiB file: SDK md5_file (read + hash)", big_sdk);
    show("1000 x 100 KiB: md-5 on bytes in memory", small_mem);
    show(
        "1000 x 100 KiB: the SDK's MD5 on bytes in memory",
        small_backend,
    );
    show(
        "1000 x 100 KiB: SDK md5_file, one after another",
        small_each,
    );
    show("1000 x 100 KiB: SDK md5_files, per worker", one);
    show(
        &format!("1000 x 100 KiB: SDK md5_files, {cores} workers"),
        all,
    );
    println!("Ratios (file hashing / the same MD5 on the same bytes in memory):");
    ratio("I/O path, one 64 MiB file", big_sdk, big_backend, ">= 0.95");
    ratio(
        "I/O path, 1000 files, per worker",
        one,
        small_backend,
        ">= 0.95",
    );
    ratio(
        "I/O path, 1000 files, md5_file each",
        small_each,
        small_backend,
        "-",
    );
    ratio(
        &format!("md5_files on {cores} cores / md5_file one after another"),
        all,
        small_each,
        ">= 1.8 on 2 cores",
    );
    ratio(
        "aws-lc / md-5, in memory",
        big_aws,
        big_mem,
        ">= 1.15 for the opt-in",
    );
    ratio(
        "SDK file hashing / md-5 in memory, one file",
        big_sdk,
        big_mem,
        "-",
    );
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("criterion");
    let fixture = fixture();
    assert_eq!(
        aws_lc_md5(&fixture.big_bytes)[..],
        Md5::digest(&fixture.big_bytes)[..]
    );
    let mut criterion = Criterion::default()
        .output_directory(&root)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    benches(&mut criterion, &fixture);
    criterion.final_summary();
    summary(&root, cores);
}
