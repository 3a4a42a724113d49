//! Deciding what a sync does: a pure function of the local inventory, the remote inventory,
//! the manifest, the evidence gathered (MD5s) and the options. No I/O happens here.
//!
//! The site is the truth. Each local file is matched to the assets at its path (compared in
//! NFC) of the same size; the manifest only spares re-hashing and remembers which asset a
//! file became. Whatever it says, a file that already has an asset on the site is not
//! uploaded again, and a file whose asset is gone is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, IoOperation};
use crate::inventory::manifest::{Entry, Manifest};
use crate::inventory::{
    Checks, Evidence, LocalFile, LocalInventory, RemoteInventory, UnreadReason,
};
use crate::path::{FolderPath, RelPath};
use crate::reasons::{DeleteReason, SkipReason, UploadReason};
use crate::run::delete_rule::{self, Facts, Spared};
use crate::run::options::{SyncOptions, Verify};
use crate::validate::Limits;
use crate::validate::{Rule, check_file_name, check_size};

/// One upload of a plan.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct PlannedUpload {
    /// The file, relative to the synced directory.
    pub file: RelPath,
    /// Its size in bytes.
    pub size: u64,
    /// Why it is uploaded.
    pub reason: UploadReason,
    /// The folder path it goes into, from the site root (`None`: the root).
    pub folder_path: Option<FolderPath>,
    /// The alt text to set on it, from the sidecar file.
    pub alt_text: Option<String>,
    #[serde(skip)]
    pub(crate) disk: PathBuf,
    #[serde(skip)]
    pub(crate) modified_ns: u64,
}

/// A file the site already has.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Unchanged {
    /// The file, relative to the synced directory.
    pub file: RelPath,
    /// Its asset.
    pub asset_id: crate::AssetId,
    /// Alt text to set on the asset, when the sidecar's differs from the site's.
    pub alt_text: Option<String>,
}

/// One deletion of a plan.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct PlannedDelete {
    /// The asset.
    pub asset_id: crate::AssetId,
    /// Its folder path and name, relative to the target folder.
    pub path: RelPath,
    /// Why.
    pub reason: DeleteReason,
}

/// What the plan decided, before the orchestration adds where it runs.
#[derive(Debug)]
pub(crate) struct Decision {
    pub(crate) uploads: Vec<PlannedUpload>,
    pub(crate) unchanged: Vec<Unchanged>,
    pub(crate) deletes: Vec<PlannedDelete>,
    /// Deletions the rule allows but for the failures of this run.
    pub(crate) withheld: Vec<PlannedDelete>,
    pub(crate) skipped: Vec<(String, SkipReason)>,
    pub(crate) failed: Vec<(String, Error)>,
    /// Requests executing it sends.
    pub(crate) execution_cost: u32,
    /// The manifest as the site shows it: entries for the files the site has, pending ones
    /// for the uploads still to make.
    pub(crate) manifest: Manifest,
}

/// The inputs of a plan, borrowed.
pub(crate) struct Inputs<'a> {
    pub(crate) local: &'a LocalInventory,
    pub(crate) remote: &'a RemoteInventory,
    pub(crate) manifest: &'a Manifest,
    pub(crate) options: &'a SyncOptions,
    pub(crate) limits: &'a Limits,
}

/// A local file and the remote assets that could be it.
struct Candidate<'a> {
    index: usize,
    file: &'a LocalFile,
    /// Same path and size.
    matches: Vec<usize>,
    /// Same path, another size: older versions.
    others: Vec<usize>,
    /// The match the manifest says this file became.
    known: Option<usize>,
    /// Whether its MD5 is needed.
    hash: bool,
}

