//! The one rule every deletion of a sync passes. A deleted asset's id and URL are gone for
//! good, and every page that links to it breaks, so an asset is deleted only when it is
//! provably gone: all of these hold.
//!
//! 1. It is under the sync's target folder, at a path the listing could place.
//! 2. No local file matches it: no file at its path; or, at a file's path, an asset proven
//!    to be another version of it (another size, or another MD5), which the file's new
//!    upload replaces. An asset that cannot be told apart from a local file (same path and
//!    size, no MD5 that differs) is never deleted, even when another asset also matches.
//! 3. Its path is not at or inside any part of the directory the walk did not fully read: a
//!    link, a hidden path, an unreadable entry, a name that is not UTF-8, an excluded path, a
//!    refused file, or a file that could not be compared with the site.
//! 4. Every upload, alt-text update and verification of the run succeeded.
//!
//! The plan applies 1 to 3 (and 4 to its verifications); the execution applies 4 again, after
//! its uploads and alt-text updates, before it deletes anything.

use std::collections::HashSet;

use crate::inventory::RemoteAsset;
use crate::inventory::filter::Filter;
use crate::path::RelPath;
use crate::reasons::DeleteReason;

/// What the run knows when it judges a deletion.
pub(crate) struct Facts<'a> {
    /// Assets that match a local file.
    pub(crate) matched: &'a HashSet<&'a str>,
    /// Local files the walk read, by path.
    pub(crate) local: &'a HashSet<&'a RelPath>,
    /// Paths not fully read; `None` is the whole directory.
    pub(crate) protected: &'a [Option<RelPath>],
    /// The sync's include and exclude patterns.
    pub(crate) filter: &'a Filter,
    /// Failures so far.
    pub(crate) failures: usize,
}

/// Why an asset that is not kept for a file is still not deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spared {
    /// Its path could not be placed under the target folder.
    Unplaced,
    /// It matches a local file.
    Matched,
    /// It lies in a part of the directory that was not fully read.
    Unread,
    /// Something in the run failed.
    RunFailed,
}

/// Whether `asset` is deleted, and why; `why` is what the plan found (an older version, or no
/// file at its path).
pub(crate) fn judge(
    asset: &RemoteAsset,
    why: DeleteReason,
    facts: &Facts<'_>,
) -> Result<DeleteReason, Spared> {
    let Some(path) = &asset.path else {
        return Err(Spared::Unplaced);
    };
    if facts.matched.contains(asset.id.as_str())
        || (why == DeleteReason::NoLocalFile && facts.local.contains(path))
    {
        return Err(Spared::Matched);
    }
    let unread = facts
        .protected
        .iter()
        .any(|p| p.as_ref().is_none_or(|p| path.is_within(p)));
    if unread || !facts.filter.is_included(path.as_str()) {
        return Err(Spared::Unread);
    }
    if !run_allows_deletes(facts.failures) {
        return Err(Spared::RunFailed);
    }
    Ok(why)
}

/// Clause 4: deletions happen only in a run where nothing failed.
pub(crate) fn run_allows_deletes(failures: usize) -> bool {
    failures == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(id: usize, path: &str) -> RemoteAsset {
        RemoteAsset {
            id: crate::AssetId::numbered(id),
            path: RelPath::parse(path),
            size: 1,
            alt_text: None,
            hosted_url: None,
            ..RemoteAsset::blank()
        }
    }

    #[test]
    fn only_what_is_provably_gone() {
        let kept = crate::AssetId::numbered(2);
        let matched: HashSet<&str> = [kept.as_str()].into();
        let here = RelPath::parse("here.png").unwrap();
        let local: HashSet<&RelPath> = [&here].into();
        let protected = [RelPath::parse("brand"), RelPath::parse("caf\u{e9}.txt")];
        let filter = Filter::new(Vec::<&str>::new(), ["*.psd"]).unwrap();
        let facts = Facts {
            matched: &matched,
            local: &local,
            protected: &protected,
            filter: &filter,
            failures: 0,
        };
        let gone = DeleteReason::NoLocalFile;
        assert_eq!(judge(&asset(1, "gone.png"), gone, &facts), Ok(gone));
        assert_eq!(
            judge(&asset(2, "gone.png"), gone, &facts),
            Err(Spared::Matched)
        );
        assert_eq!(
            judge(&asset(3, "here.png"), gone, &facts),
            Err(Spared::Matched)
        );
        assert_eq!(
            judge(&asset(3, "here.png"), DeleteReason::Superseded, &facts),
            Ok(DeleteReason::Superseded),
            "an older version of a file that is uploaded again"
        );
        for under in [
            "brand",
            "brand/logo.png",
            "brand/x/y.svg",
            "cafe\u{301}.txt",
            "x.psd",
        ] {
            assert_eq!(
                judge(&asset(4, under), gone, &facts),
                Err(Spared::Unread),
                "{under}"
            );
        }
        assert_eq!(
            judge(&asset(5, "brandnew.png"), gone, &facts),
            Ok(gone),
            "a sibling whose name starts the same is not inside"
        );
        let mut unplaced = asset(6, "x.png");
        unplaced.path = None;
        assert_eq!(judge(&unplaced, gone, &facts), Err(Spared::Unplaced));
        let failed = Facts {
            failures: 1,
            ..facts
        };
        assert_eq!(
            judge(&asset(1, "gone.png"), gone, &failed),
            Err(Spared::RunFailed)
        );
        let whole = [None];
        let unreadable_root = Facts {
            protected: &whole,
            ..failed
        };
        assert_eq!(
            judge(&asset(1, "gone.png"), gone, &unreadable_root),
            Err(Spared::Unread)
        );
    }
}
