//! A font file's replacement: the new file under the font's id.

use tracing::Instrument;
use webflow_assets_raw::types::{FontAxis, ReplaceCustomFontFileRequest};

use crate::error::Error;
use crate::font_rules::{FontRule, check_axes};
use crate::fonts::upload::file::FontFile;
use crate::fonts::upload::result::UploadedFont;
use crate::http::client::Client;
use crate::http::transport::api;
use crate::ids::{FontId, SiteId};
use crate::upload::UploadSource;
use crate::validate::Rule;

/// A font file replacement being set up; see [`Client::replace_font_file`].
#[derive(Debug)]
#[must_use = "a replacement does nothing until `send` is awaited"]
pub struct ReplaceFontBuilder<'a> {
    client: &'a Client,
    site_id: SiteId,
    font_id: FontId,
    source: UploadSource,
    file_name: Option<String>,
    axes: Option<Vec<FontAxis>>,
    confirm: bool,
    woff2: bool,
}

impl Client {
    /// Replaces a font's file, keeping its id and every reference to it. The new file's axes
    /// are read from it (or set with [`ReplaceFontBuilder::axes`]) and always sent when known,
    /// `[]` for a static file, as Webflow requires when the font being replaced is variable.
    /// When they cannot be known and the font is variable, [`FontRule::AxesRequired`] is
    /// returned before anything is uploaded.
    pub fn replace_font_file(
        &self,
        site_id: &SiteId,
        font_id: &FontId,
        source: impl Into<UploadSource>,
    ) -> ReplaceFontBuilder<'_> {
        ReplaceFontBuilder {
            client: self,
            site_id: site_id.clone(),
            font_id: font_id.clone(),
            source: source.into(),
            file_name: None,
            axes: None,
            confirm: true,
            woff2: false,
        }
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
    ///
    /// [`UploadFontBuilder::woff2`]: super::builder::UploadFontBuilder::woff2
    pub fn woff2(mut self, woff2: bool) -> Self {
        self.woff2 = woff2;
        self
    }

    /// Runs the replacement.
    pub async fn send(self) -> Result<UploadedFont, Error> {
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
                let current = client.get_font(&site_id, &font_id).await?;
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
                .site_id(site_id.as_str())
                .font_id(font_id.as_str())
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
