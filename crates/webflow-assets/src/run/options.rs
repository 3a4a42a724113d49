//! Settings for [`Client::upload_many`](crate::Client::upload_many) and for a sync.

use std::path::PathBuf;

use serde::Serialize;

use crate::inventory::filter::Filter;
use crate::path::FolderPath;

/// Deletions a pruning sync makes at most unless told otherwise.
pub const DEFAULT_MAX_DELETE: usize = 100;

/// Settings for [`Client::upload_many`](crate::Client::upload_many).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BulkOptions {
    /// Uploads in flight at once (default 4). The request budget, not this, sets the pace.
    pub concurrency: usize,
    /// Read each asset back after upload (default `false`: it would spend a second request of
    /// the budget per file; S3's answer already confirms the bytes are stored).
    pub confirm: bool,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            confirm: false,
        }
    }
}

/// How a local file and a remote asset with the same folder path, name and size are judged
/// the same file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verify {
    /// Name and size decide, or the MD5 the manifest recorded when it knows the asset. Costs
    /// nothing, but a file edited without changing its size and with no manifest looks
    /// unchanged.
    #[default]
    NameAndSize,
    /// Where the manifest does not know the asset, download its hosted bytes (from the CDN,
    /// which does not draw on the API budget) and compare MD5s. A hosted file that cannot be
    /// fetched fails its local file: it is neither changed nor unchanged. Hosted files are
    /// fetched like URL sources: from public addresses only, unless
    /// [`allow_private_urls`](crate::ClientBuilder::allow_private_urls) says otherwise.
    Checksum,
}

/// Settings for [`Client::sync_dir`](crate::Client::sync_dir) and
/// [`Client::sync_plan`](crate::Client::sync_plan).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SyncOptions {
    /// The folder path the directory's tree goes under (default: the site root), created
    /// when the site lacks it.
    pub folder: Option<FolderPath>,
    /// Where the manifest is kept (default: `.webflow-assets-manifest.json` in the directory).
    pub manifest: Option<PathBuf>,
    /// Only report what would be uploaded: no request that changes anything, no manifest
    /// written. [`Client::sync_plan`](crate::Client::sync_plan) shows deletions too.
    pub dry_run: bool,
    /// How a local file and a remote asset are judged the same (default: name and size).
    pub verify: Verify,
    /// Delete assets under the target folder that are provably gone (the sync plan's
    /// documentation gives the one rule every deletion passes).
    pub prune: bool,
    /// Deletions allowed at most (default [`DEFAULT_MAX_DELETE`]); a plan with more is refused
    /// whole with [`Error::TooManyDeletes`](crate::Error::TooManyDeletes) before anything
    /// changes.
    pub max_delete: usize,
    /// Confirms a new target: the directory's manifest records another site or folder than
    /// this sync's, and the sync prunes anyway (default `false`: such a sync is refused with
    /// [`Error::TargetChanged`](crate::Error::TargetChanged) before anything is sent, since
    /// it would delete under the new target what the directory never held there).
    pub retarget: bool,
    /// Which files take part; the others are neither read, uploaded nor deleted.
    pub filter: Filter,
    /// Follow symbolic links to files and directories (rclone's `-L`), with loop detection.
    /// Off by default: a link is skipped, and nothing on the site under its path is deleted.
    pub follow_links: bool,
    /// Concurrency and confirmation, as for
    /// [`Client::upload_many`](crate::Client::upload_many).
    pub bulk: BulkOptions,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            folder: None,
            manifest: None,
            dry_run: false,
            verify: Verify::default(),
            prune: false,
            max_delete: DEFAULT_MAX_DELETE,
            retarget: false,
            filter: Filter::default(),
            follow_links: false,
            bulk: BulkOptions::default(),
        }
    }
}

impl BulkOptions {
    /// Sets the uploads in flight at once (default 4; 0 counts as 1). The request budget,
    /// not this, sets the pace.
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// Sets whether each asset is read back after upload.
    pub fn confirm(mut self, confirm: bool) -> Self {
        self.confirm = confirm;
        self
    }
}

crate::run::settings::shared_settings!(SyncOptions {
    folder,
    manifest,
    dry_run,
    concurrency
});

impl SyncOptions {
    /// Sets how a local file and a remote asset are judged the same.
    pub fn verify(mut self, verify: Verify) -> Self {
        self.verify = verify;
        self
    }

    /// Sets whether assets that are provably gone are deleted.
    pub fn prune(mut self, prune: bool) -> Self {
        self.prune = prune;
        self
    }

    /// Sets the most deletions allowed.
    pub fn max_delete(mut self, max: usize) -> Self {
        self.max_delete = max;
        self
    }

    /// Sets whether a pruning sync may go to another site or folder than the directory's
    /// manifest records.
    pub fn retarget(mut self, confirmed: bool) -> Self {
        self.retarget = confirmed;
        self
    }

    /// Sets which files take part.
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = filter;
        self
    }

    /// Sets whether symbolic links are followed.
    pub fn follow_links(mut self, follow: bool) -> Self {
        self.follow_links = follow;
        self
    }

    /// Sets the concurrency and confirmation.
    pub fn bulk(mut self, bulk: BulkOptions) -> Self {
        self.bulk = bulk;
        self
    }

    /// The target folder (the site root when none is set).
    pub(crate) fn target(&self) -> FolderPath {
        self.folder.clone().unwrap_or_default()
    }
}
