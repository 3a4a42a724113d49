//! A property of the plan, tested without I/O: over random local trees (with links, hidden,
//! excluded, refused, unreadable and colliding parts), random sites, random manifests and
//! random evidence, no planned deletion targets an asset that matches a local file, or one
//! that lies in a part of the directory the walk did not read, and nothing is deleted after
//! a failure.

use std::collections::{BTreeMap, HashMap, HashSet};

use proptest::prelude::*;

use crate::api::folder_tree::FolderTree;
use crate::error::Error;
use crate::inventory::filter::Filter;
use crate::inventory::manifest::{Entry, Manifest};
use crate::inventory::{
    Evidence, LocalFile, LocalInventory, RemoteAsset, RemoteInventory, Unread, UnreadReason,
};
use crate::path::RelPath;
use crate::reasons::{DeleteReason, SkipReason};
use crate::run::options::{SyncOptions, Verify};
use crate::sync::plan::{Inputs, checks, decide};
use crate::validate::Limits;

/// Names as a disk spells them, from a small space, so that local files, unread parts and
/// assets collide often; `café` comes in NFD and NFC, `b` with a trailing space.
fn spelling() -> impl Strategy<Value = String> {
    let dir = prop::sample::select(vec!["", "a/", "b/", "b /", "a/c/", ".hidden/"]);
    let name = prop::sample::select(vec![
        "x.png",
        "y.txt",
        "z.pdf",
        "cafe\u{301}.txt",
        "caf\u{e9}.txt",
        "w.exe",
        ".h.png",
    ]);
    (dir, name).prop_map(|(dir, name)| format!("{dir}{name}"))
}

fn path() -> impl Strategy<Value = RelPath> {
    spelling().prop_map(|s| RelPath::parse(&s).expect("a valid path"))
}

fn unread_path() -> impl Strategy<Value = Option<RelPath>> {
    prop_oneof![
        8 => prop::sample::select(vec!["a", "b", "a/c", "a/x.png", "y.txt"])
            .prop_map(RelPath::parse),
        1 => Just(None),
    ]
}

fn md5() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["m1", "m2", "m3"]).prop_map(String::from)
}

#[derive(Debug, Clone)]
struct World {
    files: BTreeMap<String, (u64, u64)>,
    unread: Vec<(Option<RelPath>, bool)>,
    assets: Vec<(RelPath, u64)>,
    manifest: BTreeMap<RelPath, (usize, String, u64)>,
    exclude_pdf: bool,
    checksum: bool,
    local_md5: Vec<Option<String>>,
    hosted_md5: Vec<Option<String>>,
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::btree_map(spelling(), (1..4u64, 0..3u64), 0..12),
        prop::collection::vec((unread_path(), any::<bool>()), 0..3),
        prop::collection::vec((path(), 1..4u64), 0..14),
        prop::collection::btree_map(path(), (0..14usize, md5(), 0..3u64), 0..6),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(prop::option::weighted(0.9, md5()), 20),
        prop::collection::vec(prop::option::weighted(0.9, md5()), 20),
    )
        .prop_map(
            |(files, unread, assets, manifest, exclude_pdf, checksum, local_md5, hosted_md5)| {
                World {
                    files,
                    unread,
                    assets,
                    manifest,
                    exclude_pdf,
                    checksum,
                    local_md5,
                    hosted_md5,
                }
            },
        )
}

