//! A site's assets into a directory, the mirror image of a sync: the remote inventory (the
//! site's listing) and the local one (the walk) make a plan ([`Client::pull_plan`]), whose
//! execution ([`PullPlan::execute`], or [`PullPlan::start`] to follow it file by file) downloads what the directory lacks from the CDN (no API
//! request, no token) and writes the manifest and the alt-text sidecar a sync reads, so a
//! pull followed by a sync of the same directory to the same site changes nothing.

pub(crate) mod fetch_file;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use futures::StreamExt;

use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{AssetId, LocaleId};
use crate::inventory::journal::Journal;
use crate::inventory::manifest::{Entry, Manifest};
use crate::inventory::remote::{Missing, SiteInventory};
use crate::inventory::sidecar;
use crate::inventory::{LocalInventory, RemoteInventory};
use crate::path::{FolderPath, RelPath};
use crate::pull::fetch_file::{Places, fetch};
use crate::reasons::SkipReason;
use crate::run::cost::RequestCost;
use crate::run::options::BulkOptions;
use crate::run::outcome::Outcome;
use crate::run::report::{Record, Report, Status};
use crate::run::{BulkRun, spawn_run};

/// Settings for [`Client::pull_plan`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PullOptions {
    /// Pull only this folder and the folders below it; the directory stands for it. A
    /// folder the site lacks is [`Error::FolderNotFound`].
    pub folder: Option<FolderPath>,
    /// Where the manifest is kept (default: `.webflow-assets-manifest.json` in the directory).
    pub manifest: Option<PathBuf>,
    /// Only report what would be downloaded.
    pub dry_run: bool,
    /// Downloads in flight at once, its `concurrency` (default 4); its `confirm` does not
    /// apply: a download is not read back.
    pub bulk: BulkOptions,
    /// Secondary locales whose alt text the sidecar also records (one more listing each).
    pub locales: Vec<LocaleId>,
}

crate::run::settings::shared_settings!(PullOptions {
    folder,
    manifest,
    dry_run,
    concurrency,
    locales
});

impl PullOptions {
    /// Sets the downloads in flight at once from a [`BulkOptions`], as
    /// [`concurrency`](Self::concurrency) does from a number (its `confirm` does not apply).
    pub fn bulk(mut self, bulk: BulkOptions) -> Self {
        self.bulk = bulk;
        self
    }
}

/// One asset to download.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PlannedDownload {
    /// Where it goes, relative to the directory.
    pub file: RelPath,
    /// The asset.
    pub asset_id: crate::AssetId,
    /// Its size in bytes.
    pub size: u64,
    /// Its folder path and name on the site, when `file` differs from them.
    pub renamed_from: Option<String>,
    url: Option<String>,
    md5: Option<String>,
    alt_text: Option<String>,
}

/// What a pull will do: see [`Client::pull_plan`].
#[derive(Debug)]
#[non_exhaustive]
pub struct PullPlan {
    /// Assets to download.
    pub downloads: Vec<PlannedDownload>,
    /// Assets the directory already has, by file and asset.
    pub unchanged: Vec<(RelPath, crate::AssetId)>,
    /// Assets whose name is unsafe on disk (or shared with another in its folder), with
    /// the path each gets: their folder path and name on the site, and the file.
    pub renamed: Vec<(String, RelPath)>,
    /// What the request budget paid for planning (the folder listing, one request per 100
    /// assets, and as much again per extra locale); executing costs no API request.
    pub cost: RequestCost,
    site_id: Option<crate::SiteId>,
    dir: PathBuf,
    options: PullOptions,
    manifest: Manifest,
    manifest_path: PathBuf,
    sidecar: BTreeMap<RelPath, sidecar::Entry>,
    /// Temporary files a killed pull left behind, removed before this one downloads.
    leftovers: Vec<PathBuf>,
}

impl PullPlan {
    /// The plan as records, one per asset, as `--dry-run --json` prints them.
    pub fn records(&self) -> Vec<Record> {
        let mut records = Vec::new();
        for download in &self.downloads {
            let status = Status::PlannedDownload {
                asset_id: download.asset_id.clone(),
                size: download.size,
                renamed_from: download.renamed_from.clone(),
            };
            records.push(Record::new(download.file.to_string(), status));
        }
        for (file, asset_id) in &self.unchanged {
            let status = Status::Unchanged {
                asset_id: asset_id.clone(),
            };
            records.push(Record::new(file.to_string(), status));
        }
        records
    }
}

