//! A font directory's manifest, `.webflow-fonts.json`: which font of the site each file of the
//! directory is, and the MD5 of the file's bytes (the source's, when it was compressed), so a
//! rerun knows an unchanged file without compressing it or downloading the hosted one.
//!
//! It is a cache: the site is the source of truth. A manifest that is missing or unreadable is
//! an empty one (each file is then compared with the site), and it is written whole, through a
//! temporary file renamed over it, so a kill at any instant leaves the old manifest or the new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoOperation};
use crate::ids::FontId;

/// The manifest's file name, in the font directory it describes.
pub const FILE_NAME: &str = ".webflow-fonts.json";

/// What the manifest remembers of one uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Remembered {
    /// The site's font id, written as a plain string.
    pub(crate) id: FontId,
    /// The MD5 of the local file (before compression).
    pub(crate) md5: String,
}

/// One directory's manifest: remembered files by file name.
#[derive(Debug, Default)]
pub(crate) struct DirManifest {
    path: PathBuf,
    files: BTreeMap<String, Remembered>,
}

impl DirManifest {
    /// The manifest of `dir`; empty when it is missing or cannot be read, and without an
    /// entry that does not read (a malformed font id, say): the site decides those files.
    pub(crate) fn read(dir: &Path) -> Self {
        let path = dir.join(FILE_NAME);
        let entries: BTreeMap<String, serde_json::Value> = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let files = entries
            .into_iter()
            .filter_map(|(name, entry)| Some((name, serde_json::from_value(entry).ok()?)))
            .collect();
        Self { path, files }
    }

    /// [`Self::read`] off the async runtime's threads: the read blocks.
    pub(crate) async fn read_async(dir: PathBuf) -> Self {
        let path = dir.join(FILE_NAME);
        tokio::task::spawn_blocking(move || Self::read(&dir))
            .await
            // A read that could not finish is an empty manifest, as an unreadable one is.
            .unwrap_or_else(|_| Self {
                path,
                files: BTreeMap::new(),
            })
    }

    /// What the manifest remembers of the file `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Remembered> {
        self.files.get(name)
    }

    /// Remembers that the file `name`, whose bytes have this MD5, is the site's font `id`, and
    /// writes the manifest atomically, the write (and its `sync_all`) off the async runtime's
    /// threads.
    pub(crate) async fn remember_async(
        &mut self,
        name: &str,
        id: &FontId,
        md5: &str,
    ) -> Result<(), Error> {
        let remembered = Remembered {
            id: id.clone(),
            md5: md5.to_string(),
        };
        self.files.insert(name.to_string(), remembered);
        let (path, files) = (self.path.clone(), self.files.clone());
        tokio::task::spawn_blocking(move || write(&path, &files))
            .await
            .map_err(|e| Error::Io {
                operation: IoOperation::Writing,
                path: self.path.clone(),
                source: std::io::Error::other(e.to_string()),
            })?
    }
}

/// Writes a manifest whole, through a temporary file renamed over it.
fn write(path: &Path, files: &BTreeMap<String, Remembered>) -> Result<(), Error> {
    let writing = |source| Error::Io {
        operation: IoOperation::Writing,
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temp = tempfile::NamedTempFile::new_in(dir).map_err(writing)?;
    crate::json_file::persist(temp, files, path).map_err(writing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font(n: u8) -> FontId {
        format!("6500aa00bb11cc22dd33ee{n:02}").parse().unwrap()
    }

    /// The file is the 0.1 format (ids as plain strings), and an entry whose id is no font
    /// id is dropped alone; the others stay.
    #[test]
    fn an_entry_that_does_not_read_is_dropped_alone() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"{"a.ttf":{"id":"6500aa00bb11cc22dd33ee01","md5":"0123"},"b.ttf":{"id":"f2","md5":"4567"}}"#;
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        let manifest = DirManifest::read(dir.path());
        assert_eq!(manifest.get("a.ttf").map(|r| &r.id), Some(&font(1)));
        assert!(manifest.get("b.ttf").is_none());
        let written = serde_json::to_string(&manifest.files).unwrap();
        assert_eq!(
            written,
            r#"{"a.ttf":{"id":"6500aa00bb11cc22dd33ee01","md5":"0123"}}"#
        );
    }

    #[tokio::test]
    async fn a_missing_or_damaged_manifest_is_empty_and_a_write_replaces_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        assert!(DirManifest::read(dir.path()).get("a.ttf").is_none());
        std::fs::write(dir.path().join(FILE_NAME), b"{ not json").unwrap();
        let mut manifest = DirManifest::read(dir.path());
        assert!(manifest.get("a.ttf").is_none());
        manifest
            .remember_async("a.ttf", &font(1), "0123")
            .await
            .unwrap();
        let again = DirManifest::read(dir.path());
        let expected = Remembered {
            id: font(1),
            md5: "0123".into(),
        };
        assert_eq!(again.get("a.ttf"), Some(&expected));
        // Only the manifest is left: the temporary file was renamed over it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [FILE_NAME]);
    }

    /// The new manifest is a new file renamed over the old one: the old file is never opened
    /// for writing, so a kill mid-write leaves it whole. A hard link to the old file still
    /// holds the old bytes after the write.
    #[cfg(unix)]
    #[tokio::test]
    async fn the_old_manifest_is_never_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = DirManifest::read(dir.path());
        manifest
            .remember_async("a.ttf", &font(1), "0123")
            .await
            .unwrap();
        let old = std::fs::read(dir.path().join(FILE_NAME)).unwrap();
        let link = dir.path().join("old-link");
        std::fs::hard_link(dir.path().join(FILE_NAME), &link).unwrap();
        manifest
            .remember_async("b.ttf", &font(2), "4567")
            .await
            .unwrap();
        assert_eq!(std::fs::read(&link).unwrap(), old);
        assert_ne!(std::fs::read(dir.path().join(FILE_NAME)).unwrap(), old);
    }
}
