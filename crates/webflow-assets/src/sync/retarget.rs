//! A directory synced to one place and then pointed at another. Its manifest records the site
//! and folder it was made for; a sync aimed elsewhere says so in its plan, and a pruning one
//! is refused unless the new target is confirmed (`SyncOptions::retarget`): run with
//! `--folder pipe` over a pull of the whole site, it would upload the tree again under
//! `pipe/` and delete what `pipe/` held, none of which the user asked for.

use std::path::Path;

use crate::error::{Error, IoOperation};
use crate::ids::SiteId;
use crate::path::FolderPath;
use crate::target::{Retarget, SyncTarget};

/// The largest manifest whose target is read: as for loading one, far above what a million
/// files need.
const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// What the manifest at `path` says its directory was synced to: `None` when there is no
/// manifest, or a file that is not one this crate wrote (a lost or foreign cache is no
/// evidence of a target). Only a file that exists but cannot be read is an error. Manifests
/// of every version record their site and folder, so an old one is read too. A run saves the
/// manifest, with its target, before it sends anything, so a killed run's is read too.
pub(crate) async fn recorded(path: &Path) -> Result<Option<SyncTarget>, Error> {
    // tokio::fs panics outside a runtime.
    crate::runtime::current()?;
    let io = |source| Error::Io {
        operation: IoOperation::Reading,
        path: path.to_path_buf(),
        source,
    };
    match tokio::fs::metadata(path).await {
        Ok(metadata) if metadata.len() <= MAX_BYTES && metadata.is_file() => {}
        Ok(_) => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io(source)),
    }
    let bytes = tokio::fs::read(path).await.map_err(io)?;
    Ok(target_of(&bytes))
}

/// The site and folder a manifest's bytes record, when they read as a manifest.
fn target_of(bytes: &[u8]) -> Option<SyncTarget> {
    /// The fields naming the target, typed as the manifest writes them; the files are
    /// skipped unread.
    #[derive(serde::Deserialize)]
    struct Head {
        site_id: SiteId,
        folder: Option<FolderPath>,
    }
    let head: Head = serde_json::from_slice(bytes).ok()?;
    Some(SyncTarget::new(
        head.site_id,
        head.folder.unwrap_or_default(),
    ))
}

/// The retarget of a sync to `requested` from what the manifest at `path` records, if they
/// differ; refused with [`Error::TargetChanged`] when the sync prunes and `confirmed` is
/// not set. Nothing is sent either way.
pub(crate) async fn check(
    path: &Path,
    requested: SyncTarget,
    prunes: bool,
    confirmed: bool,
) -> Result<Option<Retarget>, Error> {
    let Some(recorded) = recorded(path).await? else {
        return Ok(None);
    };
    if recorded == requested {
        return Ok(None);
    }
    let retarget = Retarget {
        recorded,
        requested,
    };
    match prunes && !confirmed {
        true => Err(Error::TargetChanged {
            retarget: Box::new(retarget),
        }),
        false => Ok(Some(retarget)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(last: char) -> crate::SiteId {
        format!("580e63e98c9a982ac9b8b74{last}").parse().unwrap()
    }

    #[test]
    fn a_manifest_of_any_version_names_its_target() {
        let v1 = br#"{"version":1,"site_id":"580e63e98c9a982ac9b8b741","folder":null,"files":{}}"#;
        assert_eq!(
            target_of(v1),
            Some(SyncTarget::new(site('1'), FolderPath::root()))
        );
        let v2 = br#"{"version":2,"site_id":"580e63e98c9a982ac9b8b741","folder":"a/b","files":{"x.png":{}}}"#;
        assert_eq!(
            target_of(v2),
            Some(SyncTarget::new(site('1'), "a/b".parse().unwrap()))
        );
        // No folder named: the site root.
        let bare = br#"{"version":1,"site_id":"580e63e98c9a982ac9b8b741","files":{}}"#;
        assert_eq!(
            target_of(bare),
            Some(SyncTarget::new(site('1'), FolderPath::root()))
        );
        // The root named as a path is written as the empty path, and read back as the root.
        let empty = br#"{"version":2,"site_id":"580e63e98c9a982ac9b8b741","folder":"","files":{}}"#;
        assert_eq!(
            target_of(empty),
            Some(SyncTarget::new(site('1'), FolderPath::root()))
        );
        // Not a manifest this crate wrote: no evidence of a target.
        assert_eq!(
            target_of(br#"{"site_id":"580e63e98c9a982ac9b8b741","folder":"a//b"}"#),
            None
        );
        assert_eq!(target_of(b"{ not json"), None);
        assert_eq!(target_of(br#"{"site_id":"nope","folder":null}"#), None);
    }

    #[tokio::test]
    async fn another_folder_or_site_is_a_retarget_refused_when_pruning_unless_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let root = SyncTarget::new(site('1'), FolderPath::root());
        let pipe = SyncTarget::new(site('1'), "pipe".parse().unwrap());
        let other_site = SyncTarget::new(site('2'), FolderPath::root());
        // No manifest: nothing to compare with.
        assert_eq!(check(&path, pipe.clone(), true, false).await.unwrap(), None);

        std::fs::write(
            &path,
            br#"{"version":2,"site_id":"580e63e98c9a982ac9b8b741","folder":null,"files":{}}"#,
        )
        .unwrap();
        assert_eq!(check(&path, root.clone(), true, false).await.unwrap(), None);
        let said = check(&path, pipe.clone(), false, false).await.unwrap();
        assert_eq!(
            said,
            Some(Retarget {
                recorded: root.clone(),
                requested: pipe.clone()
            })
        );
        for requested in [pipe.clone(), other_site.clone()] {
            match check(&path, requested.clone(), true, false).await {
                Err(Error::TargetChanged { retarget }) => {
                    assert_eq!(retarget.recorded, root);
                    assert_eq!(retarget.requested, requested);
                }
                other => panic!("expected TargetChanged, got {other:?}"),
            }
            assert!(check(&path, requested, true, true).await.unwrap().is_some());
        }
        let words = check(&path, pipe, true, false)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            words.contains("the site root") && words.contains("folder \"pipe\""),
            "{words}"
        );
        let words = check(&path, other_site, true, false)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            words.contains(&site('1').to_string()) && words.contains(&site('2').to_string()),
            "{words}"
        );
    }
}
