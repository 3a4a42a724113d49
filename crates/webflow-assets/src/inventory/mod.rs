//! What a sync compares: the local inventory the walk makes of a directory, and the remote
//! inventory the listing makes of the site. Both are plain data, so the plan that compares
//! them is a pure function.

pub(crate) mod filter;
pub(crate) mod journal;
pub mod manifest;
pub(crate) mod remote;
pub(crate) mod safe_name;
pub(crate) mod sidecar;
pub(crate) mod walk;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::UNIX_EPOCH;

use crate::api::folder_tree::FolderTree;
use crate::error::Error;
use crate::path::{FolderPath, RelPath};
use crate::reasons::SkipReason;

/// A file found in the directory.
#[derive(Debug, Clone)]
pub(crate) struct LocalFile {
    /// Its path relative to the directory (normalised: see [`RelPath`]).
    pub(crate) path: RelPath,
    /// Its path as the disk spells it, for reports.
    pub(crate) label: String,
    /// Where it is on disk.
    pub(crate) disk: PathBuf,
    pub(crate) size: u64,
    pub(crate) modified_ns: u64,
}

/// A part of the directory the walk did not fully read. It is reported, and nothing on the
/// site at or below `path` is deleted, since the walk cannot say what is there.
#[derive(Debug)]
pub(crate) struct Unread {
    /// Where it is; for a name that is not UTF-8, its directory (the nearest path that can
    /// be named). `None` is the directory itself: nothing may be deleted.
    pub(crate) path: Option<RelPath>,
    /// How to show it.
    pub(crate) label: String,
    pub(crate) why: UnreadReason,
}

/// Why part of the directory was not read.
#[derive(Debug)]
pub(crate) enum UnreadReason {
    /// Left out on purpose (hidden, a link, excluded, not UTF-8, refused): a skip.
    Skipped(SkipReason),
    /// It could not be read: a failure.
    Failed(Error),
    /// One of the sync's own files (its manifest, journal or alt-text file): never content,
    /// not reported, but an asset of that name is not the run's to delete.
    Own,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct LocalInventory {
    pub(crate) files: Vec<LocalFile>,
    pub(crate) unread: Vec<Unread>,
    /// Alt text by path, from the sidecar file; `None` when there is none.
    pub(crate) alt_text: Option<BTreeMap<RelPath, String>>,
}

/// An asset under the sync's target folder.
#[derive(Debug, Clone)]
pub(crate) struct RemoteAsset {
    pub(crate) id: crate::AssetId,
    /// Its folder and name relative to the target folder (NFC); `None` when its name cannot
    /// be a path (empty, `.`, `..`, or holding a `/`).
    pub(crate) path: Option<RelPath>,
    pub(crate) size: u64,
    pub(crate) alt_text: Option<String>,
    pub(crate) hosted_url: Option<String>,
    /// Its folder relative to the target folder.
    pub(crate) dir: FolderPath,
    /// Its file name as the site has it, in NFC, whatever it holds.
    pub(crate) name: String,
    /// The name shown in the Assets panel.
    pub(crate) display_name: Option<String>,
}

#[cfg(test)]
impl RemoteAsset {
    /// An asset with no path or name, for tests to fill in.
    pub(crate) fn blank() -> Self {
        Self {
            id: crate::AssetId::numbered(0),
            path: None,
            size: 0,
            alt_text: None,
            hosted_url: None,
            dir: FolderPath::default(),
            name: String::new(),
            display_name: None,
        }
    }
}

/// The site as a sync sees it: the assets under the target folder, and every folder.
#[derive(Debug, Default)]
pub(crate) struct RemoteInventory {
    pub(crate) assets: Vec<RemoteAsset>,
    pub(crate) folders: FolderTree,
}

/// The evidence a plan needs beyond the inventories: MD5s of local files and of hosted
/// assets, by index into the inventories, each computed or failed.
#[derive(Debug, Default)]
pub(crate) struct Evidence {
    pub(crate) local: HashMap<usize, Result<String, Error>>,
    pub(crate) hosted: HashMap<usize, Result<String, Error>>,
}

/// What must be computed before deciding: which local files to hash and which hosted
/// assets to download and hash, by index.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Checks {
    pub(crate) local: Vec<usize>,
    pub(crate) hosted: Vec<usize>,
}

/// A file's modification time in nanoseconds since the Unix epoch (0 when unknown).
pub(crate) fn modified_ns(metadata: &std::fs::Metadata) -> u64 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}
