//! Rules checked before anything is sent, so bad input costs no request and gets a precise
//! error.

use std::fmt;

/// A family of files that shares a size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// PNG, JPEG, GIF, SVG, WebP, AVIF.
    Image,
    /// PDF, Word, Excel, PowerPoint, OpenDocument, text and CSV.
    Document,
    /// Lottie animations: JSON or dotLottie.
    Lottie,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Image => "image",
            Kind::Document => "document",
            Kind::Lottie => "Lottie file",
        })
    }
}

/// Size limits per kind, in bytes. Webflow's are the default; override them when Webflow
/// changes its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest image (Webflow: 4 MB).
    pub image: u64,
    /// Largest document (Webflow: 10 MB).
    pub document: u64,
    /// Largest Lottie file (Webflow names no limit; the document one is assumed).
    pub lottie: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            image: 4 * 1024 * 1024,
            document: 10 * 1024 * 1024,
            lottie: 10 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Sets the largest image, in bytes.
    pub fn image(mut self, bytes: u64) -> Self {
        self.image = bytes;
        self
    }

    /// Sets the largest document, in bytes.
    pub fn document(mut self, bytes: u64) -> Self {
        self.document = bytes;
        self
    }

    /// Sets the largest Lottie file, in bytes.
    pub fn lottie(mut self, bytes: u64) -> Self {
        self.lottie = bytes;
        self
    }

    /// The limit for one kind.
    pub fn for_kind(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Image => self.image,
            Kind::Document => self.document,
            Kind::Lottie => self.lottie,
        }
    }
}

/// File names must be shorter than this many characters.
pub const MAX_FILE_NAME_CHARS: usize = 100;

/// A rule an input broke. In JSON, an object whose `code` names the rule, with its fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// The file name is empty.
    EmptyFileName,
    /// The file name has this many characters; it must have fewer than 100.
    #[non_exhaustive]
    FileNameTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// The file name contains `/` or `\`.
    PathSeparator,
    /// The file name has no extension.
    NoExtension,
    /// Webflow does not take files with this extension.
    #[non_exhaustive]
    UnsupportedType {
        /// The extension, as given.
        extension: String,
    },
    /// The file is empty.
    EmptyFile,
    /// The file is larger than its kind allows.
    #[non_exhaustive]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit for its kind.
        limit: u64,
        /// Its kind.
        kind: Kind,
    },
    /// An id is not a 24-character lowercase hex ObjectId.
    #[non_exhaustive]
    InvalidId {
        /// What the id names: `site`, `asset`, `folder` or `locale`.
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// A folder name is empty, or a folder path has an empty segment.
    #[non_exhaustive]
    InvalidFolderName {
        /// The name or path given.
        name: String,
    },
    /// An asset's display name is empty.
    EmptyDisplayName,
    /// An asset update that changes nothing.
    NothingToUpdate,
    /// A URL to fetch is not usable (not https, or plain http to a host that is not
    /// loopback, or no file name can be taken from it): an upload source, or a hosted file to
    /// download, as `purpose` says.
    #[non_exhaustive]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
        /// Why it was to be fetched.
        purpose: UrlPurpose,
    },
    /// A URL to fetch reaches an address that is not public (loopback, private,
    /// link-local...), directly, through its name or after a redirect; such URLs are fetched
    /// only with [`ClientBuilder::allow_private_urls`](crate::ClientBuilder::allow_private_urls).
    /// An upload source, or a hosted file to download, as `purpose` says.
    #[non_exhaustive]
    PrivateAddress {
        /// The URL given.
        url: String,
        /// The address it reached.
        address: std::net::IpAddr,
        /// What kind of address that is (`loopback`, `private`, `link-local`...).
        range: String,
        /// Why it was to be fetched.
        purpose: UrlPurpose,
    },
    /// A reader ended before (or went on past) the length it was declared with.
    #[non_exhaustive]
    LengthMismatch {
        /// The declared length.
        declared: u64,
        /// What the reader gave (for a longer one: the declared length plus at least one).
        actual: u64,
    },
    /// Two local files have the same path once names are normalised (Unicode NFC, folder
    /// names trimmed), so no asset can be told to be one rather than the other.
    #[non_exhaustive]
    SamePathAsAnother {
        /// The path both have.
        path: String,
    },
    /// A custom font breaks one of Webflow's rules.
    Font(crate::FontRule),
    /// A request could not be built from the values given: a field the API requires is
    /// unset, or a value breaks a constraint of Webflow's API description.
    #[non_exhaustive]
    InvalidRequest {
        /// What the request builder refused.
        reason: String,
    },
}

