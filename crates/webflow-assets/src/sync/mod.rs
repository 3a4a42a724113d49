//! Keeping a site's assets in step with a directory, as one pipeline that reads top to
//! bottom: the local inventory (walk) and the remote inventory (the site's listing), the plan
//! (a pure function of both, the manifest and the options), then its execution and report.
//! [`Client::sync_plan`] makes the plan; [`SyncPlan::execute`] carries it out.

pub(crate) mod plan;
pub(crate) mod retarget;
pub(crate) mod verify;

use std::path::{Path, PathBuf};

use crate::api::folder_tree::FolderTree;
use crate::api::folders::FolderCache;
use crate::error::Error;
use crate::http::client::Client;
use crate::inventory::journal::Journal;
use crate::inventory::manifest::Manifest;
use crate::inventory::{LocalInventory, UnreadReason};
use crate::reasons::SkipReason;
use crate::run::execute::{AltJob, Context, DeleteJob, UploadJob, Work, execute};
use crate::run::outcome::Outcome;
use crate::run::report::Report;
use crate::run::{BulkRun, spawn_run};
use crate::sync::plan::{Decision, Inputs};
use crate::upload::UploadSource;

pub use crate::inventory::filter::Filter;
pub use crate::inventory::sidecar::FILES as ALT_TEXT_FILES;
pub use crate::reasons::{DeleteReason, UploadReason};
pub use crate::run::cost::RequestCost;
pub use crate::run::options::{DEFAULT_MAX_DELETE, SyncOptions, Verify};
pub use crate::sync::plan::{PlannedDelete, PlannedUpload, Unchanged};
pub use crate::target::{Retarget, SyncTarget};

/// What a sync will do, before it does it: see [`Client::sync_plan`] and
/// [`SyncPlan::execute`].
///
/// A pruning plan deletes an asset only when it is provably gone: it is under the target
/// folder; no local file stands for it; its path is not at or inside any part of the
/// directory the walk did not fully read (a link, a hidden path, an unreadable entry, a name
/// that is not UTF-8, an excluded path, a refused file, a file that could not be compared);
/// and every upload, alt-text update and verification of the run succeeded.
#[derive(Debug)]
#[non_exhaustive]
pub struct SyncPlan {
    /// Files to upload.
    pub uploads: Vec<PlannedUpload>,
    /// Files the site already has.
    pub unchanged: Vec<Unchanged>,
    /// Assets to delete (empty unless [`SyncOptions::prune`], and empty when anything in
    /// `failed`).
    pub deletes: Vec<PlannedDelete>,
    /// Deletions held back because something in `failed` failed: they would be made in a
    /// run where nothing fails, and are reported as kept.
    pub withheld: Vec<PlannedDelete>,
    /// Everything left alone, with why: refused, hidden, linked and excluded files, names
    /// that are not UTF-8, and alt-text rows that name no file.
    pub skipped: Vec<(String, SkipReason)>,
    /// Files that could not be read or compared with the site: neither changed nor
    /// unchanged, they fail the run.
    pub failed: Vec<(String, Error)>,
    /// What the plan cost and what executing it costs.
    pub cost: RequestCost,
    /// Files hashed to make the plan.
    pub hashed: usize,
    /// Set when the directory's manifest records another site or folder than this sync
    /// targets: the manifest says nothing of the new target (it is started afresh), and a
    /// pruning sync got here only because [`SyncOptions::retarget`] confirmed it.
    pub retarget: Option<Retarget>,
    site_id: crate::SiteId,
    options: SyncOptions,
    manifest: Manifest,
    manifest_path: PathBuf,
    folders: FolderTree,
}

impl SyncPlan {
    /// How many requests that change something executing the plan would send.
    pub fn changes(&self) -> usize {
        self.uploads.len()
            + self.deletes.len()
            + self
                .unchanged
                .iter()
                .filter(|u| u.alt_text.is_some())
                .count()
    }

    /// The refusal [`start`](Self::start) and [`execute`](Self::execute) give before changing
    /// anything:
    /// [`Error::TooManyDeletes`] when the plan prunes and deletes more assets than
    /// [`SyncOptions::max_delete`] allows. A dry run calls it to end as the run would.
    pub fn check_max_delete(&self) -> Result<(), Error> {
        match self.options.prune && self.deletes.len() > self.options.max_delete {
            true => Err(Error::TooManyDeletes {
                planned: self.deletes.len(),
                max: self.options.max_delete,
            }),
            false => Ok(()),
        }
    }

