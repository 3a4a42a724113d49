//! What a font upload gives back.

use webflow_assets_raw::types::CustomFont;

use crate::http::form::PostResponse;
use crate::ids::FontId;

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
