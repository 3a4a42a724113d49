//! One site's assets onto another ([`Client::copy_plan`], [`CopyPlan::execute`]): the folder
//! tree is recreated on the target, each asset's bytes are streamed from the source's CDN (at
//! most the per-kind size limit in memory per file in flight) and uploaded with the same name,
//! alt text and display name. Each site is reached through its own [`Client`], so each token
//! keeps its own rate budget. It reconciles against the target's listing as a sync does (by
//! folder path, name and size), so a rerun, or a run after one killed at any instant, copies
//! only what the target lacks.

use std::collections::{BTreeSet, HashMap};
#[cfg(feature = "csv")]
use std::io::Write;

use futures::StreamExt;
use serde::Serialize;

use crate::api::folder_tree::FolderTree;
use crate::api::folders::FolderCache;
use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{FolderId, LocaleId, SiteId};
use crate::inventory::RemoteAsset;
use crate::inventory::remote::{Missing, SiteInventory};
use crate::path::{FolderPath, RelPath};
use crate::reasons::SkipReason;
use crate::run::cost::RequestCost;
use crate::run::options::BulkOptions;
use crate::run::outcome::Outcome;
use crate::run::report::{Record, Report, Status};
use crate::run::{BulkRun, spawn_run};
use crate::upload::UploadSource;
use crate::validate::check_file_name;

/// Settings for [`Client::copy_plan`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CopyOptions {
    /// Copy only this folder of the source and the folders below it (default: the site). A
    /// folder the source lacks is [`Error::FolderNotFound`].
    pub folder: Option<FolderPath>,
    /// Put the copy under this folder of the target (default: its root), created when the
    /// target lacks it.
    pub to_folder: Option<FolderPath>,
    /// Only report what would be copied.
    pub dry_run: bool,
    /// Uploads in flight at once.
    pub bulk: BulkOptions,
    /// Secondary locales whose alt text is copied too (one more listing of each site per
    /// locale).
    pub locales: Vec<LocaleId>,
}

crate::run::settings::shared_settings!(CopyOptions {
    folder,
    dry_run,
    concurrency,
    locales
});

impl CopyOptions {
    /// Puts the copy under this folder of the target (default: its root).
    pub fn to_folder(self, folder: FolderPath) -> Self {
        self.maybe_to_folder(Some(folder))
    }

    /// Puts the copy as [`Self::to_folder`] does, from an `Option` (`None`: the target's
    /// root).
    pub fn maybe_to_folder(mut self, folder: Option<FolderPath>) -> Self {
        self.to_folder = folder;
        self
    }

    /// Sets the uploads in flight at once.
    pub fn bulk(mut self, bulk: BulkOptions) -> Self {
        self.bulk = bulk;
        self
    }
}

/// One source asset and its copy on the target: the rows of the mapping file users relink
/// their CMS content with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MappingRow {
    /// The source asset's id.
    pub old_id: crate::AssetId,
    /// The target asset's id.
    pub new_id: crate::AssetId,
    /// Where the source site serves it.
    pub old_hosted_url: String,
    /// Where the target site serves it.
    pub new_hosted_url: String,
    /// Its folder path on the source site, from the root (written empty at the root).
    pub folder_path: FolderPath,
    /// Its name.
    pub name: String,
}

/// The mapping of a finished copy: the assets the target already had, as planned, and
/// those the run copied, as its report records them; sorted by folder path and name.
pub fn mapping(matched: &[MappingRow], report: &crate::run::bulk::Report) -> Vec<MappingRow> {
    let mut rows = matched.to_vec();
    for record in &report.copied {
        if let Status::Copied {
            asset_id,
            hosted_url,
            new_asset_id,
            new_hosted_url,
            folder_path,
            name,
        } = &record.status
        {
            rows.push(MappingRow {
                old_id: asset_id.clone(),
                new_id: new_asset_id.clone(),
                old_hosted_url: hosted_url.clone(),
                new_hosted_url: new_hosted_url.clone(),
                folder_path: folder_path.clone(),
                name: name.clone(),
            });
        }
    }
    // In the order of the folder path's text, as the CSV writes it.
    rows.sort_by_cached_key(|r| (r.folder_path.to_string(), r.name.clone(), r.old_id.clone()));
    rows
}