    /// The plan as records, one per file or asset, as `--dry-run --json` prints them.
    pub fn records(&self) -> Vec<crate::run::report::Record> {
        use crate::run::report::{Record, Status};
        let mut records = Vec::new();
        for upload in &self.uploads {
            let status = Status::PlannedUpload {
                reason: upload.reason,
                size: upload.size,
                folder: upload.folder_path.clone(),
                alt_text: upload.alt_text.clone(),
            };
            records.push(Record::new(upload.file.to_string(), status));
        }
        for delete in &self.deletes {
            let status = Status::PlannedDelete {
                asset_id: delete.asset_id.clone(),
                reason: delete.reason,
            };
            records.push(Record::new(delete.path.to_string(), status));
        }
        for unchanged in &self.unchanged {
            let asset_id = unchanged.asset_id.clone();
            let status = match &unchanged.alt_text {
                Some(text) => Status::PlannedAltText {
                    asset_id,
                    alt_text: text.clone(),
                },
                None => Status::Unchanged { asset_id },
            };
            records.push(Record::new(unchanged.file.to_string(), status));
        }
        for (file, reason) in &self.skipped {
            records.push(Record::skipped(file.clone(), reason.clone()));
        }
        for kept in &self.withheld {
            records.push(Record::skipped(
                kept.path.to_string(),
                SkipReason::KeptAfterFailure,
            ));
        }
        for (file, error) in &self.failed {
            records.push(Record::failed(file.clone(), error));
        }
        records
    }
}

impl Client {
    /// Mirrors a directory onto a site: plans from the site ([`Client::sync_plan`]) and
    /// starts the plan ([`SyncPlan::start`]), returning the run to stream or finish. Subdirectories become asset folders (existing
    /// ones reused by name); a file is uploaded unless the site already has an asset with its
    /// folder path, name (compared in Unicode NFC) and size (or, with [`Verify::Checksum`],
    /// its MD5). The manifest only spares hashing: without it, or with a stale or foreign
    /// one, nothing is uploaded twice. Alt text comes from an `alt-text.csv` or
    /// `alt-text.json` in the directory, when there is one. Files the SDK refuses, hidden
    /// files, links and excluded files are reported and skipped.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::sync::SyncOptions;
    ///
    /// let options = SyncOptions::default().folder("design".parse()?);
    /// let run = client.sync_dir(&"580e63e98c9a982ac9b8b741".parse()?, "./exports", options).await?;
    /// let report = run.finish().await;
    /// println!("{} uploaded, {} unchanged", report.uploaded.len(), report.unchanged.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sync_dir(
        &self,
        site_id: &crate::SiteId,
        dir: impl AsRef<Path>,
        options: SyncOptions,
    ) -> Result<BulkRun, Error> {
        self.sync_plan(site_id, dir, options)
            .await?
            .start(self)
            .await
    }

    /// Plans a sync of `dir` onto a site without changing anything: walks the directory,
    /// lists the site's folders and the assets under the target folder (one request per 100
    /// assets), hashes the local files (and, with [`Verify::Checksum`], downloads the hosted
    /// ones) it must, and returns what [`SyncPlan::execute`] would do.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::sync::SyncOptions;
    ///
    /// let options = SyncOptions::default().folder("design".parse()?).prune(true);
    /// let plan = client.sync_plan(&"580e63e98c9a982ac9b8b741".parse()?, "./exports", options).await?;
    /// println!("{} uploads, {} deletes, {} requests", plan.uploads.len(), plan.deletes.len(), plan.cost.execution);
    /// let report = plan.execute(&client).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sync_plan(
        &self,
        site_id: &crate::SiteId,
        dir: impl AsRef<Path>,
        options: SyncOptions,
    ) -> Result<SyncPlan, Error> {
        let dir = dir.as_ref().to_path_buf();
        let manifest_path = options
            .manifest
            .clone()
            .unwrap_or_else(|| crate::inventory::manifest::default_path(&dir));
        // Before anything is read or sent: a pruning sync aimed elsewhere than the directory
        // was synced to is refused unless confirmed.
        let requested = SyncTarget::new(site_id.clone(), options.target());
        let retarget = crate::sync::retarget::check(
            &manifest_path,
            requested,
            options.prune,
            options.retarget,
        )
        .await?;
        let (local, manifest) = crate::inventory::walk::local_side(
            &dir,
            &manifest_path,
            site_id,
            options.folder.clone(),
            options.filter.clone(),
            options.follow_links,
            false,
        )
        .await?;
        let target = options.target();
        let (remote, planning) = crate::http::transport::counted(
            crate::inventory::remote::inventory(self, site_id, &target),
        )
        .await;
        let remote = remote?;
        let inputs = Inputs {
            local: &local,
            remote: &remote,
            manifest: &manifest,
            options: &options,
            limits: self.limits(),
        };
        let checks = crate::sync::plan::checks(&inputs);
        let evidence = crate::sync::verify::gather(self, &local, &remote, &checks).await;
        let decision = crate::sync::plan::decide(&inputs, evidence);
        Ok(assemble(
            decision,
            local,
            remote.folders,
            checks.local.len(),
            planning,
            site_id,
            options,
            manifest_path,
            retarget,
        ))
    }
}

