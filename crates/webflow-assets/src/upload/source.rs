//! What an upload reads: a path, bytes, a reader or a URL.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::io::AsyncRead;

use crate::validate::UrlPurpose;

/// What to upload: a file on disk, bytes in memory, an async reader of known length, or a
/// file served at a URL.
///
/// A string converts by what it says: one that starts with `http://` or `https://` (in any
/// case) is a [URL](Self::url), anything else a [path](Self::path). So
/// `client.upload(site, "https://example.com/a.png")` downloads the file, and
/// `client.upload(site, "https/a.png")` reads it from disk. A [`Path`] or [`PathBuf`] is always
/// a path, for the rare file whose path does start with `https://`.
///
/// ```
/// use std::path::Path;
/// use webflow_assets::UploadSource;
///
/// assert!(UploadSource::from("https://example.com/a.png").is_url());
/// assert!(UploadSource::from(String::from("HTTP://127.0.0.1/a.png")).is_url());
/// assert!(!UploadSource::from("photos/a.png").is_url());
/// assert!(!UploadSource::from(Path::new("https://example.com/a.png")).is_url());
/// ```
pub struct UploadSource(pub(super) Source);

pub(super) enum Source {
    Path(PathBuf),
    Bytes {
        file_name: String,
        bytes: Bytes,
    },
    Reader {
        file_name: String,
        length: u64,
        reader: Box<dyn AsyncRead + Send + Unpin>,
    },
    /// The URL, and why it is fetched (as the user's upload source, or a hosted file to copy).
    Url(String, UrlPurpose),
    /// A URL whose answer has arrived, with the name it gives itself.
    Response {
        name: Option<String>,
        response: reqwest::Response,
    },
}

impl UploadSource {
    /// A file on disk; its name is the file name sent to Webflow unless another is given.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Self(Source::Path(path.into()))
    }

    /// Bytes in memory, with the file name to give them.
    pub fn bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self(Source::Bytes {
            file_name: file_name.into(),
            bytes: bytes.into(),
        })
    }

    /// An async reader that yields exactly `length` bytes, with the file name to give them.
    pub fn reader(
        file_name: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
        length: u64,
    ) -> Self {
        Self(Source::Reader {
            file_name: file_name.into(),
            length,
            reader: Box::new(reader),
        })
    }

    /// A file served at an `https` URL (plain `http` only for loopback hosts). Its body is
    /// streamed and refused as soon as it is known to be too large: by its `Content-Length`
    /// before any of it is read, else once the bytes read pass the limit. Up to 5 redirects
    /// are followed, each only to an `https` URL (or loopback `http`). Its name comes from the
    /// `Content-Disposition` header, else from the URL's last path segment (the given URL's,
    /// unless that has no extension and the redirected one does), unless one is given with
    /// [`UploadBuilder::file_name`](crate::UploadBuilder::file_name). The download carries no
    /// Webflow token, whichever host it reaches.
    ///
    /// Only public addresses are fetched: a URL that names, resolves to or redirects to a
    /// loopback, private or link-local address (and the like) is refused with
    /// [`Rule::PrivateAddress`](crate::Rule::PrivateAddress) before anything is sent to it,
    /// unless the client was built with
    /// [`ClientBuilder::allow_private_urls`](crate::ClientBuilder::allow_private_urls).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::UploadSource;
    ///
    /// let source = UploadSource::url("https://images.example.com/team/dog.jpg");
    /// let asset = client.upload(&"580e63e98c9a982ac9b8b741".parse()?, source).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn url(url: impl Into<String>) -> Self {
        Self(Source::Url(url.into(), UrlPurpose::UploadSource))
    }

    /// A hosted file this crate downloads to upload again (a copy between sites): a refusal
    /// to fetch it is a refused download, not a refused upload source.
    pub(crate) fn hosted(url: impl Into<String>) -> Self {
        Self(Source::Url(url.into(), UrlPurpose::Download))
    }

    /// Whether this source is fetched from a URL.
    pub fn is_url(&self) -> bool {
        matches!(self.0, Source::Url(..) | Source::Response { .. })
    }

    /// A URL if `text` starts with `http://` or `https://`, else a path: the one meaning
    /// every string conversion gives.
    fn url_or_path(text: &str) -> Self {
        let is_url = ["http://", "https://"].iter().any(|scheme| {
            text.get(..scheme.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
        });
        match is_url {
            true => Self::url(text),
            false => Self::path(text),
        }
    }

    /// The name the source gives itself (a URL's comes with its answer, when it names one).
    pub(crate) fn default_name(&self) -> Option<String> {
        match &self.0 {
            Source::Path(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
            Source::Bytes { file_name, .. } | Source::Reader { file_name, .. } => {
                Some(file_name.clone())
            }
            Source::Url(url, _) => crate::http::download::name_from_url(url),
            Source::Response { name, .. } => name.clone(),
        }
    }
}

impl std::fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Source::Path(path) => f.debug_tuple("Path").field(path).finish(),
            Source::Bytes { file_name, bytes } => f
                .debug_struct("Bytes")
                .field("file_name", file_name)
                .field("len", &bytes.len())
                .finish(),
            Source::Reader {
                file_name, length, ..
            } => f
                .debug_struct("Reader")
                .field("file_name", file_name)
                .field("length", length)
                .finish(),
            Source::Url(url, _) => f.debug_tuple("Url").field(url).finish(),
            Source::Response { response, .. } => f
                .debug_tuple("Url")
                .field(&response.url().as_str())
                .finish(),
        }
    }
}

/// A URL if it starts with `http://` or `https://`, else a path (see [`UploadSource`]).
impl From<&str> for UploadSource {
    fn from(text: &str) -> Self {
        Self::url_or_path(text)
    }
}

/// A URL if it starts with `http://` or `https://`, else a path (see [`UploadSource`]).
impl From<String> for UploadSource {
    fn from(text: String) -> Self {
        Self::url_or_path(&text)
    }
}

impl From<&Path> for UploadSource {
    fn from(path: &Path) -> Self {
        Self::path(path)
    }
}

impl From<PathBuf> for UploadSource {
    fn from(path: PathBuf) -> Self {
        Self::path(path)
    }
}
