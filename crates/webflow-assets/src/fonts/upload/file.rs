//! A font file read, checked, hashed and (when asked) compressed, and its S3 form posted.

use bytes::Bytes;
use webflow_assets_raw::types::{CustomFontUpload, FontFormat};

use crate::error::Error;
use crate::font_rules::{FontRule, check_font_file_name};
use crate::fonts::meta::{self, FontMeta};
use crate::fonts::upload::result::UploadedFont;
use crate::hash;
use crate::http::client::Client;
use crate::http::form;
use crate::ids::{FontId, SiteId};
use crate::upload::UploadSource;
use crate::upload::load;
use crate::validate::{Kind, Rule};

/// A checked, read, hashed and (when asked) compressed font file.
#[derive(Debug)]
pub(super) struct FontFile {
    /// The name it is uploaded as.
    pub(super) name: String,
    /// The local file's own name, which errors name.
    pub(super) source_name: String,
    content_type: &'static str,
    /// The bytes uploaded.
    pub(super) bytes: Bytes,
    pub(super) md5: String,
    pub(super) source_size: u64,
    pub(super) source_md5: String,
    pub(super) compressed: bool,
    pub(super) meta: FontMeta,
}

impl FontFile {
    pub(super) async fn load(
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
    pub(super) async fn post_and_confirm(
        &self,
        client: &Client,
        site_id: &SiteId,
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
            client.get_font(site_id, &id).await?
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
