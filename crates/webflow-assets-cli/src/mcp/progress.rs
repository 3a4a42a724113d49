//! Long work: progress notifications (files done out of the total) when the request carries
//! a progress token, and cancellation as Ctrl-C does it in the command: no new file is
//! started, the files in flight finish (so a sync's manifest and journal stay true).

use std::sync::atomic::{AtomicUsize, Ordering};

use futures::StreamExt;
use rmcp::RoleServer;
use rmcp::model::{ProgressNotificationParam, ProgressToken};
use rmcp::service::{Peer, RequestContext};
use webflow_assets::bulk::{BulkRun, Record, Report};

use super::results::{ErrorObject, Run};
use crate::failure::{self, Needs};
use crate::lines::Totals;

/// Sends a request's progress, when it asked for it.
pub struct Reporter {
    peer: Peer<RoleServer>,
    token: Option<ProgressToken>,
    /// The count last said: MCP wants each notification's progress above the last one's.
    said: AtomicUsize,
}

impl Reporter {
    /// The reporter of a request.
    pub fn new(context: &RequestContext<RoleServer>) -> Self {
        Self {
            peer: context.peer.clone(),
            token: context.meta.get_progress_token(),
            said: AtomicUsize::new(0),
        }
    }

    /// Says `done` of `total` files are finished.
    pub async fn files(&self, done: usize, total: usize) {
        let Some(token) = &self.token else { return };
        // The run's count can run ahead of the files read from it, so a count already said
        // may come again; it is not said twice.
        if self.said.fetch_max(done, Ordering::Relaxed) >= done {
            return;
        }
        let mut param = ProgressNotificationParam::new(token.clone(), done as f64);
        param.total = Some(total.max(done) as f64);
        param.message = Some(format!("{done} of {total} files"));
        // A client that went away cannot be told; the work goes on to its report.
        let _ = self.peer.notify_progress(param).await;
    }
}

/// How the files of a run are counted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Named one by one: each one the SDK refused is a failure.
    Yes,
    /// Found in a tree or on the site.
    No,
}

/// Reads a run to its end: each file's record, progress as files finish, and on
/// cancellation no new file started. A failure's hint names the scopes in `needs`.
pub async fn drive(
    mut run: BulkRun,
    reporter: &Reporter,
    context: &RequestContext<RoleServer>,
    named: Named,
    needs: Needs,
) -> Run {
    let cancel = run.cancel_handle();
    let progress = run.progress();
    let mut files = Vec::new();
    let mut report = Report::default();
    let mut cancelled = false;
    let stop = context.ct.cancelled();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            file = run.next() => match file {
                Some(mut file) => {
                    if named == Named::Yes {
                        crate::exit::named_file_not_uploaded_is_a_failure(&mut file.outcome);
                    }
                    let record = Record::of(&file);
                    report.push(record.clone());
                    files.push(record);
                    let (done, total) = {
                        let now = progress.borrow();
                        (now.files_done, now.files_total)
                    };
                    reporter.files(done.max(files.len()), total).await;
                }
                None => break,
            },
            _ = &mut stop, if !cancelled => {
                cancelled = true;
                cancel.cancel();
            }
        }
    }
    report.hashed = run.report().hashed;
    let error = match cancelled {
        true => Some(ErrorObject::from(failure::interrupted(
            "cancelled: the files in flight finished, the rest were not started",
        ))),
        false => {
            failure::of_run(&report).map(|f| ErrorObject::from(failure::describe(&f.into(), needs)))
        }
    };
    Run {
        report: Totals::from(&report),
        files,
        error,
    }
}

/// A run's summary for people.
pub fn summary(run: &Run) -> String {
    let t = &run.report;
    let mut parts = Vec::new();
    for (n, word) in [
        (t.uploaded, "uploaded"),
        (t.downloaded, "downloaded"),
        (t.unchanged, "unchanged"),
        (t.updated, "alt text set"),
        (t.deleted, "deleted"),
        (t.skipped, "skipped"),
        (t.failed, "failed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    match parts.is_empty() {
        true => "nothing to do".into(),
        false => parts.join(", "),
    }
}
