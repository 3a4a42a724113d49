//! The settings several operations share (folder, manifest, dry run, concurrency, locale,
//! locales), each with one setter, one meaning and one type, written here once and given to
//! every options type that has the setting:
//!
//! | setting | options types |
//! |---|---|
//! | `folder` | `SyncOptions`, `PullOptions`, `CopyOptions`, `AltExportOptions`, `AuditOptions` |
//! | `manifest` | `SyncOptions`, `PullOptions` |
//! | `dry_run` | `SyncOptions`, `PullOptions`, `CopyOptions`, `AltImportOptions`, `FontDirOptions` |
//! | `concurrency` | `SyncOptions`, `PullOptions`, `CopyOptions` (in their `bulk`), `AltImportOptions` |
//! | `locale` | `AltExportOptions`, `AltImportOptions`, `AuditOptions` |
//! | `locales` | `PullOptions`, `CopyOptions` |
//!
//! The conventions, the same for every options type:
//! - a setter is named for its setting and takes `self` by value, so setters chain;
//! - a setter of an optional setting takes the value; its `maybe_` twin takes an `Option`
//!   of it, so a caller holding an `Option` passes it as it is (`None` restores the
//!   default): `folder(path)` and `maybe_folder(Some(path))` are the same;
//! - there are no getters: a setting is read from the options type's public field of the
//!   same name (`concurrency` from `bulk.concurrency` on the types that carry a
//!   `BulkOptions`, from `concurrency` on `AltImportOptions`).

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
        /// Sets the folder path on the site the operation works in (default: the site
        /// root). A sync puts the directory's tree under it, creating it when the site lacks
        /// it; every other operation reads it and the folders below it, and a folder the
        /// site lacks is [`Error::FolderNotFound`](crate::Error::FolderNotFound).
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
        /// Sets how many files or assets are worked on at once (default 4; 0 counts as 1).
        /// The token's request budget, not this, sets the pace.
        pub fn concurrency(mut self, concurrency: usize) -> Self {
            self.$($field).+ = concurrency;
            self
        }
    };
    (@ locale) => {
        /// Sets the one locale whose alt text the operation reads, and an import writes
        /// (default: the primary locale). Secondary locales carried along are `locales`, on
        /// the operations that have them.
        pub fn locale(self, locale: $crate::ids::LocaleId) -> Self {
            self.maybe_locale(Some(locale))
        }

        /// Sets the locale as [`Self::locale`] does, from an `Option` (`None`: the primary
        /// locale).
        pub fn maybe_locale(mut self, locale: Option<$crate::ids::LocaleId>) -> Self {
            self.locale = locale;
            self
        }
    };
    (@ locales) => {
        /// Sets the secondary locales whose alt text is carried too, besides the primary
        /// one (in place of any given before; each costs one more listing).
        pub fn locales(mut self, locales: impl IntoIterator<Item = $crate::ids::LocaleId>) -> Self {
            self.locales = locales.into_iter().collect();
            self
        }
    };
}

pub(crate) use shared_settings;

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    type Table = BTreeMap<String, BTreeSet<String>>;

    /// Each options type's shared settings, as its `shared_settings!` call gives them.
    fn given(dir: &Path, table: &mut Table) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                given(&path, table);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("run/settings.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let call = "crate::run::settings::shared_settings!(";
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                let (name, rest) = rest.split_once('{').unwrap();
                let (settings, _) = rest.split_once('}').unwrap();
                for setting in settings.split(',') {
                    let setting = setting.split("=>").next().unwrap().trim();
                    if !setting.is_empty() {
                        table
                            .entry(setting.to_string())
                            .or_default()
                            .insert(name.trim().to_string());
                    }
                }
            }
        }
    }

    /// The table in this module's documentation names, for each shared setting, exactly the
    /// options types that have it: a type given a setting, or losing one, fails here until
    /// the table says so.
    #[test]
    fn the_documented_table_is_the_settings_the_options_types_have() {
        let mut documented = Table::new();
        for row in include_str!("settings.rs").lines() {
            let Some(row) = row.strip_prefix("//! | `") else {
                continue;
            };
            let (setting, types) = row.split_once('`').unwrap();
            let types = types
                .split('`')
                .filter(|word| word.ends_with("Options") && *word != "BulkOptions")
                .map(String::from)
                .collect();
            documented.insert(setting.to_string(), types);
        }
        let mut table = Table::new();
        given(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut table,
        );
        assert_eq!(documented.len(), 6, "{documented:?}");
        assert_eq!(documented, table);
    }
}
