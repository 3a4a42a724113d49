//! Reading, changing and deleting assets.

use webflow_assets_raw::types::{Asset, UpdateAssetRequest};

use crate::error::Error;
use crate::http::client::Client;
use crate::http::transport::api;
use crate::ids::{AssetId, FolderId, LocaleId, SiteId};
use crate::validate::Rule;

impl Client {
    /// Every asset of a site (all pages, 100 a request), or only those in a folder and the
    /// folders below it.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// for asset in client.list_assets(&"580e63e98c9a982ac9b8b741".parse()?, None).await? {
    ///     println!("{:?} {:?}", asset.display_name, asset.hosted_url);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_assets(
        &self,
        site_id: &SiteId,
        folder_id: Option<&FolderId>,
    ) -> Result<Vec<Asset>, Error> {
        self.list_assets_localized(site_id, folder_id, None).await
    }

    /// Like [`Client::list_assets`], with each asset's alt text in `locale` (the primary
    /// locale's when `None`, or when the locale has none of its own).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::LocaleId;
    ///
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let french: LocaleId = "65f0aa00bb11cc22dd33ee99".parse()?;
    /// for asset in client.list_assets_localized(&site, None, Some(&french)).await? {
    ///     println!("{:?} {:?}", asset.display_name, asset.alt_text);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_assets_localized(
        &self,
        site_id: &SiteId,
        folder_id: Option<&FolderId>,
        locale: Option<&LocaleId>,
    ) -> Result<Vec<Asset>, Error> {
        self.list_assets_in(site_id, folder_id, locale).await
    }

    /// [`Client::list_assets_localized`], for callers whose folder id came from a listing
    /// (typed with `id_from_server`, so a malformed one is Webflow's fault, not the caller's).
    pub(crate) async fn list_assets_in(
        &self,
        site_id: &SiteId,
        folder_id: Option<&FolderId>,
        locale: Option<&LocaleId>,
    ) -> Result<Vec<Asset>, Error> {
        let site_id = site_id.as_str();
        let folder_id = folder_id.map(FolderId::as_str);
        let mut assets = Vec::new();
        loop {
            let mut request = self
                .raw()
                .list_assets()
                .site_id(site_id)
                .offset(assets.len() as i64)
                .limit(100);
            if let Some(locale) = locale {
                request = request.locale_id(locale.as_str());
            }
            let page = match folder_id {
                Some(folder) => api(request.folder_id(folder).send()).await?,
                None => api(request.send()).await?,
            };
            let total = page.pagination.as_ref().and_then(|p| p.total).unwrap_or(0);
            let got = page.assets.len();
            assets.extend(page.assets);
            if assets.len() as i64 >= total {
                return Ok(assets);
            }
            // An empty page before the total: assets missing from a listing would be uploaded
            // again by a sync, so a short listing is an error, not an answer.
            if got == 0 {
                return Err(Error::IncompleteListing {
                    what: "assets",
                    listed: assets.len(),
                    total: total as u64,
                });
            }
        }
    }

    /// One asset; with `locale`, its alt text in that locale.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let asset = client.get_asset(&"6500aa00bb11cc22dd33ee01".parse()?, None).await?;
    /// println!("{:?} {:?}", asset.display_name, asset.alt_text);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_asset(
        &self,
        asset_id: &AssetId,
        locale: Option<&LocaleId>,
    ) -> Result<Asset, Error> {
        let request = self.raw().get_asset().asset_id(asset_id.as_str());
        match locale {
            Some(locale) => api(request.locale_id(locale.as_str()).send()).await,
            None => api(request.send()).await,
        }
    }

    /// Changes an asset's display name or alt text; see [`UpdateAsset`].
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let asset = client
    ///     .update_asset(&"6500aa00bb11cc22dd33ee01".parse()?)
    ///     .alt_text("A golden retriever with a red ball")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update_asset(&self, asset_id: &AssetId) -> UpdateAsset<'_> {
        UpdateAsset {
            client: self,
            asset_id: asset_id.clone(),
            locale: None,
            body: UpdateAssetRequest::default(),
        }
    }

    /// Deletes an asset.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// client.delete_asset(&"6500aa00bb11cc22dd33ee01".parse()?).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_asset(&self, asset_id: &AssetId) -> Result<(), Error> {
        api(self.raw().delete_asset().asset_id(asset_id.as_str()).send()).await
    }
}

