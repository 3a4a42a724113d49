//! Many files at once: bounded concurrency under the client's shared request budget, results
//! as they complete, progress, cancellation, and a report that accounts for every file.

use std::path::PathBuf;

use crate::api::folders::FolderCache;
use crate::error::Error;
use crate::http::client::Client;
use crate::ids::SiteId;
use crate::path::FolderPath;
use crate::run::execute::{Context, UploadJob, Work, execute};
use crate::run::spawn_run;
use crate::upload::UploadSource;
use crate::upload::plan::UploadPlan;

pub use crate::reasons::SkipReason;
pub use crate::run::options::BulkOptions;
pub use crate::run::outcome::{FileOutcome, Outcome};
pub use crate::run::report::{Record, Report, Status};
pub use crate::run::{BulkRun, CancelHandle, Progress};

/// One file for [`Client::upload_many`].
pub struct BulkFile {
    label: String,
    source: UploadSource,
    size: u64,
    folder: Option<FolderPath>,
    alt_text: Option<String>,
    display_name: Option<String>,
    file_name: Option<String>,
}

impl std::fmt::Debug for BulkFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkFile")
            .field("label", &self.label)
            .field("source", &self.source)
            .field("size", &self.size)
            .field("folder", &self.folder)
            .field("alt_text", &self.alt_text)
            .field("display_name", &self.display_name)
            .field("file_name", &self.file_name)
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
            folder: None,
            alt_text: None,
            display_name: None,
            file_name: None,
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
            folder: None,
            alt_text: None,
            display_name: None,
            file_name: None,
        }
    }

    fn from_source(label: String, source: UploadSource, size: u64) -> Self {
        Self {
            label,
            source,
            size,
            folder: None,
            alt_text: None,
            display_name: None,
            file_name: None,
        }
    }

    /// Puts the file in the folder at this path (`brand/logos`), creating missing levels.
    /// The root path is the site's root, as on every options type.
    pub fn folder(mut self, path: FolderPath) -> Self {
        self.folder = (!path.is_root()).then_some(path);
        self
    }

    /// [`folder`](Self::folder) for a caller holding an `Option`: `None` is the site's root.
    pub fn maybe_folder(mut self, path: Option<FolderPath>) -> Self {
        self.folder = path.filter(|path| !path.is_root());
        self
    }

    /// Sets this alt text on the asset once uploaded (one more request).
    pub fn alt_text(self, text: impl Into<String>) -> Self {
        self.maybe_alt_text(Some(text.into()))
    }

    /// [`alt_text`](Self::alt_text) for a caller holding an `Option`: `None` leaves it unset.
    pub fn maybe_alt_text(mut self, text: Option<String>) -> Self {
        self.alt_text = text;
        self
    }

    /// Sets this display name on the asset once uploaded (the same request as the alt text).
    pub fn display_name(self, name: impl Into<String>) -> Self {
        self.maybe_display_name(Some(name.into()))
    }

    /// [`display_name`](Self::display_name) for a caller holding an `Option`: `None` leaves
    /// it unset.
    pub fn maybe_display_name(mut self, name: Option<String>) -> Self {
        self.display_name = name;
        self
    }

    /// Sends the file under this name in place of its own (as
    /// [`UploadBuilder::file_name`](crate::UploadBuilder::file_name)): a file opened by its
    /// resolved path keeps the name it was given by.
    pub fn file_name(self, name: impl Into<String>) -> Self {
        self.maybe_file_name(Some(name.into()))
    }

    /// [`file_name`](Self::file_name) for a caller holding an `Option`: `None` leaves it unset.
    pub fn maybe_file_name(mut self, name: Option<String>) -> Self {
        self.file_name = name;
        self
    }

    /// Labels the file in results and reports (default: its path or name).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
}

impl Client {
    /// Uploads many files, `options.concurrency` at a time, all drawing on this client's
    /// request budget. Files the SDK refuses are skipped with the rule they break; nothing
    /// stops the run but [`CancelHandle::cancel`], after which files not yet started are
    /// skipped as cancelled.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use futures::StreamExt;
    /// use webflow_assets::bulk::{BulkFile, BulkOptions, Outcome};
    ///
    /// let imports: webflow_assets::FolderPath = "imports".parse()?;
    /// let files = ["a.png", "b.pdf"].map(|p| BulkFile::path(p).folder(imports.clone()));
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let mut run = client.upload_many(&site, files, BulkOptions::default())?;
    /// while let Some(file) = run.next().await {
    ///     if let Outcome::Failed(error) = &file.outcome {
    ///         eprintln!("{}: {error}", file.label);
    ///     }
    /// }
    /// let report = run.finish().await;
    /// println!("{} uploaded, {} failed", report.uploaded.len(), report.failed.len());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::NoRuntime`](crate::Error::NoRuntime) when called outside a Tokio runtime: the
    /// run is spawned on the current one.
    pub fn upload_many(
        &self,
        site_id: &crate::SiteId,
        files: impl IntoIterator<Item = BulkFile>,
        options: BulkOptions,
    ) -> Result<BulkRun, crate::Error> {
        let mut work = Work::default();
        for file in files {
            work.uploads.push(UploadJob {
                label: file.label,
                source: file.source,
                size: file.size,
                folder: file.folder,
                alt_text: file.alt_text,
                display_name: file.display_name,
                file_name: file.file_name,
                synced: None,
            });
        }
        let cx = Context {
            folders: FolderCache::new(self.clone(), site_id),
            client: self.clone(),
            site_id: site_id.clone(),
            options,
            journal: None,
        };
        spawn_run(move |publisher| execute(cx, work, publisher))
    }

    /// What [`Self::upload_many`] would do with these files, sending nothing to Webflow:
    /// each file checked and hashed as its upload would, with the requests it would make
    /// (see [`UploadBuilder::plan`](crate::UploadBuilder::plan)), one after another, labelled
    /// as the run would label them. `options` are those the run would get: whether each
    /// upload is confirmed changes the requests it makes.
    pub async fn plan_uploads(
        &self,
        site_id: &SiteId,
        files: impl IntoIterator<Item = BulkFile>,
        options: &BulkOptions,
    ) -> Vec<(String, Result<UploadPlan, Error>)> {
        let mut plans = Vec::new();
        for file in files {
            let upload = self
                .upload(site_id, file.source)
                .confirm(options.confirm)
                .maybe_folder(file.folder)
                .maybe_alt_text(file.alt_text)
                .maybe_display_name(file.display_name)
                .maybe_file_name(file.file_name);
            plans.push((file.label, upload.plan().await));
        }
        plans
    }
}
