//! What became of each font file of a run, and why one failed.

use std::path::PathBuf;

use crate::error::Error;
use crate::fonts::upload::{FontPlan, UploadedFont};
use crate::ids::FontId;

/// What became of every font file of a run.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct FontDirReport {
    pub(super) files: Vec<FontFileReport>,
}

impl FontDirReport {
    /// Each file, in the plan's order.
    pub fn files(&self) -> &[FontFileReport] {
        &self.files
    }

    /// How many files had this outcome.
    pub fn count(&self, pick: impl Fn(&FontOutcome) -> bool) -> usize {
        self.files.iter().filter(|f| pick(&f.outcome)).count()
    }

    /// How many files failed.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, FontOutcome::Failed { .. }))
    }

    /// How many files were uploaded.
    pub fn uploaded(&self) -> usize {
        self.count(|o| matches!(o, FontOutcome::Uploaded(_)))
    }
}

/// What became of one font file.
#[derive(Debug)]
#[non_exhaustive]
pub struct FontFileReport {
    /// The file.
    pub path: PathBuf,
    /// Its name.
    pub name: String,
    /// What became of it.
    pub outcome: FontOutcome,
    /// Its directory's manifest could not be written (the file itself is done: the next run
    /// finds it on the site).
    pub manifest_error: Option<Error>,
}

/// What became of a font file.
#[derive(Debug)]
#[non_exhaustive]
pub enum FontOutcome {
    /// It is on the site now.
    Uploaded(Box<UploadedFont>),
    /// A dry run: it would be uploaded so.
    Planned(Box<FontPlan>),
    /// It was on the site already, with the bytes this run would send.
    #[non_exhaustive]
    Skipped {
        /// The font it is.
        id: FontId,
        /// How it was found.
        hosted: AlreadyHosted,
    },
    /// A font of the site has its name, with other bytes: replace its file to put this one
    /// in its place ([`Client::replace_font_file`]).
    ///
    /// [`Client::replace_font_file`]: crate::http::client::Client::replace_font_file
    #[non_exhaustive]
    Changed {
        /// The font it was uploaded as.
        id: FontId,
    },
    /// It failed, for this reason; nothing was changed on the site.
    #[non_exhaustive]
    Failed {
        /// The font of the site it was compared with, when there was one.
        id: Option<FontId>,
        /// Why.
        reason: Box<FontFailure>,
    },
    /// The run was cancelled before this file was started.
    Cancelled,
}

/// How a skipped font file was found on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlreadyHosted {
    /// A font of the site has the file's name (the manifest's, or the hosted bytes, say it is
    /// the same).
    SameName,
    /// A font of the site has the file's family, weight and style under another file name,
    /// and the same bytes.
    SameFace {
        /// The hosted font's file name.
        hosted_name: String,
    },
}

/// Why a font file failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FontFailure {
    /// The file could not be read, checked or compressed.
    #[error("{0}")]
    Prepare(Error),
    /// A font of the site has the file's name, and its file could not be downloaded to
    /// compare.
    #[error("could not compare with the site: {0}")]
    Compare(Error),
    /// A font of the site has the file's family, weight and style under another name.
    #[error("{face} is already on the site as {hosted_name}{}", match differs {
        Differs::Bytes => " with other bytes".to_string(),
        Differs::Unknown => ", whose file cannot be compared".to_string(),
        Differs::Unreadable(e) => format!(" and could not be compared: {e}"),
    })]
    SameFace {
        /// Family, weight and style, as `Inter 400 italic`.
        face: String,
        /// The hosted font's file name.
        hosted_name: String,
        /// How the hosted file compares.
        differs: Differs,
    },
    /// A font of the site has the file's name, and neither the directory's manifest nor a
    /// hosted file says whether it has the file's bytes: the file was not compared, and
    /// nothing was changed.
    #[error("a font of the site has its name and no hosted file to compare it with")]
    NoHostedFile,
    /// Webflow refused the font as a duplicate (409), and no font of the site has its face.
    #[error("{0}")]
    Conflict(Error),
    /// Webflow refused the font as a duplicate (409), and the site's fonts could not be
    /// listed to find which font has its face.
    #[error("{error}; listing the site's fonts failed: {listing}")]
    ConflictUnlisted {
        /// Webflow's answer.
        error: Error,
        /// Why listing failed.
        listing: Error,
    },
    /// The upload failed.
    #[error("{0}")]
    Upload(Error),
}

/// How a hosted font of the same face compares with a file.
#[derive(Debug)]
#[non_exhaustive]
pub enum Differs {
    /// Its bytes differ from those this run would send.
    Bytes,
    /// It has no hosted URL to download.
    Unknown,
    /// Downloading it failed.
    Unreadable(Error),
}

pub(super) fn failed(id: Option<FontId>, reason: FontFailure) -> FontOutcome {
    let reason = Box::new(reason);
    FontOutcome::Failed { id, reason }
}
