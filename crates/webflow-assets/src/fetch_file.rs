//! Writing one hosted file into a directory so that no half-written file ever has its final
//! name: the bytes stream into a hidden temporary file beside the target, are checked (size,
//! and MD5 when known), and only then is the file renamed into place. The file is written on
//! a blocking thread, never on the async workers, and the target is checked by its canonical
//! path to lie inside the directory.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::header::CONTENT_LENGTH;
use tokio::sync::mpsc;

use crate::Error;
use crate::path::RelPath;
use crate::validate::Rule;

/// Prefix of the temporary files: hidden, so a sync of the directory never uploads one a
/// killed run left behind.
pub(crate) const TEMP_PREFIX: &str = ".webflow-assets-";

/// What was written.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub(crate) md5: String,
    pub(crate) modified_ns: u64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where `file` goes under `root` (a canonical directory), with its parent directories
/// made; refused when the canonical parent is not inside `root` (a link planted in the
/// directory cannot lead a write outside it).
fn place(root: &Path, file: &RelPath) -> Result<(PathBuf, PathBuf), Error> {
    let mut target = root.to_path_buf();
    for name in file.as_str().split('/') {
        target.push(name);
    }
    let parent = target.parent().unwrap_or(root).to_path_buf();
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let canonical = parent.canonicalize().map_err(io(&parent))?;
    if !canonical.starts_with(root) {
        return Err(Error::Io {
            path: target,
            source: std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "refusing to write outside the directory",
            ),
        });
    }
    let name = target
        .file_name()
        .map(ToOwned::to_owned)
        .unwrap_or_default();
    Ok((canonical.join(&name), canonical))
}

/// Downloads `url` (no token; redirects held to the URL rules) into `file` under `root`.
pub(crate) async fn fetch(
    http: &reqwest::Client,
    url: &str,
    root: &Path,
    file: &RelPath,
    size: u64,
    md5: Option<&str>,
) -> Result<Fetched, Error> {
    let (root, file_owned) = (root.to_path_buf(), file.clone());
    let (target, parent) = tokio::task::spawn_blocking(move || place(&root, &file_owned))
        .await
        .map_err(|e| Error::Io {
            path: file.as_str().into(),
            source: std::io::Error::other(e),
        })??;
    let (mut response, _) = crate::download::open(http, url).await?;
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(declared) = declared.filter(|&d| d != size) {
        return Err(Rule::LengthMismatch {
            declared: size,
            actual: declared,
        }
        .into());
    }
    let (chunks, receiver) = mpsc::channel::<Bytes>(8);
    let writer = tokio::task::spawn_blocking(move || write(&parent, receiver));
    let mut actual = 0u64;
    let mut streamed = Ok(());
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                actual += chunk.len() as u64;
                if actual > size || chunks.send(chunk).await.is_err() {
                    break;
                }
            }
            Ok(None) => break,
            Err(error) => {
                streamed = Err(Error::from_reqwest(error));
                break;
            }
        }
    }
    drop(chunks);
    let written = writer.await.map_err(|e| Error::Io {
        path: target.clone(),
        source: std::io::Error::other(e),
    })?;
    streamed?;
    let (temp, hash) = written?;
    if actual != size {
        return Err(Rule::LengthMismatch {
            declared: size,
            actual,
        }
        .into());
    }
    if let Some(expected) = md5.filter(|m| !m.is_empty() && *m != hash) {
        return Err(Error::UnexpectedResponse {
            file: Some(file.to_string()),
            status: None,
            body: format!("the hosted bytes have MD5 {hash}, not the {expected} recorded"),
        });
    }
    let modified_ns = tokio::task::spawn_blocking(move || -> Result<u64, Error> {
        // Not fsynced: a kill cannot undo a rename, and a power cut that does costs a
        // download on the next run (the size check), never a wrong file kept.
        temp.persist(&target).map_err(|e| io(&target)(e.error))?;
        let metadata = std::fs::metadata(&target).map_err(io(&target))?;
        Ok(crate::manifest::modified_ns(&metadata))
    })
    .await
    .map_err(|e| Error::Io {
        path: file.as_str().into(),
        source: std::io::Error::other(e),
    })??;
    Ok(Fetched {
        md5: hash,
        modified_ns,
    })
}

/// The blocking half: a temporary file in `dir` that takes every chunk, and the MD5 of
/// them. Dropped unpersisted (an error, a cancelled run), the temporary file is removed.
fn write(
    dir: &Path,
    mut chunks: mpsc::Receiver<Bytes>,
) -> Result<(tempfile::NamedTempFile, String), Error> {
    use std::io::Write;
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(io(dir))?;
    let mut md5 = crate::hash::Running::new();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, temp.as_file_mut());
    while let Some(chunk) = chunks.blocking_recv() {
        md5.update(&chunk);
        out.write_all(&chunk).map_err(io(dir))?;
    }
    out.flush().map_err(io(dir))?;
    drop(out);
    Ok((temp, md5.hex()))
}