/// A change to one asset, sent with `send`: `PATCH /assets/{asset_id}`.
#[derive(Debug)]
#[must_use = "nothing changes until `send` is awaited"]
pub struct UpdateAsset<'a> {
    client: &'a Client,
    asset_id: AssetId,
    locale: Option<LocaleId>,
    body: UpdateAssetRequest,
}

impl UpdateAsset<'_> {
    /// The name shown in the Assets panel. Webflow keeps one for all locales.
    pub fn display_name(self, name: impl Into<String>) -> Self {
        self.maybe_display_name(Some(name.into()))
    }

    /// [`display_name`](Self::display_name) for a caller holding an `Option`: `None` leaves
    /// it unset.
    pub fn maybe_display_name(mut self, name: Option<String>) -> Self {
        self.body.display_name = name;
        self
    }

    /// The alt text (in the primary locale, or in the one given to [`Self::locale`]).
    pub fn alt_text(self, text: impl Into<String>) -> Self {
        self.maybe_alt_text(Some(text.into()))
    }

    /// [`alt_text`](Self::alt_text) for a caller holding an `Option`: `None` leaves it unset.
    pub fn maybe_alt_text(mut self, text: Option<String>) -> Self {
        self.body.alt_text = text;
        self
    }

    /// Sets the alt text of this locale instead of the primary one.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// client
    ///     .update_asset(&"6500aa00bb11cc22dd33ee01".parse()?)
    ///     .locale("65f0aa00bb11cc22dd33ee99".parse()?)
    ///     .alt_text("Un golden retriever avec une balle rouge")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn locale(self, locale: LocaleId) -> Self {
        self.maybe_locale(Some(locale))
    }

    /// [`locale`](Self::locale) for a caller holding an `Option`: `None` is the primary
    /// locale.
    pub fn maybe_locale(mut self, locale: Option<LocaleId>) -> Self {
        self.locale = locale;
        self
    }

    /// Sends the change and returns the asset as Webflow now has it.
    pub async fn send(self) -> Result<Asset, Error> {
        let asset_id = self.asset_id;
        if self.body.display_name.is_none() && self.body.alt_text.is_none() {
            return Err(Rule::NothingToUpdate.into());
        }
        if let Some(name) = &self.body.display_name {
            crate::validate::check_display_name(name)?;
        }
        let request = self
            .client
            .raw()
            .update_asset()
            .asset_id(asset_id.as_str())
            .body(self.body);
        match &self.locale {
            Some(locale) => api(request.locale_id(locale.as_str()).send()).await,
            None => api(request.send()).await,
        }
    }
}

impl Client {
    /// The MD5 of a hosted file (an asset's or a custom font's `hostedUrl`), hashed as it
    /// downloads, so it can be compared with a local file without keeping either. The
    /// download carries no token, is held to the same address rule as URL sources, stops
    /// past the largest size Webflow accepts, and is retried like any request.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let asset = client.get_asset(&"6500aa00bb11cc22dd33ee01".parse()?, None).await?;
    /// let hosted = client.hosted_md5(asset.hosted_url.as_deref().unwrap_or_default()).await?;
    /// println!("{hosted}");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn hosted_md5(&self, hosted_url: &str) -> Result<String, Error> {
        let limits = self.limits();
        let limit = limits.image.max(limits.document).max(limits.lottie);
        self.hosted_md5_within(hosted_url, limit).await
    }

    /// [`Self::hosted_md5`], refused past `limit` bytes.
    pub(crate) async fn hosted_md5_within(
        &self,
        hosted_url: &str,
        limit: u64,
    ) -> Result<String, Error> {
        let (result, _) = self
            .retry()
            .run(|_| crate::http::download::md5_of(self.fetcher(), hosted_url, limit))
            .await;
        result
    }
}
