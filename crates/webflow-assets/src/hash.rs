//! MD5, as Webflow wants it in `fileHash`: lowercase hex, identical to `md5sum`.

use std::io::Read;
use std::path::Path;

use tokio::io::{AsyncRead, AsyncReadExt};

/// Size of the one buffer a file is read through.
const BUFFER: usize = 256 * 1024;

/// The MD5 of bytes in memory.
///
/// ```
/// assert_eq!(webflow_assets::hash::md5_bytes(b"a"), "0cc175b9c0f1b6a831c399e269772661");
/// ```
pub fn md5_bytes(bytes: &[u8]) -> String {
    let mut hasher = Hasher::new();
    hasher.update(bytes);
    hex(&hasher.finish())
}

/// An MD5 computed piece by piece, for bytes that arrive in chunks (a download).
pub(crate) struct Running(Hasher);

impl Running {
    pub(crate) fn new() -> Self {
        Self(Hasher::new())
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub(crate) fn hex(self) -> String {
        hex(&self.0.finish())
    }
}

/// The MD5 of a file, read with plain blocking reads through one reused buffer on Tokio's
/// blocking pool (faster than `tokio::fs` chunked reads, which hop threads per chunk).
///
/// ```no_run
/// # async fn example() -> std::io::Result<()> {
/// let hash = webflow_assets::hash::md5_file("logo.png").await?;
/// println!("{hash}");
/// # Ok(())
/// # }
/// ```
pub async fn md5_file(path: impl AsRef<Path>) -> std::io::Result<String> {
    crate::runtime::current().map_err(std::io::Error::other)?;
    let path = path.as_ref().to_path_buf();
    tokio::task::spawn_blocking(move || md5_file_blocking(&path))
        .await
        .map_err(std::io::Error::other)?
}

/// The blocking core of [`md5_file`], for callers that run their own threads.
pub fn md5_file_blocking(path: &Path) -> std::io::Result<String> {
    hash_with(&mut vec![0; BUFFER], path)
}

fn hash_with(buffer: &mut [u8], path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Hasher::new();
    loop {
        match file.read(buffer) {
            Ok(0) => return Ok(hex(&hasher.finish())),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The MD5s of many files, computed by one worker per core, each reading through its own
/// reused buffer (one blocking task per file instead would crowd the blocking pool and gain
/// nothing from the second core). Results are in the order of `paths`.
///
/// ```no_run
/// # async fn example() {
/// let hashes = webflow_assets::hash::md5_files(vec!["a.png".into(), "b.pdf".into()]).await;
/// # }
/// ```
///
/// The number of workers follows the machine and is not a setting; the blocking core is
/// internal:
///
/// ```compile_fail,E0603
/// let _ = webflow_assets::hash::md5_files_blocking(&[], 1);
/// ```
pub async fn md5_files(paths: Vec<std::path::PathBuf>) -> Vec<std::io::Result<String>> {
    if crate::runtime::current().is_err() {
        let outside = || std::io::Error::other(crate::Error::NoRuntime);
        return paths.iter().map(|_| Err(outside())).collect();
    }
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let count = paths.len();
    tokio::task::spawn_blocking(move || md5_files_blocking(&paths, workers))
        .await
        .unwrap_or_else(|e| {
            (0..count)
                .map(|_| Err(std::io::Error::other(e.to_string())))
                .collect()
        })
}

/// The blocking core of [`md5_files`], with a chosen number of workers.
pub(crate) fn md5_files_blocking(
    paths: &[std::path::PathBuf],
    workers: usize,
) -> Vec<std::io::Result<String>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<std::io::Result<String>>>> =
        paths.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, paths.len().max(1)) {
            scope.spawn(|| {
                let mut buffer = vec![0; BUFFER];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    let result = hash_with(&mut buffer, path);
                    *results[i].lock().expect("result slot") = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("result slot")
                .expect("every path was hashed")
        })
        .collect()
}

/// The MD5 of everything an async reader yields.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let hash = webflow_assets::hash::md5_reader(&b"a"[..]).await?;
/// assert_eq!(hash, "0cc175b9c0f1b6a831c399e269772661");
/// # Ok(())
/// # }
/// ```
pub async fn md5_reader<R: AsyncRead + Unpin>(mut reader: R) -> std::io::Result<String> {
    let mut hasher = Hasher::new();
    let mut buffer = vec![0; BUFFER];
    loop {
        let n = reader.read(&mut buffer).await?;
        if n == 0 {
            return Ok(hex(&hasher.finish()));
        }
        hasher.update(&buffer[..n]);
    }
}

/// MD5 from md-5, the default.
#[cfg(not(feature = "aws-lc-md5"))]
struct Hasher(md5::Md5);

#[cfg(not(feature = "aws-lc-md5"))]
impl Hasher {
    fn new() -> Self {
        use md5::Digest;
        Self(md5::Md5::new())
    }

    fn update(&mut self, data: &[u8]) {
        md5::Digest::update(&mut self.0, data);
    }

    fn finish(self) -> [u8; 16] {
        md5::Digest::finalize(self.0).into()
    }
}

/// MD5 from aws-lc (feature `aws-lc-md5`).
#[cfg(feature = "aws-lc-md5")]
struct Hasher(aws_lc_sys::MD5_CTX);

#[cfg(feature = "aws-lc-md5")]
impl Hasher {
    fn new() -> Self {
        let mut ctx = std::mem::MaybeUninit::<aws_lc_sys::MD5_CTX>::uninit();
        // SAFETY: MD5_Init fully initialises the context it is given and cannot fail.
        unsafe {
            aws_lc_sys::MD5_Init(ctx.as_mut_ptr());
            Self(ctx.assume_init())
        }
    }

    fn update(&mut self, data: &[u8]) {
        // SAFETY: the context is initialised, and MD5_Update reads exactly `data.len()` bytes
        // from a live slice.
        unsafe { aws_lc_sys::MD5_Update(&mut self.0, data.as_ptr().cast(), data.len()) };
    }

    fn finish(mut self) -> [u8; 16] {
        let mut out = [0u8; 16];
        // SAFETY: MD5_Final writes the 16-byte digest into `out` from an initialised context.
        unsafe { aws_lc_sys::MD5_Final(out.as_mut_ptr(), &mut self.0) };
        out
    }
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(32), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The md-5 crate's answer, whichever backend this build uses.
    fn reference(bytes: &[u8]) -> String {
        use md5::Digest;
        hex(&md5::Md5::digest(bytes))
    }

    #[test]
    fn the_backend_agrees_with_md5_on_random_inputs() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        for _ in 0..200 {
            let len = rng.random_range(0..20_000);
            let mut bytes = vec![0u8; len];
            rng.fill(&mut bytes[..]);
            assert_eq!(md5_bytes(&bytes), reference(&bytes), "{len} bytes");
            // Fed in pieces, too.
            let mut hasher = Hasher::new();
            for chunk in bytes.chunks(rng.random_range(1..4096)) {
                hasher.update(chunk);
            }
            assert_eq!(hex(&hasher.finish()), reference(&bytes));
        }
    }

    #[test]
    fn known_digests() {
        assert_eq!(md5_bytes(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            md5_bytes(b"The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }

    #[tokio::test]
    async fn file_reader_and_bytes_agree_across_buffer_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        for size in [0, 1, BUFFER - 1, BUFFER, BUFFER + 1, 3 * BUFFER + 7] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join(format!("f{size}"));
            std::fs::write(&path, &bytes).unwrap();
            let expected = md5_bytes(&bytes);
            assert_eq!(md5_file(&path).await.unwrap(), expected, "{size}");
            assert_eq!(md5_reader(&bytes[..]).await.unwrap(), expected, "{size}");
        }
        assert!(md5_file(dir.path().join("missing")).await.is_err());
    }

    #[tokio::test]
    async fn many_files_in_parallel_keep_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for i in 0..9usize {
            let path = dir.path().join(format!("f{i}"));
            std::fs::write(&path, vec![i as u8; i * 1000]).unwrap();
            paths.push(path);
        }
        paths.insert(4, dir.path().join("missing"));
        let hashes = md5_files(paths.clone()).await;
        for (path, hash) in paths.iter().zip(&hashes) {
            match std::fs::read(path) {
                Ok(bytes) => assert_eq!(hash.as_ref().unwrap(), &md5_bytes(&bytes)),
                Err(_) => assert!(hash.is_err()),
            }
        }
        for workers in [1, 2, 16] {
            let again: Vec<_> = md5_files_blocking(&paths, workers)
                .into_iter()
                .map(|r| r.ok())
                .collect();
            assert_eq!(
                again,
                hashes
                    .iter()
                    .map(|r| r.as_ref().ok().cloned())
                    .collect::<Vec<_>>()
            );
        }
    }
}
