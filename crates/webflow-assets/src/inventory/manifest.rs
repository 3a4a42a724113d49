//! The local record of what a directory sync has uploaded: a cache, never the truth. The site
//! is the truth; the manifest only spares re-hashing unchanged files and remembers which asset
//! a file became and which uploads were in flight when a run stopped. A lost, stale or foreign
//! manifest costs hashing, never a duplicate asset.
//!
//! It is kept as a snapshot (the JSON file) and, while a sync runs, a journal beside it
//! (`<manifest>.journal`, JSON lines) of uploads started and finished: a run writes each file's
//! record once, and rewrites the snapshot once at its end, so what it writes grows with the
//! number of files rather than with its square. A sync loads the snapshot and replays the
//! journal a killed run left onto it.
//!
//! How a file's modification time is read is the crate's own business:
//!
//! ```compile_fail,E0425
//! let ns = webflow_assets::manifest::modified_ns(&std::fs::metadata(".").unwrap());
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::ids::{AssetId, SiteId};
use crate::path::{FolderPath, RelPath};

/// The manifest's file name when none is given: hidden, so a sync never uploads it.
pub const DEFAULT_FILE_NAME: &str = ".webflow-assets-manifest.json";

/// The format written; version 1 (no `pending`, no `alt_text`) still loads.
pub const VERSION: u32 = 2;

/// What is known of one uploaded file. Its id is typed and written as the same text: an
/// entry whose id does not read is dropped on load, as a lost cache entry (the site decides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entry {
    /// Size in bytes when uploaded.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified_ns: u64,
    /// MD5 of the bytes uploaded.
    pub md5: String,
    /// The asset Webflow made of it.
    pub asset_id: AssetId,
    /// The alt text last set on it from the sidecar file, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
}

/// An upload that was started but not seen to finish: written before the asset is created, so
/// a run that dies at any instant leaves a note for the next one to check the site first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pending {
    /// MD5 of the bytes being uploaded.
    pub md5: String,
    /// Size in bytes.
    pub size: u64,
    /// When the upload started, milliseconds since the Unix epoch.
    pub started_ms: u64,
}

impl Pending {
    /// A note that the upload of these bytes started at `started_ms` (milliseconds since the
    /// Unix epoch).
    pub fn new(md5: impl Into<String>, size: u64, started_ms: u64) -> Self {
        Self {
            md5: md5.into(),
            size,
            started_ms,
        }
    }
}

/// Every file a sync uploaded to one site, by path relative to the synced directory.
///
/// Its ids and folder are typed, and written as the text they always were, so a manifest
/// written by 0.1 loads and is written back in the same form:
///
/// ```
/// use webflow_assets::manifest::Manifest;
///
/// let site = "580e63e98c9a982ac9b8b741".parse()?;
/// let manifest = Manifest::new(site, Some("brand/logos".parse()?));
/// let json = serde_json::to_value(&manifest).unwrap();
/// assert_eq!(json["site_id"], "580e63e98c9a982ac9b8b741");
/// assert_eq!(json["folder"], "brand/logos");
/// # Ok::<(), webflow_assets::Rule>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Manifest {
    /// Format version.
    pub version: u32,
    /// The site the files went to.
    pub site_id: SiteId,
    /// The folder path they went under, if any.
    pub folder: Option<FolderPath>,
    /// Uploaded files by relative path (`/`-separated, NFC).
    pub files: BTreeMap<RelPath, Entry>,
    /// Uploads in flight when the manifest was last written, by relative path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pending: BTreeMap<RelPath, Pending>,
}

impl Manifest {
    /// An empty manifest, of the current format, for files synced to this site and folder.
    pub fn new(site_id: SiteId, folder: Option<FolderPath>) -> Self {
        Self {
            version: VERSION,
            site_id,
            folder,
            files: BTreeMap::new(),
            pending: BTreeMap::new(),
        }
    }

