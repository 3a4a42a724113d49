//! Writing one hosted file into a directory so that no half-written file ever has its final
//! name: the bytes stream into a hidden temporary file beside the target, are checked (size,
//! and MD5 when known), and only then is the file renamed into place. The file is written on
//! a blocking thread, never on the async workers, and the target is checked by its canonical
//! path to lie inside the directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use reqwest::header::CONTENT_LENGTH;
use tokio::sync::mpsc;

use crate::error::Error;
use crate::path::{FolderPath, RelPath};
use crate::validate::Rule;

/// Prefix of the temporary files: hidden, so a sync of the directory never uploads one a
/// killed run left behind.
pub(crate) const TEMP_PREFIX: &str = ".webflow-assets-";

/// What was written.
#[derive(Debug)]
pub(crate) struct Fetched {
    /// Its MD5, when one was known to check it against (else empty).
    pub(crate) md5: String,
    pub(crate) modified_ns: u64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        operation: crate::IoOperation::Writing,
        path: path.to_path_buf(),
        source,
    }
}

/// The directory a run writes into, and the directories in it already made and checked.
#[derive(Debug)]
pub(crate) struct Places {
    /// Canonical.
    root: PathBuf,
    checked: Mutex<HashMap<FolderPath, PathBuf>>,
}

impl Places {
    /// Places under `root`, which must be canonical.
    pub(crate) fn new(root: PathBuf) -> Self {
        Self {
            root,
            checked: Mutex::new(HashMap::new()),
        }
    }

    /// Where `file` goes, with its parent directories made; refused when the canonical
    /// parent is not inside the root (a link planted in the directory cannot lead a write
    /// outside it). Each directory is made and checked once per run.
    fn place(&self, file: &RelPath) -> Result<(PathBuf, PathBuf), Error> {
        let dir = file.dir();
        let known = self.checked.lock().ok().and_then(|c| c.get(&dir).cloned());
        let canonical = match known {
            Some(canonical) => canonical,
            None => {
                let mut parent = self.root.clone();
                for name in dir.segments() {
                    parent.push(name);
                }
                std::fs::create_dir_all(&parent).map_err(io(&parent))?;
                let canonical = parent.canonicalize().map_err(io(&parent))?;
                if !canonical.starts_with(&self.root) {
                    return Err(Error::Io {
                        operation: crate::IoOperation::Writing,
                        path: parent,
                        source: std::io::Error::new(
                            std::io::ErrorKind::PermissionDenied,
                            "refusing to write outside the directory",
                        ),
                    });
                }
                if let Ok(mut checked) = self.checked.lock() {
                    checked.insert(dir, canonical.clone());
                }
                canonical
            }
        };
        Ok((canonical.join(file.name()), canonical))
    }
}

/// Downloads `url` (no token; redirects held to the URL rules) into `file` under `root`.
/// The MD5 is computed only to check one that is known (`md5`): a pull records what it
/// cannot check as unknown, rather than spend a hash per file that nothing reads.
pub(crate) async fn fetch(
    http: &crate::http::address::Fetcher,
    url: &str,
    places: &Arc<Places>,
    file: &RelPath,
    size: u64,
    md5: Option<&str>,
) -> Result<Fetched, Error> {
    let download = crate::validate::UrlPurpose::Download;
    let (response, _) = crate::http::download::open(http, url, download).await?;
    fetch_response(response, places, file, size, md5.filter(|m| !m.is_empty())).await
}

