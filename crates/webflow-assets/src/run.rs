//! The engine under [`Client::upload_many`](crate::Client::upload_many) and
//! [`Client::sync_dir`](crate::Client::sync_dir): a spawned driver publishes each file's
//! outcome and the progress; the caller reads them as a stream and gets a report that
//! accounts for every file.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::Stream;
use serde::Serialize;
use tokio::sync::{mpsc, watch};

use crate::bulk::{BulkFile, BulkOptions, FileOutcome, Outcome, SkipReason};
use crate::folders::FolderCache;
use crate::validate::Rule;
use crate::{Client, Error};

/// One line of the final report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportEntry {
    /// The file's label.
    pub file: String,
    /// For an uploaded file, its asset id; for a skipped or failed one, why.
    pub detail: String,
}

/// Every file handed to a run, each uploaded, skipped or failed, with why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Files now on the site (detail: asset id).
    pub uploaded: Vec<ReportEntry>,
    /// Files left alone (detail: reason).
    pub skipped: Vec<ReportEntry>,
    /// Files that failed (detail: the error).
    pub failed: Vec<ReportEntry>,
    /// Unchanged files whose alt text was set (detail: asset id).
    pub updated: Vec<ReportEntry>,
    /// Assets a sync deleted (file: folder path and name; detail: asset id and why).
    pub deleted: Vec<ReportEntry>,
    /// How many of the skipped files the SDK refused (type, size, name): not on the site.
    pub refused: usize,
    /// Files whose MD5 was computed to find out whether they changed (sync only).
    pub hashed: usize,
}

impl Report {
    /// Whether every file was uploaded or skipped.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty()
    }

    fn record(&mut self, outcome: &FileOutcome) {
        let entry = |detail: String| ReportEntry {
            file: outcome.label.clone(),
            detail,
        };
        match &outcome.outcome {
            Outcome::Uploaded(asset) => self.uploaded.push(entry(asset.id.clone())),
            Outcome::Skipped(reason) => {
                self.refused += usize::from(matches!(reason, SkipReason::Refused { .. }));
                self.skipped.push(entry(reason.to_string()));
            }
            Outcome::Failed(error) => self.failed.push(entry(error.to_string())),
            Outcome::AltTextSet { asset_id } => self.updated.push(entry(asset_id.clone())),
            Outcome::Deleted { asset_id, reason } => {
                let reason = serde_json::to_value(reason).unwrap_or_default();
                let reason = reason.as_str().unwrap_or_default();
                self.deleted.push(entry(format!("{asset_id} ({reason})")));
            }
        }
    }
}

/// How far a run has got.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Files finished (uploaded, skipped or failed).
    pub files_done: usize,
    /// Files in the run.
    pub files_total: usize,
    /// Bytes of finished files.
    pub bytes_done: u64,
    /// Bytes of all files.
    pub bytes_total: u64,
    /// Time since the run started.
    pub elapsed: Duration,
    /// Files hashed to find out whether they changed (sync only).
    pub hashed: usize,
}

impl Progress {
    /// Bytes per second so far.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.bytes_done as f64 / secs
        } else {
            0.0
        }
    }

    /// Time left at the rate so far, once there is a rate.
    pub fn eta(&self) -> Option<Duration> {
        let rate = self.rate();
        (rate > 0.0).then(|| {
            Duration::from_secs_f64(self.bytes_total.saturating_sub(self.bytes_done) as f64 / rate)
        })
    }
}

/// Stops a run from starting more files; those in flight finish.
#[derive(Debug, Clone, Default)]
pub struct CancelHandle(Arc<AtomicBool>);

impl CancelHandle {
    /// Asks the run to start no more files.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Self::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// A running bulk upload or sync: a stream of [`FileOutcome`]s in completion order. Read it to
/// the end (or call [`BulkRun::finish`]) for the [`Report`].
pub struct BulkRun {
    outcomes: mpsc::Receiver<FileOutcome>,
    progress: watch::Receiver<Progress>,
    cancel: CancelHandle,
    report: Report,
}

impl std::fmt::Debug for BulkRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkRun")
            .field("progress", &*self.progress.borrow())
            .finish_non_exhaustive()
    }
}

impl BulkRun {
    /// Progress, updated as files finish.
    pub fn progress(&self) -> watch::Receiver<Progress> {
        self.progress.clone()
    }

