//! The font files a run puts on a site: named files as given, each directory's font files
//! by name.

use std::path::{Path, PathBuf};

use crate::error::{Error, IoOperation};

/// The font file extensions Webflow takes; a directory's other files are left alone.
pub const FONT_EXTENSIONS: &[&str] = &["woff2", "woff", "ttf", "otf", "eot"];

/// Whether a directory's entry at `path` is taken as a font, by its extension (any case):
/// what a directory given to [`Client::font_dir_plan`](crate::Client::font_dir_plan)
/// contributes. A dotfile such as `.ttf` has no extension, so it is not one.
///
/// ```
/// use webflow_assets::font_dir::is_font_file_name;
/// assert!(is_font_file_name("Inter-Bold.WOFF2".as_ref()));
/// assert!(!is_font_file_name(".ttf".as_ref()));
/// assert!(!is_font_file_name("notes.txt".as_ref()));
/// ```
pub fn is_font_file_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| FONT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A font file the plan will put on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FontSource {
    /// The file.
    pub path: PathBuf,
    /// The directory it was found in, whose manifest it is remembered in; `None` for a file
    /// named on its own.
    pub dir: Option<PathBuf>,
}

impl FontSource {
    /// The file's name.
    pub fn name(&self) -> String {
        file_name(&self.path)
    }
}

/// The fonts to upload: named files as given, and each directory's font files by name.
pub(super) fn font_files(paths: &[PathBuf]) -> Result<Vec<FontSource>, Error> {
    let reading = |path: &Path, source| Error::Io {
        operation: IoOperation::Reading,
        path: path.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            for entry in std::fs::read_dir(path).map_err(|e| reading(path, e))? {
                let file = entry.map_err(|e| reading(path, e))?.path();
                if is_font_file_name(&file) && file.is_file() {
                    found.push(file);
                }
            }
            found.sort();
            files.extend(found.into_iter().map(|file| FontSource {
                path: file,
                dir: Some(path.clone()),
            }));
        } else if path.is_file() {
            files.push(FontSource {
                path: path.clone(),
                dir: None,
            });
        } else {
            let missing = std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "neither a file nor a directory",
            );
            return Err(reading(path, missing));
        }
    }
    Ok(files)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether woff2 compresses a file of this name (a TTF or OTF font).
pub(super) fn compressible(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ["ttf", "otf"].contains(&ext.to_ascii_lowercase().as_str()))
}
