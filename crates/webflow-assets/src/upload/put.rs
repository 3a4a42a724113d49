//! The requests that put a checked file on the site: create, S3 form, read back.

use bytes::Bytes;
use webflow_assets_raw::types::{Asset, AssetUpload, CreateAssetRequest};

use crate::error::Error;
use crate::http::client::Client;
use crate::http::form::{self, PostResponse};
use crate::http::transport::api;
use crate::ids::AssetId;

/// The requests that put one checked, hashed file on the site.
pub(super) struct Put<'a> {
    pub(super) client: &'a Client,
    pub(super) site_id: &'a str,
    pub(super) request: &'a CreateAssetRequest,
    pub(super) content_type: &'static str,
    pub(super) bytes: Bytes,
}

impl Put<'_> {
    /// Creates the asset, posts the form (renewing an expired policy once), then reads the
    /// asset back, or changes its alt text and display name, which answers with it too.
    pub(super) async fn run(
        &self,
        confirm: bool,
        (alt_text, display_name): (Option<String>, Option<String>),
    ) -> Result<Stored, Error> {
        let mut created = self.create().await?;
        let mut renewed = false;
        let posted = loop {
            match post_form(
                self.client,
                &created.upload,
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
        let asset = if alt_text.is_some() || display_name.is_some() {
            let update = self
                .client
                .update_asset(&created.id)
                .maybe_alt_text(alt_text)
                .maybe_display_name(display_name);
            Some(update.send().await?)
        } else if confirm {
            Some(self.client.get_asset(&created.id, None).await?)
        } else {
            None
        };
        Ok(Stored {
            created,
            posted,
            asset,
        })
    }

    /// `POST /sites/{site_id}/assets`; the new asset's id is typed here, where the answer
    /// arrives, and travels typed from then on.
    async fn create(&self) -> Result<Created, Error> {
        let call = self
            .client
            .raw()
            .create_asset()
            .site_id(self.site_id)
            .body(self.request.clone());
        let upload = api(call.send()).await?;
        let id = crate::error::id_from_server(upload.id.as_deref().ok_or_else(|| missing("id"))?)?;
        Ok(Created { id, upload })
    }
}

/// The create-asset answer, with the asset's id typed.
pub(super) struct Created {
    pub(super) id: AssetId,
    pub(super) upload: AssetUpload,
}

/// What putting a file gave: the asset created, S3's answer to the form, and the asset as
/// read back or changed (`None` when neither was asked).
pub(super) struct Stored {
    pub(super) created: Created,
    pub(super) posted: PostResponse,
    pub(super) asset: Option<Asset>,
}

fn missing(field: &str) -> Error {
    Error::UnexpectedResponse {
        file: None,
        status: Some(200),
        body: format!("the create-asset answer has no {field}"),
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
