//! The record of a run: one typed [`Record`] per file or asset, and the [`Report`] that
//! gathers them. Records serialise as the JSON lines the command prints, so a script reads
//! the same types a Rust caller matches on.

use serde::Serialize;

use crate::error::ErrorKind;
use crate::ids::AssetId;
use crate::path::FolderPath;
use crate::reasons::{DeleteReason, SkipReason, UploadReason};
use crate::run::outcome::{FileOutcome, Outcome};

/// One file's (or one asset's) result or plan, as a JSON line: `{"file": …, "status": …}`
/// and the status's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Record {
    /// The file's label: its path relative to the synced directory, its name, or, for a
    /// deletion, the asset's folder path and name.
    pub file: String,
    /// What happened, or what a plan would do.
    #[serde(flatten)]
    pub status: Status,
}

/// What happened to a file, or what a plan would do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Uploaded: the asset is on the site.
    #[non_exhaustive]
    Uploaded {
        /// The asset's id.
        asset_id: AssetId,
        /// Where Webflow serves it.
        hosted_url: String,
        /// Its size in bytes.
        size: u64,
        /// The MD5 of the bytes sent.
        md5: String,
    },
    /// The site already had it.
    #[non_exhaustive]
    Unchanged {
        /// The asset's id.
        asset_id: AssetId,
    },
    /// The site already had it; its alt text was set.
    #[non_exhaustive]
    AltTextSet {
        /// The asset's id.
        asset_id: AssetId,
    },
    /// Left alone.
    #[non_exhaustive]
    Skipped {
        /// Why, as a value scripts can match.
        #[serde(flatten)]
        reason: SkipReason,
        /// Why, in words.
        detail: String,
    },
    /// Failed: it may not be on the site.
    #[non_exhaustive]
    Failed {
        /// What kind of failure.
        kind: ErrorKind,
        /// The error, in words.
        error: String,
    },
    /// The asset was deleted.
    #[non_exhaustive]
    Deleted {
        /// The asset's id.
        asset_id: AssetId,
        /// Why.
        reason: DeleteReason,
    },
    /// A plan would upload it.
    #[non_exhaustive]
    PlannedUpload {
        /// Why.
        reason: UploadReason,
        /// Its size in bytes.
        size: u64,
        /// The folder path it would go into (relative to the site root).
        folder: Option<FolderPath>,
        /// The alt text it would get.
        alt_text: Option<String>,
    },
    /// A plan would set the alt text of the asset the site already has.
    #[non_exhaustive]
    PlannedAltText {
        /// The asset's id.
        asset_id: AssetId,
        /// The alt text.
        alt_text: String,
    },
    /// A plan would delete the asset.
    #[non_exhaustive]
    PlannedDelete {
        /// The asset's id.
        asset_id: AssetId,
        /// Why.
        reason: DeleteReason,
    },
    /// Downloaded by a pull (the file is its path in the directory).
    #[non_exhaustive]
    Downloaded {
        /// The asset's id.
        asset_id: AssetId,
        /// Bytes written.
        size: u64,
        /// Their MD5.
        md5: String,
        /// The asset's folder path and name on the site, when the file's path differs.
        renamed_from: Option<String>,
    },
    /// A pull plan would download it.
    #[non_exhaustive]
    PlannedDownload {
        /// The asset's id.
        asset_id: AssetId,
        /// Its size in bytes.
        size: u64,
        /// The asset's folder path and name on the site, when the file's path differs.
        renamed_from: Option<String>,
    },
    /// Copied to the target site.
    #[non_exhaustive]
    Copied {
        /// The source asset's id.
        asset_id: AssetId,
        /// Where the source site serves it.
        hosted_url: String,
        /// The new asset's id.
        new_asset_id: AssetId,
        /// Where the target site serves it.
        new_hosted_url: String,
        /// Its folder path on the source site, from the root.
        folder_path: FolderPath,
        /// Its name (the record's label holds it already, so it is not written again).
        #[serde(skip)]
        name: String,
    },
    /// A copy plan would copy it.
    #[non_exhaustive]
    PlannedCopy {
        /// The source asset's id.
        asset_id: AssetId,
        /// Its size in bytes.
        size: u64,
        /// The folder path it would go into on the target site.
        folder: Option<FolderPath>,
    },
}

