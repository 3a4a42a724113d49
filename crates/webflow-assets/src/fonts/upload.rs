//! Putting a font file on a site: check it, read what it says about itself, hash it, create
//! (or replace) the font, post the S3 form the way assets do, confirm.

use bytes::Bytes;
use tracing::Instrument;
use webflow_assets_raw::types::{
    CreateCustomFontRequest, CustomFont, CustomFontUpload, FontAxis, FontDisplay, FontFormat,
    ReplaceCustomFontFileRequest,
};

use crate::error::Error;
use crate::font_rules::{FontRule, check_axes, check_family, check_font_file_name, check_weight};
use crate::fonts::meta::{self, FontMeta};
use crate::hash;
use crate::http::client::Client;
use crate::http::form::{self, PostResponse};
use crate::http::transport::api;
use crate::ids::FontId;
use crate::upload::UploadSource;
use crate::upload::load;
use crate::validate::{Kind, Rule, check_id};

/// A font file that is on the site now.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadedFont {
    /// The font's id (kept by a replace).
    pub id: FontId,
    /// The file name it was uploaded as.
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    /// The MD5 sent as `fileHash`, lowercase hex.
    pub md5: String,
    /// The size of the local file, before any compression to WOFF2 (else `size`).
    pub source_size: u64,
    /// The MD5 of the local file, before any compression to WOFF2 (else `md5`): what a
    /// manifest remembers, so a later run knows the file unchanged without compressing it.
    pub source_md5: String,
    /// What S3 answered to the upload form.
    pub s3_response: PostResponse,
    /// The font as Webflow reported it after the upload (as created, with `confirm(false)`).
    pub font: CustomFont,
    /// HTTP requests made (create or replace, S3 form, read-back), retries included.
    pub requests: u32,
}

/// A font upload being set up; see [`Client::upload_font`].
#[derive(Debug)]
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct UploadFontBuilder<'a> {
    client: &'a Client,
    site_id: String,
    source: UploadSource,
    file_name: Option<String>,
    family: Option<String>,
    weight: Option<u16>,
    italic: Option<bool>,
    display: FontDisplay,
    axes: Option<Vec<FontAxis>>,
    confirm: bool,
    woff2: bool,
}

/// What a font upload would send, the file read, checked and (with
/// [`UploadFontBuilder::woff2`]) compressed; see [`UploadFontBuilder::prepare`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FontPlan {
    /// The file name it would be uploaded as (`<stem>.woff2` when compressed).
    pub file_name: String,
    /// The size of the bytes it would send.
    pub size: u64,
    /// Their MD5, the `fileHash` Webflow would get (lowercase hex).
    pub md5: String,
    /// The size of the local file (`size` unless compressed).
    pub source_size: u64,
    /// The MD5 of the local file (`md5` unless compressed).
    pub source_md5: String,
    /// Whether the file is compressed to WOFF2 before upload.
    pub compressed: bool,
    /// The CSS `font-family` it would get.
    pub family: String,
    /// The CSS `font-weight`, 1-1000.
    pub weight: u16,
    /// Whether the font is italic.
    pub italic: bool,
    /// Its variable axes (empty for a static font).
    pub axes: Vec<FontAxis>,
}

/// A font upload read and checked, ready to send: [`PreparedFont::plan`] says what it
/// sends, [`PreparedFont::send`] sends it. Made by [`UploadFontBuilder::prepare`].
#[derive(Debug)]
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct PreparedFont<'a> {
    client: &'a Client,
    site_id: String,
    file: FontFile,
    plan: FontPlan,
    display: FontDisplay,
    confirm: bool,
}

/// A font file replacement being set up; see [`Client::replace_font_file`].
#[derive(Debug)]
#[must_use = "a replacement does nothing until `send` is awaited"]
pub struct ReplaceFontBuilder<'a> {
    client: &'a Client,
    site_id: String,
    font_id: String,
    source: UploadSource,
    file_name: Option<String>,
    axes: Option<Vec<FontAxis>>,
    confirm: bool,
    woff2: bool,
}