/// The local inventory the walk would make of the world's files.
fn walk(world: &World, filter: &Filter) -> LocalInventory {
    let mut unread: Vec<Unread> = world
        .unread
        .iter()
        .map(|(path, failed)| Unread {
            label: path.as_ref().map_or(String::new(), ToString::to_string),
            path: path.clone(),
            why: match failed {
                true => UnreadReason::Failed(Error::Config("unreadable".into())),
                false => UnreadReason::Skipped(SkipReason::Symlink),
            },
        })
        .collect();
    let mut files = Vec::new();
    for (spelling, (size, modified_ns)) in &world.files {
        let path = RelPath::parse(spelling).unwrap();
        if unread
            .iter()
            .any(|u| u.path.as_ref().is_none_or(|p| path.is_within(p)))
        {
            continue;
        }
        // The walk reports the first hidden name on the way down and reads nothing below it.
        let names: Vec<&str> = path.as_str().split('/').collect();
        if let Some(hidden) = names.iter().position(|n| n.starts_with('.')) {
            let hidden = RelPath::from_names(names[..=hidden].iter().copied());
            unread.push(Unread {
                label: spelling.clone(),
                path: hidden,
                why: UnreadReason::Skipped(SkipReason::Hidden),
            });
            continue;
        }
        if !filter.is_included(path.as_str()) {
            unread.push(Unread {
                label: spelling.clone(),
                path: Some(path),
                why: UnreadReason::Skipped(SkipReason::Excluded),
            });
            continue;
        }
        files.push(LocalFile {
            path,
            label: spelling.clone(),
            disk: spelling.into(),
            size: *size,
            modified_ns: *modified_ns,
        });
    }
    LocalInventory {
        files,
        unread,
        alt_text: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn no_planned_delete_touches_what_is_local_or_unread(world in world()) {
        let filter = match world.exclude_pdf {
            true => Filter::new(Vec::<&str>::new(), ["*.pdf"]).unwrap(),
            false => Filter::default(),
        };
        let local = walk(&world, &filter);
        let remote = RemoteInventory {
            assets: world
                .assets
                .iter()
                .enumerate()
                .map(|(i, (path, size))| RemoteAsset {
                    id: crate::AssetId::numbered(i),
                    path: Some(path.clone()),
                    size: *size,
                    alt_text: None,
                    hosted_url: Some(format!("https://cdn.test/{i}")),
                    ..RemoteAsset::blank()
                })
                .collect(),
            folders: FolderTree::default(),
        };
        let mut manifest = Manifest::new("580e63e98c9a982ac9b8b741".parse().unwrap(), None);
        for (path, (asset, md5, size)) in &world.manifest {
            manifest.files.insert(path.clone(), Entry {
                size: *size,
                modified_ns: 0,
                md5: md5.clone(),
                asset_id: crate::AssetId::numbered(*asset),
                alt_text: None,
            });
        }
        let options = SyncOptions {
            prune: true,
            filter: filter.clone(),
            verify: if world.checksum { Verify::Checksum } else { Verify::NameAndSize },
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
        let local_md5: HashMap<usize, Option<String>> = needed
            .local
            .iter()
            .map(|&i| (i, world.local_md5[i % world.local_md5.len()].clone()))
            .collect();
        let hosted_md5: HashMap<usize, Option<String>> = needed
            .hosted
            .iter()
            .map(|&i| (i, world.hosted_md5[(i + 7) % world.hosted_md5.len()].clone()))
            .collect();
        let answer = |md5: &Option<String>| match md5 {
            Some(md5) => Ok(md5.clone()),
            None => Err(Error::Config("could not read".into())),
        };
        let evidence = Evidence {
            local: local_md5.iter().map(|(&i, m)| (i, answer(m))).collect(),
            hosted: hosted_md5.iter().map(|(&i, m)| (i, answer(m))).collect(),
        };
        let decision = decide(&inputs, evidence);

        let any_failure = !decision.failed.is_empty()
            || local.unread.iter().any(|u| matches!(u.why, UnreadReason::Failed(_)));
        prop_assert!(!any_failure || decision.deletes.is_empty(), "deletes after a failure");
        let kept: HashSet<&str> = decision.unchanged.iter().map(|u| u.asset_id.as_str()).collect();
        let uploaded: HashSet<&RelPath> = decision.uploads.iter().map(|u| &u.file).collect();
        let refused_or_failed: HashSet<&str> = decision
            .skipped
            .iter()
            .map(|(label, _)| label.as_str())
            .chain(decision.failed.iter().map(|(label, _)| label.as_str()))
            .collect();
        for delete in &decision.deletes {
            let asset = &remote.assets[usize::from_str_radix(delete.asset_id.as_str(), 16).unwrap()];
            prop_assert!(!kept.contains(delete.asset_id.as_str()), "{delete:?} is kept for a file");
            for unread in &local.unread {
                prop_assert!(
                    !unread.path.as_ref().is_none_or(|p| delete.path.is_within(p)),
                    "{delete:?} lies in unread {:?}", unread.path
                );
            }
            prop_assert!(filter.is_included(delete.path.as_str()), "{delete:?} is excluded");
            let here: Vec<(usize, &LocalFile)> = local
                .files
                .iter()
                .enumerate()
                .filter(|(_, f)| f.path == delete.path)
                .collect();
            for (_, file) in &here {
                prop_assert!(
                    !refused_or_failed.contains(file.label.as_str()),
                    "{delete:?} is at a refused, colliding or failed file"
                );
            }
            match delete.reason {
                DeleteReason::NoLocalFile => {
                    prop_assert!(here.is_empty(), "{delete:?} has a local file")
                }
                DeleteReason::Superseded => {
                    prop_assert_eq!(here.len(), 1, "{:?} supersedes no one file", delete);
                    let (index, file) = here[0];
                    prop_assert!(
                        uploaded.contains(&delete.path)
                            || decision.unchanged.iter().any(|u| u.file == delete.path),
                        "{delete:?} is replaced by nothing"
                    );
                    if asset.size == file.size {
                        // Same path and size: only a proven different MD5 may supersede it.
                        let local = local_md5.get(&index).cloned().flatten();
                        let index_of_asset = remote.assets.iter().position(|a| a.id == asset.id);
                        let hosted = index_of_asset.and_then(|i| hosted_md5.get(&i).cloned().flatten());
                        let recorded = manifest
                            .files
                            .get(&file.path)
                            .filter(|e| e.asset_id == asset.id)
                            .map(|e| e.md5.clone());
                        let proven = local.is_some()
                            && (hosted.is_some() && hosted != local
                                || recorded.is_some() && recorded != local);
                        prop_assert!(proven, "{delete:?} matches {file:?} and nothing proves it differs");
                    }
                }
                other => prop_assert!(false, "a sync plans no {other:?} deletion"),
            }
        }
    }
}
