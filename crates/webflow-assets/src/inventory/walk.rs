//! The local inventory: what a synced directory holds, and every part of it the walk did not
//! read, with why.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoOperation};
use crate::ids::SiteId;
use crate::inventory::filter::Filter;
use crate::inventory::journal;
use crate::inventory::manifest::Manifest;
use crate::inventory::sidecar;
use crate::inventory::{LocalFile, LocalInventory, Unread, UnreadReason};
use crate::path::{FolderPath, RelPath};
use crate::reasons::SkipReason;

/// What a run reads of the local side: the directory at `dir` (a missing one is empty when
/// `missing_is_empty`, as for a pull into a new directory), and the manifest at `manifest`
/// for this site and folder with its journal replayed. Read on a blocking thread, off the
/// async workers.
pub(crate) async fn local_side(
    dir: &Path,
    manifest: &Path,
    site_id: &SiteId,
    folder: Option<FolderPath>,
    filter: Filter,
    follow_links: bool,
    missing_is_empty: bool,
) -> Result<(LocalInventory, Manifest), Error> {
    crate::runtime::current()?;
    let (at, path, site) = (dir.to_path_buf(), manifest.to_path_buf(), site_id.clone());
    tokio::task::spawn_blocking(move || {
        let manifest = journal::load(&path, &site, folder.as_ref())?;
        if missing_is_empty && !at.exists() {
            return Ok((LocalInventory::default(), manifest));
        }
        let options = WalkOptions {
            filter: &filter,
            follow_links,
            own_files: vec![path.clone(), journal::path_for(&path)],
        };
        Ok((walk(&at, &options)?, manifest))
    })
    .await
    .map_err(|e| Error::Io {
        operation: IoOperation::Reading,
        path: dir.to_path_buf(),
        source: std::io::Error::other(e),
    })?
}

/// How to walk.
pub(crate) struct WalkOptions<'a> {
    pub(crate) filter: &'a Filter,
    pub(crate) follow_links: bool,
    /// The sync's own files (manifest, journal), which are not content.
    pub(crate) own_files: Vec<PathBuf>,
}

/// Walks `dir`. Hidden entries (a name starting with `.`) are skipped and hidden directories
/// not entered; links are skipped unless followed (a followed link that loops is skipped);
/// excluded paths are skipped before anything about them is read; a name that is not UTF-8
/// is skipped, never renamed; an entry that cannot be read fails. Each is reported once, so
/// nothing in the directory goes unaccounted for. Only a directory that cannot be opened at
/// all is an error.
pub(crate) fn walk(dir: &Path, options: &WalkOptions<'_>) -> Result<LocalInventory, Error> {
    std::fs::read_dir(dir).map_err(|source| Error::Io {
        operation: IoOperation::Reading,
        path: dir.to_path_buf(),
        source,
    })?;
    let mut inventory = LocalInventory {
        alt_text: sidecar::read(dir)?,
        ..Default::default()
    };
    let mut entries = walkdir::WalkDir::new(dir)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                inventory.unread.push(unreadable(dir, error));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        let label = relative_lossy(dir, entry.path());
        let Some(path) = relative(dir, entry.path()) else {
            // No path can name it: the nearest one that can, its directory, is protected.
            let reason = match entry.file_name().to_str() {
                None => SkipReason::NotUtf8,
                Some(_) => SkipReason::UnusableName,
            };
            inventory.unread.push(Unread {
                path: entry
                    .path()
                    .parent()
                    .and_then(|parent| relative(dir, parent)),
                label,
                why: UnreadReason::Skipped(reason),
            });
            if is_dir {
                entries.skip_current_dir();
            }
            continue;
        };
        let sidecar = entry.depth() == 1 && sidecar::FILES.contains(&path.as_str());
        if sidecar || is_own_file(entry.path(), &options.own_files) {
            inventory.unread.push(Unread {
                path: Some(path),
                label,
                why: UnreadReason::Own,
            });
            continue;
        }
        let excluded = match is_dir {
            true => options.filter.is_excluded_dir(path.as_str()),
            false => !options.filter.is_included(path.as_str()),
        };
        let skip = if excluded {
            Some(SkipReason::Excluded)
        } else if path.name().starts_with('.') {
            Some(SkipReason::Hidden)
        } else if entry.path_is_symlink() && !options.follow_links {
            Some(SkipReason::Symlink)
        } else if !is_dir && !entry.file_type().is_file() {
            Some(SkipReason::NotAFile)
        } else {
            None
        };
        if let Some(reason) = skip {
            if is_dir {
                entries.skip_current_dir();
            }
            inventory.unread.push(Unread {
                label,
                path: Some(path),
                why: UnreadReason::Skipped(reason),
            });
            continue;
        }
        if is_dir {
            continue;
        }
        match entry.metadata() {
            Ok(metadata) => inventory.files.push(LocalFile {
                path,
                label,
                disk: entry.path().to_path_buf(),
                size: metadata.len(),
                modified_ns: crate::inventory::modified_ns(&metadata),
            }),
            Err(error) => inventory.unread.push(Unread {
                label,
                path: Some(path),
                why: UnreadReason::Failed(io_error(entry.path(), error)),
            }),
        }
    }
    Ok(inventory)
}

/// Whether `path` is one of `own` (the manifest and its journal, wherever the caller put
/// them). Only entries with the same file name are compared, by their canonical paths, so a
/// manifest named through another spelling of its directory is still recognised.
fn is_own_file(path: &Path, own: &[PathBuf]) -> bool {
    own.iter().any(|own| {
        own.file_name() == path.file_name()
            && match (own.canonicalize(), path.canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => own == path,
            }
    })
}

/// An entry the walk could not read: a loop of followed links (skipped), or an entry that
/// could not be opened (failed).
fn unreadable(dir: &Path, error: walkdir::Error) -> Unread {
    let at = error.path().unwrap_or(dir).to_path_buf();
    let path = relative(dir, &at);
    let label = relative_lossy(dir, &at);
    let why = match error.loop_ancestor() {
        Some(_) => UnreadReason::Skipped(SkipReason::LinkLoop),
        None => UnreadReason::Failed(io_error(&at, error)),
    };
    Unread { path, label, why }
}

fn io_error(path: &Path, error: walkdir::Error) -> Error {
    let source = error
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("unreadable"));
    Error::Io {
        operation: IoOperation::Reading,
        path: path.to_path_buf(),
        source,
    }
}

/// `path` relative to `dir`, if every name in it is UTF-8.
fn relative(dir: &Path, path: &Path) -> Option<RelPath> {
    let names: Option<Vec<&str>> = path
        .strip_prefix(dir)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    RelPath::from_names(names?)
}

/// `path` relative to `dir`, for showing only: names that are not UTF-8 are shown lossily.
fn relative_lossy(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| OsStr::to_string_lossy(c.as_os_str()).into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
