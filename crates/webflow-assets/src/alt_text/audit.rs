//! What a designer should fix on a site: images without alt text, duplicate files, names
//! longer than Webflow accepts, and empty folders ([`Client::audit`]).

use std::collections::{BTreeMap, HashSet};

use futures::StreamExt;
use serde::Serialize;

use crate::error::Error;
use crate::http::client::Client;
use crate::ids::LocaleId;
use crate::inventory::remote::{Missing, SiteInventory};
use crate::path::FolderPath;
use crate::validate::{Kind, MAX_FILE_NAME_CHARS, check_file_name};

/// Hosted files downloaded at once to compare duplicates: the CDN is not the API, but an
/// audit should not flood it.
const DOWNLOADS_AT_ONCE: usize = 4;

/// Settings for [`Client::audit`]: which assets, and in which locale alt text is read.
///
/// ```
/// use webflow_assets::audit::AuditOptions;
///
/// let options = AuditOptions::default()
///     .folder("brand/logos".parse()?)
///     .locale("653ad57de882f528b32e810e".parse()?);
/// # Ok::<(), webflow_assets::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AuditOptions {
    /// Audit only this folder and the folders below it (the whole site when `None`). A
    /// folder the site lacks is [`Error::FolderNotFound`].
    pub folder: Option<FolderPath>,
    /// Read the alt text of this locale instead of the primary one.
    pub locale: Option<LocaleId>,
}

crate::run::settings::shared_settings!(AuditOptions { folder, locale });

/// An asset named in a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AuditAsset {
    /// Its id.
    pub asset_id: crate::AssetId,
    /// Its folder path from the site root and its name.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
}

/// What [`Client::audit`] found. Each list is sorted by path.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Audit {
    /// Images without alt text (in the locale asked for).
    pub missing_alt_text: Vec<AuditAsset>,
    /// Groups of assets with the same bytes (same size, same MD5 of the hosted file).
    pub duplicates: Vec<Vec<AuditAsset>>,
    /// Assets whose name has at least [`MAX_FILE_NAME_CHARS`] characters: Webflow would
    /// refuse it today.
    pub long_names: Vec<AuditAsset>,
    /// Folders with no asset and no folder in them, by path.
    pub empty_folders: Vec<crate::path::FolderPath>,
    /// Assets of equal size whose hosted bytes could not be fetched: whether they are
    /// duplicates is unknown.
    pub unchecked: Vec<(AuditAsset, Error)>,
    /// Assets looked at.
    pub assets: usize,
    /// Hosted files downloaded to compare.
    pub downloaded: usize,
}

impl Audit {
    /// How many findings there are (a group of duplicates counts once).
    pub fn findings(&self) -> usize {
        self.missing_alt_text.len()
            + self.duplicates.len()
            + self.long_names.len()
            + self.empty_folders.len()
    }
}

/// One listed asset, with what the audit needs of it.
struct Listed {
    asset: AuditAsset,
    name: String,
    image: bool,
    alt_text: Option<String>,
    hosted_url: Option<String>,
}