async fn fetch_response(
    mut response: reqwest::Response,
    places: &Arc<Places>,
    file: &RelPath,
    size: u64,
    md5: Option<&str>,
) -> Result<Fetched, Error> {
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
    let job = Job {
        places: places.clone(),
        file: file.clone(),
        size,
        md5: md5.map(String::from),
    };
    // A small body is gathered and handed to one blocking task whole, sparing a thread
    // hand-off per chunk; past `BUFFERED` bytes the rest streams to the writer through a
    // channel, so memory stays bounded whatever the file's size. `None` on the channel marks
    // the end of a body read whole; a channel closed without it (an error, a cancelled run)
    // leaves the temporary file to be removed.
    let mut first: Vec<Bytes> = Vec::new();
    let mut gathered = 0usize;
    let mut streaming: Option<(mpsc::Sender<Option<Bytes>>, Writer)> = None;
    let mut job = Some(job);
    let mut actual = 0u64;
    let mut streamed = Ok(());
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                actual += chunk.len() as u64;
                if actual > size {
                    streamed = Err(Rule::LengthMismatch {
                        declared: size,
                        actual,
                    }
                    .into());
                    break;
                }
                match &streaming {
                    Some((chunks, _)) => {
                        if chunks.send(Some(chunk)).await.is_err() {
                            break;
                        }
                    }
                    None => {
                        gathered += chunk.len();
                        first.push(chunk);
                        if gathered > BUFFERED {
                            let (chunks, receiver) = mpsc::channel(8);
                            let (job, first) =
                                (job.take().expect("one job"), std::mem::take(&mut first));
                            let writer = tokio::task::spawn_blocking(move || {
                                write(job, first, Some(receiver))
                            });
                            streaming = Some((chunks, writer));
                        }
                    }
                }
            }
            Ok(None) => {
                if let Some((chunks, _)) = &streaming {
                    let _ = chunks.send(None).await;
                }
                break;
            }
            Err(error) => {
                streamed = Err(Error::from_reqwest(error));
                break;
            }
        }
    }
    let writer = match streaming {
        Some((chunks, writer)) => {
            drop(chunks);
            writer
        }
        None => {
            std::mem::replace(&mut streamed, Ok(()))?;
            let job = job.take().expect("one job");
            tokio::task::spawn_blocking(move || write(job, first, None))
        }
    };
    let written = writer.await.map_err(|e| Error::Io {
        operation: crate::IoOperation::Writing,
        path: file.as_str().into(),
        source: std::io::Error::other(e),
    })?;
    streamed?;
    written
}

/// Bytes of a body gathered before it is streamed to its writer.
const BUFFERED: usize = 1024 * 1024;

type Writer = tokio::task::JoinHandle<Result<Fetched, Error>>;

/// What the blocking half writes, and what it must find.
struct Job {
    places: Arc<Places>,
    file: RelPath,
    size: u64,
    md5: Option<String>,
}

/// The blocking half: places the file, streams every chunk into a temporary file beside it
/// and, once the body is whole and checked, renames it into place. Dropped unpersisted (an
/// error, a cancelled run, a failed check), the temporary file is removed.
fn write(
    job: Job,
    first: Vec<Bytes>,
    rest: Option<mpsc::Receiver<Option<Bytes>>>,
) -> Result<Fetched, Error> {
    use std::io::Write;
    let (target, dir) = job.places.place(&job.file)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(".part");
    // A temporary file is private (0600); the file it becomes is an ordinary one, with the
    // permissions any new file gets (the umask still applies).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(&dir).map_err(io(&dir))?;
    let mut md5 = job.md5.as_ref().map(|_| crate::hash::Running::new());
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, temp.as_file_mut());
    let mut written = 0u64;
    // Without a channel, `first` is the whole body.
    let mut whole = rest.is_none();
    let mut rest = rest;
    let mut first = first.into_iter();
    loop {
        let chunk = match first.next() {
            Some(chunk) => chunk,
            None => match rest.as_mut().and_then(|r| r.blocking_recv()) {
                Some(Some(chunk)) => chunk,
                Some(None) => {
                    whole = true;
                    break;
                }
                None => break,
            },
        };
        if let Some(md5) = &mut md5 {
            md5.update(&chunk);
        }
        written += chunk.len() as u64;
        out.write_all(&chunk).map_err(io(&target))?;
    }
    out.flush().map_err(io(&target))?;
    drop(out);
    if !whole {
        return Err(Error::Io {
            operation: crate::IoOperation::Reading,
            path: target,
            source: std::io::Error::new(std::io::ErrorKind::Interrupted, "download stopped"),
        });
    }
    if written != job.size {
        return Err(Rule::LengthMismatch {
            declared: job.size,
            actual: written,
        }
        .into());
    }
    let hash = md5.map(crate::hash::Running::hex).unwrap_or_default();
    if let Some(expected) = job.md5.filter(|m| *m != hash) {
        return Err(Error::UnexpectedResponse {
            file: Some(job.file.to_string()),
            status: None,
            body: format!("the hosted bytes have MD5 {hash}, not the {expected} recorded"),
        });
    }
    // Not fsynced: a kill cannot undo a rename, and a power cut that does costs a download
    // on the next run (the size check), never a wrong file kept.
    let metadata = temp.as_file().metadata().map_err(io(&target))?;
    temp.persist(&target).map_err(|e| io(&target)(e.error))?;
    Ok(Fetched {
        md5: hash,
        modified_ns: crate::inventory::modified_ns(&metadata),
    })
}