impl Client {
    /// Uploads a font file (`.woff2 .woff .ttf .otf .eot`) to a site. Its family name
    /// (typographic, else legacy), weight class, italic flag and variable axes are read from
    /// the file, whatever its format; what the builder sets wins, and what neither gives is
    /// asked for with a [`FontRule::MetadataUnreadable`] error before anything is sent. A
    /// file that is not a readable font of its format is refused with
    /// [`FontRule::Unreadable`]. [`UploadFontBuilder::woff2`] compresses a TTF or OTF file
    /// first. `font-display` defaults to `swap`.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let font = client.upload_font(&site, "fonts/Inter-Bold.woff2").send().await?;
    /// // Sent as Inter-Variable.woff2, its family, weight and axes read from the TTF.
    /// let small = client
    ///     .upload_font(&site, "fonts/Inter-Variable.ttf")
    ///     .woff2(true)
    ///     .send()
    ///     .await?;
    /// println!("{} {} {} -> {} bytes", font.id, small.file_name, small.source_size, small.size);
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_font(
        &self,
        site_id: &crate::SiteId,
        source: impl Into<UploadSource>,
    ) -> UploadFontBuilder<'_> {
        UploadFontBuilder {
            client: self,
            site_id: site_id.to_string(),
            source: source.into(),
            file_name: None,
            family: None,
            weight: None,
            italic: None,
            display: FontDisplay::Swap,
            axes: None,
            confirm: true,
            woff2: false,
        }
    }

    /// Replaces a font's file, keeping its id and every reference to it. The new file's axes
    /// are read from it (or set with [`ReplaceFontBuilder::axes`]) and always sent when known,
    /// `[]` for a static file, as Webflow requires when the font being replaced is variable.
    /// When they cannot be known and the font is variable, [`FontRule::AxesRequired`] is
    /// returned before anything is uploaded.
    pub fn replace_font_file(
        &self,
        site_id: &crate::SiteId,
        font_id: &FontId,
        source: impl Into<UploadSource>,
    ) -> ReplaceFontBuilder<'_> {
        ReplaceFontBuilder {
            client: self,
            site_id: site_id.to_string(),
            font_id: font_id.to_string(),
            source: source.into(),
            file_name: None,
            axes: None,
            confirm: true,
            woff2: false,
        }
    }
}

impl<'a> UploadFontBuilder<'a> {
    /// The name to give the file on Webflow (default: the source's own).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The CSS `font-family` name (default: the file's typographic family name).
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// The CSS `font-weight`, 1-1000 (default: the file's weight class).
    pub fn weight(mut self, weight: u16) -> Self {
        self.weight = Some(weight);
        self
    }

    /// Whether the font is italic (default: the file's italic flag).
    pub fn italic(mut self, italic: bool) -> Self {
        self.italic = Some(italic);
        self
    }

    /// The CSS `font-display` (default `swap`).
    pub fn display(mut self, display: FontDisplay) -> Self {
        self.display = display;
        self
    }

    /// The variable axes (default: the file's; none when it has none or cannot be read).
    pub fn axes(mut self, axes: Vec<FontAxis>) -> Self {
        self.axes = Some(axes);
        self
    }

    /// Whether to read the font back once S3 has stored it (default `true`).
    pub fn confirm(mut self, confirm: bool) -> Self {
        self.confirm = confirm;
        self
    }

    /// Whether to compress a TTF or OTF file to WOFF2 before upload (default `false`), the
    /// format browsers load fastest: it is sent as `<stem>.woff2`, its metadata read from
    /// the source. Other formats are sent as they are. See [`crate::fonts::woff2::compress`].
    pub fn woff2(mut self, woff2: bool) -> Self {
        self.woff2 = woff2;
        self
    }

    /// Reads, checks and (with [`UploadFontBuilder::woff2`]) compresses the file, sending
    /// nothing: the [`FontPlan`] says what [`PreparedFont::send`] would upload.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let prepared = client.upload_font(&site, "Inter.ttf").woff2(true).prepare().await?;
    /// let plan = prepared.plan();
    /// println!("{} {} -> {} bytes", plan.file_name, plan.source_size, plan.size);
    /// prepared.send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn prepare(self) -> Result<PreparedFont<'a>, Error> {
        let file = FontFile::load(self.client, self.source, self.file_name, self.woff2).await?;
        let label = file.source_name.clone();
        let meta = file.meta.clone();
        let family = self.family.or(meta.family);
        let weight = self.weight.map(i64::from).or(meta.weight);
        let italic = self.italic.or(meta.italic);
        let (Some(family), Some(weight), Some(italic)) = (family.clone(), weight, italic) else {
            let missing = [
                ("family", family.is_none()),
                ("weight", weight.is_none()),
                ("italic", italic.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            let reason = "the file does not say".to_string();
            return Err(
                Error::from(Rule::Font(FontRule::MetadataUnreadable { missing, reason }))
                    .for_file(&label),
            );
        };
        let axes = self.axes.unwrap_or(meta.axes);
        let checked = check_family(&family)
            .and_then(|()| check_weight(weight))
            .and_then(|()| check_axes(&axes));
        checked.map_err(|rule| Error::from(Rule::Font(rule)).for_file(&label))?;
        let plan = FontPlan {
            file_name: file.name.clone(),
            size: file.bytes.len() as u64,
            md5: file.md5.clone(),
            source_size: file.source_size,
            source_md5: file.source_md5.clone(),
            compressed: file.compressed,
            family,
            // check_weight holds it to 1-1000.
            weight: u16::try_from(weight).unwrap_or(u16::MAX),
            italic,
            axes,
        };
        Ok(PreparedFont {
            client: self.client,
            site_id: self.site_id,
            file,
            plan,
            display: self.display,
            confirm: self.confirm,
        })
    }

    /// Runs the upload: [`UploadFontBuilder::prepare`], then [`PreparedFont::send`].
    pub async fn send(self) -> Result<UploadedFont, Error> {
        self.prepare().await?.send().await
    }
}

impl PreparedFont<'_> {
    /// What the upload sends.
    pub fn plan(&self) -> &FontPlan {
        &self.plan
    }

