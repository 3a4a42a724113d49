//! Carrying out a run's work, for [`Client::upload_many`](crate::Client::upload_many) and for
//! a sync alike: outcomes already decided, alt-text updates, uploads (bounded concurrency,
//! each noted in the sync's journal before its asset is created), then, only when nothing
//! failed, deletions.

use futures::StreamExt;

use crate::api::folders::FolderCache;
use crate::error::Error;
use crate::http::client::Client;
use crate::inventory::journal::Journal;
use crate::inventory::manifest::{Entry, Pending, now_ms};
use crate::path::{FolderPath, RelPath};
use crate::reasons::{DeleteReason, SkipReason};
use crate::run::Publisher;
use crate::run::delete_rule::run_allows_deletes;
use crate::run::options::BulkOptions;
use crate::run::outcome::Outcome;
use crate::upload::UploadSource;
use crate::validate::Rule;

/// One file to upload.
pub(crate) struct UploadJob {
    pub(crate) label: String,
    pub(crate) source: UploadSource,
    pub(crate) size: u64,
    pub(crate) folder: Option<FolderPath>,
    pub(crate) alt_text: Option<String>,
    /// The display name to set once uploaded.
    pub(crate) display_name: Option<String>,
    /// The file name to send in place of the source's own.
    pub(crate) file_name: Option<String>,
    /// For a sync: the file's path and modification time, for its journal.
    pub(crate) synced: Option<(RelPath, u64)>,
}

/// Alt text to set on an asset the site already has.
pub(crate) struct AltJob {
    pub(crate) file: RelPath,
    pub(crate) asset_id: crate::AssetId,
    pub(crate) text: String,
}

/// An asset to delete.
pub(crate) struct DeleteJob {
    pub(crate) label: String,
    pub(crate) asset_id: crate::AssetId,
    pub(crate) reason: DeleteReason,
}

/// Everything a run does.
#[derive(Default)]
pub(crate) struct Work {
    /// Outcomes decided before the run (skipped, failed, unchanged files).
    pub(crate) decided: Vec<(String, Outcome)>,
    pub(crate) alt_text: Vec<AltJob>,
    pub(crate) uploads: Vec<UploadJob>,
    pub(crate) deletes: Vec<DeleteJob>,
    /// Files hashed to decide.
    pub(crate) hashed: usize,
}

/// Where and how a run works.
pub(crate) struct Context {
    pub(crate) client: Client,
    pub(crate) site_id: crate::SiteId,
    pub(crate) options: BulkOptions,
    pub(crate) folders: FolderCache,
    pub(crate) journal: Option<Journal>,
}

/// Does the work, publishing every file's outcome.
pub(crate) async fn execute(cx: Context, work: Work, publisher: Publisher) {
    let Work {
        decided,
        alt_text,
        uploads,
        deletes,
        hashed,
    } = work;
    publisher.plan(
        decided.len() + alt_text.len() + uploads.len() + deletes.len(),
        uploads.iter().map(|u| u.size).sum(),
    );
    publisher.hashed(hashed);
    let mut failures = 0;
    for (label, outcome) in decided {
        failures += usize::from(matches!(outcome, Outcome::Failed(_)));
        publisher.publish(label, 0, outcome).await;
    }
    for job in alt_text {
        let outcome = set_alt_text(&cx, &publisher, &job).await;
        failures += usize::from(matches!(outcome, Outcome::Failed(_)));
        publisher.publish(job.file.to_string(), 0, outcome).await;
    }
    let runs = uploads.into_iter().map(|job| upload(&cx, &publisher, job));
    let mut runs = futures::stream::iter(runs).buffer_unordered(cx.options.concurrency.max(1));
    while let Some((label, size, outcome)) = runs.next().await {
        // A planned upload that did not happen (failed, or refused because the file changed
        // since the plan) leaves whatever it was to replace without its replacement.
        failures += usize::from(!matches!(outcome, Outcome::Uploaded(_)));
        publisher.publish(label, size, outcome).await;
    }
    drop(runs);
    let allowed = run_allows_deletes(failures) && !publisher.cancel.is_cancelled();
    if !allowed && !deletes.is_empty() {
        tracing::warn!(
            planned = deletes.len(),
            failures,
            "deleting nothing: the run had failures or was cancelled"
        );
    }
    for job in deletes {
        let outcome = match (allowed, publisher.cancel.is_cancelled()) {
            (true, false) => match cx.client.delete_asset(&job.asset_id).await {
                Ok(()) => Outcome::Deleted {
                    asset_id: job.asset_id,
                    reason: job.reason,
                },
                Err(error) => Outcome::Failed(error),
            },
            (_, true) => Outcome::Skipped(SkipReason::Cancelled),
            (false, false) => Outcome::Skipped(SkipReason::KeptAfterFailure),
        };
        publisher.publish(job.label, 0, outcome).await;
    }
    if let Some(journal) = cx.journal {
        journal.finish().await;
    }
}

async fn set_alt_text(cx: &Context, publisher: &Publisher, job: &AltJob) -> Outcome {
    if publisher.cancel.is_cancelled() {
        return Outcome::Skipped(SkipReason::Cancelled);
    }
    let update = cx.client.update_asset(&job.asset_id).alt_text(&job.text);
    match update.send().await {
        Ok(_) => {
            if let Some(journal) = &cx.journal {
                journal.alt_text(job.file.clone(), job.text.clone());
            }
            Outcome::AltTextSet {
                asset_id: job.asset_id.clone(),
            }
        }
        Err(error) => Outcome::Failed(error),
    }
}

/// Uploads one file, unless the run was cancelled before it started.
async fn upload(cx: &Context, publisher: &Publisher, job: UploadJob) -> (String, u64, Outcome) {
    let UploadJob {
        label,
        source,
        size,
        folder,
        alt_text,
        display_name,
        file_name,
        synced,
    } = job;
    if publisher.cancel.is_cancelled() {
        return (label, size, Outcome::Skipped(SkipReason::Cancelled));
    }
    let mut upload = cx
        .client
        .upload(&cx.site_id, source)
        .confirm(cx.options.confirm);
    if let Some(text) = &alt_text {
        upload = upload.alt_text(text.clone());
    }
    if let Some(name) = display_name {
        upload = upload.display_name(name);
    }
    if let Some(name) = file_name {
        upload = upload.file_name(name);
    }
    if let (Some(journal), Some((path, _))) = (&cx.journal, &synced) {
        let (journal, path) = (journal.clone(), path.clone());
        upload.before_create = Some(Box::new(move |md5| {
            Box::pin(async move {
                let pending = Pending {
                    md5,
                    size,
                    started_ms: now_ms(),
                };
                journal.pending(path, pending).await;
            })
        }));
    }
    if let Some(path) = &folder {
        match cx.folders.ensure(path).await {
            Ok(id) => upload = upload.folder_id(id),
            Err(error) => return (label, size, Outcome::Failed(error)),
        }
    }
    let outcome = match upload.send().await {
        Ok(asset) => {
            if let (Some(journal), Some((path, modified_ns))) = (&cx.journal, synced) {
                let entry = Entry {
                    size,
                    modified_ns,
                    md5: asset.md5.clone(),
                    asset_id: asset.id.clone(),
                    alt_text,
                };
                journal.done(path, entry);
            }
            Outcome::Uploaded(Box::new(asset))
        }
        Err(Error::Validation { rule, .. }) if !matches!(rule, Rule::InvalidId { .. }) => {
            Outcome::Skipped(SkipReason::Refused { rule })
        }
        Err(error) => Outcome::Failed(error),
    };
    (label, size, outcome)
}
