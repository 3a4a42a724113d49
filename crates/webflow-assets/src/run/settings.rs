//! The settings several operations share (folder, manifest, dry run, concurrency, locales),
//! each with one setter, one meaning and one type, written here once and given to every
//! options type that has the setting.
//!
//! The conventions, the same for every options type:
//! - a setter is named for its setting and takes `self` by value, so setters chain;
//! - a setter of an optional setting takes the value; its `maybe_` twin takes an `Option`
//!   of it, so a caller holding an `Option` passes it as it is (`None` restores the
//!   default): `folder(path)` and `maybe_folder(Some(path))` are the same;
//! - there are no getters: a setting is read from the options type's public field of the
//!   same name.

/// Implements the shared setters named in braces for an options type, each writing the
/// field of its name (`concurrency` writes the `concurrency` of the type's `bulk`, or its own
/// where the type says `concurrency => concurrency`).
macro_rules! shared_settings {
    ($options:ty { $($setting:ident $(=> $($field:ident).+)?),* $(,)? }) => {
        impl $options {
            $($crate::run::settings::shared_settings!(@ $setting $($($field).+)?);)*
        }
    };
    (@ folder) => {
        /// Sets the folder path on the site the operation works in: a sync puts the
        /// directory's tree under it, a pull or a copy reads it and the folders below it
        /// (default: the site root).
        pub fn folder(self, folder: $crate::FolderPath) -> Self {
            self.maybe_folder(Some(folder))
        }

        /// Sets the folder path as [`Self::folder`] does, from an `Option` (`None`: the site
        /// root).
        pub fn maybe_folder(mut self, folder: Option<$crate::FolderPath>) -> Self {
            self.folder = folder;
            self
        }
    };
    (@ manifest) => {
        /// Sets where the directory's manifest is kept (default:
        /// `.webflow-assets-manifest.json` in the directory).
        pub fn manifest(self, path: impl Into<std::path::PathBuf>) -> Self {
            self.maybe_manifest(Some(path.into()))
        }

        /// Sets where the manifest is kept as [`Self::manifest`] does, from an `Option`
        /// (`None`: the default place).
        pub fn maybe_manifest(mut self, path: Option<std::path::PathBuf>) -> Self {
            self.manifest = path;
            self
        }
    };
    (@ dry_run) => {
        /// Sets whether the operation only reports what it would do, changing nothing
        /// (default `false`).
        pub fn dry_run(mut self, dry_run: bool) -> Self {
            self.dry_run = dry_run;
            self
        }
    };
    (@ concurrency) => {
        $crate::run::settings::shared_settings!(@ concurrency bulk.concurrency);
    };
    (@ concurrency $($field:ident).+) => {
        /// Sets how many files or assets are worked on at once (default 4). The token's
        /// request budget, not this, sets the pace.
        pub fn concurrency(mut self, concurrency: usize) -> Self {
            self.$($field).+ = concurrency;
            self
        }
    };
    (@ locale) => {
        /// Sets the one locale whose alt text the operation reads and writes (default: the
        /// primary locale). Secondary locales carried along are `locales`, on the
        /// operations that have them.
        pub fn locale(self, locale: impl Into<String>) -> Self {
            self.maybe_locale(Some(locale.into()))
        }

        /// Sets the locale as [`Self::locale`] does, from an `Option` (`None`: the primary
        /// locale).
        pub fn maybe_locale(mut self, locale: Option<String>) -> Self {
            self.locale = locale;
            self
        }
    };
    (@ locales) => {
        /// Sets the secondary locales whose alt text is carried too, besides the primary
        /// one (in place of any given before; each costs one more listing).
        pub fn locales(mut self, locales: impl IntoIterator<Item = impl Into<String>>) -> Self {
            self.locales = locales.into_iter().map(Into::into).collect();
            self
        }
    };
}

pub(crate) use shared_settings;
