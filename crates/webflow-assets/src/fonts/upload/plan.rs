//! What a font upload would send, and its sending: the font created, its file posted.

use tracing::Instrument;
use webflow_assets_raw::types::{CreateCustomFontRequest, FontAxis, FontDisplay};

use crate::error::Error;
use crate::fonts::upload::file::FontFile;
use crate::fonts::upload::result::UploadedFont;
use crate::http::client::Client;
use crate::http::transport::api;
use crate::ids::SiteId;

/// What a font upload would send, the file read, checked and (with
/// [`UploadFontBuilder::woff2`]) compressed; see [`UploadFontBuilder::prepare`].
///
/// [`UploadFontBuilder::woff2`]: super::builder::UploadFontBuilder::woff2
/// [`UploadFontBuilder::prepare`]: super::builder::UploadFontBuilder::prepare
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
///
/// [`UploadFontBuilder::prepare`]: super::builder::UploadFontBuilder::prepare
#[derive(Debug)]
#[must_use = "an upload does nothing until `send` is awaited"]
pub struct PreparedFont<'a> {
    pub(super) client: &'a Client,
    pub(super) site_id: SiteId,
    pub(super) file: FontFile,
    pub(super) plan: FontPlan,
    pub(super) display: FontDisplay,
    pub(super) confirm: bool,
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
                .site_id(site_id.as_str())
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
