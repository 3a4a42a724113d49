//! The export: every asset's alt text as rows, read through the one inventory step.

use crate::alt_text::row::AltRow;
use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{LocaleId, SiteId};
use crate::inventory::remote::{Missing, SiteInventory};
use crate::path::FolderPath;

/// Settings for [`Client::alt_export`]: which assets, and in which locale.
///
/// ```
/// use webflow_assets::alt_text::AltExportOptions;
///
/// let options = AltExportOptions::default()
///     .folder("brand/logos".parse()?)
///     .locale("653ad57de882f528b32e810e".parse()?);
/// # Ok::<(), webflow_assets::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AltExportOptions {
    /// Export only this folder and the folders below it (the whole site when `None`). A
    /// folder the site lacks is [`Error::FolderNotFound`].
    pub folder: Option<FolderPath>,
    /// Read the alt text of this locale instead of the primary one.
    pub locale: Option<LocaleId>,
}

crate::run::settings::shared_settings!(AltExportOptions { folder, locale });

impl Client {
    /// One row per asset of the site, or of the options' folder and the folders below it,
    /// with its alt text in the options' locale (the primary locale's when none). Costs one
    /// request for the folders and one per 100 assets.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::alt_text::AltExportOptions;
    ///
    /// let site = "580e63e98c9a982ac9b8b741".parse()?;
    /// let rows = client.alt_export(&site, AltExportOptions::default()).await?;
    /// # #[cfg(feature = "csv")]
    /// webflow_assets::alt_text::write_csv(&rows, std::io::stdout())?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn alt_export(
        &self,
        site_id: &SiteId,
        options: AltExportOptions,
    ) -> Result<Vec<AltRow>, Error> {
        let folder = options.folder.unwrap_or_default();
        let site = SiteInventory::read(
            self,
            site_id,
            &folder,
            options.locale.as_ref(),
            &[],
            Missing::Refused,
        )
        .await?;
        let mut rows: Vec<AltRow> = site
            .assets
            .iter()
            .filter_map(|asset| {
                let name = asset
                    .original_file_name
                    .as_ref()
                    .or(asset.display_name.as_ref())?;
                let id = crate::error::id_from_server(asset.id.clone()?);
                Some(id.map(|id| {
                    AltRow::new(
                        id,
                        site.folder_path_of(asset),
                        crate::path::nfc(name),
                        asset.alt_text.clone().unwrap_or_default(),
                    )
                }))
            })
            .collect::<Result<_, Error>>()?;
        // In the order of the folder path's text, as the CSV writes it.
        rows.sort_by_cached_key(|r| (r.folder_path.to_string(), r.name.clone(), r.id.clone()));
        Ok(rows)
    }
}