impl std::error::Error for Rule {}

/// Why a URL was to be fetched, which a refusal to fetch it names: a user's upload source is
/// refused as an upload, a hosted file (pulled, copied, audited, compared by a checksum sync)
/// as a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UrlPurpose {
    /// A URL given as an upload source ([`UploadSource::url`](crate::UploadSource::url)).
    UploadSource,
    /// A hosted file downloaded: to write it to disk, to copy it to another site, or to hash
    /// it.
    Download,
}

impl UrlPurpose {
    /// The words a refusal starts with.
    fn refused(self) -> &'static str {
        match self {
            UrlPurpose::UploadSource => "cannot upload from",
            UrlPurpose::Download => "cannot download",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::EmptyFileName => write!(f, "the file name is empty"),
            Rule::FileNameTooLong { chars } => write!(
                f,
                "the file name has {chars} characters; Webflow takes fewer than {MAX_FILE_NAME_CHARS}"
            ),
            Rule::PathSeparator => write!(f, "the file name contains a path separator"),
            Rule::NoExtension => write!(f, "the file name has no extension"),
            Rule::UnsupportedType { extension } => {
                write!(f, "Webflow does not take .{extension} files")
            }
            Rule::EmptyFile => write!(f, "the file is empty"),
            Rule::TooLarge { size, limit, kind } => {
                write!(
                    f,
                    "the file has {size} bytes; a {kind} may have at most {limit}"
                )
            }
            Rule::InvalidId { what, value } => {
                write!(
                    f,
                    "{value:?} is not a valid {what} id (24 lowercase hexadecimal characters)"
                )
            }
            Rule::InvalidFolderName { name } => {
                write!(f, "{name:?} is not a usable folder name or path")
            }
            Rule::EmptyDisplayName => write!(f, "the display name is empty"),
            Rule::NothingToUpdate => write!(f, "the update sets neither display name nor alt text"),
            Rule::InvalidUrl {
                url,
                reason,
                purpose,
            } => write!(f, "{} {url:?}: {reason}", purpose.refused()),
            Rule::PrivateAddress {
                url,
                address,
                range,
                purpose,
            } => write!(
                f,
                "{} {url:?}: it reaches {address}, a {range} address; only public addresses are fetched unless private URLs are allowed",
                purpose.refused()
            ),
            Rule::Font(rule) => rule.fmt(f),
            Rule::LengthMismatch { declared, actual } => {
                write!(
                    f,
                    "the reader was declared with {declared} bytes but gave {actual}"
                )
            }
            Rule::InvalidRequest { reason } => {
                write!(f, "the request cannot be built: {reason}")
            }
            Rule::SamePathAsAnother { path } => write!(
                f,
                "another file here is also {path:?} once names are normalised (NFC, folder names trimmed); rename one"
            ),
        }
    }
}

