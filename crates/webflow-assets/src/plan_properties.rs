//! A property of the plan, tested without I/O: over random local trees (with links, hidden,
//! excluded, refused and unreadable parts), random sites, random manifests and random
//! evidence, no planned deletion targets an asset a local file stands for, or one that lies
//! in a part of the directory the walk did not read.

use std::collections::{BTreeMap, HashSet};

use proptest::prelude::*;

use crate::filter::Filter;
use crate::folder_tree::FolderTree;
use crate::inventory::{
    Evidence, LocalFile, LocalInventory, RemoteAsset, RemoteInventory, Unread, UnreadReason,
};
use crate::manifest::{Entry, Manifest};
use crate::options::{SyncOptions, Verify};
use crate::outcome::{DeleteReason, SkipReason};
use crate::path::RelPath;
use crate::plan::{Inputs, checks, decide};
use crate::{Error, Limits};

/// Paths from a small space, so that local files, unread parts and assets collide often.
fn path() -> impl Strategy<Value = RelPath> {
    let dir = prop::sample::select(vec!["", "a", "b", "a/c", ".hidden"]);
    let name = prop::sample::select(vec![
        "x.png",
        "y.txt",
        "z.pdf",
        "cafe\u{301}.txt",
        "café.txt",
        "w.exe",
    ]);
    (dir, name)
        .prop_map(|(dir, name)| RelPath::parse(&format!("{dir}/{name}")).expect("a valid path"))
}

fn unread_path() -> impl Strategy<Value = Option<RelPath>> {
    prop_oneof![
        8 => prop::sample::select(vec!["a", "b", "a/c", ".hidden", "a/x.png", "y.txt"])
            .prop_map(RelPath::parse),
        1 => Just(None),
    ]
}

fn md5() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["m1", "m2", "m3"]).prop_map(String::from)
}

#[derive(Debug, Clone)]
struct World {
    files: BTreeMap<RelPath, (u64, u64)>,
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
        prop::collection::btree_map(path(), (1..4u64, 0..3u64), 0..12),
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_planned_delete_touches_what_is_local_or_unread(world in world()) {
        let filter = match world.exclude_pdf {
            true => Filter::new(Vec::<&str>::new(), ["*.pdf"]).unwrap(),
            false => Filter::default(),
        };
        let unread: Vec<Unread> = world
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
        // The walk reads nothing inside what it did not read, nothing hidden, nothing excluded.
        let files: Vec<LocalFile> = world
            .files
            .iter()
            .filter(|(path, _)| {
                !unread.iter().any(|u| u.path.as_ref().is_none_or(|p| path.is_within(p)))
                    && !path.as_str().split('/').any(|n| n.starts_with('.'))
                    && filter.is_included(path.as_str())
            })
            .map(|(path, (size, modified_ns))| LocalFile {
                path: path.clone(),
                disk: path.as_str().into(),
                size: *size,
                modified_ns: *modified_ns,
            })
            .collect();
        let local = LocalInventory { files, unread, alt_text: None };
        let remote = RemoteInventory {
            assets: world
                .assets
                .iter()
                .enumerate()
                .map(|(i, (path, size))| RemoteAsset {
                    id: format!("asset{i}"),
                    path: Some(path.clone()),
                    size: *size,
                    alt_text: None,
                    hosted_url: Some(format!("https://cdn.test/{i}")),
                    ..Default::default()
                })
                .collect(),
            folders: FolderTree::default(),
        };
        let mut manifest = Manifest::default();
        for (path, (asset, md5, size)) in &world.manifest {
            manifest.files.insert(path.clone(), Entry {
                size: *size,
                modified_ns: 0,
                md5: md5.clone(),
                asset_id: format!("asset{asset}"),
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
        let answer = |list: &[Option<String>], i: usize| match &list[i % list.len()] {
            Some(md5) => Ok(md5.clone()),
            None => Err(Error::Config("could not read".into())),
        };
        let evidence = Evidence {
            local: needed.local.iter().map(|&i| (i, answer(&world.local_md5, i))).collect(),
            hosted: needed.hosted.iter().map(|&i| (i, answer(&world.hosted_md5, i + 7))).collect(),
        };
        let decision = decide(&inputs, evidence);

        let kept: HashSet<&str> = decision.unchanged.iter().map(|u| u.asset_id.as_str()).collect();
        let local_paths: HashSet<&RelPath> = local.files.iter().map(|f| &f.path).collect();
        let uploaded: HashSet<&RelPath> = decision.uploads.iter().map(|u| &u.file).collect();
        let refused: Vec<RelPath> = decision
            .skipped
            .iter()
            .filter_map(|(p, _)| RelPath::parse(p))
            .chain(decision.failed.iter().filter_map(|(p, _)| RelPath::parse(p)))
            .collect();
        let any_failure = !decision.failed.is_empty()
            || local.unread.iter().any(|u| matches!(u.why, UnreadReason::Failed(_)));
        prop_assert!(!any_failure || decision.deletes.is_empty(), "deletes after a failure");
        for delete in &decision.deletes {
            prop_assert!(!kept.contains(delete.asset_id.as_str()), "{delete:?} is kept for a file");
            for unread in &local.unread {
                prop_assert!(
                    !unread.path.as_ref().is_none_or(|p| delete.path.is_within(p)),
                    "{delete:?} lies in unread {:?}", unread.path
                );
            }
            for path in &refused {
                prop_assert!(!delete.path.is_within(path), "{delete:?} is a refused or failed file");
            }
            prop_assert!(filter.is_included(delete.path.as_str()), "{delete:?} is excluded");
            match delete.reason {
                DeleteReason::NoLocalFile => {
                    prop_assert!(!local_paths.contains(&delete.path), "{delete:?} has a local file")
                }
                DeleteReason::Superseded => {
                    prop_assert!(
                        uploaded.contains(&delete.path)
                            || decision.unchanged.iter().any(|u| u.file == delete.path),
                        "{delete:?} is replaced by nothing"
                    )
                }
                DeleteReason::Duplicate => prop_assert!(
                    decision.unchanged.iter().any(|u| u.file == delete.path && u.asset_id != delete.asset_id),
                    "{delete:?} duplicates nothing kept"
                ),
                other => prop_assert!(false, "a sync plans no {other:?} deletion"),
            }
        }
    }
}
