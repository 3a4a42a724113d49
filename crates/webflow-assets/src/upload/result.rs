//! What an upload returns: the asset on the site.

use webflow_assets_raw::types::Asset;

use crate::http::form::PostResponse;
use crate::ids::{AssetId, FolderId};

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