    /// Creates the font and uploads its file.
    pub async fn send(self) -> Result<UploadedFont, Error> {
        let file = self.file;
        let plan = self.plan;
        let label = file.source_name.clone();
        let request: CreateCustomFontRequest = crate::api::models::built(
            CreateCustomFontRequest::builder()
                .file_name(file.name.clone())
                .file_hash(file.md5.clone())
                .font_family(plan.family)
                .weight(i64::from(plan.weight))
                .italic(plan.italic)
                .font_display(self.display)
                .axes(plan.axes),
        )
        .map_err(|e| e.for_file(&label))?;
        let client = self.client;
        let site_id = self.site_id;
        let work = async {
            let created = api(client
                .raw()
                .create_custom_font()
                .site_id(&site_id)
                .body(request)
                .send())
            .await?;
            file.post_and_confirm(client, &site_id, created, self.confirm)
                .await
        };
        let span = tracing::info_span!("upload_font", file = %label);
        let (result, requests) = crate::http::transport::counted(work.instrument(span)).await;
        let mut uploaded = result.map_err(|e| e.for_file(&label))?;
        uploaded.requests = requests;
        Ok(uploaded)
    }
}

impl ReplaceFontBuilder<'_> {
    /// The name to give the new file on Webflow (default: the source's own).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The new file's variable axes, `vec![]` for a static file (default: read from it).
    pub fn axes(mut self, axes: Vec<FontAxis>) -> Self {
        self.axes = Some(axes);
        self
    }

    /// Whether to read the font back once S3 has stored it (default `true`).
    pub fn confirm(mut self, confirm: bool) -> Self {
        self.confirm = confirm;
        self
    }

    /// Whether to compress a TTF or OTF file to WOFF2 before upload (default `false`), as
    /// [`UploadFontBuilder::woff2`] does.
    pub fn woff2(mut self, woff2: bool) -> Self {
        self.woff2 = woff2;
        self
    }

    /// Runs the replacement.
    pub async fn send(self) -> Result<UploadedFont, Error> {
        check_id("font", &self.font_id)?;
        let file = FontFile::load(self.client, self.source, self.file_name, self.woff2).await?;
        let label = file.source_name.clone();
        let axes = self
            .axes
            .or_else(|| file.meta.axes_known.then(|| file.meta.axes.clone()));
        if let Some(axes) = &axes {
            check_axes(axes).map_err(|rule| Error::from(Rule::Font(rule)).for_file(&label))?;
        }
        let client = self.client;
        let (site_id, font_id) = (self.site_id, self.font_id);
        let work = async {
            if axes.is_none() {
                let current = client.get_font_by(&site_id, &font_id).await?;
                if !current.axes.is_empty() {
                    return Err(Rule::Font(FontRule::AxesRequired).into());
                }
            }
            let request: ReplaceCustomFontFileRequest = crate::api::models::built(
                ReplaceCustomFontFileRequest::builder()
                    .file_name(file.name.clone())
                    .file_hash(file.md5.clone())
                    .axes(axes),
            )?;
            let created = api(client
                .raw()
                .replace_custom_font_file()
                .site_id(&site_id)
                .font_id(&font_id)
                .body(request)
                .send())
            .await?;
            file.post_and_confirm(client, &site_id, created, self.confirm)
                .await
        };
        let span = tracing::info_span!("replace_font_file", file = %label, font = %font_id);
        let (result, requests) = crate::http::transport::counted(work.instrument(span)).await;
        let mut uploaded = result.map_err(|e| e.for_file(&label))?;
        uploaded.requests = requests;
        Ok(uploaded)
    }
}

