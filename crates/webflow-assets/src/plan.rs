//! Deciding what a sync does, from the site as it is.
//!
//! The site is the truth. A plan lists the folders and the assets under the target folder,
//! then matches each local file to a remote asset by folder path, file name
//! (`originalFileName`, else `displayName`) and size. The manifest only spares re-hashing and
//! remembers which asset a file became; whatever it says, a file that already has an asset on
//! the site is not uploaded again, and a file whose asset is gone is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use serde::Serialize;
use webflow_assets_raw::types::{Asset, AssetFolder};

use crate::bulk::SkipReason;
use crate::manifest::{Entry, Manifest};
use crate::sync::{SyncOptions, folder_for};
use crate::validate::{check_file_name, check_id, check_size, folder_path_segments};
use crate::walk::{Found, Walk};
use crate::{Client, Error, Limits};

/// How a local file and a remote asset with the same folder path, name and size are judged
/// the same file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verify {
    /// Name and size decide, or the MD5 the manifest recorded when it knows the asset. Costs
    /// nothing, but a file edited without changing its size and with no manifest looks
    /// unchanged.
    #[default]
    NameAndSize,
    /// Where the manifest does not know the asset, download its hosted bytes (from the CDN,
    /// which does not draw on the API budget) and compare MD5s. Hosted files are fetched
    /// like URL sources: from public addresses only, unless
    /// [`allow_private_urls`](crate::ClientBuilder::allow_private_urls) says otherwise.
    Checksum,
}

/// Why a file is to be uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadReason {
    /// Nothing on the site has its folder path and name.
    New,
    /// The site has an asset of that name whose content differs (its older asset is
    /// superseded).
    Changed,
    /// The manifest knew its asset, but the site no longer has it.
    Gone,
    /// An earlier run started uploading it and stopped; the site does not have it.
    Interrupted,
}

/// One upload of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedUpload {
    /// The file, relative to the synced directory.
    pub file: String,
    /// Its size in bytes.
    pub size: u64,
    /// Why it is uploaded.
    pub reason: UploadReason,
    /// The folder path it goes into, if any.
    pub folder_path: Option<String>,
    /// The alt text to set on it, from the sidecar file.
    pub alt_text: Option<String>,
    #[serde(skip)]
    pub(crate) path: PathBuf,
    #[serde(skip)]
    pub(crate) modified_ns: u64,
}

/// A file the site already has.
#[derive(Debug, Clone, Serialize)]
pub struct Unchanged {
    /// The file, relative to the synced directory.
    pub file: String,
    /// Its asset.
    pub asset_id: String,
    /// Alt text to set on the asset, when the sidecar's differs from the site's.
    pub alt_text: Option<String>,
}

/// Why an asset is to be deleted (only with [`SyncOptions::prune`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteReason {
    /// No local file has its folder path and name.
    NoLocalFile,
    /// Its file changed: the new upload replaces it.
    Superseded,
    /// Another asset already stands for the same file.
    Duplicate,
}

/// One deletion of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedDelete {
    /// The asset.
    pub asset_id: String,
    /// Its folder path and name, relative to the target folder.
    pub path: String,
    /// Why.
    pub reason: DeleteReason,
}

/// What a plan costs of the token's request budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RequestCost {
    /// Requests spent making the plan: one folder listing, one per 100 assets listed.
    pub planning: u32,
    /// Requests executing it would send: a create per upload (S3 forms are not API
    /// requests), one per folder created, alt-text change and deletion.
    pub execution: u32,
}

/// What a sync will do, before it does it: see [`Client::sync_plan`] and
/// [`SyncPlan::execute`].
#[derive(Debug)]
pub struct SyncPlan {
    /// Files to upload.
    pub uploads: Vec<PlannedUpload>,
    /// Files the site already has.
    pub unchanged: Vec<Unchanged>,
    /// Assets to delete (empty unless [`SyncOptions::prune`]).
    pub deletes: Vec<PlannedDelete>,
    /// Everything left alone, with why: refused, hidden, linked and excluded files, and
    /// alt-text rows that name no file.
    pub skipped: Vec<(String, SkipReason)>,
    /// What the plan cost and what executing it costs.
    pub cost: RequestCost,
    /// Files hashed to make the plan.
    pub hashed: usize,
    pub(crate) site_id: String,
    pub(crate) options: SyncOptions,
    pub(crate) manifest: Manifest,
    pub(crate) manifest_path: PathBuf,
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
}

