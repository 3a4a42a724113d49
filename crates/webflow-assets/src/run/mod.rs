//! How a run talks to its caller: a spawned driver publishes each file's outcome and the
//! progress; the caller reads them as a stream and gets a report that accounts for every
//! file.

pub mod bulk;
pub(crate) mod cost;
pub(crate) mod delete_rule;
pub(crate) mod execute;
pub(crate) mod options;
pub(crate) mod outcome;
pub(crate) mod report;
pub(crate) mod settings;

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::Stream;
use tokio::sync::{mpsc, watch};

use crate::run::outcome::{FileOutcome, Outcome};
use crate::run::report::{Record, Report};

/// How far a run has got.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
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
                this.report.push(Record::of(&outcome));
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

    /// Publishes one file's outcome.
    pub(crate) async fn publish(&self, label: String, size: u64, outcome: Outcome) {
        let elapsed = self.started.elapsed();
        self.progress.send_modify(|p| {
            p.files_done += 1;
            p.bytes_done += size;
            p.elapsed = elapsed;
        });
        // The receiver may be gone (the caller dropped the run); the work is done regardless.
        let _ = self.outcomes.send(FileOutcome::new(label, outcome)).await;
    }
}

/// A new run whose work `drive` does on a spawned task of the current Tokio runtime;
/// [`Error::NoRuntime`](crate::Error::NoRuntime) outside one, where spawning would panic.
pub(crate) fn spawn_run<F, Fut>(drive: F) -> Result<BulkRun, crate::Error>
where
    F: FnOnce(Publisher) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let runtime = crate::runtime::current()?;
    let (outcomes_tx, outcomes) = mpsc::channel(64);
    let (progress_tx, progress) = watch::channel(Progress::default());
    let cancel = CancelHandle::default();
    let publisher = Publisher {
        outcomes: outcomes_tx,
        progress: progress_tx,
        started: Instant::now(),
        cancel: cancel.clone(),
    };
    runtime.spawn(drive(publisher));
    Ok(BulkRun {
        outcomes,
        progress,
        cancel,
        report: Report::default(),
    })
}