/// The kind and MIME type of a file name, or the rule it breaks.
pub fn check_file_name(name: &str) -> Result<(Kind, &'static str), Rule> {
    if name.is_empty() {
        return Err(Rule::EmptyFileName);
    }
    let chars = name.chars().count();
    if chars >= MAX_FILE_NAME_CHARS {
        return Err(Rule::FileNameTooLong { chars });
    }
    if name.contains(['/', '\\']) {
        return Err(Rule::PathSeparator);
    }
    let Some((_, extension)) = name
        .rsplit_once('.')
        .filter(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
    else {
        return Err(Rule::NoExtension);
    };
    kind_of(extension).ok_or_else(|| Rule::UnsupportedType {
        extension: extension.to_string(),
    })
}

fn kind_of(extension: &str) -> Option<(Kind, &'static str)> {
    Some(match extension.to_ascii_lowercase().as_str() {
        "png" => (Kind::Image, "image/png"),
        "jpg" | "jpeg" => (Kind::Image, "image/jpeg"),
        "gif" => (Kind::Image, "image/gif"),
        "svg" => (Kind::Image, "image/svg+xml"),
        "webp" => (Kind::Image, "image/webp"),
        "avif" => (Kind::Image, "image/avif"),
        "pdf" => (Kind::Document, "application/pdf"),
        "doc" => (Kind::Document, "application/msword"),
        "docx" => (
            Kind::Document,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xls" => (Kind::Document, "application/vnd.ms-excel"),
        "xlsx" => (
            Kind::Document,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "ppt" => (Kind::Document, "application/vnd.ms-powerpoint"),
        "pptx" => (
            Kind::Document,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        "txt" => (Kind::Document, "text/plain"),
        "csv" => (Kind::Document, "text/csv"),
        "odt" => (Kind::Document, "application/vnd.oasis.opendocument.text"),
        "ods" => (
            Kind::Document,
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        "odp" => (
            Kind::Document,
            "application/vnd.oasis.opendocument.presentation",
        ),
        "json" => (Kind::Lottie, "application/json"),
        "lottie" => (Kind::Lottie, "application/zip"),
        _ => return None,
    })
}

/// Checks a file's size against its kind's limit.
pub fn check_size(kind: Kind, size: u64, limits: &Limits) -> Result<(), Rule> {
    let limit = limits.for_kind(kind);
    match size {
        0 => Err(Rule::EmptyFile),
        size if size > limit => Err(Rule::TooLarge { size, limit, kind }),
        _ => Ok(()),
    }
}

/// Whether `value` is a Webflow id: 24 lowercase hexadecimal characters (an ObjectId).
pub(crate) fn is_object_id(value: &str) -> bool {
    value.len() == 24
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks that `value` is a 24-character lowercase hex ObjectId, as the typed ids
/// ([`SiteId`](crate::SiteId)...) are.
pub fn check_id(what: &'static str, value: &str) -> Result<(), Rule> {
    if is_object_id(value) {
        Ok(())
    } else {
        Err(Rule::InvalidId {
            what,
            value: value.to_string(),
        })
    }
}

/// A single folder name, trimmed: not empty, no `/` or `\` (either would make it two names
/// in a folder path).
pub fn check_folder_name(name: &str) -> Result<&str, Rule> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.contains(['/', '\\']) {
        return Err(Rule::InvalidFolderName {
            name: name.to_string(),
        });
    }
    Ok(trimmed)
}

/// An asset's display name: anything but empty (Webflow keeps its own extension rules to
/// itself and answers 400 for what it refuses).
pub fn check_display_name(name: &str) -> Result<(), Rule> {
    match name.trim().is_empty() {
        true => Err(Rule::EmptyDisplayName),
        false => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(check_file_name("logo.PNG"), Ok((Kind::Image, "image/png")));
        assert_eq!(check_file_name("a.b.pdf").map(|k| k.0), Ok(Kind::Document));
        assert_eq!(
            check_file_name("anim.lottie").map(|k| k.0),
            Ok(Kind::Lottie)
        );
        assert_eq!(check_file_name(""), Err(Rule::EmptyFileName));
        assert_eq!(
            check_file_name(&format!("{}.png", "a".repeat(95))).map(|k| k.0),
            Ok(Kind::Image)
        );
        assert_eq!(
            check_file_name(&format!("{}.png", "a".repeat(96))),
            Err(Rule::FileNameTooLong { chars: 100 })
        );
        assert_eq!(check_file_name("dir/a.png"), Err(Rule::PathSeparator));
        assert_eq!(check_file_name("dir\\a.png"), Err(Rule::PathSeparator));
        assert_eq!(check_file_name("README"), Err(Rule::NoExtension));
        assert_eq!(check_file_name(".png"), Err(Rule::NoExtension));
        assert_eq!(check_file_name("a."), Err(Rule::NoExtension));
        assert_eq!(
            check_file_name("setup.exe"),
            Err(Rule::UnsupportedType {
                extension: "exe".into()
            })
        );
    }

    #[test]
    fn sizes_ids_and_folder_paths() {
        let limits = Limits::default();
        assert_eq!(check_size(Kind::Image, 0, &limits), Err(Rule::EmptyFile));
        assert_eq!(check_size(Kind::Image, 4 * 1024 * 1024, &limits), Ok(()));
        assert!(matches!(
            check_size(Kind::Image, 4 * 1024 * 1024 + 1, &limits),
            Err(Rule::TooLarge { .. })
        ));
        assert_eq!(
            check_size(Kind::Document, 10 * 1024 * 1024, &limits),
            Ok(())
        );
        assert_eq!(check_id("site", "580e63e98c9a982ac9b8b741"), Ok(()));
        assert!(check_id("site", "580e63e98c9a982ac9b8b74").is_err());
        assert!(check_id("site", "580e63e98c9a982ac9b8b74z").is_err());
        assert_eq!(check_folder_name(" logos "), Ok("logos"));
        assert!(check_folder_name(r"a\b").is_err() && check_folder_name("a/b").is_err());
    }
}