/// A remote asset under the target folder.
#[derive(Debug, Clone)]
pub(crate) struct Remote {
    id: String,
    /// Folder path relative to the target folder (`""` for the target itself).
    dir: String,
    name: String,
    size: u64,
    alt_text: Option<String>,
    hosted_url: Option<String>,
}

impl Remote {
    fn path(&self) -> String {
        match self.dir.is_empty() {
            true => self.name.clone(),
            false => format!("{}/{}", self.dir, self.name),
        }
    }
}

impl Client {
    /// Plans a sync of `dir` onto a site without changing anything: lists the site's folders
    /// and the assets under the target folder (one request per 100 assets), hashes the local
    /// files it must, and returns what [`SyncPlan::execute`] would do.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::sync::SyncOptions;
    ///
    /// let options = SyncOptions { folder: Some("design".into()), prune: true, ..Default::default() };
    /// let plan = client.sync_plan("580e63e98c9a982ac9b8b741", "./exports", options).await?;
    /// println!("{} uploads, {} deletes, {} requests", plan.uploads.len(), plan.deletes.len(), plan.cost.execution);
    /// let report = plan.execute(&client)?.finish().await;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sync_plan(
        &self,
        site_id: &str,
        dir: impl AsRef<Path>,
        options: SyncOptions,
    ) -> Result<SyncPlan, Error> {
        check_id("site", site_id)?;
        if let Some(folder) = &options.folder {
            folder_path_segments(folder)?;
        }
        let dir = dir.as_ref().to_path_buf();
        let manifest_path = options
            .manifest
            .clone()
            .unwrap_or_else(|| crate::manifest::default_path(&dir));
        let manifest = Manifest::load(&manifest_path, site_id, options.folder.as_deref())?;
        let (walked, alt_text) = {
            let (walk_dir, path, filter) =
                (dir.clone(), manifest_path.clone(), options.filter.clone());
            tokio::task::spawn_blocking(move || {
                let walked = crate::walk::walk(&walk_dir, &path, &filter)?;
                Ok::<_, Error>((walked, crate::walk::alt_text(&walk_dir)?))
            })
            .await
            .map_err(|e| Error::Io {
                operation: crate::IoOperation::Reading,
                path: dir.clone(),
                source: std::io::Error::other(e),
            })??
        };
        let (remote, planning) =
            crate::transport::counted(self.remote(site_id, options.folder.as_deref())).await;
        let (remote, folders) = remote?;
        let mut planner = Planner {
            limits: *self.limits(),
            options: &options,
            manifest,
            alt_text,
            remote,
        };
        let needs = planner.match_files(walked);
        let hashes = hash(&needs.to_hash).await;
        let remote_md5 = match options.verify {
            Verify::Checksum => self.hosted_md5s(&planner.remote, &needs.to_check).await,
            Verify::NameAndSize => HashMap::new(),
        };
        let hashed = needs.to_hash.len();
        let mut plan = planner.decide(needs, hashes, remote_md5);
        plan.cost = RequestCost {
            planning,
            execution: execution_cost(&plan, &folders),
        };
        plan.hashed = hashed;
        plan.site_id = site_id.to_string();
        plan.manifest_path = manifest_path;
        plan.options = options;
        Ok(plan)
    }

    /// The assets under the target folder, placed by folder path, and every folder's path.
    async fn remote(
        &self,
        site_id: &str,
        target: Option<&str>,
    ) -> Result<(Vec<Remote>, HashSet<String>), Error> {
        let folders = self.list_folders(site_id).await?;
        let paths: HashSet<String> = dirs_under(&folders, None).into_values().collect();
        let base = match target {
            None => None,
            Some(path) => match find(&folders, &folder_path_segments(path)?) {
                Some(folder) => folder.id.clone(),
                // No target folder yet: nothing of the site is under it.
                None => return Ok((Vec::new(), paths)),
            },
        };
        let dirs = dirs_under(&folders, base.as_deref());
        let assets = self.list_assets(site_id, base.as_deref()).await?;
        let remote = assets
            .into_iter()
            .filter_map(|asset| remote_of(asset, &dirs))
            .collect();
        Ok((remote, paths))
    }

    /// MD5s of hosted assets, fetched from their public URLs without the token.
    async fn hosted_md5s(
        &self,
        remote: &[Remote],
        which: &HashSet<usize>,
    ) -> HashMap<usize, String> {
        let fetches = which.iter().filter_map(|&index| {
            let url = remote[index].hosted_url.clone()?;
            let http = self.fetcher().clone();
            Some(async move {
                let (response, _) = crate::download::open(&http, &url).await.ok()?;
                let bytes = crate::download::read(response, u64::MAX, |_| Ok(()))
                    .await
                    .ok()?;
                Some((index, crate::hash::md5_bytes(&bytes)))
            })
        });
        futures::stream::iter(fetches)
            .buffer_unordered(4)
            .filter_map(|found| async move { found })
            .collect()
            .await
    }
}