/// Writes the mapping as CSV, a header row first. Needs the `csv` feature (on by default).
#[cfg(feature = "csv")]
pub fn write_mapping_csv(rows: &[MappingRow], writer: impl Write) -> Result<(), Error> {
    let mut out = csv::Writer::from_writer(writer);
    for row in rows {
        out.serialize(row)
            .map_err(|e| crate::alt_text::csv_error(crate::CsvFile::Mapping, true, e))?;
    }
    out.flush().map_err(|source| Error::Io {
        operation: crate::IoOperation::Writing,
        path: crate::CsvFile::Mapping.to_string().into(),
        source,
    })
}

/// One asset to copy.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PlannedCopy {
    /// Its folder path and name relative to the copied folder.
    pub file: RelPath,
    /// The source asset.
    pub asset_id: crate::AssetId,
    /// Its size in bytes.
    pub size: u64,
    /// The folder it goes into on the target, from the root (`None`: the root).
    pub folder_path: Option<FolderPath>,
    hosted_url: Option<String>,
    alt_text: Option<String>,
    display_name: Option<String>,
    folder: FolderPath,
    /// Alt text by locale, where the locale has its own.
    locales: Vec<(LocaleId, String)>,
}

/// A change to the alt text or display name of an asset the target already has.
#[derive(Debug, Clone)]
struct Touch {
    file: RelPath,
    new_id: crate::AssetId,
    alt_text: Option<String>,
    display_name: Option<String>,
    locales: Vec<(LocaleId, String)>,
}

/// What a copy will do: see [`Client::copy_plan`].
#[derive(Debug)]
#[non_exhaustive]
pub struct CopyPlan {
    /// Assets to copy.
    pub copies: Vec<PlannedCopy>,
    /// Assets the target already has (same folder path, name and size), with their copies.
    pub matched: Vec<MappingRow>,
    /// Source assets left alone: their name cannot be uploaded.
    pub skipped: Vec<(String, SkipReason)>,
    /// Folders to create on the target, from its root.
    pub folders: Vec<FolderPath>,
    /// Requests spent planning on each site (source, target).
    pub cost: (RequestCost, RequestCost),
    touches: Vec<Touch>,
    /// The path of each of `matched`, relative to the copied folder, as runs label them.
    matched_files: Vec<RelPath>,
    target_site: SiteId,
    target_tree: FolderTree,
    options: CopyOptions,
}

