//! The upload builder: its settings, and the sequence `send` and `plan` run.

use tracing::{Instrument, field};
use webflow_assets_raw::types::{Asset, CreateAssetRequest};

use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{FolderId, SiteId};
use crate::path::FolderPath;
use crate::upload::load::{Checked, read_checked};
use crate::upload::plan::UploadPlan;
use crate::upload::put::{Created, Put, Stored};
use crate::upload::source::Source;
use crate::upload::{UploadSource, UploadedAsset};
use crate::validate::{Rule, UrlPurpose};

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
    pub fn file_name(self, name: impl Into<String>) -> Self {
        self.maybe_file_name(Some(name.into()))
    }

    /// [`file_name`](Self::file_name) for a caller holding an `Option`: `None` leaves it unset.
    pub fn maybe_file_name(mut self, name: Option<String>) -> Self {
        self.file_name = name;
        self
    }

    /// Upload into the folder at this path (`brand/logos/2026`), creating missing levels
    /// (in place of a folder id given before). The root path is the site's root, as on every
    /// options type.
    pub fn folder(mut self, path: FolderPath) -> Self {
        self.folder = (!path.is_root()).then_some(Folder::Path(path));
        self
    }

    /// [`folder`](Self::folder) for a caller holding an `Option`: `None` is the site's root,
    /// the default, so it replaces a folder id given before, as `folder` does.
    pub fn maybe_folder(self, path: Option<FolderPath>) -> Self {
        self.folder(path.unwrap_or_else(FolderPath::root))
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
    pub fn alt_text(self, text: impl Into<String>) -> Self {
        self.maybe_alt_text(Some(text.into()))
    }

    /// [`alt_text`](Self::alt_text) for a caller holding an `Option`: `None` leaves it unset.
    pub fn maybe_alt_text(mut self, text: Option<String>) -> Self {
        self.alt_text = text;
        self
    }

    /// The name to show in the Assets panel (default: the file name), set like
    /// [`Self::alt_text`].
    pub fn display_name(self, name: impl Into<String>) -> Self {
        self.maybe_display_name(Some(name.into()))
    }

    /// [`display_name`](Self::display_name) for a caller holding an `Option`: `None` leaves
    /// it unset.
    pub fn maybe_display_name(mut self, name: Option<String>) -> Self {
        self.display_name = name;
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
            Some(Folder::Path(path)) => (None, Some(path)),
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
                Some(client.ensure_folder_path(&self.site_id, &path).await?)
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
        let Stored {
            created: Created {
                id,
                upload: created,
            },
            posted,
            asset,
        } = stored?;
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
