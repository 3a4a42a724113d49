//! What happened to a font file or a font.

use schemars::JsonSchema;
use serde::Serialize;

/// A font file's or a font's outcome: `{"file": …, "status": …}` and the status's fields.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FontRecord {
    /// The font file's name, or for `fonts rm` the font's id.
    pub file: String,
    /// What happened.
    #[serde(flatten)]
    pub status: FontStatus,
}

/// What happened to a font file or a font.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FontStatus {
    /// Uploaded as a new font.
    Uploaded {
        /// The font's id.
        id: String,
        /// The MD5 of the bytes sent.
        md5: String,
    },
    /// The font's file was replaced; its id stays.
    Replaced {
        /// The font's id.
        id: String,
        /// The MD5 of the bytes sent.
        md5: String,
    },
    /// A font of that file name (or face) is on the site already, or the file was not
    /// started (`reason`).
    Skipped {
        /// The font's id, when the site has it.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// Why it was not started, when it was not: `cancelled`.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Why, in words.
        detail: String,
    },
    /// A font of that file name is on the site, but the file changed since it was uploaded:
    /// `fonts replace` updates it.
    Changed {
        /// The font's id.
        id: String,
        /// What to run, in words.
        detail: String,
    },
    /// `--dry-run`: it would be uploaded.
    Planned {
        /// The file name it would be uploaded as (`<stem>.woff2` with `--woff2`).
        upload_as: String,
        /// The local file's size in bytes.
        source_size: u64,
        /// The size of the bytes it would send (smaller when compressed).
        size: u64,
        /// The MD5 of the bytes it would send.
        md5: String,
        /// The CSS font-family it would get.
        family: String,
        /// The CSS font-weight it would get.
        weight: u16,
        /// Whether it would be italic.
        italic: bool,
    },
    /// It failed.
    Failed {
        /// The font's id, when there is one.
        id: Option<String>,
        /// Why, in words.
        detail: String,
    },
    /// The font was deleted.
    Deleted {
        /// The font's id.
        id: String,
    },
    /// No font has this id (a deletion of it changes nothing).
    NotFound {
        /// The id given.
        id: String,
        /// Webflow's words.
        detail: String,
    },
}