impl Client {
    /// Plans copying this client's site `site_id` (or a folder of it) onto `target_site`,
    /// reached through `target` (a client with its own token and so its own rate budget;
    /// this client works too, for two sites of one token). Lists both sites (a folder
    /// listing and one request per 100 assets each); an asset is copied unless the target
    /// has one at the same folder path and name with its size.
    pub async fn copy_plan(
        &self,
        site_id: &SiteId,
        target: &Client,
        target_site: &SiteId,
        options: CopyOptions,
    ) -> Result<CopyPlan, Error> {
        let from = options.folder.clone().unwrap_or_default();
        let to = options.to_folder.clone().unwrap_or_default();
        let (source, planning_source) = crate::http::transport::counted(SiteInventory::read(
            self,
            site_id,
            &from,
            None,
            &options.locales,
            Missing::Refused,
        ))
        .await;
        let mut source = source?;
        let source_texts = std::mem::take(&mut source.alt_text);
        let source = source.placed(&from)?;
        let (existing, planning_target) = crate::http::transport::counted(SiteInventory::read(
            target,
            target_site,
            &to,
            None,
            &options.locales,
            Missing::Empty,
        ))
        .await;
        let mut existing = existing?;
        let target_texts = std::mem::take(&mut existing.alt_text);
        let existing = existing.placed(&to)?;
        // A locale's own alt text of a source asset, where it differs from the primary one.
        let locales = options.locales.clone();
        let own = |asset: &RemoteAsset| -> Vec<(LocaleId, String)> {
            let mut texts = Vec::new();
            for locale in &locales {
                let text = source_texts
                    .get(locale)
                    .and_then(|t| t.get(asset.id.as_str()));
                if let Some(text) = text.filter(|t| Some(*t) != asset.alt_text.as_ref()) {
                    texts.push((locale.clone(), text.clone()));
                }
            }
            texts
        };
        let mut by_path: HashMap<&RelPath, Vec<&RemoteAsset>> = HashMap::new();
        for asset in &existing.assets {
            if let Some(path) = &asset.path {
                by_path.entry(path).or_default().push(asset);
            }
        }
        let mut plan = CopyPlan {
            copies: Vec::new(),
            matched: Vec::new(),
            skipped: Vec::new(),
            folders: Vec::new(),
            cost: (
                RequestCost {
                    planning: planning_source,
                    execution: 0,
                },
                RequestCost {
                    planning: planning_target,
                    execution: 0,
                },
            ),
            touches: Vec::new(),
            matched_files: Vec::new(),
            target_site: target_site.clone(),
            target_tree: existing.folders.clone(),
            options,
        };
        // The folder tree below the source folder, empty folders included.
        let mut folders = BTreeSet::new();
        for (path, _) in source.folders.paths() {
            let relative: Option<Vec<&str>> = match from.is_root() {
                true => Some(path.segments().collect()),
                false => {
                    let from_segments: Vec<&str> = from.segments().collect();
                    let segments: Vec<&str> = path.segments().collect();
                    segments
                        .starts_with(&from_segments)
                        .then(|| segments[from_segments.len()..].to_vec())
                }
            };
            if let Some(relative) = relative.filter(|r| !r.is_empty()) {
                let mut target_path = to.clone();
                for name in relative {
                    target_path = target_path.child(name);
                }
                folders.insert(target_path);
            }
        }
        plan.folders = folders
            .into_iter()
            .filter(|p| existing.folders.id_of(p).is_none())
            .collect();
        let mut assets: Vec<&RemoteAsset> = source.assets.iter().collect();
        assets.sort_by(|a, b| a.id.cmp(&b.id));
        let mut claimed: BTreeSet<&str> = BTreeSet::new();
        for asset in assets {
            let label = site_label(&asset.dir, &asset.name);
            let Some(path) = &asset.path else {
                let rule = check_file_name(&asset.name)
                    .err()
                    .unwrap_or(crate::validate::Rule::PathSeparator);
                plan.skipped.push((label, SkipReason::Refused { rule }));
                continue;
            };
            let source_folder = from.join(&asset.dir);
            let copy = by_path.get(path).and_then(|candidates| {
                candidates
                    .iter()
                    .find(|c| c.size == asset.size && !claimed.contains(c.id.as_str()))
            });
            match copy {
                Some(copy) => {
                    claimed.insert(copy.id.as_str());
                    plan.matched_files.push(path.clone());
                    plan.matched.push(MappingRow {
                        old_id: asset.id.clone(),
                        new_id: copy.id.clone(),
                        old_hosted_url: asset.hosted_url.clone().unwrap_or_default(),
                        new_hosted_url: copy.hosted_url.clone().unwrap_or_default(),
                        folder_path: source_folder.clone(),
                        name: asset.name.clone(),
                    });
                    let alt = asset
                        .alt_text
                        .clone()
                        .filter(|t| !t.is_empty() && Some(t) != copy.alt_text.as_ref());
                    let display = asset
                        .display_name
                        .clone()
                        .filter(|d| Some(d) != copy.display_name.as_ref());
                    let locales: Vec<(LocaleId, String)> = own(asset)
                        .into_iter()
                        .filter(|(locale, text)| {
                            let there = target_texts
                                .get(locale)
                                .and_then(|t| t.get(copy.id.as_str()));
                            there != Some(text)
                        })
                        .collect();
                    if alt.is_some() || display.is_some() || !locales.is_empty() {
                        plan.touches.push(Touch {
                            file: path.clone(),
                            new_id: copy.id.clone(),
                            alt_text: alt,
                            display_name: display,
                            locales,
                        });
                    }
                }
                None => {
                    let folder = to.join(&asset.dir);
                    plan.copies.push(PlannedCopy {
                        file: path.clone(),
                        asset_id: asset.id.clone(),
                        size: asset.size,
                        folder_path: (!folder.is_root()).then_some(folder),
                        hosted_url: asset.hosted_url.clone(),
                        alt_text: asset.alt_text.clone().filter(|t| !t.is_empty()),
                        display_name: asset.display_name.clone().filter(|d| *d != asset.name),
                        folder: source_folder,
                        locales: own(asset),
                    });
                }
            }
        }
        let locale_patches: usize = plan.copies.iter().map(|c| c.locales.len()).sum::<usize>()
            + plan.touches.iter().map(|t| t.locales.len()).sum::<usize>();
        plan.cost.1.execution =
            (plan.folders.len() + plan.touches.len() + plan.copies.len() + locale_patches) as u32;
        Ok(plan)
    }
}

