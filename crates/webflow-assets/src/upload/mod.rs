//! One call to put a file on a site: validate, hash, create, post the S3 form, confirm.

pub(crate) mod plan;

use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt};
use tracing::{Instrument, field};
use webflow_assets_raw::types::{Asset, AssetUpload, CreateAssetRequest};

use crate::http::form::{self, PostResponse};
use crate::http::transport::api;
use crate::path::FolderPath;
use crate::upload::plan::UploadPlan;
use crate::validate::{Kind, Rule, UrlPurpose, check_file_name, check_size};
use crate::{AssetId, FolderId, SiteId};
use crate::{Client, Error, hash};

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
pub struct UploadSource(Source);

enum Source {
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
    /// [`UploadBuilder::file_name`]. The download carries no Webflow token, whichever host it
    /// reaches.
    ///
    /// Only public addresses are fetched: a URL that names, resolves to or redirects to a
    /// loopback, private or link-local address (and the like) is refused with
    /// [`Rule::PrivateAddress`] before anything is sent to it, unless the client was built
    /// with [`ClientBuilder::allow_private_urls`](crate::ClientBuilder::allow_private_urls).
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

/// A file that is on the site now.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadedAsset {
    /// The asset's id.
    pub id: AssetId,
    /// The file name it was uploaded as.
    pub file_name: String,
    /// Where Webflow serves it.
    pub hosted_url: String,
    /// The S3 object's URL.
    pub s3_url: String,
    /// Its MIME type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// The MD5 sent as `fileHash`, lowercase hex.
    pub md5: String,
    /// The folder it is in; `None` at the root.
    pub folder_id: Option<FolderId>,
    /// HTTP requests made for this file (create, S3 form, read-back or the alt-text and
    /// display-name change), retries included; folder look-ups and creations, and the download
    /// of a URL source, are not counted.
    pub requests: u32,
    /// What S3 answered to the upload form (location, bucket, key, ETag).
    pub s3_response: PostResponse,
    /// The asset as Webflow reported it after the upload (`None` with `confirm(false)` and
    /// nothing to change).
    pub asset: Option<Asset>,
}

enum Folder {
    Id(FolderId),
    Path(FolderPath),
}

/// Awaited with the MD5 just before the asset is created (a sync notes the upload as started,
/// and the create waits until the note is written).
pub(crate) type BeforeCreate =
    Box<dyn FnOnce(String) -> futures::future::BoxFuture<'static, ()> + Send>;

/// An upload being set up; see [`Client::upload`].
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct UploadBuilder<'a> {
    client: &'a Client,
    site_id: SiteId,
    source: UploadSource,
    file_name: Option<String>,
    folder: Option<Folder>,
    confirm: bool,
    alt_text: Option<String>,
    display_name: Option<String>,
    pub(crate) before_create: Option<BeforeCreate>,
}

impl std::fmt::Debug for UploadBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadBuilder")
            .field("site_id", &self.site_id)
            .field("source", &self.source)
            .field("file_name", &self.file_name)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Uploads a file to a site: checks it, hashes it, creates the asset, posts the S3 form
    /// with every field Webflow gave, and confirms the asset exists. Transient failures are
    /// retried by the client's [`RetryPolicy`](crate::RetryPolicy); an expired upload policy
    /// is renewed once.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::UploadSource;
    ///
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let from_disk = client.upload(&site, "report.pdf").send().await?;
    /// let from_memory = client
    ///     .upload(&site, UploadSource::bytes("hello.txt", b"hello".to_vec()))
    ///     .folder("notes/2026".parse()?)
    ///     .send()
    ///     .await?;
    /// println!("{} {}", from_disk.hosted_url, from_memory.md5);
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload(&self, site_id: &SiteId, source: impl Into<UploadSource>) -> UploadBuilder<'_> {
        UploadBuilder {
            client: self,
            site_id: site_id.clone(),
            source: source.into(),
            file_name: None,
            folder: None,
            confirm: true,
            alt_text: None,
            display_name: None,
            before_create: None,
        }
    }
}

