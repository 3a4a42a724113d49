//! What an upload would do, worked out without sending anything to Webflow: the checks and
//! the hash `send` makes first, and the requests it would then make.

use serde::Serialize;

/// An upload checked and hashed, with the requests it would make; see
/// [`UploadBuilder::plan`](crate::UploadBuilder::plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct UploadPlan {
    /// The file name it would be uploaded as.
    pub file_name: String,
    /// Its MIME type, from its extension.
    pub content_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its MD5, the `fileHash` Webflow would get (lowercase hex).
    pub md5: String,
    /// The folder it would go into, by id.
    pub folder_id: Option<crate::FolderId>,
    /// The folder it would go into, by path (missing levels created).
    pub folder_path: Option<crate::path::FolderPath>,
    /// The alt text it would get.
    pub alt_text: Option<String>,
    /// The display name it would get.
    pub display_name: Option<String>,
    /// The requests the upload would make, in order (retries aside).
    pub requests: Vec<PlannedRequest>,
}

/// One request a plan would make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlannedRequest {
    /// The HTTP method.
    pub method: String,
    /// The API path, or what it is sent to when the path is only known then.
    pub target: String,
    /// What it is for.
    pub purpose: String,
}

impl PlannedRequest {
    fn new(method: &str, target: String, purpose: &str) -> Self {
        Self {
            method: method.to_string(),
            target,
            purpose: purpose.to_string(),
        }
    }
}

/// The requests of an upload to `site_id`, in the order `send` makes them.
pub(crate) fn requests(
    site_id: &str,
    folder_path: bool,
    changes: bool,
    confirm: bool,
) -> Vec<PlannedRequest> {
    let mut requests = Vec::new();
    if folder_path {
        requests.push(PlannedRequest::new(
            "GET",
            format!("/sites/{site_id}/asset_folders"),
            "find the folder path; a POST for each level missing",
        ));
    }
    requests.push(PlannedRequest::new(
        "POST",
        format!("/sites/{site_id}/assets"),
        "create the asset with its file name and MD5",
    ));
    requests.push(PlannedRequest::new(
        "POST",
        "the uploadUrl Webflow answers with".into(),
        "send the bytes to S3 with the signed form",
    ));
    if changes {
        requests.push(PlannedRequest::new(
            "PATCH",
            "/assets/{asset_id}".into(),
            "set the alt text and display name",
        ));
    } else if confirm {
        requests.push(PlannedRequest::new(
            "GET",
            "/assets/{asset_id}".into(),
            "confirm Webflow has the asset",
        ));
    }
    requests
}
