//! Shared pieces of the benchmarks: the deterministic workload and what a client process
//! reports about itself.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Extensions used by the workload, by kind: images stay under 4 MB, like Webflow's limit.
const EXTENSIONS: [&str; 5] = ["png", "jpg", "pdf", "txt", "svg"];

/// Writes `count` files of 20 KB to 4 MB (log-uniform, so most are small like real asset
/// libraries), of mixed kinds, the same bytes for the same `count` every time. Returns their
/// paths and the largest size.
pub fn workload(dir: &Path, count: usize) -> std::io::Result<(Vec<PathBuf>, u64)> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        // xorshift64*: deterministic and fast; nothing here needs real randomness.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let (min, max) = (20_000f64, 4_000_000f64);
    let mut paths = Vec::with_capacity(count);
    let mut largest = 0;
    for i in 0..count {
        let unit = (next() >> 11) as f64 / (1u64 << 53) as f64;
        let size = (min * (max / min).powf(unit)) as usize;
        let extension = EXTENSIONS[i % EXTENSIONS.len()];
        let mut bytes = vec![0u8; size];
        for chunk in bytes.chunks_mut(8) {
            let word = next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        let path = dir.join(format!("asset-{i:04}.{extension}"));
        std::fs::write(&path, &bytes)?;
        largest = largest.max(size as u64);
        paths.push(path);
    }
    Ok((paths, largest))
}

/// What a benchmark client measured of itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientStats {
    /// Files uploaded.
    pub files: usize,
    /// Bytes uploaded.
    pub bytes: u64,
    /// Wall-clock seconds for the uploads.
    pub seconds: f64,
    /// User plus system CPU seconds of the whole process (`None` where not measured).
    pub cpu_seconds: Option<f64>,
    /// Peak resident set size in bytes (`None` where not measured).
    pub peak_rss: Option<u64>,
}

/// This process's CPU time and peak RSS so far, from `getrusage`.
#[cfg(unix)]
pub fn own_usage() -> Option<(f64, u64)> {
    // SAFETY: getrusage fills the zeroed struct it is given; RUSAGE_SELF is always valid.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    // Linux and the BSDs report ru_maxrss in kilobytes, macOS in bytes.
    let rss_unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    Some((
        secs(usage.ru_utime) + secs(usage.ru_stime),
        usage.ru_maxrss as u64 * rss_unit,
    ))
}

/// Not measured: this system has no `getrusage`, and a made-up figure would read as a result.
#[cfg(not(unix))]
pub fn own_usage() -> Option<(f64, u64)> {
    None
}
