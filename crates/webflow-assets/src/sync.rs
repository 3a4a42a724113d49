//! Keeping a site's assets in step with a directory: [`Client::sync_plan`] decides from the
//! site as it is, [`SyncPlan::execute`] carries the plan out.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;

use crate::bulk::{BulkFile, BulkOptions, BulkRun, Outcome, SkipReason};
use crate::folders::FolderCache;
use crate::manifest::{Entry, Manifest, Pending, now_ms};
use crate::run::{Publisher, spawn_run, upload_one};
use crate::{Client, Error, UploadSource};

pub use crate::filter::Filter;
pub use crate::plan::{
    DeleteReason, PlannedDelete, PlannedUpload, RequestCost, SyncPlan, Unchanged, UploadReason,
    Verify,
};
pub use crate::walk::ALT_TEXT_FILES;

/// Deletions a pruning sync makes at most unless told otherwise.
pub const DEFAULT_MAX_DELETE: usize = 100;

/// Settings for [`Client::sync_dir`] and [`Client::sync_plan`].
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The folder path the directory's tree goes under (default: the site root).
    pub folder: Option<String>,
    /// Where the manifest is kept (default: `.webflow-assets-manifest.json` in the directory).
    pub manifest: Option<PathBuf>,
    /// Only report what would be uploaded: no request that changes anything, no manifest
    /// written. [`Client::sync_plan`] shows deletions too.
    pub dry_run: bool,
    /// How a local file and a remote asset are judged the same (default: name and size).
    pub verify: Verify,
    /// Delete assets under the target folder that no local file stands for, once every upload
    /// has succeeded; never outside the target folder, never after a failure.
    pub prune: bool,
    /// Deletions allowed at most (default [`DEFAULT_MAX_DELETE`]); a plan with more is refused
    /// whole with [`Error::TooManyDeletes`] before anything changes.
    pub max_delete: usize,
    /// Which files take part; the others are neither read, uploaded nor deleted.
    pub filter: Filter,
    /// Concurrency and confirmation, as for [`Client::upload_many`].
    pub bulk: BulkOptions,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            folder: None,
            manifest: None,
            dry_run: false,
            verify: Verify::default(),
            prune: false,
            max_delete: DEFAULT_MAX_DELETE,
            filter: Filter::default(),
            bulk: BulkOptions::default(),
        }
    }
}

/// How often the manifest is rewritten while files complete (and once more at the end); a
/// started upload is written at once.
const SAVE_EVERY: Duration = Duration::from_millis(500);

impl Client {
    /// Mirrors a directory onto a site: plans from the site ([`Client::sync_plan`]) and
    /// executes the plan ([`SyncPlan::execute`]). Subdirectories become asset folders (existing
    /// ones reused by name); a file is uploaded unless the site already has an asset with its
    /// folder path, name and size (or, with [`Verify::Checksum`], its MD5). The manifest only
    /// spares hashing: without it, or with a stale or foreign one, nothing is uploaded twice.
    /// Alt text comes from an `alt-text.csv` or `alt-text.json` in the directory, when there is
    /// one. Files the SDK refuses, hidden files, links and excluded files are reported and
    /// skipped.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::sync::SyncOptions;
    ///
    /// let options = SyncOptions { folder: Some("design".into()), ..Default::default() };
    /// let run = client.sync_dir("580e63e98c9a982ac9b8b741", "./exports", options).await?;
    /// let report = run.finish().await;
    /// println!("{} uploaded, {} unchanged or skipped", report.uploaded.len(), report.skipped.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sync_dir(
        &self,
        site_id: &str,
        dir: impl AsRef<Path>,
        options: SyncOptions,
    ) -> Result<BulkRun, Error> {
        self.sync_plan(site_id, dir, options).await?.execute(self)
    }
}

impl SyncPlan {
    /// Carries the plan out: reports what is left alone, sets changed alt text, uploads
    /// (noting each in the manifest before it is created, so a run killed at any instant is
    /// checked against the site next time), then, if every upload succeeded, deletes. A
    /// pruning plan with more than [`SyncOptions::max_delete`] deletions is refused before
    /// anything changes.
    pub fn execute(self, client: &Client) -> Result<BulkRun, Error> {
        if self.options.prune && self.deletes.len() > self.options.max_delete {
            return Err(Error::TooManyDeletes {
                planned: self.deletes.len(),
                max: self.options.max_delete,
            });
        }
        let client = client.clone();
        Ok(spawn_run(move |publisher| drive(client, self, publisher)))
    }
}

/// The manifest as the run changes it, written where it belongs.
struct Ledger {
    manifest: Mutex<Manifest>,
    path: PathBuf,
    dry_run: bool,
}

impl Ledger {
    fn update(&self, change: impl FnOnce(&mut Manifest)) {
        change(&mut self.manifest.lock().expect("manifest"));
    }

    /// A manifest that cannot be written costs hashing next time, not this run's results.
    fn save(&self) {
        if self.dry_run {
            return;
        }
        let manifest = self.manifest.lock().expect("manifest");
        if let Err(error) = manifest.save(&self.path) {
            tracing::warn!(%error, "could not save the sync manifest");
        }
    }
}

