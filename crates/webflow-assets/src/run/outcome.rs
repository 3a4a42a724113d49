//! What can happen to a file handed to a run: uploaded, on the site already, skipped, failed,
//! deleted, downloaded, copied.

use crate::error::Error;
use crate::ids::AssetId;
use crate::reasons::{DeleteReason, SkipReason};
use crate::upload::UploadedAsset;

/// What happened to one file (or, for a deletion, one asset).
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// It is on the site now.
    Uploaded(Box<UploadedAsset>),
    /// The site already has it, as this asset.
    #[non_exhaustive]
    Unchanged {
        /// The asset.
        asset_id: AssetId,
    },
    /// The site already has it, and its alt text was set from the sync's alt-text file.
    #[non_exhaustive]
    AltTextSet {
        /// The asset.
        asset_id: AssetId,
    },
    /// It was left alone, for this reason.
    Skipped(SkipReason),
    /// It failed, with this error: it may not be on the site.
    Failed(Error),
    /// A sync deleted this asset (the label is its folder path and name).
    #[non_exhaustive]
    Deleted {
        /// The asset.
        asset_id: AssetId,
        /// Why.
        reason: DeleteReason,
    },
    /// A pull downloaded this asset to the file of the label (its path in the directory).
    #[non_exhaustive]
    Downloaded {
        /// The asset.
        asset_id: AssetId,
        /// Bytes written.
        size: u64,
        /// Their MD5.
        md5: String,
        /// The asset's folder path and name on the site, when the file's path differs
        /// (a name unsafe on disk, or the second of two assets with one name).
        renamed_from: Option<String>,
    },
    /// A copy put this asset on the target site (the label is its folder path and name).
    #[non_exhaustive]
    Copied {
        /// The source asset.
        asset_id: AssetId,
        /// Where the source site serves it.
        hosted_url: String,
        /// The asset on the target site.
        new_asset_id: AssetId,
        /// Where the target site serves it.
        new_hosted_url: String,
        /// Its folder path on the source site, from the root.
        folder_path: crate::path::FolderPath,
        /// Its name, so the mapping needs no label read back.
        name: String,
    },
}

impl Outcome {
    /// An asset deleted, for this reason (for a caller that deletes by itself and reports
    /// in the same words as a sync).
    pub fn deleted(asset_id: AssetId, reason: DeleteReason) -> Self {
        Outcome::Deleted { asset_id, reason }
    }
}

/// One file's result.
#[derive(Debug)]
#[non_exhaustive]
pub struct FileOutcome {
    /// The file's label (its path, or its name).
    pub label: String,
    /// What happened.
    pub outcome: Outcome,
}

impl FileOutcome {
    /// An outcome for the file (or asset) labelled `label`.
    pub fn new(label: impl Into<String>, outcome: Outcome) -> Self {
        Self {
            label: label.into(),
            outcome,
        }
    }
}