/// Why a local file is not matched at all.
enum Unmatched<'a> {
    /// The SDK refuses it.
    Refused(&'a LocalFile, SkipReason),
    /// Another local file has the same path once normalised (`café` spelled in NFD and in
    /// NFC, `brand` and `brand `): no asset can be told to be one or the other.
    Collides(&'a LocalFile),
}

/// The local files matched to the assets at their paths; and those that cannot be.
fn candidates<'a>(inputs: &Inputs<'a>) -> (Vec<Candidate<'a>>, Vec<Unmatched<'a>>) {
    let mut by_path: HashMap<&RelPath, Vec<usize>> = HashMap::new();
    for (i, asset) in inputs.remote.assets.iter().enumerate() {
        if let Some(path) = &asset.path {
            by_path.entry(path).or_default().push(i);
        }
    }
    let mut seen: HashMap<&RelPath, usize> = HashMap::new();
    for file in &inputs.local.files {
        *seen.entry(&file.path).or_default() += 1;
    }
    let by_id: HashMap<&str, usize> = inputs
        .remote
        .assets
        .iter()
        .enumerate()
        .map(|(i, asset)| (asset.id.as_str(), i))
        .collect();
    let mut candidates = Vec::new();
    let mut unmatched = Vec::new();
    for (index, file) in inputs.local.files.iter().enumerate() {
        if seen[&file.path] > 1 {
            unmatched.push(Unmatched::Collides(file));
            continue;
        }
        let checked = check_file_name(file.path.name())
            .and_then(|(kind, _)| check_size(kind, file.size, inputs.limits));
        if let Err(rule) = checked {
            unmatched.push(Unmatched::Refused(file, SkipReason::Refused { rule }));
            continue;
        }
        let same_path = by_path.get(&file.path).cloned().unwrap_or_default();
        let (matches, others): (Vec<usize>, Vec<usize>) = same_path
            .into_iter()
            .partition(|&i| inputs.remote.assets[i].size == file.size);
        // An entry without an MD5 (a pull records none it did not check) says which asset
        // the file is only while the file is untouched: nothing could tell an edit from a
        // touch.
        let entry = inputs
            .manifest
            .files
            .get(&file.path)
            .filter(|e| !e.md5.is_empty() || e.modified_ns == file.modified_ns);
        let stat_same =
            entry.is_some_and(|e| e.size == file.size && e.modified_ns == file.modified_ns);
        let known = entry
            .and_then(|e| {
                matches
                    .iter()
                    .copied()
                    .find(|&i| inputs.remote.assets[i].id == e.asset_id)
            })
            .or_else(|| {
                // A file a pull named apart from its asset (the asset's name is unsafe on
                // disk, or shared in its folder): untouched since, and with no asset at its
                // own path, it is still the asset the manifest names, if the site has that
                // asset at its size.
                let e = entry.filter(|_| stat_same && matches.is_empty() && others.is_empty())?;
                let &i = by_id.get(e.asset_id.as_str())?;
                (inputs.remote.assets[i].size == file.size).then_some(i)
            });
        let hash = match known {
            Some(_) => !stat_same,
            None => !matches.is_empty(),
        };
        candidates.push(Candidate {
            index,
            file,
            matches,
            others,
            known,
            hash,
        });
    }
    (candidates, unmatched)
}

/// What must be computed before [`decide`] can run.
pub(crate) fn checks(inputs: &Inputs<'_>) -> Checks {
    let mut checks = Checks::default();
    let mut hosted = HashSet::new();
    for candidate in candidates(inputs).0 {
        if candidate.hash {
            checks.local.push(candidate.index);
        }
        if candidate.known.is_none() && inputs.options.verify == Verify::Checksum {
            hosted.extend(candidate.matches.iter().copied());
        }
    }
    checks.hosted = hosted.into_iter().collect();
    checks.hosted.sort_unstable();
    checks
}

