//! Many files at once: bounded concurrency under the client's shared request budget, results
//! as they complete, progress, cancellation, and a report that accounts for every file.

use std::path::PathBuf;

use futures::StreamExt;
use serde::Serialize;

use crate::folders::FolderCache;
use crate::run::{spawn_run, upload_one};
use crate::validate::Rule;
use crate::{Client, Error, UploadSource, UploadedAsset};

pub use crate::run::{BulkRun, CancelHandle, Progress, Report, ReportEntry};

/// One file for [`Client::upload_many`].
pub struct BulkFile {
    pub(crate) label: String,
    pub(crate) source: UploadSource,
    pub(crate) size: u64,
    pub(crate) folder_path: Option<String>,
    pub(crate) alt_text: Option<String>,
    pub(crate) before_create: Option<crate::upload::BeforeCreate>,
}

impl std::fmt::Debug for BulkFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkFile")
            .field("label", &self.label)
            .field("source", &self.source)
            .field("size", &self.size)
            .field("folder_path", &self.folder_path)
            .field("alt_text", &self.alt_text)
            .finish_non_exhaustive()
    }
}

impl BulkFile {
    /// A file on disk, labelled by its path.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        Self {
            label: path.display().to_string(),
            source: UploadSource::path(path),
            size,
            folder_path: None,
            alt_text: None,
            before_create: None,
        }
    }

    /// A file served at a URL (see [`UploadSource::url`]), labelled by the URL.
    pub fn url(url: impl Into<String>) -> Self {
        let url = url.into();
        Self::from_source(url.clone(), UploadSource::url(url), 0)
    }

    /// Bytes in memory, labelled by their file name.
    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        let (file_name, bytes) = (file_name.into(), bytes.into());
        Self {
            label: file_name.clone(),
            size: bytes.len() as u64,
            source: UploadSource::bytes(file_name, bytes),
            folder_path: None,
            alt_text: None,
            before_create: None,
        }
    }

    pub(crate) fn from_source(label: String, source: UploadSource, size: u64) -> Self {
        Self {
            label,
            source,
            size,
            folder_path: None,
            alt_text: None,
            before_create: None,
        }
    }

    /// Puts the file in the folder at this path (`brand/logos`), creating missing levels.
    pub fn folder_path(mut self, path: impl Into<String>) -> Self {
        self.folder_path = Some(path.into());
        self
    }

    /// Sets this alt text on the asset once uploaded (one more request).
    pub fn alt_text(mut self, text: impl Into<String>) -> Self {
        self.alt_text = Some(text.into());
        self
    }

    /// Called with the file's MD5 just before its asset is created.
    pub(crate) fn before_create(mut self, hook: impl FnOnce(&str) + Send + 'static) -> Self {
        self.before_create = Some(Box::new(hook));
        self
    }

    /// Labels the file in results and reports (default: its path or name).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
}

/// Settings for [`Client::upload_many`].
#[derive(Debug, Clone)]
pub struct BulkOptions {
    /// Uploads in flight at once (default 4). The request budget, not this, sets the pace.
    pub concurrency: usize,
    /// Read each asset back after upload (default `false`: it would spend a second request of
    /// the budget per file; S3's answer already confirms the bytes are stored).
    pub confirm: bool,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            confirm: false,
        }
    }
}

/// Why a file was not uploaded, though nothing failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// The SDK refuses it (type, size, name): uploading would fail.
    Refused {
        /// The rule it breaks.
        #[serde(serialize_with = "display")]
        rule: Rule,
    },
    /// Unchanged since the last sync.
    Unchanged,
    /// The run was cancelled before it started.
    Cancelled,
    /// A hidden file or directory (its name starts with `.`); sync leaves those alone.
    Hidden,
    /// A symbolic link; sync does not follow links.
    Symlink,
    /// A dry run: it would be uploaded (or its alt text set).
    DryRun,
    /// Left out by the sync's include and exclude patterns.
    Excluded,
    /// A row of the alt-text file names a file the directory does not have.
    NoSuchFile,
}

fn display<S: serde::Serializer>(
    value: &impl std::fmt::Display,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Refused { rule } => write!(f, "refused: {rule}"),
            SkipReason::Unchanged => f.write_str("unchanged"),
            SkipReason::Cancelled => f.write_str("cancelled before it started"),
            SkipReason::Hidden => f.write_str("hidden"),
            SkipReason::Symlink => f.write_str("symbolic link, not followed"),
            SkipReason::DryRun => f.write_str("would upload (dry run)"),
            SkipReason::Excluded => f.write_str("excluded by the filter"),
            SkipReason::NoSuchFile => f.write_str("alt-text row for a file that does not exist"),
        }
    }
}

/// What happened to one file.
#[derive(Debug)]
pub enum Outcome {
    /// It is on the site.
    Uploaded(Box<UploadedAsset>),
    /// It was left alone, for this reason.
    Skipped(SkipReason),
    /// It failed, with this error.
    Failed(Error),
    /// Unchanged on the site, but its alt text was set from the sync's alt-text file.
    AltTextSet {
        /// The asset.
        asset_id: String,
    },
    /// A sync deleted this asset (the label is its folder path and name).
    Deleted {
        /// The asset.
        asset_id: String,
        /// Why.
        reason: crate::sync::DeleteReason,
    },
}

/// One file's result.
#[derive(Debug)]
pub struct FileOutcome {
    /// The file's label (its path, or its name).
    pub label: String,
    /// What happened.
    pub outcome: Outcome,
}

impl Client {
    /// Uploads many files, `options.concurrency` at a time, all drawing on this client's
    /// request budget. Files the SDK refuses are skipped with the rule they break; nothing
    /// stops the run but [`CancelHandle::cancel`], after which files not yet started are
    /// skipped as cancelled.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) {
    /// use futures::StreamExt;
    /// use webflow_assets::bulk::{BulkFile, BulkOptions, Outcome};
    ///
    /// let files = ["a.png", "b.pdf"].map(|p| BulkFile::path(p).folder_path("imports"));
    /// let mut run = client.upload_many("580e63e98c9a982ac9b8b741", files, BulkOptions::default());
    /// while let Some(file) = run.next().await {
    ///     if let Outcome::Failed(error) = &file.outcome {
    ///         eprintln!("{}: {error}", file.label);
    ///     }
    /// }
    /// let report = run.finish().await;
    /// println!("{} uploaded, {} failed", report.uploaded.len(), report.failed.len());
    /// # }
    /// ```
    pub fn upload_many(
        &self,
        site_id: &str,
        files: impl IntoIterator<Item = BulkFile>,
        options: BulkOptions,
    ) -> BulkRun {
        let files: Vec<BulkFile> = files.into_iter().collect();
        let client = self.clone();
        let site_id = site_id.to_string();
        spawn_run(move |publisher| async move {
            publisher.plan(files.len(), files.iter().map(|f| f.size).sum());
            let folders = FolderCache::new(client.clone(), &site_id);
            let uploads = files.into_iter().map(|file| {
                upload_one(
                    &client,
                    &site_id,
                    &folders,
                    &options,
                    &publisher.cancel,
                    file,
                )
            });
            let mut uploads =
                futures::stream::iter(uploads).buffer_unordered(options.concurrency.max(1));
            while let Some((label, size, outcome)) = uploads.next().await {
                publisher.publish(label, size, outcome).await;
            }
        })
    }
}
