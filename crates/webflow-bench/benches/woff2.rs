//! `--woff2`'s encoder against Google's reference `woff2_compress` (Debian package `woff2`)
//! on the same fonts: output size (goal: at most 1.05x the reference's bytes) and
//! compression time per MB of input. Prints figures and ratios; asserts nothing.
//!
//! The fonts: the repository's fixtures, the DejaVu fonts of Debian's `fonts-dejavu-core`
//! when installed, and any named in `BENCH_FONTS` (colon-separated paths).
//! `cargo bench -p webflow-bench --bench woff2` (`BENCH_ROUNDS=3` by default: each figure is
//! the best of that many runs).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Fonts of Debian's `fonts-dejavu-core`, measured when installed.
const DEJAVU: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
];

fn fonts() -> Vec<PathBuf> {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../webflow-assets/tests/fixtures/fonts");
    let mut fonts: Vec<PathBuf> = [
        "DejaVuSans-Latin.ttf",
        "DejaVuSans-BoldOblique-Latin.ttf",
        "Inter-Italic-Variable-Latin.ttf",
        "Cantarell-Thin.otf",
    ]
    .iter()
    .map(|name| fixtures.join(name))
    .collect();
    fonts.extend(DEJAVU.iter().map(PathBuf::from).filter(|p| p.exists()));
    if let Ok(more) = std::env::var("BENCH_FONTS") {
        fonts.extend(more.split(':').filter(|p| !p.is_empty()).map(PathBuf::from));
    }
    fonts
}

/// The best time of `rounds` runs of `f`, and its last result.
fn best<T>(rounds: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut fastest = Duration::MAX;
    let mut last = None;
    for _ in 0..rounds {
        let start = Instant::now();
        let out = f();
        fastest = fastest.min(start.elapsed());
        last = Some(out);
    }
    (fastest, last.expect("at least one round"))
}

/// `woff2_compress` on a copy of `font`: its output's size and the time it took, or `None`
/// when the tool is not installed.
fn reference(font: &Path, rounds: usize, scratch: &Path) -> Option<(Duration, u64)> {
    let copy = scratch.join(font.file_name()?);
    std::fs::copy(font, &copy).ok()?;
    let out = copy.with_extension("woff2");
    let (time, status) = best(rounds, || {
        Command::new("woff2_compress")
            .arg(&copy)
            .output()
            .map(|o| o.status.success())
    });
    match status {
        Ok(true) => Some((time, std::fs::metadata(&out).ok()?.len())),
        _ => None,
    }
}

fn per_mb(time: Duration, bytes: usize) -> f64 {
    time.as_secs_f64() * 1e3 / (bytes as f64 / 1e6)
}

fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let scratch = tempfile::tempdir().expect("a temporary directory");
    println!("woff2: best of {rounds} runs; ms/MB is milliseconds per MB of input font");
    println!(
        "{:<36} {:>9} {:>9} {:>9} {:>7} {:>9} {:>9}",
        "font", "input", "ours", "woff2_c", "ratio", "ours ms/MB", "ref ms/MB"
    );
    let (mut ours_total, mut ref_total, mut input_total) = (0u64, 0u64, 0usize);
    let (mut ours_time, mut ref_time) = (Duration::ZERO, Duration::ZERO);
    let mut worst: f64 = 0.0;
    for font in fonts() {
        let Ok(bytes) = std::fs::read(&font) else {
            println!("{}: cannot be read, left out", font.display());
            continue;
        };
        let name = font
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (time, encoded) = best(rounds, || webflow_assets::woff2::compress(&bytes));
        let encoded = match encoded {
            Ok(encoded) => encoded,
            Err(e) => {
                println!("{name}: {e}");
                continue;
            }
        };
        let ours = encoded.len() as u64;
        let (ratio, ref_size, ref_ms) = match reference(&font, rounds, scratch.path()) {
            Some((ref_time_one, ref_size)) => {
                ours_total += ours;
                ref_total += ref_size;
                input_total += bytes.len();
                ours_time += time;
                ref_time += ref_time_one;
                let ratio = ours as f64 / ref_size as f64;
                worst = worst.max(ratio);
                (
                    format!("{ratio:.3}"),
                    ref_size.to_string(),
                    format!("{:.0}", per_mb(ref_time_one, bytes.len())),
                )
            }
            None => ("-".into(), "-".into(), "-".into()),
        };
        println!(
            "{name:<36} {:>9} {ours:>9} {ref_size:>9} {ratio:>7} {:>10.0} {ref_ms:>9}",
            bytes.len(),
            per_mb(time, bytes.len()),
        );
    }
    if ref_total == 0 {
        println!("woff2_compress is not installed (Debian package woff2): no reference to compare");
        return;
    }
    let ratio = ours_total as f64 / ref_total as f64;
    println!(
        "all fonts compared: {input_total} bytes in, ours {ours_total}, woff2_compress {ref_total}: \
         {ratio:.3}x the reference's bytes (worst font {worst:.3}x; goal at most 1.05x: {})",
        if worst <= 1.05 { "met" } else { "not met" }
    );
    println!(
        "time per MB of input: ours {:.0} ms, woff2_compress {:.0} ms ({:.2}x)",
        per_mb(ours_time, input_total),
        per_mb(ref_time, input_total),
        ours_time.as_secs_f64() / ref_time.as_secs_f64()
    );
}