impl Client {
    /// Plans mirroring a site's assets (or one folder's subtree) into `dir`, by folder path,
    /// without changing anything: lists the site's folders and assets (one request, plus one
    /// per 100 assets) and walks the directory. An asset is downloaded unless its file is
    /// there with its size (and, when the manifest names a file's asset, it is this one).
    /// Names are as on the site, in NFC; a name unsafe on disk (a path separator, `..`,
    /// control characters, characters or names Windows refuses, a trailing dot or space, a
    /// leading dot, two assets of one name in a folder) gets a safe one, and is reported.
    pub async fn pull_plan(
        &self,
        site_id: &crate::SiteId,
        dir: impl AsRef<Path>,
        options: PullOptions,
    ) -> Result<PullPlan, Error> {
        let dir = dir.as_ref().to_path_buf();
        let manifest_path = options
            .manifest
            .clone()
            .unwrap_or_else(|| crate::inventory::manifest::default_path(&dir));
        let (local, manifest) = crate::inventory::walk::local_side(
            &dir,
            &manifest_path,
            site_id,
            options.folder.clone(),
            Default::default(),
            false,
            true,
        )
        .await?;
        let target = options.folder.clone().unwrap_or_default();
        let (listed, planning) = crate::http::transport::counted(SiteInventory::read(
            self,
            site_id,
            &target,
            None,
            &options.locales,
            Missing::Refused,
        ))
        .await;
        let mut site = listed?;
        let locales = std::mem::take(&mut site.alt_text);
        let remote = site.placed(&target)?;
        let mut plan = decide(&remote, &local, &manifest, &target, &locales);
        plan.cost = RequestCost {
            planning,
            execution: 0,
        };
        plan.site_id = Some(site_id.clone());
        plan.dir = dir;
        plan.options = options;
        plan.manifest_path = manifest_path;
        plan.leftovers = local
            .unread
            .iter()
            .filter_map(|unread| unread.path.as_ref())
            .filter(|path| {
                path.name()
                    .starts_with(crate::pull::fetch_file::TEMP_PREFIX)
                    && path.name().ends_with(".part")
            })
            .map(|path| plan.dir.join(path.as_str()))
            .collect();
        Ok(plan)
    }
}

/// The site path of an asset, for reports.
fn site_path(target: &FolderPath, dir: &FolderPath, name: &str) -> String {
    let folder = target.join(dir);
    match folder.is_root() {
        true => name.to_string(),
        false => format!("{folder}/{name}"),
    }
}

/// Decides the pull: a pure function of both inventories and the manifest.
fn decide(
    remote: &RemoteInventory,
    local: &LocalInventory,
    manifest: &Manifest,
    target: &FolderPath,
    locales: &BTreeMap<LocaleId, HashMap<AssetId, String>>,
) -> PullPlan {
    let mut assets: Vec<_> = remote.assets.iter().collect();
    // By id, so the same asset keeps the same file from run to run.
    assets.sort_by(|a, b| a.id.cmp(&b.id));
    let names: Vec<(FolderPath, String)> = assets
        .iter()
        .map(|a| (a.dir.clone(), a.name.clone()))
        .collect();
    let paths = crate::inventory::safe_name::map_all(&names);
    let on_disk: HashMap<&RelPath, u64> = local.files.iter().map(|f| (&f.path, f.size)).collect();
    let mut plan = PullPlan {
        downloads: Vec::new(),
        unchanged: Vec::new(),
        renamed: Vec::new(),
        cost: RequestCost::default(),
        site_id: None,
        dir: PathBuf::new(),
        options: PullOptions::default(),
        manifest: Manifest {
            files: BTreeMap::new(),
            pending: BTreeMap::new(),
            ..manifest.clone()
        },
        manifest_path: PathBuf::new(),
        sidecar: BTreeMap::new(),
        leftovers: Vec::new(),
    };
    for (asset, path) in assets.into_iter().zip(paths) {
        let renamed_from = (asset.path.as_ref() != Some(&path))
            .then(|| site_path(target, &asset.dir, &asset.name));
        if let Some(from) = &renamed_from {
            plan.renamed.push((from.clone(), path.clone()));
        }
        let mut entry = sidecar::Entry {
            alt_text: asset.alt_text.clone().filter(|t| !t.is_empty()),
            display_name: asset
                .display_name
                .clone()
                .filter(|d| crate::path::nfc(d) != asset.name),
            locales: BTreeMap::new(),
        };
        for (locale, texts) in locales {
            if let Some(text) = texts
                .get(&asset.id)
                .filter(|t| Some(*t) != asset.alt_text.as_ref())
            {
                entry.locales.insert(locale.clone(), text.clone());
            }
        }
        if entry != sidecar::Entry::default() {
            plan.sidecar.insert(path.clone(), entry);
        }
        let known = manifest.files.get(&path);
        let same_asset = known.is_none_or(|e| e.asset_id == asset.id);
        if on_disk.get(&path) == Some(&asset.size) && same_asset {
            if let Some(entry) = known {
                plan.manifest.files.insert(path.clone(), entry.clone());
            }
            plan.unchanged.push((path, asset.id.clone()));
            continue;
        }
        let md5 = manifest
            .files
            .values()
            .find(|e| e.asset_id == asset.id && e.size == asset.size && !e.md5.is_empty())
            .map(|e| e.md5.clone());
        plan.downloads.push(PlannedDownload {
            file: path,
            asset_id: asset.id.clone(),
            size: asset.size,
            renamed_from,
            url: asset.hosted_url.clone(),
            md5,
            alt_text: asset.alt_text.clone(),
        });
    }
    plan
}