impl UploadBuilder<'_> {
    /// The name to give the file on Webflow (default: the path's file name).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Upload into the folder at this path (`brand/logos/2026`), creating missing levels
    /// (in place of a folder id given before).
    pub fn folder(mut self, path: FolderPath) -> Self {
        self.folder = Some(Folder::Path(path));
        self
    }

    /// Upload into the folder with this id (in place of a folder path given before).
    pub fn folder_id(mut self, folder_id: FolderId) -> Self {
        self.folder = Some(Folder::Id(folder_id));
        self
    }

    /// Whether to read the asset back from Webflow once S3 has stored it (default `true`),
    /// so the call returns only when Webflow has the asset. Turning it off saves one request
    /// of the rate budget per file, for bulk uploads; S3's success answer still confirms the
    /// bytes are stored.
    pub fn confirm(mut self, confirm: bool) -> Self {
        self.confirm = confirm;
        self
    }

    /// Alt text to set once the file is uploaded (one more request, which also confirms the
    /// asset, so it replaces the read-back).
    pub fn alt_text(mut self, text: impl Into<String>) -> Self {
        self.alt_text = Some(text.into());
        self
    }

    /// The name to show in the Assets panel (default: the file name), set like
    /// [`Self::alt_text`].
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Runs the upload.
    pub async fn send(mut self) -> Result<UploadedAsset, Error> {
        let name = self.prepare().await?;
        let span = tracing::info_span!(
            "upload",
            file = %name,
            size = field::Empty,
            requests = field::Empty,
            outcome = field::Empty
        );
        let result = self
            .run(&name)
            .instrument(span.clone())
            .await
            .map_err(|e| e.for_file(&name));
        match &result {
            Ok(asset) => {
                span.record("requests", asset.requests);
                span.record("outcome", "uploaded");
            }
            Err(error) => {
                span.record("outcome", field::display(error));
            }
        }
        result
    }

    /// Checks the file and hashes it as [`Self::send`] does first, and lists the requests
    /// it would then make; nothing is sent to Webflow. A URL source is downloaded (from its
    /// own host, without the token), since its name, size and hash come with its bytes. A
    /// folder path is not looked up: finding it would take a request.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site: webflow_assets::SiteId = "580e63e98c9a982ac9b8b741".parse()?;
    /// let plan = client.upload(&site, "logo.png").plan().await?;
    /// println!("{} {} bytes, MD5 {}", plan.file_name, plan.size, plan.md5);
    /// for request in &plan.requests {
    ///     println!("{} {}: {}", request.method, request.target, request.purpose);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn plan(mut self) -> Result<UploadPlan, Error> {
        let name = self.prepare().await?;
        let checked = read_checked(self.client, self.source, &name)
            .await
            .map_err(|e| e.for_file(&name))?;
        let (folder_id, folder_path) = match self.folder {
            None => (None, None),
            Some(Folder::Id(id)) => (Some(id), None),
            Some(Folder::Path(path)) => (None, Some(path.to_string())),
        };
        let changes = self.alt_text.is_some() || self.display_name.is_some();
        Ok(UploadPlan {
            requests: crate::upload::plan::requests(
                self.site_id.as_ref(),
                folder_path.is_some(),
                changes,
                self.confirm,
            ),
            file_name: name,
            content_type: checked.content_type.to_string(),
            size: checked.bytes.len() as u64,
            md5: checked.md5,
            folder_id,
            folder_path,
            alt_text: self.alt_text,
            display_name: self.display_name,
        })
    }

    /// Checks what can be checked before reading, opens a URL source, and names the file.
    async fn prepare(&mut self) -> Result<String, Error> {
        let label = self
            .file_name
            .clone()
            .or_else(|| self.source.default_name())
            .unwrap_or_else(|| match &self.source.0 {
                Source::Url(url, _) => url.clone(),
                _ => String::new(),
            });
        self.check().map_err(|e| e.for_file(&label))?;
        let mut purpose = UrlPurpose::UploadSource;
        if let Source::Url(url, from) = &self.source.0 {
            purpose = *from;
            let (response, name) = crate::http::download::open(self.client.fetcher(), url, purpose)
                .await
                .map_err(|e| e.for_file(&label))?;
            self.source = UploadSource(Source::Response { name, response });
        }
        match self
            .file_name
            .clone()
            .or_else(|| self.source.default_name())
        {
            Some(name) => Ok(name),
            None => {
                let rule = match self.source.0 {
                    Source::Response { .. } => Rule::InvalidUrl {
                        url: label.clone(),
                        reason: "neither its path nor its answer names a file; give a `file_name`"
                            .into(),
                        purpose,
                    },
                    _ => Rule::EmptyFileName,
                };
                Err(Error::from(rule).for_file(&label))
            }
        }
    }

    /// What can be checked before anything is read or sent.
    fn check(&self) -> Result<(), Error> {
        if let Some(name) = &self.display_name {
            crate::validate::check_display_name(name)?;
        }
        Ok(())
    }

    async fn run(self, name: &str) -> Result<UploadedAsset, Error> {
        let client = self.client;
        let Checked {
            content_type,
            bytes,
            md5,
        } = read_checked(client, self.source, name).await?;

        let folder_id = match self.folder {
            None => None,
            Some(Folder::Id(id)) => Some(id),
            Some(Folder::Path(path)) => {
                let folder = client.ensure_folder_path(&self.site_id, &path).await?;
                folder.id.map(crate::ids::id_from_server).transpose()?
            }
        };
        let request: CreateAssetRequest = crate::api::models::built(
            CreateAssetRequest::builder()
                .file_name(name.to_string())
                .file_hash(md5.clone())
                .parent_folder(folder_id.as_ref().map(FolderId::to_string)),
        )?;
        let put = Put {
            client,
            site_id: self.site_id.as_str(),
            request: &request,
            content_type,
            bytes: bytes.clone(),
        };
        if let Some(hook) = self.before_create {
            hook(md5.clone()).await;
        }
        let changes = (self.alt_text, self.display_name);
        let (stored, requests) =
            crate::http::transport::counted(put.run(self.confirm, changes)).await;
        let (created, posted, asset) = stored?;
        let id = crate::ids::id_from_server(created.id.as_deref().ok_or_else(|| missing("id"))?)?;
        let reported = |field: fn(&Asset) -> Option<String>| asset.as_ref().and_then(field);
        Ok(UploadedAsset {
            hosted_url: reported(|a| a.hosted_url.clone())
                .or(created.hosted_url)
                .unwrap_or_default(),
            s3_url: created
                .asset_url
                .or_else(|| posted.location.clone())
                .unwrap_or_default(),
            s3_response: posted,
            content_type: reported(|a| a.content_type.clone())
                .or(created.content_type)
                .unwrap_or_else(|| content_type.to_string()),
            size: bytes.len() as u64,
            file_name: name.to_string(),
            folder_id,
            requests,
            md5,
            id,
            asset,
        })
    }
}

