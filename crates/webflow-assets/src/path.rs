//! The two kinds of path a sync speaks of, each with one normalisation: an asset folder path
//! on the site ([`FolderPath`]) and a file's path relative to a synced directory
//! ([`RelPath`]). Both are `/`-separated and in Unicode NFC, so a name written by macOS (NFD)
//! and the same name written by Linux or git (NFC) are the same path, as rclone compares them.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::validate::Rule;

/// A name in Unicode NFC.
pub(crate) fn nfc(name: &str) -> String {
    name.nfc().collect()
}

/// A folder name as Webflow keeps it and as every path compares it: trimmed (Webflow trims
/// folder names) and in NFC. The one normalisation of folder names, for site folders and
/// local directories alike.
pub(crate) fn folder_name(name: &str) -> String {
    nfc(name.trim())
}

/// Whether `c` separates folder names in a folder path: `/`, and `\` as well, so that a path
/// written the Windows way (`brand\logos`) means the same folder on every system (a folder
/// name may hold neither).
fn is_folder_separator(c: char) -> bool {
    c == '/' || c == '\\'
}

/// Whether `c` separates names in a file's relative path: `\` only on Windows, since
/// elsewhere it may be part of a file's name.
fn is_separator(c: char) -> bool {
    c == '/' || (cfg!(windows) && c == '\\')
}

/// An asset folder path on a site, such as `brand/logos/2026`: folder names from the root
/// down, each trimmed and in NFC. The site root is the empty path.
///
/// ```
/// use webflow_assets::FolderPath;
///
/// let path: FolderPath = "/brand/ logos /".parse()?;
/// assert_eq!(path.to_string(), "brand/logos");
/// assert_eq!(path.segments().collect::<Vec<_>>(), ["brand", "logos"]);
/// assert!("brand//logos".parse::<FolderPath>().is_err());
/// # Ok::<(), webflow_assets::Rule>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FolderPath(Vec<String>);

impl FolderPath {
    /// The site root.
    pub fn root() -> Self {
        Self::default()
    }

    /// Parses a path of folder names separated by `/` (leading and trailing ones ignored).
    /// An empty name between two separators, or a path with no name at all, is refused.
    pub fn parse(text: &str) -> Result<Self, Rule> {
        let invalid = || Rule::InvalidFolderName {
            name: text.to_string(),
        };
        let trimmed = text.trim().trim_matches(is_folder_separator);
        if trimmed.is_empty() {
            return Err(invalid());
        }
        let segments = trimmed
            .split(is_folder_separator)
            .map(folder_name)
            .collect::<Vec<_>>();
        if segments.iter().any(String::is_empty) {
            return Err(invalid());
        }
        Ok(Self(segments))
    }

    /// The folder names, from the root down.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Whether this is the site root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The path of a folder named `name` inside this one (`name` as given, in NFC).
    pub fn child(&self, name: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(folder_name(name));
        Self(segments)
    }

    /// This path followed by `other`.
    pub fn join(&self, other: &FolderPath) -> Self {
        Self(self.0.iter().chain(&other.0).cloned().collect())
    }

    /// Every path from the first level down to this one (`a`, `a/b`, `a/b/c`).
    pub fn ancestors_and_self(&self) -> impl Iterator<Item = FolderPath> + '_ {
        (1..=self.0.len()).map(|n| Self(self.0[..n].to_vec()))
    }
}

impl fmt::Display for FolderPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

impl std::str::FromStr for FolderPath {
    type Err = Rule;

    fn from_str(text: &str) -> Result<Self, Rule> {
        Self::parse(text)
    }
}

impl TryFrom<&str> for FolderPath {
    type Error = Rule;

    fn try_from(text: &str) -> Result<Self, Rule> {
        Self::parse(text)
    }
}

impl TryFrom<String> for FolderPath {
    type Error = Rule;

    fn try_from(text: String) -> Result<Self, Rule> {
        Self::parse(&text)
    }
}

impl FolderPath {
    /// Reads the text [`Display`](fmt::Display) writes back into the path: empty text is the
    /// site root, anything else is [parsed](Self::parse).
    pub fn from_display(text: &str) -> Result<Self, Rule> {
        match text.is_empty() {
            true => Ok(Self::root()),
            false => Self::parse(text),
        }
    }
}

/// Written as its text: `brand/logos`, the root as the empty string.
impl serde::Serialize for FolderPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Read from the text it is written as (the empty string is the root), so a path written
/// out comes back as the same path.
impl<'de> serde::Deserialize<'de> for FolderPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_display(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for FolderPath {
    fn schema_name() -> String {
        "FolderPath".into()
    }

    // Written inline, as the plain string it is, so a schema reads the same whether a
    // field is typed as a path or was text.
    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(generator)
    }
}

/// A file's path relative to a synced directory, such as `brand/logo.png`: `/`-separated, in
/// NFC, with no empty, `.` or `..` component. It is how a file is matched to an asset and how
/// the manifest and the alt-text sidecar name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelPath(String);