fn site_label(dir: &FolderPath, name: &str) -> String {
    match dir.is_root() {
        true => name.to_string(),
        false => format!("{dir}/{name}"),
    }
}

impl CopyPlan {
    /// The plan as records, as `--dry-run --json` prints them.
    pub fn records(&self) -> Vec<Record> {
        let mut records = Vec::new();
        for copy in &self.copies {
            let status = Status::PlannedCopy {
                asset_id: copy.asset_id.clone(),
                size: copy.size,
                folder: copy.folder_path.as_ref().map(ToString::to_string),
            };
            records.push(Record::new(copy.file.to_string(), status));
        }
        for (row, file) in self.matched.iter().zip(&self.matched_files) {
            records.push(Record::new(
                file.to_string(),
                Status::Unchanged {
                    asset_id: row.old_id.clone(),
                },
            ));
        }
        for (file, reason) in &self.skipped {
            records.push(Record::skipped(file.clone(), reason.clone()));
        }
        records
    }

    /// Carries the plan out with `target` (the client the plan was made with for the
    /// target site): creates the missing folders, uploads each asset from the source's CDN
    /// with its alt text and display name, and sets those of assets the target already has
    /// where they differ.
    ///
    /// This is the streaming form: the run's outcomes arrive one by one, with its progress,
    /// and [`BulkRun::finish`] gives the report; [`Self::execute`] awaits the report alone.
    ///
    /// # Errors
    ///
    /// [`Error::NoRuntime`] outside a Tokio runtime (the run is spawned on the current one);
    /// nothing is sent then.
    pub async fn start(self, target: &Client) -> Result<BulkRun, Error> {
        let target = target.clone();
        spawn_run(move |publisher| async move {
            let CopyPlan {
                copies,
                matched,
                matched_files,
                skipped,
                folders,
                touches,
                target_site,
                target_tree,
                options,
                ..
            } = self;
            publisher.plan(
                matched.len() + skipped.len() + copies.len(),
                copies.iter().map(|c| c.size).sum(),
            );
            let touched: HashMap<crate::AssetId, Touch> =
                touches.into_iter().map(|t| (t.new_id.clone(), t)).collect();
            for (row, file) in matched.into_iter().zip(matched_files) {
                let file = file.to_string();
                let outcome = match (touched.get(&row.new_id), options.dry_run) {
                    (None, _) => Outcome::Unchanged {
                        asset_id: row.old_id,
                    },
                    (Some(_), true) => Outcome::Skipped(SkipReason::DryRun),
                    (Some(touch), false) => retouch(&target, touch).await,
                };
                publisher.publish(file, 0, outcome).await;
            }
            for (file, reason) in skipped {
                publisher.publish(file, 0, Outcome::Skipped(reason)).await;
            }
            if options.dry_run {
                for copy in copies {
                    let outcome = Outcome::Skipped(SkipReason::DryRun);
                    publisher.publish(copy.file.to_string(), 0, outcome).await;
                }
                return;
            }
            let cache = FolderCache::with_tree(target.clone(), &target_site, Some(target_tree));
            let mut folder_failed = None;
            for folder in &folders {
                if let Err(error) = cache.ensure(folder).await {
                    folder_failed = Some(error);
                    break;
                }
            }
            let (target, cache, site, publisher_ref) = (&target, &cache, &target_site, &publisher);
            let runs = copies.into_iter().map(|copy| async move {
                let label = copy.file.to_string();
                let size = copy.size;
                let outcome = match publisher_ref.cancel.is_cancelled() {
                    true => Outcome::Skipped(SkipReason::Cancelled),
                    false => one(target, cache, site, copy).await,
                };
                (label, size, outcome)
            });
            let mut runs =
                futures::stream::iter(runs).buffer_unordered(options.bulk.concurrency.max(1));
            while let Some((label, size, outcome)) = runs.next().await {
                publisher.publish(label, size, outcome).await;
            }
            if let Some(error) = folder_failed {
                tracing::warn!(%error, "could not recreate every folder on the target");
            }
        })
    }

    /// Carries the plan out as [`Self::start`] does and returns the run's report once every
    /// asset is accounted for.
    pub async fn execute(self, target: &Client) -> Result<Report, Error> {
        Ok(self.start(target).await?.finish().await)
    }
}