/// A file read whole, checked and hashed.
struct Checked {
    content_type: &'static str,
    bytes: Bytes,
    md5: String,
}

/// Checks the file's name, reads it (refusing it as soon as it is known to be too large),
/// checks its size and hashes it: everything an upload does before its first request.
async fn read_checked(client: &Client, source: UploadSource, name: &str) -> Result<Checked, Error> {
    let (kind, content_type) = check_file_name(name)?;
    let bytes = load(client, source, kind).await?;
    check_size(kind, bytes.len() as u64, client.limits())?;
    tracing::Span::current().record("size", bytes.len());
    let md5 = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || hash::md5_bytes(&bytes))
            .await
            .map_err(|e| Error::Io {
                operation: crate::IoOperation::Reading,
                path: name.into(),
                source: std::io::Error::other(e),
            })?
    };
    Ok(Checked {
        content_type,
        bytes,
        md5,
    })
}

/// The requests that put one checked, hashed file on the site.
struct Put<'a> {
    client: &'a Client,
    site_id: &'a str,
    request: &'a CreateAssetRequest,
    content_type: &'static str,
    bytes: Bytes,
}

impl Put<'_> {
    /// Creates the asset, posts the form (renewing an expired policy once), then reads the
    /// asset back, or changes its alt text and display name, which answers with it too.
    async fn run(
        &self,
        confirm: bool,
        (alt_text, display_name): (Option<String>, Option<String>),
    ) -> Result<(AssetUpload, PostResponse, Option<Asset>), Error> {
        let mut created = self.create().await?;
        let mut renewed = false;
        let posted = loop {
            match post_form(
                self.client,
                &created,
                &self.request.file_name,
                self.content_type,
                self.bytes.clone(),
            )
            .await
            {
                Err(error) if form::is_expired_policy(&error) && !renewed => {
                    tracing::info!(
                        "upload policy expired; asking Webflow for fresh upload details"
                    );
                    renewed = true;
                    created = self.create().await?;
                }
                other => break other?,
            }
        };
        let id = created.id.as_deref().ok_or_else(|| missing("id"))?;
        let asset = if alt_text.is_some() || display_name.is_some() {
            let mut update = self.client.update_asset_by(id);
            if let Some(text) = alt_text {
                update = update.alt_text(text);
            }
            if let Some(name) = display_name {
                update = update.display_name(name);
            }
            Some(update.send().await?)
        } else if confirm {
            Some(self.client.get_asset(&id.try_into()?, None).await?)
        } else {
            None
        };
        Ok((created, posted, asset))
    }

    /// `POST /sites/{site_id}/assets`.
    async fn create(&self) -> Result<AssetUpload, Error> {
        let call = self
            .client
            .raw()
            .create_asset()
            .site_id(self.site_id)
            .body(self.request.clone());
        api(call.send()).await
    }
}

