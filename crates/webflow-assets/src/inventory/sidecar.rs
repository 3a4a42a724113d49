//! The alt-text sidecar of a synced directory: `alt-text.csv` or `alt-text.json` at its top,
//! naming files by their path relative to it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, IoOperation};
use crate::ids::LocaleId;
use crate::path::RelPath;

/// The sidecar file names read for alt text, in the synced directory's top level.
pub const FILES: [&str; 2] = ["alt-text.csv", "alt-text.json"];

/// Alt text by relative path, from `alt-text.csv` (rows of path, text; a first row
/// `path,alt_text` is a header) or `alt-text.json` (an object of path to text) in `dir`.
/// Neither file: no alt text is managed.
pub(crate) fn read(dir: &Path) -> Result<Option<BTreeMap<RelPath, String>>, Error> {
    let csv_path = dir.join(FILES[0]);
    let json_path = dir.join(FILES[1]);
    if json_path.exists() {
        let text = std::fs::read_to_string(&json_path).map_err(|source| Error::Io {
            operation: IoOperation::Reading,
            path: json_path.clone(),
            source,
        })?;
        let rows: BTreeMap<String, Value> = serde_json::from_str(&text).map_err(|e| {
            unreadable(
                &json_path,
                format!("expected {{\"path\": \"alt text\"}}: {e}"),
            )
        })?;
        // A row may be the alt text itself or an object that also carries the display name
        // and other locales' alt text (as `pull` writes it); sync sets the primary alt text.
        let rows = rows
            .into_iter()
            .filter_map(|(path, value)| match value {
                Value::Text(text) => Some(Ok((path, text))),
                Value::Entry(entry) => entry.alt_text.map(|text| Ok((path, text))),
                Value::Other(other) => {
                    // An object that is no entry (a locale key that is no locale id) is
                    // refused for what the entry's reading found wrong in it.
                    let reason = match serde_json::from_value::<Entry>(other.clone()) {
                        Err(e) if other.is_object() => e.to_string(),
                        _ => format!("expected alt text or an object, not {other}"),
                    };
                    Some(Err(unreadable(&json_path, format!("{path:?}: {reason}"))))
                }
            })
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        return normalise(&json_path, rows).map(Some);
    }
    if !csv_path.exists() {
        return Ok(None);
    }
    let rows = read_csv(&csv_path)?;
    normalise(&csv_path, rows).map(Some)
}

fn unreadable(path: &Path, reason: String) -> Error {
    Error::Io {
        operation: IoOperation::Parsing,
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, reason),
    }
}

/// The rows of `alt-text.csv`: path, alt text; a first row `path,alt_text` is a header.
#[cfg(feature = "csv")]
fn read_csv(path: &Path) -> Result<BTreeMap<String, String>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Error::Io {
            operation: IoOperation::Reading,
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
    // The file's form is a CSV failure of its own; the disk's stays an I/O error.
    let form = |line: Option<u64>, message: String| Error::Csv {
        file: crate::error::CsvFile::AltTextSidecar,
        line,
        message,
    };
    let mut rows = BTreeMap::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| match e.is_io_error() {
            true => unreadable(path, e.to_string()),
            false => form(e.position().map(csv::Position::line), e.to_string()),
        })?;
        let line = record.position().map(csv::Position::line);
        let (Some(file), Some(text), 2) = (record.get(0), record.get(1), record.len()) else {
            return Err(form(
                line,
                format!(
                    "{} columns; a row needs two, path and alt text (quote alt text that has commas)",
                    record.len()
                ),
            ));
        };
        if index == 0 && file.eq_ignore_ascii_case("path") {
            continue;
        }
        if RelPath::parse(file).is_none() {
            return Err(form(
                line,
                format!("{file:?} is not a path inside the directory"),
            ));
        }
        rows.insert(file.to_string(), text.to_string());
    }
    Ok(rows)
}

/// Without the `csv` feature an `alt-text.csv` cannot be read: refused, not ignored, so its
/// alt text is not silently left unmanaged.
#[cfg(not(feature = "csv"))]
fn read_csv(path: &Path) -> Result<BTreeMap<String, String>, Error> {
    Err(unreadable(
        path,
        "reading alt-text.csv needs the `csv` feature of webflow-assets; write the alt text \
         as alt-text.json instead"
            .into(),
    ))
}

/// One row of `alt-text.json`: the alt text alone, or all a pull knows of the asset.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Value {
    Text(String),
    Entry(Entry),
    Other(serde_json::Value),
}

/// What the sidecar says of one file beyond a plain alt text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Entry {
    /// Alt text in the primary locale (`None`: not managed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) alt_text: Option<String>,
    /// The name shown in the Assets panel, when it is not the file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) display_name: Option<String>,
    /// Alt text by locale id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) locales: BTreeMap<LocaleId, String>,
}

/// Writes `alt-text.json` in `dir` atomically, in the object form [`read`] understands; a
/// `alt-text.csv` beside it would be shadowed, so it is left alone and reported by the caller.
pub(crate) fn write(dir: &Path, rows: &BTreeMap<RelPath, Entry>) -> Result<(), Error> {
    let path = dir.join(FILES[1]);
    let io = |source| Error::Io {
        operation: IoOperation::Writing,
        path: path.clone(),
        source,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".alt-text.");
    // A file people edit: the permissions any new file gets, not a temporary file's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temp = builder.tempfile_in(dir).map_err(io)?;
    crate::json_file::persist(temp, rows, &path).map_err(io)
}