impl PullPlan {
    /// Carries the plan out: downloads each asset to a temporary file beside its target,
    /// checks its size (and MD5, when the manifest knows it), renames it into place and notes
    /// it in the manifest's journal; then writes the alt-text sidecar (`alt-text.json`). A
    /// dry run writes nothing.
    ///
    /// This is the streaming form: the run's outcomes arrive one by one, with its progress,
    /// and [`BulkRun::finish`] gives the report; [`Self::execute`] awaits the report alone.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the directory cannot be made, and [`Error::NoRuntime`] outside a
    /// Tokio runtime (the run is spawned on the current one); nothing is written then.
    pub async fn start(self, client: &Client) -> Result<BulkRun, Error> {
        crate::runtime::current()?;
        let client = client.clone();
        let root = match self.options.dry_run {
            true => self.dir.clone(),
            false => {
                tokio::fs::create_dir_all(&self.dir)
                    .await
                    .map_err(|source| Error::Io {
                        operation: crate::IoOperation::Writing,
                        path: self.dir.clone(),
                        source,
                    })?;
                tokio::fs::canonicalize(&self.dir)
                    .await
                    .map_err(|source| Error::Io {
                        operation: crate::IoOperation::Reading,
                        path: self.dir.clone(),
                        source,
                    })?
            }
        };
        spawn_run(move |publisher| async move {
            let PullPlan {
                downloads,
                unchanged,
                options,
                manifest,
                manifest_path,
                sidecar: rows,
                leftovers,
                ..
            } = self;
            publisher.plan(
                unchanged.len() + downloads.len(),
                downloads.iter().map(|d| d.size).sum(),
            );
            for (file, asset_id) in unchanged {
                publisher
                    .publish(file.to_string(), 0, Outcome::Unchanged { asset_id })
                    .await;
            }
            if options.dry_run {
                for download in downloads {
                    let outcome = Outcome::Skipped(SkipReason::DryRun);
                    publisher
                        .publish(download.file.to_string(), 0, outcome)
                        .await;
                }
                return;
            }
            let _ = tokio::task::spawn_blocking(move || {
                for leftover in leftovers {
                    let _ = std::fs::remove_file(leftover);
                }
            })
            .await;
            let journal = Journal::start(manifest_path, manifest);
            let places = std::sync::Arc::new(Places::new(root.clone()));
            let (client, places, journal_ref, publisher_ref) =
                (&client, &places, &journal, &publisher);
            let runs = downloads.into_iter().map(|download| async move {
                let size = download.size;
                let label = download.file.to_string();
                let outcome = match publisher_ref.cancel.is_cancelled() {
                    true => Outcome::Skipped(SkipReason::Cancelled),
                    false => one(client, places, journal_ref, download).await,
                };
                (label, size, outcome)
            });
            let mut runs =
                futures::stream::iter(runs).buffer_unordered(options.bulk.concurrency.max(1));
            while let Some((label, size, outcome)) = runs.next().await {
                publisher.publish(label, size, outcome).await;
            }
            drop(runs);
            let dir = root.clone();
            // A sidecar is written when there is something to say, or one to correct.
            let written = tokio::task::spawn_blocking(move || {
                match rows.is_empty() && !dir.join(sidecar::FILES[1]).exists() {
                    true => Ok(()),
                    false => sidecar::write(&dir, &rows),
                }
            })
            .await;
            if let Ok(Err(error)) = written {
                tracing::warn!(%error, "could not write the alt-text sidecar");
            }
            journal.finish().await;
        })
    }

    /// Carries the plan out as [`Self::start`] does and returns the run's report once every
    /// asset is accounted for.
    pub async fn execute(self, client: &Client) -> Result<Report, Error> {
        Ok(self.start(client).await?.finish().await)
    }
}

/// Downloads one asset, retried by the client's policy when the failure is transient.
async fn one(
    client: &Client,
    places: &std::sync::Arc<Places>,
    journal: &Journal,
    download: PlannedDownload,
) -> Outcome {
    let Some(url) = &download.url else {
        return Outcome::Failed(Error::UnexpectedResponse {
            file: Some(download.file.to_string()),
            status: None,
            body: format!("asset {} has no hosted URL", download.asset_id),
        });
    };
    let (fetched, _) = client
        .retry()
        .run(|_| {
            fetch(
                client.fetcher(),
                url,
                places,
                &download.file,
                download.size,
                download.md5.as_deref(),
            )
        })
        .await;
    match fetched {
        Ok(fetched) => {
            journal.done(
                download.file.clone(),
                Entry {
                    size: download.size,
                    modified_ns: fetched.modified_ns,
                    md5: fetched.md5.clone(),
                    asset_id: download.asset_id.clone(),
                    alt_text: download.alt_text,
                },
            );
            Outcome::Downloaded {
                asset_id: download.asset_id,
                size: download.size,
                md5: fetched.md5,
                renamed_from: download.renamed_from,
            }
        }
        Err(error) => Outcome::Failed(error.for_file(download.file.as_str())),
    }
}