fn missing(field: &str) -> Error {
    Error::UnexpectedResponse {
        file: None,
        status: Some(200),
        body: format!("the create-asset answer has no {field}"),
    }
}

/// Reads the whole source once (the bytes hashed are the bytes sent), refusing a source larger
/// than its kind allows before reading it.
pub(crate) async fn load(
    client: &Client,
    source: UploadSource,
    kind: Kind,
) -> Result<Bytes, Error> {
    let limits = client.limits();
    let too_large = |size: u64| check_size(kind, size, limits).map_err(Error::from);
    match source.0 {
        Source::Bytes { bytes, .. } => Ok(bytes),
        Source::Path(path) => {
            let io = |source| Error::Io {
                operation: crate::IoOperation::Reading,
                path: path.clone(),
                source,
            };
            too_large(tokio::fs::metadata(&path).await.map_err(io)?.len().max(1))?;
            let read_path = path.clone();
            let bytes = tokio::task::spawn_blocking(move || std::fs::read(read_path))
                .await
                .map_err(|e| io(std::io::Error::other(e)))?
                .map_err(io)?;
            Ok(Bytes::from(bytes))
        }
        Source::Reader {
            file_name,
            length,
            mut reader,
        } => {
            too_large(length.max(1))?;
            let mut bytes = Vec::with_capacity(length as usize);
            (&mut reader)
                .take(length + 1)
                .read_to_end(&mut bytes)
                .await
                .map_err(|source| Error::Io {
                    operation: crate::IoOperation::Reading,
                    path: PathBuf::from(&file_name),
                    source,
                })?;
            if bytes.len() as u64 != length {
                let actual = bytes.len() as u64;
                return Err(Rule::LengthMismatch {
                    declared: length,
                    actual,
                }
                .into());
            }
            Ok(Bytes::from(bytes))
        }
        Source::Url(url, purpose) => {
            let (response, _) =
                crate::http::download::open(client.fetcher(), &url, purpose).await?;
            crate::http::download::read(response, too_large).await
        }
        Source::Response { response, .. } => crate::http::download::read(response, too_large).await,
    }
}

/// Posts the asset's S3 form.
async fn post_form(
    client: &Client,
    created: &AssetUpload,
    file_name: &str,
    fallback_content_type: &str,
    bytes: Bytes,
) -> Result<PostResponse, Error> {
    let upload_url = created
        .upload_url
        .as_deref()
        .ok_or_else(|| missing("uploadUrl"))?;
    let details = created
        .upload_details
        .as_ref()
        .ok_or_else(|| missing("uploadDetails"))?;
    let fields = form::form_fields(details, form::ASSET_FIELD_ORDER);
    let content_type = details
        .content_type
        .as_deref()
        .unwrap_or(fallback_content_type);
    form::post(client, upload_url, &fields, file_name, content_type, bytes).await
}