/// Decides the sync. An MD5 that [`checks`] asked for and `evidence` lacks counts as a check
/// that failed.
pub(crate) fn decide(inputs: &Inputs<'_>, mut evidence: Evidence) -> Decision {
    let Inputs {
        local,
        remote,
        manifest,
        options,
        ..
    } = *inputs;
    let target = options.target();
    let mut decision = Decision {
        uploads: Vec::new(),
        unchanged: Vec::new(),
        deletes: Vec::new(),
        withheld: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
        execution_cost: 0,
        // Filled in last, from the site's answer.
        manifest: Manifest::new(manifest.site_id.clone(), manifest.folder.clone()),
    };
    // Paths the walk left alone, or whose file could not be checked, keep their assets: the
    // run cannot say they are gone.
    let mut protected: Vec<Option<RelPath>> = Vec::new();
    for unread in &local.unread {
        protected.push(unread.path.clone());
    }
    let (candidates, unmatched) = candidates(inputs);
    for unmatched in unmatched {
        match unmatched {
            Unmatched::Refused(file, reason) => {
                protected.push(Some(file.path.clone()));
                decision.skipped.push((file.label.clone(), reason));
            }
            Unmatched::Collides(file) => {
                let error = Error::Validation {
                    file: Some(file.label.clone()),
                    rule: Rule::SamePathAsAnother {
                        path: file.path.to_string(),
                    },
                };
                fail(&mut decision, &mut protected, file, error);
            }
        }
    }
    // Assets a local file stands for: the one kept for it, and any other at its path that
    // cannot be told apart from it (same size, and no MD5 says otherwise). None of them is
    // ever deleted.
    let mut matched: HashSet<&str> = HashSet::new();
    // Assets at a file's path proven to be another version of it: a different size, or a
    // different MD5. Deleted (with prune) once the file's new upload has succeeded.
    let mut superseded: HashSet<usize> = HashSet::new();
    let mut files = BTreeMap::new();
    let alt_text = local.alt_text.as_ref();
    for candidate in &candidates {
        let Candidate {
            index,
            file,
            matches,
            others,
            known,
            hash,
        } = candidate;
        let md5 = match hash.then(|| evidence.local.remove(index)) {
            None => None,
            Some(Some(Ok(md5))) => Some(md5),
            Some(failed) => {
                let source = failed.and_then(Result::err).unwrap_or_else(|| Error::Io {
                    operation: IoOperation::Reading,
                    path: file.disk.clone(),
                    source: std::io::Error::other("the file was not read"),
                });
                fail(
                    &mut decision,
                    &mut protected,
                    file,
                    unverified(file, source),
                );
                continue;
            }
        };
        let entry = manifest.files.get(&file.path);
        // What is known of each same-size asset's content: `Some(true)` the same as the
        // file's, `Some(false)` different, `None` not known.
        let same_content = |i: usize, hosted: &HashMap<usize, String>| -> Option<bool> {
            let local = md5.as_ref()?;
            if Some(i) == *known {
                return entry.map(|e| e.md5 == *local);
            }
            hosted.get(&i).map(|remote| remote == local)
        };
        let mut hosted = HashMap::new();
        if known.is_none() && options.verify == Verify::Checksum {
            // Every candidate is checked: one that cannot be is a check that failed, even if
            // another matches, or an unverified asset could be taken for a duplicate.
            let mut failure = None;
            for &i in matches {
                match evidence.hosted.remove(&i) {
                    Some(Ok(remote)) => {
                        hosted.insert(i, remote);
                    }
                    Some(Err(error)) => failure = Some(error),
                    None => {
                        failure = Some(Error::UnexpectedResponse {
                            file: None,
                            status: None,
                            body: format!("{} was not downloaded", remote.assets[i].id),
                        })
                    }
                }
            }
            if let Some(error) = failure {
                fail(&mut decision, &mut protected, file, unverified(file, error));
                continue;
            }
        }
        let keep = match (known, options.verify) {
            (Some(i), _) => (same_content(*i, &hosted) != Some(false)).then_some(*i),
            (None, Verify::NameAndSize) => matches.first().copied(),
            (None, Verify::Checksum) => matches
                .iter()
                .copied()
                .find(|&i| same_content(i, &hosted) == Some(true)),
        };
        superseded.extend(others.iter().copied());
        for &i in matches {
            match same_content(i, &hosted) {
                Some(false) => superseded.insert(i),
                Some(true) | None => matched.insert(remote.assets[i].id.as_str()),
            };
        }
        let wanted_alt = alt_text.and_then(|a| a.get(&file.path)).cloned();
        match keep {
            Some(i) => {
                let asset = &remote.assets[i];
                // Kept for the file, wherever it is (a pull may have named the file apart
                // from its asset): never deleted.
                matched.insert(asset.id.as_str());
                let md5 = md5
                    .or_else(|| entry.map(|e| e.md5.clone()))
                    .unwrap_or_default();
                files.insert(
                    file.path.clone(),
                    Entry {
                        size: file.size,
                        modified_ns: file.modified_ns,
                        md5,
                        asset_id: asset.id.clone(),
                        alt_text: asset.alt_text.clone(),
                    },
                );
                decision.unchanged.push(Unchanged {
                    file: file.path.clone(),
                    asset_id: asset.id.clone(),
                    alt_text: wanted_alt.filter(|text| asset.alt_text.as_ref() != Some(text)),
                });
            }
            None => {
                let reason = if !matches.is_empty() || !others.is_empty() {
                    UploadReason::Changed
                } else if manifest.pending.contains_key(&file.path) {
                    UploadReason::Interrupted
                } else if entry.is_some() {
                    UploadReason::Gone
                } else {
                    UploadReason::New
                };
                let folder = target.join(&file.path.dir());
                decision.uploads.push(PlannedUpload {
                    folder_path: (!folder.is_root()).then_some(folder),
                    file: file.path.clone(),
                    size: file.size,
                    reason,
                    alt_text: wanted_alt,
                    disk: file.disk.clone(),
                    modified_ns: file.modified_ns,
                });
            }
        }
    }
    if let Some(rows) = alt_text {
        let present: HashSet<&RelPath> = local.files.iter().map(|f| &f.path).collect();
        for row in rows.keys().filter(|row| !present.contains(row)) {
            decision
                .skipped
                .push((row.to_string(), SkipReason::NoSuchFile));
        }
    }
    let failures = decision.failed.len()
        + local
            .unread
            .iter()
            .filter(|u| matches!(u.why, UnreadReason::Failed(_)))
            .count();
    if options.prune {
        let local_paths: HashSet<&RelPath> = local.files.iter().map(|f| &f.path).collect();
        let facts = Facts {
            matched: &matched,
            local: &local_paths,
            protected: &protected,
            filter: &options.filter,
            failures,
        };
        for (i, asset) in remote.assets.iter().enumerate() {
            let why = match superseded.contains(&i) {
                true => DeleteReason::Superseded,
                false => DeleteReason::NoLocalFile,
            };
            let Some(path) = &asset.path else { continue };
            let planned = |reason| PlannedDelete {
                asset_id: asset.id.clone(),
                path: path.clone(),
                reason,
            };
            match delete_rule::judge(asset, why, &facts) {
                Ok(reason) => decision.deletes.push(planned(reason)),
                Err(Spared::RunFailed) => decision.withheld.push(planned(why)),
                Err(_) => {}
            }
        }
    }
    let mut manifest = manifest.clone();
    manifest.files = files;
    manifest
        .pending
        .retain(|path, _| decision.uploads.iter().any(|u| &u.file == path));
    decision.manifest = manifest;
    decision.execution_cost = execution_cost(&decision, remote);
    decision
}

