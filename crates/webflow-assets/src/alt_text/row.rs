//! One asset's row of an alt-text export: what the CSV holds for it.

use serde::{Deserialize, Serialize};

use crate::path::FolderPath;

/// The CSV header, in column order.
pub const COLUMNS: [&str; 5] = ["id", "folder_path", "name", "alt_text", "new_alt_text"];

/// One asset's row: what it is, its alt text as exported (the value an import expects to
/// replace), and the alt text wanted (prefilled with the current one; edit this column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AltRow {
    /// The asset's id.
    pub id: crate::AssetId,
    /// Its folder path from the site root (written empty at the root).
    pub folder_path: FolderPath,
    /// Its file name.
    pub name: String,
    /// Its alt text when exported (empty for none).
    pub alt_text: String,
    /// The alt text it should have.
    pub new_alt_text: String,
}

impl AltRow {
    /// A row for an asset whose alt text is `alt_text`, with the wanted text the same.
    pub fn new(
        id: crate::AssetId,
        folder_path: FolderPath,
        name: impl Into<String>,
        alt_text: impl Into<String>,
    ) -> Self {
        let alt_text = alt_text.into();
        Self {
            id,
            folder_path,
            name: name.into(),
            new_alt_text: alt_text.clone(),
            alt_text,
        }
    }

    /// How a run labels the row: its folder path and name.
    pub fn label(&self) -> String {
        match self.folder_path.is_root() {
            true => self.name.clone(),
            false => format!("{}/{}", self.folder_path, self.name),
        }
    }
}