    /// The manifest at `path` for this site and folder; an empty one when there is none yet,
    /// when it records another site or folder (its entries say nothing about this one), when
    /// it is of a newer format, or when it cannot be parsed. An entry that does not read (its
    /// asset id not an id, say) is dropped alone, as a lost cache entry. Only a file that
    /// exists but cannot be read is an error. The root is one folder whether it is passed as
    /// `None` or as `Some(FolderPath::root())`, and whether the file writes it `null` or
    /// `""`; the loaded manifest keeps the file's form, so saving it changes no byte of that.
    pub fn load(path: &Path, site_id: &SiteId, folder: Option<&FolderPath>) -> Result<Self, Error> {
        let fresh = Manifest::new(site_id.clone(), folder.cloned());
        let io = |source| Error::Io {
            operation: crate::IoOperation::Reading,
            path: path.to_path_buf(),
            source,
        };
        let size = match std::fs::metadata(path) {
            Ok(metadata) => metadata.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(fresh),
            Err(source) => return Err(io(source)),
        };
        // The site is the truth, so a manifest that cannot be used costs only hashing: a
        // fresh start, with a warning, never a failed sync.
        let ignore = |why: &str| {
            tracing::warn!(path = %path.display(), why, "ignoring the sync manifest");
            Ok(fresh.clone())
        };
        if size > MAX_BYTES {
            return ignore("it is larger than any manifest this crate writes");
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let Ok(serde_json::Value::Object(mut top)) = serde_json::from_slice(&bytes) else {
            return ignore("it is not a JSON object");
        };
        // Read as the types they are written from; one that does not read is another's.
        let field = |key: &str| top.get(key).cloned().unwrap_or(serde_json::Value::Null);
        let site = serde_json::from_value::<SiteId>(field("site_id")).ok();
        let under = serde_json::from_value::<Option<FolderPath>>(field("folder")).ok();
        let version = top.get("version").and_then(|v| v.as_u64());
        let Some(under) = under.filter(|under| same_folder(under.as_ref(), folder)) else {
            return ignore("it is for another site, folder or format");
        };
        if version.is_none_or(|v| v > u64::from(VERSION)) || site.as_ref() != Some(&fresh.site_id) {
            return ignore("it is for another site, folder or format");
        }
        // One entry that does not read (a hand edit, a partial write by another tool) loses
        // that entry only. The folder keeps the form the file has (`null` or `""` for the
        // root), so writing it back changes no byte of it.
        let mut manifest = fresh;
        manifest.folder = under;
        manifest.files = entries(top.remove("files"));
        manifest.pending = entries(top.remove("pending"));
        Ok(manifest)
    }

    /// Writes the manifest atomically: a reader (or a crash) sees the old file or the new
    /// one, never half of one.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let io = |source| Error::Io {
            operation: crate::IoOperation::Writing,
            path: path.to_path_buf(),
            source,
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        crate::json_file::persist(temp, self, path).map_err(io)
    }
}

/// Whether two manifests' folders name the same target: the root is one target whether it
/// is named (`Some` of the root, written `""`) or not (`None`, written `null`), as a sync's
/// retarget check sees it, so switching between the two forms keeps the cache.
pub(crate) fn same_folder(a: Option<&FolderPath>, b: Option<&FolderPath>) -> bool {
    a.filter(|f| !f.is_root()) == b.filter(|f| !f.is_root())
}

/// The largest manifest read: far above what a million files would need.
const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// The entries of an object whose path and value read; the others are dropped. Paths are
/// read as [`RelPath`]s, so a manifest written before names were compared in NFC still
/// matches.
fn entries<T: serde::de::DeserializeOwned>(
    value: Option<serde_json::Value>,
) -> BTreeMap<RelPath, T> {
    let Some(serde_json::Value::Object(map)) = value else {
        return BTreeMap::new();
    };
    map.into_iter()
        .filter_map(|(path, entry)| {
            Some((RelPath::parse(&path)?, serde_json::from_value(entry).ok()?))
        })
        .collect()
}