/// The folder at a path of names, walking down from the root.
pub(crate) fn find<'a>(folders: &'a [AssetFolder], names: &[&str]) -> Option<&'a AssetFolder> {
    let mut found: Option<&AssetFolder> = None;
    for name in names {
        let parent = found.and_then(|f| f.id.as_deref());
        found = Some(folders.iter().find(|f| {
            f.display_name.as_deref() == Some(*name) && f.parent_folder.as_deref() == parent
        })?);
    }
    found
}

/// The path of every folder below `base` (the site root when `None`), relative to it, by id;
/// `base` itself is `""`. Folders not below `base` are left out.
fn dirs_under(folders: &[AssetFolder], base: Option<&str>) -> HashMap<Option<String>, String> {
    let by_id: HashMap<&str, &AssetFolder> = folders
        .iter()
        .filter_map(|f| Some((f.id.as_deref()?, f)))
        .collect();
    let mut dirs = HashMap::from([(base.map(String::from), String::new())]);
    'folders: for folder in folders {
        let mut names = Vec::new();
        let mut current = folder;
        while current.id.as_deref() != base {
            names.push(current.display_name.clone().unwrap_or_default());
            // A parent cycle in a broken answer must not hang the plan.
            if names.len() > folders.len() {
                continue 'folders;
            }
            current = match current.parent_folder.as_deref() {
                Some(parent) => match by_id.get(parent) {
                    Some(up) => up,
                    None => continue 'folders,
                },
                None if base.is_none() => break,
                None => continue 'folders,
            };
        }
        names.reverse();
        dirs.insert(folder.id.clone(), names.join("/"));
    }
    dirs
}

fn remote_of(asset: Asset, dirs: &HashMap<Option<String>, String>) -> Option<Remote> {
    let dir = dirs.get(&asset.folder_id)?;
    Some(Remote {
        id: asset.id?,
        dir: dir.clone(),
        name: asset.original_file_name.or(asset.display_name)?,
        size: asset.size.unwrap_or(0).max(0) as u64,
        alt_text: asset.alt_text,
        hosted_url: asset.hosted_url,
    })
}

async fn hash(paths: &[PathBuf]) -> Vec<Option<String>> {
    crate::hash::md5_files(paths.to_vec())
        .await
        .into_iter()
        .map(Result::ok)
        .collect()
}