async fn drive(client: Client, plan: SyncPlan, publisher: Publisher) {
    let SyncPlan {
        uploads,
        unchanged,
        deletes,
        skipped,
        hashed,
        site_id,
        options,
        manifest,
        manifest_path,
        ..
    } = plan;
    let deleting = if options.prune && !options.dry_run {
        deletes.len()
    } else {
        0
    };
    publisher.plan(
        uploads.len() + unchanged.len() + skipped.len() + deleting,
        uploads.iter().map(|u| u.size).sum(),
    );
    publisher.hashed(hashed);
    let ledger = Arc::new(Ledger {
        manifest: Mutex::new(manifest),
        path: manifest_path,
        dry_run: options.dry_run,
    });
    ledger.save();
    for (file, reason) in skipped {
        publisher.skip(file, 0, reason).await;
    }
    for file in unchanged {
        let outcome = match (&file.alt_text, options.dry_run) {
            (None, _) => Outcome::Skipped(SkipReason::Unchanged),
            (Some(_), true) => Outcome::Skipped(SkipReason::DryRun),
            (Some(text), false) => set_alt_text(&client, &ledger, &file, text).await,
        };
        publisher.publish(file.file, 0, outcome).await;
    }
    if options.dry_run {
        for upload in uploads {
            publisher
                .skip(upload.file, upload.size, SkipReason::DryRun)
                .await;
        }
        return;
    }
    let failed = upload_all(&client, &site_id, &options, &ledger, &publisher, uploads).await;
    ledger.save();
    if !options.prune || deletes.is_empty() {
        return;
    }
    if failed || publisher.cancel.is_cancelled() {
        tracing::warn!(
            planned = deletes.len(),
            "deleting nothing: the run had failures or was cancelled"
        );
        return;
    }
    for delete in deletes {
        let outcome = match client.delete_asset(&delete.asset_id).await {
            Ok(()) => Outcome::Deleted {
                asset_id: delete.asset_id,
                reason: delete.reason,
            },
            Err(error) => Outcome::Failed(error),
        };
        publisher.publish(delete.path, 0, outcome).await;
    }
}

async fn set_alt_text(client: &Client, ledger: &Ledger, file: &Unchanged, text: &str) -> Outcome {
    match client
        .update_asset(&file.asset_id)
        .alt_text(text)
        .send()
        .await
    {
        Ok(_) => {
            ledger.update(|m| {
                if let Some(entry) = m.files.get_mut(&file.file) {
                    entry.alt_text = Some(text.to_string());
                }
            });
            Outcome::AltTextSet {
                asset_id: file.asset_id.clone(),
            }
        }
        Err(error) => Outcome::Failed(error),
    }
}

/// Uploads the planned files; whether any failed.
async fn upload_all(
    client: &Client,
    site_id: &str,
    options: &SyncOptions,
    ledger: &Arc<Ledger>,
    publisher: &Publisher,
    uploads: Vec<PlannedUpload>,
) -> bool {
    let folders = FolderCache::new(client.clone(), site_id);
    let runs = uploads.into_iter().map(|upload| {
        let mut bulk = BulkFile::from_source(
            upload.file.clone(),
            UploadSource::path(&upload.path),
            upload.size,
        );
        if let Some(folder) = &upload.folder_path {
            bulk = bulk.folder_path(folder.clone());
        }
        if let Some(text) = &upload.alt_text {
            bulk = bulk.alt_text(text.clone());
        }
        let (noted, file, size) = (ledger.clone(), upload.file.clone(), upload.size);
        bulk = bulk.before_create(move |md5| {
            noted.update(|m| {
                let pending = Pending {
                    md5: md5.to_string(),
                    size,
                    started_ms: now_ms(),
                };
                m.pending.insert(file, pending);
            });
            noted.save();
        });
        let run = upload_one(
            client,
            site_id,
            &folders,
            &options.bulk,
            &publisher.cancel,
            bulk,
        );
        async move { (run.await, upload) }
    });
    let mut runs = futures::stream::iter(runs).buffer_unordered(options.bulk.concurrency.max(1));
    let mut last_save = Instant::now();
    let mut failed = false;
    while let Some(((label, size, outcome), upload)) = runs.next().await {
        match &outcome {
            Outcome::Uploaded(asset) => ledger.update(|m| {
                m.pending.remove(&upload.file);
                m.files.insert(
                    upload.file.clone(),
                    Entry {
                        size: upload.size,
                        modified_ns: upload.modified_ns,
                        md5: asset.md5.clone(),
                        asset_id: asset.id.clone(),
                        alt_text: upload.alt_text.clone(),
                    },
                );
            }),
            Outcome::Failed(_) => failed = true,
            _ => {}
        }
        if last_save.elapsed() >= SAVE_EVERY {
            ledger.save();
            last_save = Instant::now();
        }
        publisher.publish(label, size, outcome).await;
    }
    failed
}

/// The folder path for a file: the base folder, then the file's directories.
pub(crate) fn folder_for(base: Option<&str>, relative: &str) -> Option<String> {
    let dirs = relative.rsplit_once('/').map(|(dirs, _)| dirs);
    match (base.map(|b| b.trim_matches('/')), dirs) {
        (None, None) => None,
        (Some(base), None) => Some(base.to_string()),
        (None, Some(dirs)) => Some(dirs.to_string()),
        (Some(base), Some(dirs)) => Some(format!("{base}/{dirs}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_mirror_the_tree_under_the_base() {
        assert_eq!(folder_for(None, "a.png"), None);
        assert_eq!(
            folder_for(Some("/design/"), "a.png").as_deref(),
            Some("design")
        );
        assert_eq!(folder_for(None, "x/y/a.png").as_deref(), Some("x/y"));
        assert_eq!(
            folder_for(Some("design"), "x/a.png").as_deref(),
            Some("design/x")
        );
    }
}
