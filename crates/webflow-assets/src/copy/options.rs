//! The settings of a copy.

use crate::ids::LocaleId;
use crate::path::FolderPath;
use crate::run::options::BulkOptions;

/// Settings for [`Client::copy_plan`](crate::Client::copy_plan).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CopyOptions {
    /// Copy only this folder of the source and the folders below it (default: the site). A
    /// folder the source lacks is [`Error::FolderNotFound`](crate::Error::FolderNotFound).
    pub folder: Option<FolderPath>,
    /// Put the copy under this folder of the target (default: its root), created when the
    /// target lacks it.
    pub to_folder: Option<FolderPath>,
    /// Only report what would be copied.
    pub dry_run: bool,
    /// Copies in flight at once (only its `concurrency` applies: a copy is not read back).
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

    /// Sets the copies in flight at once from a [`BulkOptions`], as
    /// [`concurrency`](Self::concurrency) does from a number (its `confirm` does not apply).
    pub fn bulk(mut self, bulk: BulkOptions) -> Self {
        self.bulk = bulk;
        self
    }
}