/// Requests that executing the plan sends: creates, folders to create (`existing` holds the
/// path of every folder the site has), alt text, deletes.
fn execution_cost(plan: &SyncPlan, existing: &HashSet<String>) -> u32 {
    let mut missing = HashSet::new();
    for path in plan.uploads.iter().filter_map(|u| u.folder_path.as_deref()) {
        let mut prefix = String::new();
        for name in path.trim_matches('/').split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(name.trim());
            if !existing.contains(&prefix) {
                missing.insert(prefix.clone());
            }
        }
    }
    let alt = plan
        .unchanged
        .iter()
        .filter(|u| u.alt_text.is_some())
        .count()
        + plan.uploads.iter().filter(|u| u.alt_text.is_some()).count();
    (plan.uploads.len() + missing.len() + alt + plan.deletes.len()) as u32
}

/// The planning state between matching and deciding.
struct Planner<'a> {
    limits: Limits,
    options: &'a SyncOptions,
    manifest: Manifest,
    alt_text: Option<BTreeMap<String, String>>,
    remote: Vec<Remote>,
}

/// A local file and the remote assets that could be it.
struct Candidate {
    file: Found,
    /// Same folder path, name and size.
    matches: Vec<usize>,
    /// Same folder path and name, another size: older versions.
    others: Vec<usize>,
    /// The match the manifest says this file became.
    known: Option<usize>,
    /// Index into the hashes, when the file must be hashed.
    hash: Option<usize>,
}

/// What matching leaves to do before deciding.
struct Needs {
    candidates: Vec<Candidate>,
    skipped: Vec<(String, SkipReason)>,
    to_hash: Vec<PathBuf>,
    /// Remote assets whose hosted MD5 is wanted (checksum mode).
    to_check: HashSet<usize>,
}