impl RelPath {
    /// Parses a relative path as people write it in a sidecar file or a manifest: a leading
    /// `./` or `/` is dropped, and on Windows `\` is read as `/` (elsewhere it may be part of
    /// a file's name). `None` for a path that is empty or has an empty, `.` or `..`
    /// component.
    pub fn parse(text: &str) -> Option<Self> {
        let text: String = text
            .chars()
            .map(|c| if is_separator(c) { '/' } else { c })
            .collect();
        let mut rest = text.as_str();
        while let Some(stripped) = rest.strip_prefix("./") {
            rest = stripped;
        }
        let rest = rest.trim_start_matches('/');
        Self::from_names(rest.split('/'))
    }

    /// A path from its names, top down: the directories normalised as folder names
    /// ([`FolderPath`]'s one normalisation: trimmed, NFC), the file's own name in NFC. `None`
    /// when a name is empty (a directory's, once trimmed), `.` or `..`, or holds a `/` (an
    /// asset named `a/b` is not the file `b` in directory `a`).
    pub(crate) fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let names: Vec<&str> = names.into_iter().collect();
        let (file, dirs) = names.split_last()?;
        let mut joined = String::new();
        for dir in dirs {
            let dir = folder_name(dir);
            if !usable(&dir) {
                return None;
            }
            joined.push_str(&dir);
            joined.push('/');
        }
        if !usable(file) {
            return None;
        }
        joined.push_str(&nfc(file));
        Some(Self(joined))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last name.
    pub fn name(&self) -> &str {
        self.0
            .rsplit_once('/')
            .map_or(self.0.as_str(), |(_, name)| name)
    }

    /// The directories above the file, as a folder path relative to the synced directory's
    /// target ([`FolderPath::root`] for a file at the top).
    pub fn dir(&self) -> FolderPath {
        match self.0.rsplit_once('/') {
            Some((dirs, _)) => FolderPath(dirs.split('/').map(String::from).collect()),
            None => FolderPath::root(),
        }
    }

    /// Whether this path is `prefix` or lies inside it.
    pub fn is_within(&self, prefix: &RelPath) -> bool {
        self.0 == prefix.0
            || (self.0.starts_with(&prefix.0)
                && self.0.as_bytes().get(prefix.0.len()) == Some(&b'/'))
    }

    /// The path of a file named `name` in folder `dir` (relative to a sync's target).
    pub(crate) fn in_folder(dir: &FolderPath, name: &str) -> Option<Self> {
        Self::from_names(dir.segments().chain([name]))
    }
}

/// Whether a name can be one component of a path.
fn usable(name: &str) -> bool {
    !(name.is_empty() || name == "." || name == ".." || name.contains('/'))
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for RelPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for RelPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a relative path: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_have_one_normalisation() {
        let nfd = "cafe\u{301}/menu";
        let path = FolderPath::parse(&format!("/{nfd}/ ")).unwrap();
        assert_eq!(path, FolderPath::parse("café/menu").unwrap());
        assert_eq!(path.to_string(), "café/menu");
        for bad in ["", "/", "a//b", " / "] {
            assert!(FolderPath::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            FolderPath::parse("a/b")
                .unwrap()
                .ancestors_and_self()
                .map(|p| p.to_string())
                .collect::<Vec<_>>(),
            ["a", "a/b"]
        );
        assert_eq!(
            FolderPath::parse("x")
                .unwrap()
                .join(&FolderPath::parse("y/z").unwrap())
                .to_string(),
            "x/y/z"
        );
        assert_eq!(
            FolderPath::parse(r"\brand\logos/2026\")
                .unwrap()
                .to_string(),
            "brand/logos/2026",
            "the Windows separator too"
        );
    }

    #[test]
    fn relative_paths_compare_in_nfc() {
        let nfd = RelPath::parse("./docs/cafe\u{301}-menu\u{308}.txt").unwrap();
        assert_eq!(nfd, RelPath::parse("docs/café-menü.txt").unwrap());
        assert_eq!(
            RelPath::parse(" docs /a.txt").unwrap().dir(),
            FolderPath::parse("docs").unwrap(),
            "a directory compares as the folder Webflow makes of it"
        );
        assert_eq!(RelPath::parse("d/ a.txt ").unwrap().name(), " a.txt ");
        #[cfg(not(windows))]
        assert_eq!(RelPath::parse("a\\b.png").unwrap().name(), "a\\b.png");
        assert_eq!(nfd.name(), "café-menü.txt");
        assert_eq!(nfd.dir().to_string(), "docs");
        assert!(nfd.is_within(&RelPath::parse("docs").unwrap()));
        assert!(!nfd.is_within(&RelPath::parse("doc").unwrap()));
        for bad in ["", "a//b", "../x", "a/./b"] {
            assert_eq!(RelPath::parse(bad), None, "{bad:?}");
        }
    }
}