    /// A handle to cancel the run from elsewhere (a Ctrl-C handler).
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// The report so far (complete once the stream has ended).
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Waits for every remaining file and returns the report.
    pub async fn finish(mut self) -> Report {
        use futures::StreamExt;
        while self.next().await.is_some() {}
        std::mem::take(&mut self.report)
    }
}

impl Drop for BulkRun {
    /// A run nobody reads is not worth continuing: files not yet started are skipped, those
    /// in flight finish (so a sync's manifest stays true).
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

impl Stream for BulkRun {
    type Item = FileOutcome;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<FileOutcome>> {
        let this = &mut *self;
        match this.outcomes.poll_recv(cx) {
            Poll::Ready(Some(outcome)) => {
                this.report.record(&outcome);
                Poll::Ready(Some(outcome))
            }
            Poll::Ready(None) => {
                this.report.hashed = this.progress.borrow().hashed;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// What the run's driver uses to publish results.
pub(crate) struct Publisher {
    outcomes: mpsc::Sender<FileOutcome>,
    progress: watch::Sender<Progress>,
    started: Instant,
    pub(crate) cancel: CancelHandle,
}

impl Publisher {
    /// Announces the run's size.
    pub(crate) fn plan(&self, files: usize, bytes: u64) {
        self.progress.send_modify(|p| {
            p.files_total += files;
            p.bytes_total += bytes;
        });
    }

    /// Counts files hashed to detect changes.
    pub(crate) fn hashed(&self, files: usize) {
        self.progress.send_modify(|p| p.hashed += files);
    }

    /// Publishes that a file was left alone.
    pub(crate) async fn skip(&self, label: String, size: u64, reason: SkipReason) {
        self.publish(label, size, Outcome::Skipped(reason)).await;
    }

    /// Publishes one file's outcome.
    pub(crate) async fn publish(&self, label: String, size: u64, outcome: Outcome) {
        let elapsed = self.started.elapsed();
        self.progress.send_modify(|p| {
            p.files_done += 1;
            p.bytes_done += size;
            p.elapsed = elapsed;
        });
        // The receiver may be gone (the caller dropped the run); the work is done regardless.
        let _ = self.outcomes.send(FileOutcome { label, outcome }).await;
    }
}

/// A new run whose work `drive` does on a spawned task.
pub(crate) fn spawn_run<F, Fut>(drive: F) -> BulkRun
where
    F: FnOnce(Publisher) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (outcomes_tx, outcomes) = mpsc::channel(64);
    let (progress_tx, progress) = watch::channel(Progress::default());
    let cancel = CancelHandle::default();
    let publisher = Publisher {
        outcomes: outcomes_tx,
        progress: progress_tx,
        started: Instant::now(),
        cancel: cancel.clone(),
    };
    tokio::spawn(drive(publisher));
    BulkRun {
        outcomes,
        progress,
        cancel,
        report: Report::default(),
    }
}

/// Uploads one file of a run, unless the run was cancelled before it started.
pub(crate) async fn upload_one(
    client: &Client,
    site_id: &str,
    folders: &FolderCache,
    options: &BulkOptions,
    cancel: &CancelHandle,
    file: BulkFile,
) -> (String, u64, Outcome) {
    let BulkFile {
        label,
        source,
        size,
        folder_path,
        alt_text,
        before_create,
    } = file;
    if cancel.is_cancelled() {
        return (label, size, Outcome::Skipped(SkipReason::Cancelled));
    }
    let mut upload = client.upload(site_id, source).confirm(options.confirm);
    if let Some(text) = alt_text {
        upload = upload.alt_text(text);
    }
    if let Some(hook) = before_create {
        upload.before_create = Some(hook);
    }
    if let Some(path) = folder_path {
        match folders.ensure(&path).await {
            Ok(folder) => {
                if let Some(id) = folder.id {
                    upload = upload.folder(id);
                }
            }
            Err(error) => return (label, size, Outcome::Failed(error)),
        }
    }
    let outcome = match upload.send().await {
        Ok(asset) => Outcome::Uploaded(Box::new(asset)),
        Err(Error::Validation { rule, .. }) if !matches!(rule, Rule::InvalidId { .. }) => {
            Outcome::Skipped(SkipReason::Refused { rule })
        }
        Err(error) => Outcome::Failed(error),
    };
    (label, size, outcome)
}
