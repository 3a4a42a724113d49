//! What a copy will do, and how it is worked out from the listings of both sites.

use std::collections::{BTreeSet, HashMap};

use crate::api::folder_tree::FolderTree;
use crate::copy::mapping::MappingRow;
use crate::copy::options::CopyOptions;
use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{LocaleId, SiteId};
use crate::inventory::RemoteAsset;
use crate::inventory::remote::{Missing, SiteInventory};
use crate::path::{FolderPath, RelPath};
use crate::reasons::SkipReason;
use crate::run::cost::RequestCost;
use crate::run::report::{Record, Status};
use crate::validate::check_file_name;

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
    pub(super) hosted_url: Option<String>,
    pub(super) alt_text: Option<String>,
    pub(super) display_name: Option<String>,
    /// Its folder on the source site, from the root, as the mapping records it.
    pub(super) source_folder: FolderPath,
    /// Alt text by locale, where the locale has its own.
    pub(super) locales: Vec<(LocaleId, String)>,
}

/// A change to the alt text or display name of an asset the target already has.
#[derive(Debug, Clone)]
pub(super) struct Touch {
    pub(super) file: RelPath,
    pub(super) new_id: crate::AssetId,
    pub(super) alt_text: Option<String>,
    pub(super) display_name: Option<String>,
    pub(super) locales: Vec<(LocaleId, String)>,
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
    pub(super) touches: Vec<Touch>,
    /// The path of each of `matched`, relative to the copied folder, as runs label them.
    pub(super) matched_files: Vec<RelPath>,
    pub(super) target_site: SiteId,
    pub(super) target_tree: FolderTree,
    pub(super) options: CopyOptions,
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
                let text = source_texts.get(locale).and_then(|t| t.get(&asset.id));
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
                            let there = target_texts.get(locale).and_then(|t| t.get(&copy.id));
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
                        source_folder,
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
                folder: copy.folder_path.clone(),
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
}
