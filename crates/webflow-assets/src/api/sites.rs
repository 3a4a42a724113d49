//! The sites a token reaches: which site to work on.

use webflow_assets_raw::types::Site;

use crate::error::Error;
use crate::http::client::Client;
use crate::http::transport::api;

impl Client {
    /// Every site the token can reach (needs the `sites:read` scope).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// for site in client.list_sites().await? {
    ///     println!("{:?} {:?}", site.id, site.display_name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_sites(&self) -> Result<Vec<Site>, Error> {
        Ok(api(self.raw().list_sites().send()).await?.sites)
    }

    /// One site (needs the `sites:read` scope).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site = client.get_site(&"580e63e98c9a982ac9b8b741".parse()?).await?;
    /// println!("{:?} in {:?}", site.display_name, site.time_zone);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_site(&self, site_id: &crate::SiteId) -> Result<Site, Error> {
        api(self.raw().get_site().site_id(site_id.as_str()).send()).await
    }
}
