//! What a synced directory holds: its files, what is left out and why, and the alt-text
//! sidecar.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::bulk::SkipReason;
use crate::manifest;
use crate::sync::Filter;

/// The sidecar file names read for alt text, in the synced directory's top level.
pub const ALT_TEXT_FILES: [&str; 2] = ["alt-text.csv", "alt-text.json"];

/// A file found in the directory.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) relative: String,
    pub(crate) path: PathBuf,
    pub(crate) size: u64,
    pub(crate) modified_ns: u64,
}

/// What the walk found: files to consider, and entries left alone with a reason.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    pub(crate) files: Vec<Found>,
    pub(crate) skipped: Vec<(String, SkipReason)>,
}

/// Hidden entries (a name starting with `.`) are skipped, and hidden directories are not
/// entered; symbolic links are skipped, never followed (a link could leave the tree or loop);
/// excluded paths are skipped before anything about them is read, and excluded directories
/// are not entered. Each is reported once, so nothing in the directory goes unaccounted for.
/// The manifest and the alt-text sidecar are the sync's own files, not content.
pub(crate) fn walk(dir: &Path, manifest_path: &Path, filter: &Filter) -> Result<Walk, Error> {
    let mut walk = Walk::default();
    let mut entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::Io {
                operation: crate::IoOperation::Reading,
                path,
                source: e.into(),
            }
        })?;
        if entry.depth() == 0 || entry.path() == manifest_path {
            continue;
        }
        let relative = relative_path(dir, entry.path());
        if entry.depth() == 1 && ALT_TEXT_FILES.contains(&relative.as_str()) {
            continue;
        }
        let file_type = entry.file_type();
        let excluded = match file_type.is_dir() {
            true => filter.is_excluded_dir(&relative),
            false => !filter.is_included(&relative),
        };
        if entry.file_name().to_string_lossy().starts_with('.') || excluded {
            if file_type.is_dir() {
                entries.skip_current_dir();
            }
            let reason = match excluded {
                true => SkipReason::Excluded,
                false => SkipReason::Hidden,
            };
            walk.skipped.push((relative, reason));
        } else if file_type.is_symlink() {
            walk.skipped.push((relative, SkipReason::Symlink));
        } else if file_type.is_file() {
            let metadata = entry.metadata().map_err(|e| Error::Io {
                operation: crate::IoOperation::Reading,
                path: entry.path().to_path_buf(),
                source: e.into(),
            })?;
            walk.files.push(Found {
                relative,
                path: entry.path().to_path_buf(),
                size: metadata.len(),
                modified_ns: manifest::modified_ns(&metadata),
            });
        }
    }
    Ok(walk)
}

fn relative_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Alt text by relative path, from `alt-text.csv` (rows of path, text; a first row
/// `path,alt_text` is a header) or `alt-text.json` (an object of path to text) in `dir`.
/// Neither file: no alt text is managed.
pub(crate) fn alt_text(dir: &Path) -> Result<Option<BTreeMap<String, String>>, Error> {
    let csv_path = dir.join(ALT_TEXT_FILES[0]);
    let json_path = dir.join(ALT_TEXT_FILES[1]);
    let unreadable = |path: &Path, reason: String| Error::Io {
        operation: crate::IoOperation::Parsing,
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, reason),
    };
    if json_path.exists() {
        let text = std::fs::read_to_string(&json_path).map_err(|source| Error::Io {
            operation: crate::IoOperation::Reading,
            path: json_path.clone(),
            source,
        })?;
        let rows: BTreeMap<String, String> = serde_json::from_str(&text).map_err(|e| {
            unreadable(
                &json_path,
                format!("expected {{\"path\": \"alt text\"}}: {e}"),
            )
        })?;
        return Ok(Some(normalise(rows)));
    }
    if !csv_path.exists() {
        return Ok(None);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(&csv_path)
        .map_err(|e| Error::Io {
            operation: crate::IoOperation::Reading,
            path: csv_path.clone(),
            source: e.into(),
        })?;
    let mut rows = BTreeMap::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| unreadable(&csv_path, e.to_string()))?;
        let (Some(path), Some(text), 2) = (record.get(0), record.get(1), record.len()) else {
            return Err(unreadable(
                &csv_path,
                format!(
                    "row {} has {} columns; it needs two, path and alt text (quote alt text that has commas)",
                    index + 1,
                    record.len()
                ),
            ));
        };
        if index == 0 && path.eq_ignore_ascii_case("path") {
            continue;
        }
        rows.insert(path.to_string(), text.to_string());
    }
    Ok(Some(normalise(rows)))
}

/// Paths as the walk spells them: `/`-separated, no leading `./` or `/`.
fn normalise(rows: BTreeMap<String, String>) -> BTreeMap<String, String> {
    rows.into_iter()
        .map(|(path, text)| {
            let path = path.replace('\\', "/");
            let path = path.trim_start_matches("./").trim_start_matches('/');
            (path.to_string(), text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_csv_and_json() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(alt_text(dir.path()).unwrap(), None);
        std::fs::write(
            dir.path().join("alt-text.csv"),
            "path,alt_text\n./a.png, A dog\n\"b/c.png\",\"Commas, quoted\"\n",
        )
        .unwrap();
        let rows = alt_text(dir.path()).unwrap().unwrap();
        assert_eq!(rows["a.png"], "A dog");
        assert_eq!(rows["b/c.png"], "Commas, quoted");
        for bad in ["lonely\n", "a.png,Two, unquoted\n"] {
            std::fs::write(dir.path().join("alt-text.csv"), bad).unwrap();
            assert!(alt_text(dir.path()).is_err(), "{bad}");
        }
        std::fs::write(dir.path().join("alt-text.json"), r#"{"x/y.png": "Y"}"#).unwrap();
        assert_eq!(alt_text(dir.path()).unwrap().unwrap()["x/y.png"], "Y");
    }
}