impl Client {
    /// Audits the site, or the options' folder and the folders below it: one request for the
    /// folders, one per 100 assets, and a download from the CDN (no API request) of each
    /// asset that has the same size as another, to compare MD5s. Alt text is read in the
    /// options' locale (the primary locale's when none).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::audit::AuditOptions;
    ///
    /// let audit = client.audit(&"580e63e98c9a982ac9b8b741".parse()?, AuditOptions::default()).await?;
    /// println!("{} images lack alt text", audit.missing_alt_text.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn audit(
        &self,
        site_id: &crate::SiteId,
        options: AuditOptions,
    ) -> Result<Audit, Error> {
        let target = options.folder.unwrap_or_default();
        let site = SiteInventory::read(
            self,
            site_id,
            &target,
            options.locale.as_ref(),
            &[],
            Missing::Refused,
        )
        .await?;
        let SiteInventory {
            folders: tree,
            assets,
            ..
        } = site;
        let mut audit = Audit {
            assets: assets.len(),
            ..Audit::default()
        };
        let mut occupied: HashSet<String> = HashSet::new();
        let mut listed = Vec::new();
        for asset in assets {
            if let Some(parent) = &asset.folder_id {
                occupied.insert(parent.clone());
            }
            let Some(id) = asset.id else { continue };
            let id = crate::error::id_from_server(id)?;
            let name = crate::path::nfc(
                &asset
                    .original_file_name
                    .or(asset.display_name)
                    .unwrap_or_default(),
            );
            let folder_path = asset
                .folder_id
                .as_deref()
                .and_then(|f| tree.path_of(f))
                .map(ToString::to_string)
                .unwrap_or_default();
            let image = match &asset.content_type {
                Some(content_type) => content_type.starts_with("image/"),
                None => matches!(check_file_name(&name), Ok((Kind::Image, _))),
            };
            listed.push(Listed {
                asset: AuditAsset {
                    asset_id: id,
                    path: match folder_path.is_empty() {
                        true => name.clone(),
                        false => format!("{folder_path}/{name}"),
                    },
                    size: asset.size.unwrap_or(0).max(0) as u64,
                },
                name,
                image,
                alt_text: asset.alt_text,
                hosted_url: asset.hosted_url,
            });
        }
        listed.sort_by(|a, b| a.asset.path.cmp(&b.asset.path));
        for item in &listed {
            if item.image && item.alt_text.as_deref().is_none_or(|t| t.trim().is_empty()) {
                audit.missing_alt_text.push(item.asset.clone());
            }
            if item.name.chars().count() >= MAX_FILE_NAME_CHARS {
                audit.long_names.push(item.asset.clone());
            }
        }
        for folder in tree.folders() {
            let Some(id) = &folder.id else { continue };
            let Some(path) = tree.path_of(id) else {
                continue;
            };
            let below =
                target.is_root() || path.ancestors_and_self().any(|ancestor| ancestor == target);
            let has_child = tree
                .folders()
                .iter()
                .any(|f| f.parent_folder.as_deref() == Some(id.as_str()));
            if below && !has_child && !occupied.contains(id) {
                audit.empty_folders.push(path.clone());
            }
        }
        // In the order of their text, as they are written.
        audit.empty_folders.sort_by_cached_key(ToString::to_string);
        self.find_duplicates(&listed, &mut audit).await;
        Ok(audit)
    }

    /// Groups assets of equal size by the MD5 of their hosted bytes; only those are
    /// downloaded.
    async fn find_duplicates(&self, listed: &[Listed], audit: &mut Audit) {
        let mut by_size: BTreeMap<u64, Vec<&Listed>> = BTreeMap::new();
        for item in listed {
            by_size.entry(item.asset.size).or_default().push(item);
        }
        let candidates: Vec<&Listed> = by_size
            .into_values()
            .filter(|group| group.len() > 1)
            .flatten()
            .collect();
        audit.downloaded = candidates.len();
        // By index: a closure over `&Listed` makes the future's `Send` depend on a
        // higher-ranked lifetime the compiler cannot prove, and the audit could not be
        // awaited inside a spawned task.
        let candidates = &candidates;
        let hashes: Vec<(&Listed, Result<String, Error>)> =
            futures::stream::iter((0..candidates.len()).map(move |k| {
                let item = candidates[k];
                async move { (item, self.listed_md5(item).await) }
            }))
            .buffered(DOWNLOADS_AT_ONCE)
            .collect()
            .await;
        let mut groups: BTreeMap<(u64, String), Vec<AuditAsset>> = BTreeMap::new();
        for (item, hash) in hashes {
            match hash {
                Ok(md5) => groups
                    .entry((item.asset.size, md5))
                    .or_default()
                    .push(item.asset.clone()),
                Err(error) => audit.unchecked.push((item.asset.clone(), error)),
            }
        }
        audit.duplicates = groups.into_values().filter(|g| g.len() > 1).collect();
        audit.duplicates.sort_by(|a, b| a[0].path.cmp(&b[0].path));
    }

    /// The MD5 of an asset's hosted bytes, read no further than its size (the listing's word
    /// for it) allows, retried when the failure is transient. Like every download it carries
    /// no token.
    async fn listed_md5(&self, item: &Listed) -> Result<String, Error> {
        let Some(url) = &item.hosted_url else {
            return Err(Error::UnexpectedResponse {
                file: Some(item.asset.path.clone()),
                status: None,
                body: format!("asset {} has no hosted URL", item.asset.asset_id),
            });
        };
        self.hosted_md5_within(url, item.asset.size.max(1)).await
    }
}