/// Now, in milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Where the manifest goes when the caller names none.
pub fn default_path(dir: &Path) -> PathBuf {
    dir.join(DEFAULT_FILE_NAME)
}

/// Where a sync run keeps the journal of the manifest at `manifest` (`<manifest>.journal`):
/// a caller that guards which files may be written guards this one too.
///
/// ```
/// use std::path::Path;
/// let journal = webflow_assets::manifest::journal_path(Path::new("site/.webflow-assets.json"));
/// assert_eq!(journal, Path::new("site/.webflow-assets.json.journal"));
/// ```
pub fn journal_path(manifest: &Path) -> PathBuf {
    let mut name = manifest.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteId {
        "580e63e98c9a982ac9b8b741".parse().unwrap()
    }

    fn folder() -> FolderPath {
        "f".parse().unwrap()
    }

    /// A manifest as 0.1 wrote it (its ids and folder plain strings), byte for byte.
    const WRITTEN_BY_0_1: &str = r#"{
  "version": 2,
  "site_id": "580e63e98c9a982ac9b8b741",
  "folder": "brand/logos",
  "files": {
    "a.png": {
      "size": 3,
      "modified_ns": 1700000000000000000,
      "md5": "900150983cd24fb0d6963f7d28e17f72",
      "asset_id": "6500aa00bb11cc22dd33ee01",
      "alt_text": "A red ball"
    },
    "d/b.pdf": {
      "size": 10,
      "modified_ns": 7,
      "md5": "e2fc714c4727ee9395f324cd2e7f331f",
      "asset_id": "6500aa00bb11cc22dd33ee02"
    }
  },
  "pending": {
    "c.png": {
      "md5": "0cc175b9c0f1b6a831c399e269772661",
      "size": 1,
      "started_ms": 2
    }
  }
}"#;

    #[test]
    fn a_manifest_written_by_0_1_reads_typed_and_is_written_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, WRITTEN_BY_0_1).unwrap();
        let logos: FolderPath = "brand/logos".parse().unwrap();
        let manifest = Manifest::load(&path, &site(), Some(&logos)).unwrap();
        assert_eq!(manifest.site_id, site());
        assert_eq!(manifest.folder, Some(logos));
        let a = &manifest.files[&RelPath::parse("a.png").unwrap()];
        let id: AssetId = "6500aa00bb11cc22dd33ee01".parse().unwrap();
        assert_eq!(a.asset_id, id);
        assert_eq!(a.alt_text.as_deref(), Some("A red ball"));
        assert_eq!(manifest.files.len(), 2);
        assert_eq!(manifest.pending.len(), 1);
        manifest.save(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), WRITTEN_BY_0_1);
        // At the root (no folder), `null`, as before.
        let root = Manifest::new(site(), None);
        root.save(&path).unwrap();
        let written: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            written,
            serde_json::json!({"version": 2, "site_id": "580e63e98c9a982ac9b8b741", "folder": null, "files": {}})
        );
    }

    /// A 0.1 manifest at the root, with `"folder": ""`, `null` or no folder at all, loads
    /// as the root whichever form the caller names it by, and is written back unchanged.
    #[test]
    fn a_manifest_at_the_root_loads_for_either_form_of_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let root = FolderPath::root();
        for folder in [Some("\"\""), Some("null"), None] {
            let head = match folder {
                Some(folder) => format!("\"folder\": {folder},"),
                None => String::new(),
            };
            let text = WRITTEN_BY_0_1.replace("\"folder\": \"brand/logos\",", &head);
            assert_ne!(text, WRITTEN_BY_0_1);
            for asked in [None, Some(&root)] {
                std::fs::write(&path, &text).unwrap();
                let manifest = Manifest::load(&path, &site(), asked).unwrap();
                assert_eq!(manifest.files.len(), 2, "{folder:?} asked as {asked:?}");
                assert_eq!(manifest.pending.len(), 1, "{folder:?} asked as {asked:?}");
                if folder.is_some() {
                    manifest.save(&path).unwrap();
                    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
                }
            }
        }
        std::fs::write(&path, WRITTEN_BY_0_1).unwrap();
        for asked in [None, Some(&root)] {
            let manifest = Manifest::load(&path, &site(), asked).unwrap();
            assert!(manifest.files.is_empty(), "brand/logos is not the root");
        }
    }

    /// The manifest is a cache: an id or a folder that does not read loses what it holds
    /// (one entry, or the whole file when it names no site this run can trust), never the
    /// sync, and never with a panic.
    #[test]
    fn an_entry_or_a_header_that_does_not_read_is_a_lost_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let logos: FolderPath = "brand/logos".parse().unwrap();
        let mut value: serde_json::Value = serde_json::from_str(WRITTEN_BY_0_1).unwrap();
        value["files"]["a.png"]["asset_id"] = "not-an-id".into();
        value["pending"]["c.png"]["size"] = "one".into();
        std::fs::write(&path, value.to_string()).unwrap();
        let manifest = Manifest::load(&path, &site(), Some(&logos)).unwrap();
        let kept: Vec<&str> = manifest.files.keys().map(RelPath::as_str).collect();
        assert_eq!(kept, ["d/b.pdf"], "the bad entry alone is dropped");
        assert!(manifest.pending.is_empty());
        for (key, bad) in [
            ("site_id", serde_json::json!("not-a-site")),
            ("site_id", serde_json::json!(42)),
            ("site_id", serde_json::Value::Null),
            ("folder", serde_json::json!("brand//logos")),
            ("folder", serde_json::json!(["brand", "logos"])),
        ] {
            let mut value: serde_json::Value = serde_json::from_str(WRITTEN_BY_0_1).unwrap();
            value[key] = bad.clone();
            std::fs::write(&path, value.to_string()).unwrap();
            let manifest = Manifest::load(&path, &site(), Some(&logos)).unwrap();
            assert_eq!(
                manifest,
                Manifest::new(site(), Some(logos.clone())),
                "{key}: {bad}"
            );
        }
    }

    #[test]
    fn saves_atomically_and_reloads_only_for_the_same_site_and_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut manifest = Manifest::load(
            &path,
            &"580e63e98c9a982ac9b8b741".parse().unwrap(),
            Some(&folder()),
        )
        .unwrap();
        assert!(manifest.files.is_empty());
        manifest.files.insert(
            RelPath::parse("a/b.png").unwrap(),
            Entry {
                size: 3,
                modified_ns: 7,
                md5: "x".into(),
                asset_id: "6500aa00bb11cc22dd33ee01".parse().unwrap(),
                alt_text: None,
            },
        );
        manifest.save(&path).unwrap();
        assert_eq!(
            Manifest::load(
                &path,
                &"580e63e98c9a982ac9b8b741".parse().unwrap(),
                Some(&folder())
            )
            .unwrap(),
            manifest
        );
        assert!(
            Manifest::load(
                &path,
                &"580e63e98c9a982ac9b8b742".parse().unwrap(),
                Some(&folder())
            )
            .unwrap()
            .files
            .is_empty()
        );
        assert!(
            Manifest::load(&path, &"580e63e98c9a982ac9b8b741".parse().unwrap(), None)
                .unwrap()
                .files
                .is_empty()
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
        std::fs::write(&path, "{ not json").unwrap();
        assert!(
            Manifest::load(
                &path,
                &"580e63e98c9a982ac9b8b741".parse().unwrap(),
                Some(&folder())
            )
            .unwrap()
            .files
            .is_empty(),
            "a corrupted cache is a fresh start"
        );
    }
}