/// Sets the alt text (per locale too) and display name of an asset the target already has.
async fn retouch(target: &Client, touch: &Touch) -> Outcome {
    if touch.alt_text.is_some() || touch.display_name.is_some() {
        let mut update = target.update_asset(&touch.new_id);
        if let Some(text) = &touch.alt_text {
            update = update.alt_text(text);
        }
        if let Some(name) = &touch.display_name {
            update = update.display_name(name);
        }
        if let Err(error) = update.send().await {
            return Outcome::Failed(error.for_file(touch.file.as_str()));
        }
    }
    if let Err(error) = set_locales(target, &touch.new_id, &touch.locales).await {
        return Outcome::Failed(error.for_file(touch.file.as_str()));
    }
    Outcome::AltTextSet {
        asset_id: touch.new_id.clone(),
    }
}

/// Sets an asset's alt text in each locale given.
async fn set_locales(
    target: &Client,
    asset_id: &crate::AssetId,
    texts: &[(LocaleId, String)],
) -> Result<(), Error> {
    for (locale, text) in texts {
        target
            .update_asset(asset_id)
            .locale(locale.clone())
            .alt_text(text)
            .send()
            .await?;
    }
    Ok(())
}

/// Copies one asset: streamed from the source's CDN into the target's upload.
async fn one(target: &Client, cache: &FolderCache, site: &SiteId, copy: PlannedCopy) -> Outcome {
    let Some(url) = &copy.hosted_url else {
        return Outcome::Failed(Error::UnexpectedResponse {
            file: Some(copy.file.to_string()),
            status: None,
            body: format!("asset {} has no hosted URL", copy.asset_id),
        });
    };
    let mut upload = target
        .upload(site, UploadSource::hosted(url.clone()))
        .file_name(copy.file.name())
        .confirm(false);
    if let Some(path) = &copy.folder_path {
        match cache.ensure(path).await {
            Ok(folder) => {
                if let Some(id) = folder.id {
                    match crate::error::id_from_server::<FolderId>(id) {
                        Ok(id) => upload = upload.folder_id(id),
                        Err(error) => return Outcome::Failed(error),
                    }
                }
            }
            Err(error) => return Outcome::Failed(error),
        }
    }
    if let Some(text) = &copy.alt_text {
        upload = upload.alt_text(text.clone());
    }
    if let Some(name) = &copy.display_name {
        upload = upload.display_name(name.clone());
    }
    match upload.send().await {
        Ok(asset) => {
            // The asset is on the target now; a locale that fails to take its text is fixed
            // by the next run, which finds the asset and compares.
            if let Err(error) = set_locales(target, &asset.id, &copy.locales).await {
                return Outcome::Failed(error.for_file(copy.file.as_str()));
            }
            Outcome::Copied {
                asset_id: copy.asset_id,
                hosted_url: url.clone(),
                new_asset_id: asset.id,
                new_hosted_url: asset.hosted_url,
                folder_path: copy.folder,
                name: copy.file.name().to_string(),
            }
        }
        // The file itself refused (type, size, name) is skipped as refused; a source that
        // could not be downloaded (its address refused) is a failure, as any check that
        // could not be made.
        Err(Error::Validation { rule, .. })
            if !matches!(
                rule,
                crate::validate::Rule::InvalidId { .. }
                    | crate::validate::Rule::PrivateAddress { .. }
                    | crate::validate::Rule::InvalidUrl { .. }
            ) =>
        {
            Outcome::Skipped(SkipReason::Refused { rule })
        }
        Err(error) => Outcome::Failed(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mapping takes the name the copy carried, not the last part of a label.
    #[test]
    fn the_mapping_takes_the_copied_assets_typed_name_and_folder() {
        let id = |text: &str| -> crate::AssetId { text.parse().unwrap() };
        let folder: FolderPath = "brand/logos".parse().unwrap();
        let mut report = Report::default();
        report.copied.push(Record::new(
            "a label/that is not the name".to_string(),
            Status::Copied {
                asset_id: id("6500aa00bb11cc22dd33ee01"),
                hosted_url: "https://cdn.example/a.png".into(),
                new_asset_id: id("6500aa00bb11cc22dd33ee02"),
                new_hosted_url: "https://cdn.example/b.png".into(),
                folder_path: folder.clone(),
                name: "a/b.png".into(),
            },
        ));
        let rows = mapping(&[], &report);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name, "a/b.png");
        assert_eq!(rows[0].folder_path, folder);
        assert_eq!(rows[0].new_id, id("6500aa00bb11cc22dd33ee02"));
    }
}