/// The error for a file that could not be compared with the site, keeping why.
fn unverified(file: &LocalFile, source: Error) -> Error {
    Error::Unverified {
        file: file.label.clone(),
        source: Box::new(source),
    }
}

/// Fails a file: reported with `error`, and its path protected.
fn fail(
    decision: &mut Decision,
    protected: &mut Vec<Option<RelPath>>,
    file: &LocalFile,
    error: Error,
) {
    protected.push(Some(file.path.clone()));
    decision.failed.push((file.label.clone(), error));
}

/// Requests that executing the decision sends: creates, folders to create, alt text, deletes.
fn execution_cost(decision: &Decision, remote: &RemoteInventory) -> u32 {
    let missing: HashSet<FolderPath> = decision
        .uploads
        .iter()
        .filter_map(|u| u.folder_path.as_ref())
        .flat_map(|path| path.ancestors_and_self().collect::<Vec<_>>())
        .filter(|path| remote.folders.id_of(path).is_none())
        .collect();
    let alt = decision
        .unchanged
        .iter()
        .filter(|u| u.alt_text.is_some())
        .count()
        + decision
            .uploads
            .iter()
            .filter(|u| u.alt_text.is_some())
            .count();
    (decision.uploads.len() + missing.len() + alt + decision.deletes.len()) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::RemoteAsset;

    /// A file that must be hashed and cannot be read is a failure: neither an upload nor
    /// unchanged, and the run deletes nothing.
    #[test]
    fn an_unreadable_file_is_neither_changed_nor_unchanged() {
        let path = |p: &str| RelPath::parse(p).unwrap();
        let local = LocalInventory {
            files: vec![LocalFile {
                path: path("a.txt"),
                label: "a.txt".into(),
                disk: "a.txt".into(),
                size: 3,
                modified_ns: 2,
            }],
            ..Default::default()
        };
        let asset = |id: usize, p: &str| RemoteAsset {
            id: crate::AssetId::numbered(id),
            path: Some(path(p)),
            size: 3,
            alt_text: None,
            hosted_url: None,
            ..RemoteAsset::blank()
        };
        let remote = RemoteInventory {
            assets: vec![asset(1, "a.txt"), asset(2, "b.txt")],
            folders: Default::default(),
        };
        let mut manifest = Manifest::new("580e63e98c9a982ac9b8b741".parse().unwrap(), None);
        manifest.files.insert(
            path("a.txt"),
            Entry {
                size: 3,
                modified_ns: 1,
                md5: "m".into(),
                asset_id: crate::AssetId::numbered(1),
                alt_text: None,
            },
        );
        let options = SyncOptions {
            prune: true,
            ..Default::default()
        };
        let limits = Limits::default();
        let inputs = Inputs {
            local: &local,
            remote: &remote,
            manifest: &manifest,
            options: &options,
            limits: &limits,
        };
        let needed = checks(&inputs);
        assert_eq!(needed.local, [0], "touched since the manifest: hash it");
        let unreadable = Evidence {
            local: [(0, Err(Error::Config("unreadable".into())))].into(),
            hosted: Default::default(),
        };
        let decision = decide(&inputs, unreadable);
        assert!(decision.uploads.is_empty() && decision.unchanged.is_empty());
        assert_eq!(decision.failed.len(), 1);
        assert!(decision.deletes.is_empty(), "{:?}", decision.deletes);

        let readable = Evidence {
            local: [(0, Ok("m".to_string()))].into(),
            hosted: Default::default(),
        };
        let decision = decide(&inputs, readable);
        assert_eq!(decision.unchanged.len(), 1);
        assert_eq!(
            decision
                .deletes
                .iter()
                .map(|d| &d.asset_id)
                .collect::<Vec<_>>(),
            [&crate::AssetId::numbered(2)]
        );
    }
}
