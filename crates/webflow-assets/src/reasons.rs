//! Why a file was skipped, uploaded or deleted: the words every step of a sync and of
//! [`Client::upload_many`](crate::Client::upload_many) shares, from the walk to the command's
//! exit code.

use serde::Serialize;

use crate::validate::Rule;

/// Why a file was left alone, though nothing failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipReason {
    /// The SDK refuses it (type, size, name): uploading would fail, so it is not on the site.
    #[non_exhaustive]
    Refused {
        /// The rule it breaks.
        rule: Rule,
    },
    /// The run was cancelled before it started.
    Cancelled,
    /// A hidden file or directory (its name starts with `.`); sync leaves those alone.
    Hidden,
    /// A symbolic link, not followed (see `follow_links`).
    Symlink,
    /// A dry run: it would be uploaded (or its alt text set).
    DryRun,
    /// Left out by the sync's include and exclude patterns.
    Excluded,
    /// A row of the alt-text file names a file the directory does not have.
    NoSuchFile,
    /// Its name is not valid UTF-8, so no asset name can stand for it; it is never renamed.
    NotUtf8,
    /// A directory whose name is not a folder name Webflow can hold (blank once trimmed).
    UnusableName,
    /// Neither a file, a directory nor a link (a socket, a device, a pipe).
    NotAFile,
    /// A followed link that leads back to a directory above it.
    LinkLoop,
    /// An asset a pruning sync planned to delete, kept because something in the run failed
    /// or it was cancelled: only a run that fully succeeded deletes.
    KeptAfterFailure,
}

impl SkipReason {
    /// A file the SDK refuses, for the rule it breaks.
    pub fn refused(rule: Rule) -> Self {
        SkipReason::Refused { rule }
    }

    /// Whether the file is not on the site because the SDK refused it.
    pub fn is_refused(&self) -> bool {
        matches!(self, SkipReason::Refused { .. })
    }
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Refused { rule } => write!(f, "refused: {rule}"),
            SkipReason::Cancelled => f.write_str("cancelled before it started"),
            SkipReason::Hidden => f.write_str("hidden"),
            SkipReason::Symlink => f.write_str("symbolic link, not followed"),
            SkipReason::DryRun => f.write_str("would upload (dry run)"),
            SkipReason::Excluded => f.write_str("excluded by the filter"),
            SkipReason::NoSuchFile => f.write_str("alt-text row for a file that does not exist"),
            SkipReason::NotUtf8 => f.write_str("name is not valid UTF-8; not renamed"),
            SkipReason::UnusableName => f.write_str("name is blank once trimmed; not renamed"),
            SkipReason::NotAFile => f.write_str("not a regular file"),
            SkipReason::LinkLoop => f.write_str("symbolic link back to a directory above it"),
            SkipReason::KeptAfterFailure => f.write_str("not deleted: something in the run failed"),
        }
    }
}

/// Why a file is to be uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UploadReason {
    /// Nothing on the site has its folder path and name.
    New,
    /// The site has an asset of that name whose content differs (its older asset is
    /// superseded).
    Changed,
    /// The manifest knew its asset, but the site no longer has it.
    Gone,
    /// An earlier run started uploading it and stopped; the site does not have it.
    Interrupted,
}

/// Why an asset is to be deleted (only by a pruning sync).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeleteReason {
    /// No local file has its folder path and name.
    NoLocalFile,
    /// Another version of its file (another size or MD5): the file's new upload replaces it.
    Superseded,
    /// The user asked for it by id.
    Requested,
}
