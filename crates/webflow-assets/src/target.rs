//! Where a sync puts a directory's tree, and a directory aimed somewhere other than the place
//! its manifest records. The error type names both, so they sit beside it, below every
//! pipeline.

use std::fmt;

use crate::ids::SiteId;

use crate::path::FolderPath;

/// Where a sync puts a directory's tree: a site, and a folder path on it (the site root when
/// empty).
///
/// ```
/// use webflow_assets::sync::SyncTarget;
///
/// let target = SyncTarget::new("580e63e98c9a982ac9b8b741".parse()?, "brand".parse()?);
/// assert_eq!(target.to_string(), "folder \"brand\" of site 580e63e98c9a982ac9b8b741");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct SyncTarget {
    /// The site.
    pub site_id: SiteId,
    /// The folder path ([`FolderPath::root`] for the site root).
    pub folder: FolderPath,
}

impl SyncTarget {
    /// The folder `folder` of the site `site_id`.
    pub fn new(site_id: SiteId, folder: FolderPath) -> Self {
        Self { site_id, folder }
    }

    /// The folder, in words: `the site root` or `folder "brand/logos"`.
    pub fn folder_words(&self) -> String {
        match self.folder.is_root() {
            true => "the site root".into(),
            false => format!("folder {:?}", self.folder.to_string()),
        }
    }
}

impl fmt::Display for SyncTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.folder.is_root() {
            true => write!(f, "the root of site {}", self.site_id),
            false => write!(f, "{} of site {}", self.folder_words(), self.site_id),
        }
    }
}

/// A sync aimed at another site or folder than the one the directory's manifest records.
/// Its plan carries one (`SyncPlan::retarget`); a pruning
/// sync with one is refused with [`Error::TargetChanged`](crate::Error::TargetChanged) unless
/// `SyncOptions::retarget` confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Retarget {
    /// What the manifest says the directory was synced to.
    pub recorded: SyncTarget,
    /// What this sync targets.
    pub requested: SyncTarget,
}

impl Retarget {
    /// A sync to `requested` of a directory synced to `recorded`.
    pub fn new(recorded: SyncTarget, requested: SyncTarget) -> Self {
        Self {
            recorded,
            requested,
        }
    }
}

impl fmt::Display for Retarget {
    /// Both targets, by folder alone when the site is the same.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (from, to) = (&self.recorded, &self.requested);
        match from.site_id == to.site_id {
            true => write!(
                f,
                "the directory was synced to {}, not to {}",
                from.folder_words(),
                to.folder_words()
            ),
            false => write!(f, "the directory was synced to {from}, not to {to}"),
        }
    }
}