/// A checked, read, hashed and (when asked) compressed font file.
#[derive(Debug)]
struct FontFile {
    /// The name it is uploaded as.
    name: String,
    /// The local file's own name, which errors name.
    source_name: String,
    content_type: &'static str,
    /// The bytes uploaded.
    bytes: Bytes,
    md5: String,
    source_size: u64,
    source_md5: String,
    compressed: bool,
    meta: FontMeta,
}

impl FontFile {
    async fn load(
        client: &Client,
        source: UploadSource,
        file_name: Option<String>,
        woff2: bool,
    ) -> Result<Self, Error> {
        let Some(name) = file_name.or_else(|| source.default_name()) else {
            return Err(Rule::EmptyFileName.into());
        };
        let (format, content_type) = check_font_file_name(&name)
            .map_err(|rule| Error::from(Rule::Font(rule)).for_file(&name))?;
        let bytes = load(client, source, Kind::Document)
            .await
            .map_err(|e| e.for_file(&name))?;
        if bytes.is_empty() {
            return Err(Error::from(Rule::EmptyFile).for_file(&name));
        }
        let compress = woff2 && matches!(format, FontFormat::Truetype | FontFormat::Opentype);
        let work = {
            let bytes = bytes.clone();
            tokio::task::spawn_blocking(move || {
                let meta =
                    meta::read(format, &bytes).map_err(|reason| FontRule::Unreadable { reason })?;
                let source_md5 = hash::md5_bytes(&bytes);
                let sent = match compress {
                    true => Bytes::from(crate::fonts::woff2::compress(&bytes)?),
                    false => bytes,
                };
                let md5 = match compress {
                    true => hash::md5_bytes(&sent),
                    false => source_md5.clone(),
                };
                Ok::<_, FontRule>((meta, source_md5, sent, md5))
            })
        };
        let (meta, source_md5, sent, md5) = work
            .await
            .map_err(|e| Error::Io {
                operation: crate::IoOperation::Parsing,
                path: name.clone().into(),
                source: std::io::Error::other(e),
            })?
            .map_err(|rule| Error::from(Rule::Font(rule)).for_file(&name))?;
        let (upload_name, content_type) = match compress {
            true => (woff2_name(&name), "font/woff2"),
            false => (name.clone(), content_type),
        };
        if compress {
            check_font_file_name(&upload_name)
                .map_err(|rule| Error::from(Rule::Font(rule)).for_file(&name))?;
        }
        Ok(Self {
            name: upload_name,
            source_name: name,
            content_type,
            source_size: bytes.len() as u64,
            bytes: sent,
            md5,
            source_md5,
            compressed: compress,
            meta,
        })
    }

    /// Posts the S3 form Webflow answered with, then reads the font back.
    async fn post_and_confirm(
        &self,
        client: &Client,
        site_id: &str,
        created: CustomFontUpload,
        confirm: bool,
    ) -> Result<UploadedFont, Error> {
        let font = created.custom_font.ok_or_else(|| missing("customFont"))?;
        let id: FontId = crate::error::id_from_server(
            font.id.as_deref().ok_or_else(|| missing("customFont.id"))?,
        )?;
        let upload = created.upload.ok_or_else(|| missing("upload"))?;
        let url = upload.url.as_deref().ok_or_else(|| missing("upload.url"))?;
        let fields = upload
            .fields
            .as_ref()
            .ok_or_else(|| missing("upload.fields"))?;
        let content_type = fields.content_type.as_deref().unwrap_or(self.content_type);
        let form_fields = form::form_fields(fields, form::FONT_FIELD_ORDER);
        let posted = form::post(
            client,
            url,
            &form_fields,
            &self.name,
            content_type,
            self.bytes.clone(),
        )
        .await?;
        let font = if confirm {
            client.get_font_by(site_id, id.as_str()).await?
        } else {
            font
        };
        Ok(UploadedFont {
            id,
            file_name: self.name.clone(),
            size: self.bytes.len() as u64,
            md5: self.md5.clone(),
            source_size: self.source_size,
            source_md5: self.source_md5.clone(),
            s3_response: posted,
            font,
            requests: 0,
        })
    }
}

/// `Inter.ttf` -> `Inter.woff2`: the stem kept, the extension replaced.
fn woff2_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}.woff2")
}

fn missing(field: &str) -> Error {
    Error::UnexpectedResponse {
        file: None,
        status: Some(202),
        body: format!("the custom-font answer has no {field}"),
    }
}