/// The plan from the decision, with what the walk left alone reported.
#[allow(clippy::too_many_arguments)]
fn assemble(
    decision: Decision,
    local: LocalInventory,
    folders: FolderTree,
    hashed: usize,
    planning: u32,
    site_id: &crate::SiteId,
    options: SyncOptions,
    manifest_path: PathBuf,
    retarget: Option<Retarget>,
) -> SyncPlan {
    let mut plan = SyncPlan {
        uploads: decision.uploads,
        unchanged: decision.unchanged,
        deletes: decision.deletes,
        withheld: decision.withheld,
        skipped: Vec::new(),
        failed: Vec::new(),
        cost: RequestCost {
            planning,
            execution: decision.execution_cost,
        },
        hashed,
        retarget,
        site_id: site_id.clone(),
        options,
        manifest: decision.manifest,
        manifest_path,
        folders,
    };
    for unread in local.unread {
        match unread.why {
            UnreadReason::Skipped(reason) => plan.skipped.push((unread.label, reason)),
            UnreadReason::Failed(error) => plan.failed.push((unread.label, error)),
            UnreadReason::Own => {}
        }
    }
    plan.skipped.extend(decision.skipped);
    plan.failed.extend(decision.failed);
    plan
}

impl SyncPlan {
    /// Carries the plan out: reports what is left alone or failed, sets changed alt text,
    /// uploads (noting each in the manifest's journal before it is created, so a run killed
    /// at any instant is checked against the site next time), then, if nothing failed,
    /// deletes. A pruning plan with more than [`SyncOptions::max_delete`] deletions is
    /// refused before anything changes.
    ///
    /// This is the streaming form: the run's outcomes arrive one by one, with its progress,
    /// and [`BulkRun::finish`] gives the report; [`Self::execute`] awaits the report alone.
    ///
    /// # Errors
    ///
    /// [`Error::TooManyDeletes`] as above, and [`Error::NoRuntime`] outside a Tokio runtime
    /// (the run is spawned on the current one); nothing is changed then.
    pub async fn start(self, client: &Client) -> Result<BulkRun, Error> {
        crate::runtime::current()?;
        self.check_max_delete()?;
        let dry_run = self.options.dry_run;
        let mut work = Work {
            hashed: self.hashed,
            ..Work::default()
        };
        for (file, reason) in self.skipped {
            work.decided.push((file, Outcome::Skipped(reason)));
        }
        for (file, error) in self.failed {
            work.decided.push((file, Outcome::Failed(error)));
        }
        for kept in self.withheld {
            let outcome = Outcome::Skipped(SkipReason::KeptAfterFailure);
            work.decided.push((kept.path.to_string(), outcome));
        }
        for unchanged in self.unchanged {
            let file = unchanged.file.to_string();
            match (unchanged.alt_text, dry_run) {
                (None, _) => work.decided.push((
                    file,
                    Outcome::Unchanged {
                        asset_id: unchanged.asset_id,
                    },
                )),
                (Some(_), true) => work
                    .decided
                    .push((file, Outcome::Skipped(SkipReason::DryRun))),
                (Some(text), false) => work.alt_text.push(AltJob {
                    file: unchanged.file,
                    asset_id: unchanged.asset_id,
                    text,
                }),
            }
        }
        for upload in self.uploads {
            if dry_run {
                let outcome = Outcome::Skipped(SkipReason::DryRun);
                work.decided.push((upload.file.to_string(), outcome));
                continue;
            }
            work.uploads.push(UploadJob {
                label: upload.file.to_string(),
                source: UploadSource::path(&upload.disk),
                size: upload.size,
                folder: upload.folder_path,
                alt_text: upload.alt_text,
                display_name: None,
                file_name: None,
                synced: Some((upload.file, upload.modified_ns)),
            });
        }
        if self.options.prune && !dry_run {
            work.deletes = self
                .deletes
                .into_iter()
                .map(|delete| DeleteJob {
                    label: delete.path.to_string(),
                    asset_id: delete.asset_id,
                    reason: delete.reason,
                })
                .collect();
        }
        let journal = (!dry_run).then(|| Journal::start(self.manifest_path, self.manifest));
        let cx = Context {
            folders: FolderCache::with_tree(client.clone(), &self.site_id, Some(self.folders)),
            client: client.clone(),
            site_id: self.site_id,
            options: self.options.bulk,
            journal,
        };
        spawn_run(move |publisher| execute(cx, work, publisher))
    }

    /// Carries the plan out as [`Self::start`] does and returns the run's report once every
    /// file is accounted for.
    pub async fn execute(self, client: &Client) -> Result<Report, Error> {
        Ok(self.start(client).await?.finish().await)
    }
}

#[cfg(test)]
mod tests {
    /// Planning a sync and auditing can be awaited where a future must be `Send`: in a
    /// spawned task, or a server's request handler. Checked when the tests compile.
    #[allow(dead_code)]
    fn plans_and_audits_are_send(client: crate::Client, site: crate::SiteId) {
        fn send<T: Send>(_: T) {}
        let (other, again) = (client.clone(), site.clone());
        send(async move {
            let plan = client
                .sync_plan(&site, ".", super::SyncOptions::default())
                .await;
            let pull = client
                .pull_plan(&site, ".", crate::pull::PullOptions::default())
                .await;
            (plan, pull)
        });
        send(async move { other.audit(&again, Default::default()).await });
    }
}