impl Record {
    pub(crate) fn new(file: impl Into<String>, status: Status) -> Self {
        Self {
            file: file.into(),
            status,
        }
    }

    pub(crate) fn skipped(file: impl Into<String>, reason: SkipReason) -> Self {
        let detail = reason.to_string();
        Self::new(file, Status::Skipped { reason, detail })
    }

    pub(crate) fn failed(file: impl Into<String>, error: &crate::Error) -> Self {
        Self::new(
            file,
            Status::Failed {
                kind: error.kind(),
                error: error.to_string(),
            },
        )
    }

    /// Why the file was skipped, when it was.
    pub fn skip_reason(&self) -> Option<&SkipReason> {
        match &self.status {
            Status::Skipped { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// The asset concerned, when there is one.
    pub fn asset_id(&self) -> Option<&AssetId> {
        match &self.status {
            Status::Uploaded { asset_id, .. }
            | Status::Unchanged { asset_id }
            | Status::AltTextSet { asset_id }
            | Status::Deleted { asset_id, .. }
            | Status::PlannedAltText { asset_id, .. }
            | Status::PlannedDelete { asset_id, .. }
            | Status::Downloaded { asset_id, .. }
            | Status::PlannedDownload { asset_id, .. }
            | Status::Copied { asset_id, .. }
            | Status::PlannedCopy { asset_id, .. } => Some(asset_id),
            Status::Skipped { .. } | Status::Failed { .. } | Status::PlannedUpload { .. } => None,
        }
    }

    /// The record of an outcome.
    pub fn of(outcome: &FileOutcome) -> Self {
        let file = outcome.label.clone();
        match &outcome.outcome {
            Outcome::Uploaded(asset) => Self::new(
                file,
                Status::Uploaded {
                    asset_id: asset.id.clone(),
                    hosted_url: asset.hosted_url.clone(),
                    size: asset.size,
                    md5: asset.md5.clone(),
                },
            ),
            Outcome::Unchanged { asset_id } => Self::new(
                file,
                Status::Unchanged {
                    asset_id: asset_id.clone(),
                },
            ),
            Outcome::AltTextSet { asset_id } => Self::new(
                file,
                Status::AltTextSet {
                    asset_id: asset_id.clone(),
                },
            ),
            Outcome::Skipped(reason) => Self::skipped(file, reason.clone()),
            Outcome::Failed(error) => Self::failed(file, error),
            Outcome::Deleted { asset_id, reason } => Self::new(
                file,
                Status::Deleted {
                    asset_id: asset_id.clone(),
                    reason: *reason,
                },
            ),
            Outcome::Downloaded {
                asset_id,
                size,
                md5,
                renamed_from,
            } => Self::new(
                file,
                Status::Downloaded {
                    asset_id: asset_id.clone(),
                    size: *size,
                    md5: md5.clone(),
                    renamed_from: renamed_from.clone(),
                },
            ),
            Outcome::Copied {
                asset_id,
                hosted_url,
                new_asset_id,
                new_hosted_url,
                folder_path,
                name,
            } => Self::new(
                file,
                Status::Copied {
                    asset_id: asset_id.clone(),
                    hosted_url: hosted_url.clone(),
                    new_asset_id: new_asset_id.clone(),
                    new_hosted_url: new_hosted_url.clone(),
                    folder_path: folder_path.clone(),
                    name: name.clone(),
                },
            ),
        }
    }
}

/// Every file handed to a run, each uploaded, unchanged, skipped or failed, with why; and
/// every asset a sync deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Report {
    /// Files now on the site.
    pub uploaded: Vec<Record>,
    /// Files the site already had.
    pub unchanged: Vec<Record>,
    /// Files the site already had whose alt text was set.
    pub updated: Vec<Record>,
    /// Files left alone.
    pub skipped: Vec<Record>,
    /// Files that failed.
    pub failed: Vec<Record>,
    /// Assets a sync deleted.
    pub deleted: Vec<Record>,
    /// Assets a pull downloaded.
    pub downloaded: Vec<Record>,
    /// Assets a copy put on the target site.
    pub copied: Vec<Record>,
    /// Files whose MD5 was computed to find out whether they changed (sync only).
    pub hashed: usize,
}

impl Report {
    /// Whether nothing failed.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty()
    }

    /// How many skipped files the SDK refused (type, size, name): they are not on the site.
    pub fn refused(&self) -> usize {
        self.skipped
            .iter()
            .filter(|r| matches!(&r.status, Status::Skipped { reason, .. } if reason.is_refused()))
            .count()
    }

    /// Adds a record to its list.
    pub fn push(&mut self, record: Record) {
        let list = match &record.status {
            Status::Uploaded { .. } => &mut self.uploaded,
            Status::Unchanged { .. } => &mut self.unchanged,
            Status::AltTextSet { .. } => &mut self.updated,
            Status::Failed { .. } => &mut self.failed,
            Status::Deleted { .. } => &mut self.deleted,
            Status::Downloaded { .. } => &mut self.downloaded,
            Status::Copied { .. } => &mut self.copied,
            Status::Skipped { .. }
            | Status::PlannedUpload { .. }
            | Status::PlannedAltText { .. }
            | Status::PlannedDelete { .. }
            | Status::PlannedDownload { .. }
            | Status::PlannedCopy { .. } => &mut self.skipped,
        };
        list.push(record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_flat_json_lines() {
        let refused = Record::skipped(
            "a.exe",
            SkipReason::Refused {
                rule: crate::Rule::UnsupportedType {
                    extension: "exe".into(),
                },
            },
        );
        let line = serde_json::to_value(&refused).unwrap();
        assert_eq!(line["file"], "a.exe");
        assert_eq!(line["status"], "skipped");
        assert_eq!(line["reason"], "refused");
        assert_eq!(line["rule"]["code"], "unsupported_type", "{line}");
        assert_eq!(line["rule"]["extension"], "exe", "{line}");
        let mut report = Report::default();
        report.push(refused);
        report.push(Record::skipped("b", SkipReason::Hidden));
        assert_eq!((report.skipped.len(), report.refused()), (2, 1));
        let deleted = Record::new(
            "x/y.png",
            Status::Deleted {
                asset_id: "6500aa00bb11cc22dd33ee01".parse().unwrap(),
                reason: DeleteReason::NoLocalFile,
            },
        );
        assert_eq!(
            serde_json::to_value(&deleted).unwrap(),
            serde_json::json!({"file": "x/y.png", "status": "deleted", "asset_id": "6500aa00bb11cc22dd33ee01", "reason": "no_local_file"})
        );
    }

    /// A planned folder is a typed path, written as the same text the plain string was: the
    /// path's text, `null` at the root.
    #[test]
    fn planned_folders_are_paths_written_as_their_text() {
        let asset_id: AssetId = "6500aa00bb11cc22dd33ee01".parse().unwrap();
        let folder: FolderPath = " brand/ logos /".parse().unwrap();
        let copy = Record::new(
            "logos/a.png",
            Status::PlannedCopy {
                asset_id: asset_id.clone(),
                size: 3,
                folder: Some(folder.clone()),
            },
        );
        assert_eq!(
            serde_json::to_value(&copy).unwrap(),
            serde_json::json!({"file": "logos/a.png", "status": "planned_copy", "asset_id": "6500aa00bb11cc22dd33ee01", "size": 3, "folder": "brand/logos"})
        );
        let upload = |folder| {
            Record::new(
                "a.png",
                Status::PlannedUpload {
                    reason: UploadReason::New,
                    size: 3,
                    folder,
                    alt_text: None,
                },
            )
        };
        assert_eq!(
            serde_json::to_value(upload(Some(folder))).unwrap(),
            serde_json::json!({"file": "a.png", "status": "planned_upload", "reason": "new", "size": 3, "folder": "brand/logos", "alt_text": null})
        );
        assert_eq!(
            serde_json::to_value(upload(None)).unwrap()["folder"],
            serde_json::Value::Null
        );
    }
}
