//! Listing and deleting assets, through the client's budget, retries and typed errors.

use webflow_assets_raw::types::Asset;

use crate::validate::check_id;
use crate::{Client, Error};

impl Client {
    /// Every asset of a site (all pages), or only those in a folder and the folders below it.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// for asset in client.list_assets("580e63e98c9a982ac9b8b741", None).await? {
    ///     println!("{:?} {:?}", asset.display_name, asset.hosted_url);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_assets(
        &self,
        site_id: &str,
        folder_id: Option<&str>,
    ) -> Result<Vec<Asset>, Error> {
        check_id("site", site_id).map_err(|rule| Error::validation(None, rule))?;
        if let Some(folder) = folder_id {
            check_id("folder", folder).map_err(|rule| Error::validation(None, rule))?;
        }
        let mut assets = Vec::new();
        loop {
            let offset = assets.len() as i64;
            let (page, _) = self
                .call(|| {
                    let request = self
                        .raw()
                        .list_assets()
                        .site_id(site_id)
                        .offset(offset)
                        .limit(100);
                    match folder_id {
                        Some(folder) => request.folder_id(folder).send(),
                        None => request.send(),
                    }
                })
                .await;
            let page = page?;
            let total = page.pagination.as_ref().and_then(|p| p.total).unwrap_or(0);
            let got = page.assets.len();
            assets.extend(page.assets);
            if got == 0 || assets.len() as i64 >= total {
                return Ok(assets);
            }
        }
    }

    /// Deletes an asset.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// client.delete_asset("6500aa00bb11cc22dd33ee01").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_asset(&self, asset_id: &str) -> Result<(), Error> {
        check_id("asset", asset_id).map_err(|rule| Error::validation(None, rule))?;
        self.call(|| self.raw().delete_asset().asset_id(asset_id).send())
            .await
            .0
    }
}
