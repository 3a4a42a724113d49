//! Reading, changing and deleting a site's custom fonts.

use webflow_assets_raw::types::{
    CustomFont, DeleteCustomFontsRequest, FontDeleteFailure, FontDisplay, FontRef,
    UpdateCustomFontRequest,
};

use crate::error::Error;
use crate::error::id_from_server;
use crate::font_rules::{FontRule, MAX_FONTS_PER_DELETE, check_family, check_weight};
use crate::http::client::Client;
use crate::http::transport::api;
use crate::ids::{FontId, SiteId};
use crate::validate::Rule;

/// What a batch delete did, font by font ([`Client::delete_fonts`]).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct DeletedFonts {
    /// The ids deleted.
    pub deleted: Vec<FontId>,
    /// The ids not deleted, with Webflow's reason; one the site does not have is
    /// [`already_gone`](FontNotDeleted::already_gone), which is not an error (deleting is
    /// idempotent).
    pub failed: Vec<FontNotDeleted>,
    /// Requests sent (one per 100 ids).
    pub requests: usize,
}

/// A font a batch delete did not delete, and Webflow's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FontNotDeleted {
    /// The font, when Webflow named it by a well-formed id.
    pub id: Option<FontId>,
    /// Webflow's reason code (its `name`, such as `NotFound`).
    pub reason: String,
    /// Webflow's message.
    pub message: String,
}

impl FontNotDeleted {
    /// Whether the site has no such font: it is already gone, which a delete wants, so it is
    /// no failure of the delete.
    pub fn already_gone(&self) -> bool {
        self.reason == "NotFound"
    }

    fn of(failure: FontDeleteFailure) -> Self {
        Self {
            // An id Webflow names malformed is not a font of the site: no id to give.
            id: failure.id.as_deref().and_then(|id| id.parse().ok()),
            reason: failure.name.unwrap_or_default(),
            message: failure.msg.unwrap_or_default(),
        }
    }
}

impl Client {
    /// Every custom font of a site (all pages, 100 a request).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// for font in client.list_fonts(&"580e63e98c9a982ac9b8b741".parse()?).await? {
    ///     println!("{:?} {:?} {:?}", font.font_family, font.weight, font.file_name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_fonts(&self, site_id: &SiteId) -> Result<Vec<CustomFont>, Error> {
        let site_id = site_id.as_str();
        let mut fonts = Vec::new();
        loop {
            let page = api(self
                .raw()
                .list_custom_fonts()
                .site_id(site_id)
                .offset(fonts.len() as i64)
                .limit(100)
                .send())
            .await?;
            let total = page.pagination.as_ref().and_then(|p| p.total).unwrap_or(0);
            let got = page.custom_fonts.len();
            fonts.extend(page.custom_fonts);
            if got == 0 || fonts.len() as i64 >= total {
                return Ok(fonts);
            }
        }
    }

    /// One custom font.
    pub async fn get_font(&self, site_id: &SiteId, font_id: &FontId) -> Result<CustomFont, Error> {
        let answer = api(self
            .raw()
            .get_custom_font()
            .site_id(site_id.as_str())
            .font_id(font_id.as_str())
            .send())
        .await?;
        answer.custom_font.ok_or_else(|| missing_font("get"))
    }

    /// Changes a font's family, weight, italic flag or display; see [`UpdateFont`]. The file
    /// stays; [`Client::replace_font_file`] changes it.
    pub fn update_font(&self, site_id: &SiteId, font_id: &FontId) -> UpdateFont<'_> {
        UpdateFont {
            client: self,
            site_id: site_id.clone(),
            font_id: font_id.clone(),
            body: UpdateCustomFontRequest::default(),
        }
    }

    /// Deletes fonts by id, 100 a request, and reports font by font. An id that does not
    /// exist is reported in `failed`, not as an error, so a partial failure can be retried
    /// with the ids not in `deleted`.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let font = "6500aa00bb11cc22dd33ee01".parse()?;
    /// let report = client.delete_fonts(&site, &[font]).await?;
    /// for failure in report.failed.iter().filter(|f| !f.already_gone()) {
    ///     eprintln!("{:?}: {} {}", failure.id, failure.reason, failure.message);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_fonts(
        &self,
        site_id: &SiteId,
        font_ids: &[FontId],
    ) -> Result<DeletedFonts, Error> {
        let site_id = site_id.as_str();
        if font_ids.is_empty() {
            return Err(Rule::Font(FontRule::NoFonts).into());
        }
        let mut report = DeletedFonts::default();
        for chunk in font_ids.chunks(MAX_FONTS_PER_DELETE) {
            let items: Vec<FontRef> = chunk
                .iter()
                .map(|id| crate::api::models::built(FontRef::builder().id(Some(id.to_string()))))
                .collect::<Result<_, _>>()?;
            let body: DeleteCustomFontsRequest =
                crate::api::models::built(DeleteCustomFontsRequest::builder().items(items))?;
            let answer = api(self
                .raw()
                .delete_custom_fonts()
                .site_id(site_id)
                .body(body)
                .send())
            .await?;
            report.requests += 1;
            report.deleted.extend(
                answer
                    .deleted
                    .into_iter()
                    .filter_map(|f| f.id.as_deref().map(id_from_server))
                    .collect::<Result<Vec<_>, _>>()?,
            );
            report
                .failed
                .extend(answer.failed.into_iter().map(FontNotDeleted::of));
        }
        Ok(report)
    }
}

fn missing_font(operation: &str) -> Error {
    Error::UnexpectedResponse {
        file: None,
        status: Some(200),
        body: format!("the {operation}-font answer has no customFont"),
    }
}

/// A change to one font, sent with `send`: `PATCH /sites/{site_id}/custom_fonts/{font_id}`.
#[derive(Debug)]
#[must_use = "nothing changes until `send` is awaited"]
pub struct UpdateFont<'a> {
    client: &'a Client,
    site_id: SiteId,
    font_id: FontId,
    body: UpdateCustomFontRequest,
}

impl UpdateFont<'_> {
    /// The CSS `font-family` name (1-256 characters; Webflow strips commas).
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.body.font_family = Some(family.into());
        self
    }

    /// The CSS `font-weight` (1-1000).
    pub fn weight(mut self, weight: u16) -> Self {
        self.body.weight = Some(i64::from(weight));
        self
    }

    /// Whether the font is italic.
    pub fn italic(mut self, italic: bool) -> Self {
        self.body.italic = Some(italic);
        self
    }

    /// The CSS `font-display`.
    pub fn display(mut self, display: FontDisplay) -> Self {
        self.body.font_display = Some(display);
        self
    }

    /// Sends the change and returns the font as Webflow now has it.
    pub async fn send(self) -> Result<CustomFont, Error> {
        let body = &self.body;
        if body.font_family.is_none()
            && body.weight.is_none()
            && body.italic.is_none()
            && body.font_display.is_none()
        {
            return Err(Rule::Font(FontRule::NothingToUpdate).into());
        }
        if let Some(family) = &body.font_family {
            check_family(family).map_err(Rule::Font)?;
        }
        if let Some(weight) = body.weight {
            check_weight(weight).map_err(Rule::Font)?;
        }
        let answer = api(self
            .client
            .raw()
            .update_custom_font()
            .site_id(self.site_id.as_str())
            .font_id(self.font_id.as_str())
            .body(self.body)
            .send())
        .await?;
        answer.custom_font.ok_or_else(|| missing_font("update"))
    }
}