impl Planner<'_> {
    fn match_files(&mut self, walked: Walk) -> Needs {
        let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, remote) in self.remote.iter().enumerate() {
            index
                .entry((&remote.dir, &remote.name))
                .or_default()
                .push(i);
        }
        let mut needs = Needs {
            candidates: Vec::new(),
            skipped: walked.skipped,
            to_hash: Vec::new(),
            to_check: HashSet::new(),
        };
        for file in walked.files {
            let (dir, name) = file
                .relative
                .rsplit_once('/')
                .unwrap_or(("", &file.relative));
            let refused = check_file_name(name)
                .and_then(|(kind, _)| check_size(kind, file.size, &self.limits));
            if let Err(rule) = refused {
                needs
                    .skipped
                    .push((file.relative, SkipReason::Refused { rule }));
                continue;
            }
            let same_name = index.get(&(dir, name)).cloned().unwrap_or_default();
            let (matches, others): (Vec<usize>, Vec<usize>) = same_name
                .into_iter()
                .partition(|&i| self.remote[i].size == file.size);
            let entry = self.manifest.files.get(&file.relative);
            let known = entry.and_then(|e| {
                matches
                    .iter()
                    .copied()
                    .find(|&i| self.remote[i].id == e.asset_id)
            });
            let stat_same =
                entry.is_some_and(|e| e.size == file.size && e.modified_ns == file.modified_ns);
            let must_hash = match known {
                Some(_) => !stat_same,
                None => !matches.is_empty(),
            };
            if known.is_none() && self.options.verify == Verify::Checksum {
                needs.to_check.extend(matches.iter().copied());
            }
            let hash = must_hash.then(|| {
                needs.to_hash.push(file.path.clone());
                needs.to_hash.len() - 1
            });
            needs.candidates.push(Candidate {
                file,
                matches,
                others,
                known,
                hash,
            });
        }
        needs
    }

    fn decide(
        self,
        needs: Needs,
        hashes: Vec<Option<String>>,
        remote_md5: HashMap<usize, String>,
    ) -> SyncPlan {
        let Planner {
            options,
            mut manifest,
            alt_text,
            remote,
            ..
        } = self;
        let mut plan = SyncPlan {
            uploads: Vec::new(),
            unchanged: Vec::new(),
            deletes: Vec::new(),
            skipped: needs.skipped,
            cost: RequestCost::default(),
            hashed: 0,
            site_id: String::new(),
            options: SyncOptions::default(),
            manifest: Manifest::default(),
            manifest_path: PathBuf::new(),
        };
        let mut kept: HashSet<usize> = HashSet::new();
        let mut superseded: HashSet<usize> = HashSet::new();
        let mut duplicates: HashSet<usize> = HashSet::new();
        let mut present: HashSet<String> = HashSet::new();
        let mut files = BTreeMap::new();
        for candidate in needs.candidates {
            let Candidate {
                file,
                matches,
                others,
                known,
                hash,
            } = candidate;
            present.insert(file.relative.clone());
            let md5 = hash.and_then(|i| hashes[i].clone());
            let entry = manifest.files.get(&file.relative);
            let keep = match known {
                Some(i) => match (&md5, entry) {
                    (None, _) => Some(i),
                    (Some(md5), Some(entry)) if *md5 == entry.md5 => Some(i),
                    _ => None,
                },
                None => match options.verify {
                    Verify::NameAndSize => matches.first().copied(),
                    Verify::Checksum => matches
                        .iter()
                        .copied()
                        .find(|i| md5.is_some() && remote_md5.get(i) == md5.as_ref()),
                },
            };
            let wanted_alt = alt_text
                .as_ref()
                .and_then(|a| a.get(&file.relative))
                .cloned();
            match keep {
                Some(i) => {
                    kept.insert(i);
                    duplicates.extend(matches.iter().copied().filter(|&m| m != i));
                    superseded.extend(others);
                    let asset = &remote[i];
                    let md5 = md5
                        .or_else(|| entry.map(|e| e.md5.clone()))
                        .unwrap_or_default();
                    files.insert(
                        file.relative.clone(),
                        Entry {
                            size: file.size,
                            modified_ns: file.modified_ns,
                            md5,
                            asset_id: asset.id.clone(),
                            alt_text: asset.alt_text.clone(),
                        },
                    );
                    let alt_text = wanted_alt.filter(|text| asset.alt_text.as_ref() != Some(text));
                    plan.unchanged.push(Unchanged {
                        file: file.relative,
                        asset_id: asset.id.clone(),
                        alt_text,
                    });
                }
                None => {
                    let replaced = !matches.is_empty() || !others.is_empty();
                    superseded.extend(matches.iter().chain(&others).copied());
                    let reason = if replaced {
                        UploadReason::Changed
                    } else if manifest.pending.contains_key(&file.relative) {
                        UploadReason::Interrupted
                    } else if entry.is_some() {
                        UploadReason::Gone
                    } else {
                        UploadReason::New
                    };
                    plan.uploads.push(PlannedUpload {
                        folder_path: folder_for(options.folder.as_deref(), &file.relative),
                        file: file.relative,
                        size: file.size,
                        reason,
                        alt_text: wanted_alt,
                        path: file.path,
                        modified_ns: file.modified_ns,
                    });
                }
            }
        }
        if let Some(rows) = &alt_text {
            for row in rows.keys().filter(|row| !present.contains(*row)) {
                plan.skipped.push((row.clone(), SkipReason::NoSuchFile));
            }
        }
        // Paths the walk left alone (hidden, linked, excluded, refused) keep their assets:
        // the user did not say they are gone.
        let protected: HashSet<&str> = plan.skipped.iter().map(|(p, _)| p.as_str()).collect();
        if options.prune {
            for (i, asset) in remote.iter().enumerate() {
                let path = asset.path();
                let reason = if kept.contains(&i)
                    || protected.contains(path.as_str())
                    || !options.filter.is_included(&path)
                {
                    continue;
                } else if duplicates.contains(&i) {
                    DeleteReason::Duplicate
                } else if superseded.contains(&i) {
                    DeleteReason::Superseded
                } else {
                    DeleteReason::NoLocalFile
                };
                plan.deletes.push(PlannedDelete {
                    asset_id: asset.id.clone(),
                    path,
                    reason,
                });
            }
        }
        manifest.files = files;
        manifest
            .pending
            .retain(|path, _| plan.uploads.iter().any(|u| &u.file == path));
        plan.manifest = manifest;
        plan
    }
}