/// Paths as the walk spells them (see [`RelPath::parse`]); a row whose path cannot name a
/// file in the directory is an error, not a row silently ignored.
fn normalise(
    file: &Path,
    rows: BTreeMap<String, String>,
) -> Result<BTreeMap<RelPath, String>, Error> {
    rows.into_iter()
        .map(|(path, text)| match RelPath::parse(&path) {
            Some(parsed) => Ok((parsed, text)),
            None => Err(Error::Io {
                operation: IoOperation::Parsing,
                path: file.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{path:?} is not a path inside the directory"),
                ),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "csv"))]
    #[test]
    fn without_the_csv_feature_an_alt_text_csv_is_refused_not_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("alt-text.csv"), "a.png,A dog\n").unwrap();
        let error = read(dir.path()).unwrap_err();
        assert!(error.to_string().contains("`csv` feature"), "{error}");
    }

    #[cfg(feature = "csv")]
    #[test]
    fn sidecar_csv_and_json() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        std::fs::write(
            dir.path().join("alt-text.csv"),
            "path,alt_text\n./a.png, A dog\n\"b/c.png\",\"Commas, quoted\"\n",
        )
        .unwrap();
        let rows = read(dir.path()).unwrap().unwrap();
        assert_eq!(rows[&RelPath::parse("a.png").unwrap()], "A dog");
        assert_eq!(rows[&RelPath::parse("b/c.png").unwrap()], "Commas, quoted");
        // Each bad row is a CSV failure naming its line (the header is line 1).
        for bad in [
            "lonely\n",
            "path,alt_text\na.png,Two, unquoted\n",
            "../up.png,Outside\n",
        ] {
            std::fs::write(dir.path().join("alt-text.csv"), bad).unwrap();
            let line = bad.lines().count() as u64;
            match read(dir.path()) {
                Err(Error::Csv {
                    file: crate::error::CsvFile::AltTextSidecar,
                    line: at,
                    ..
                }) => assert_eq!(at, Some(line), "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        std::fs::write(
            dir.path().join("alt-text.json"),
            r#"{"x/y.png": "Y", "z.png": {"alt_text": "Z", "display_name": "Zed", "locales": {"65f0aa00bb11cc22dd33ee99": "Zl"}}, "n.png": {"display_name": "N"}}"#,
        )
        .unwrap();
        let rows = read(dir.path()).unwrap().unwrap();
        assert_eq!(rows[&RelPath::parse("z.png").unwrap()], "Z");
        assert!(
            !rows.contains_key(&RelPath::parse("n.png").unwrap()),
            "no alt text: not managed"
        );
        let written: BTreeMap<RelPath, Entry> = [(
            RelPath::parse("w.png").unwrap(),
            Entry {
                alt_text: Some("W".into()),
                ..Entry::default()
            },
        )]
        .into();
        write(dir.path(), &written).unwrap();
        assert_eq!(
            read(dir.path()).unwrap().unwrap()[&RelPath::parse("w.png").unwrap()],
            "W"
        );
        std::fs::write(dir.path().join("alt-text.json"), r#"{"x/y.png": 3}"#).unwrap();
        assert!(
            read(dir.path()).is_err(),
            "a number is neither alt text nor an object"
        );
        std::fs::write(dir.path().join("alt-text.json"), r#"{"x/y.png": "Y"}"#).unwrap();
        assert_eq!(
            read(dir.path()).unwrap().unwrap()[&RelPath::parse("x/y.png").unwrap()],
            "Y"
        );
    }

    /// `alt-text.json` as a pull wrote it before locales were typed: byte for byte.
    const WRITTEN_BEFORE: &str = r#"{
  "b.png": {
    "locales": {
      "65f0aa00bb11cc22dd33ee99": "B en français"
    }
  },
  "brand/a.png": {
    "alt_text": "A dog",
    "display_name": "Dog",
    "locales": {
      "65f0aa00bb11cc22dd33ee99": "Un chien",
      "65f0aa00bb11cc22dd33ee9a": "Ein Hund"
    }
  }
}"#;

    #[test]
    fn a_sidecar_written_before_reads_and_is_written_again_the_same() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILES[1]), WRITTEN_BEFORE).unwrap();
        let alt = read(dir.path()).unwrap().unwrap();
        assert_eq!(alt.len(), 1, "{alt:?}");
        assert_eq!(alt[&RelPath::parse("brand/a.png").unwrap()], "A dog");
        let entries: BTreeMap<RelPath, Entry> = serde_json::from_str(WRITTEN_BEFORE).unwrap();
        let french: LocaleId = "65f0aa00bb11cc22dd33ee99".parse().unwrap();
        assert_eq!(
            entries[&RelPath::parse("brand/a.png").unwrap()].locales[&french],
            "Un chien"
        );
        write(dir.path(), &entries).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(FILES[1])).unwrap(),
            WRITTEN_BEFORE
        );
    }

    #[test]
    fn a_locale_key_that_is_no_locale_id_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILES[1]),
            r#"{"a.png": {"alt_text": "A", "locales": {"fr": "Un"}}}"#,
        )
        .unwrap();
        let error = read(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("\"a.png\"") && error.contains("\"fr\" is not a valid locale id"),
            "{error}"
        );
    }
}
