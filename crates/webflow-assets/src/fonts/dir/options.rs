//! How a font directory is put on a site.

use webflow_assets_raw::types::FontDisplay;

/// How a font directory is put on a site. Built from `Default` with chainable setters: with
/// none, each font's family, weight and style are read from its file, `font-display` is
/// `swap`, files are sent as they are, and each directory's manifest is read and written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FontDirOptions {
    /// The CSS font-family for every file (default: read from each file).
    pub family: Option<String>,
    /// The CSS font-weight for every file (default: read from each file).
    pub weight: Option<u16>,
    /// Whether every file is italic (default: read from each file).
    pub italic: Option<bool>,
    /// The CSS font-display (default `swap`).
    pub display: FontDisplay,
    /// Compress TTF and OTF files to WOFF2 first, as `<stem>.woff2`.
    pub woff2: bool,
    /// Decide and report, upload nothing, write no manifest.
    pub dry_run: bool,
    /// Neither read nor write any directory's manifest.
    pub without_manifest: bool,
}

impl Default for FontDirOptions {
    fn default() -> Self {
        Self {
            family: None,
            weight: None,
            italic: None,
            display: FontDisplay::Swap,
            woff2: false,
            dry_run: false,
            without_manifest: false,
        }
    }
}

crate::run::settings::shared_settings!(FontDirOptions { dry_run });

impl FontDirOptions {
    /// Sets the CSS font-family of every file (default: read from each file).
    pub fn family(self, family: impl Into<String>) -> Self {
        self.maybe_family(Some(family.into()))
    }

    /// Sets the font-family as [`Self::family`] does, from an `Option` (`None`: read from
    /// each file).
    pub fn maybe_family(mut self, family: Option<String>) -> Self {
        self.family = family;
        self
    }

    /// Sets the CSS font-weight (1-1000) of every file (default: read from each file).
    pub fn weight(self, weight: u16) -> Self {
        self.maybe_weight(Some(weight))
    }

    /// Sets the font-weight as [`Self::weight`] does, from an `Option` (`None`: read from
    /// each file).
    pub fn maybe_weight(mut self, weight: Option<u16>) -> Self {
        self.weight = weight;
        self
    }

    /// Sets whether every file is italic (default: read from each file).
    pub fn italic(self, italic: bool) -> Self {
        self.maybe_italic(Some(italic))
    }

    /// Sets the style as [`Self::italic`] does, from an `Option` (`None`: read from each
    /// file).
    pub fn maybe_italic(mut self, italic: Option<bool>) -> Self {
        self.italic = italic;
        self
    }

    /// Sets the CSS font-display of the uploaded fonts (default `swap`).
    pub fn display(mut self, display: FontDisplay) -> Self {
        self.display = display;
        self
    }

    /// Sets whether TTF and OTF files are compressed to WOFF2 before upload, as
    /// `<stem>.woff2` (default `false`; metadata is read from the source, and other formats
    /// are sent as they are).
    pub fn woff2(mut self, woff2: bool) -> Self {
        self.woff2 = woff2;
        self
    }

    /// Sets whether no directory's manifest is read or written (default `false`): every
    /// file is then compared with the site, which costs downloads but writes no file beside
    /// the fonts.
    pub fn without_manifest(mut self, without_manifest: bool) -> Self {
        self.without_manifest = without_manifest;
        self
    }
}
