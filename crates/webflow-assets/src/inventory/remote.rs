//! The remote inventory: one read of the site as seen from one folder (the folder found, its
//! assets listed, their alt text read per locale), which every operation that compares with
//! or reports on the site starts from; and, for sync, pull and copy, those assets placed by
//! their path relative to the folder.

use std::collections::{BTreeMap, HashMap};

use crate::api::folder_tree::FolderTree;
use crate::api::models::Asset;
use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{AssetId, LocaleId};
use crate::inventory::{RemoteAsset, RemoteInventory};
use crate::path::{FolderPath, RelPath};

/// What a read makes of a folder the site does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    /// [`Error::FolderNotFound`]: the operation reads the folder (pull, a copy's source,
    /// alt-text export, audit).
    Refused,
    /// Nothing is in it yet: the operation creates it (a sync's target, a copy's target).
    Empty,
}

/// What of the site a read covers.
#[derive(Debug, Clone, Copy)]
enum Within<'a> {
    /// The folder and the folders below it (the whole site at the root), with the folder
    /// tree.
    Folder {
        folder: &'a FolderPath,
        missing: Missing,
    },
    /// Every asset of the site, found by id: no folder tree.
    SiteById,
}

/// The site as seen from one folder.
#[derive(Debug, Default)]
pub(crate) struct SiteInventory {
    /// Every folder of the site.
    pub(crate) folders: FolderTree,
    /// The assets at or below the folder, as listed (with the listing locale's alt text).
    pub(crate) assets: Vec<Asset>,
    /// For each extra locale asked for, the alt text each asset has in it, by asset id
    /// (typed, so an id Webflow writes in another case in one listing is the same asset).
    pub(crate) alt_text: BTreeMap<LocaleId, HashMap<AssetId, String>>,
}

impl SiteInventory {
    /// Reads the site from `folder` (the whole site at the root): every folder (one
    /// request), the assets at or below it with their alt text in `listing_locale` (the
    /// primary locale's when `None`; one request per 100), and as many again for each of
    /// `locales`. A folder the site lacks is refused or empty, as `missing` says; an empty
    /// one costs the folder request alone.
    pub(crate) async fn read(
        client: &Client,
        site_id: &crate::SiteId,
        folder: &FolderPath,
        listing_locale: Option<&LocaleId>,
        locales: &[LocaleId],
        missing: Missing,
    ) -> Result<Self, Error> {
        let within = Within::Folder { folder, missing };
        Self::read_within(client, site_id, within, listing_locale, locales).await
    }

    /// Reads every asset of the site, with its alt text in `listing_locale`, as [`Self::read`]
    /// does at the root, but without the folder request (`folders` is left empty): for an
    /// operation that finds assets by id alone and places none by path (an alt-text
    /// import). Costs one request per 100 assets.
    pub(crate) async fn read_by_id(
        client: &Client,
        site_id: &crate::SiteId,
        listing_locale: Option<&LocaleId>,
    ) -> Result<Self, Error> {
        Self::read_within(client, site_id, Within::SiteById, listing_locale, &[]).await
    }

    /// The one read both forms share.
    async fn read_within(
        client: &Client,
        site_id: &crate::SiteId,
        within: Within<'_>,
        listing_locale: Option<&LocaleId>,
        locales: &[LocaleId],
    ) -> Result<Self, Error> {
        let (folders, base) = match within {
            Within::SiteById => (FolderTree::default(), None),
            Within::Folder { folder, missing } => {
                let folders = client.folder_tree(site_id).await?;
                let base = match folder.is_root() {
                    true => None,
                    false => match (folders.id_of(folder), missing) {
                        (Some(id), _) => Some(id.clone()),
                        (None, Missing::Refused) => {
                            return Err(Error::FolderNotFound {
                                folder: folder.clone(),
                            });
                        }
                        // No folder yet: nothing of the site is in it.
                        (None, Missing::Empty) => {
                            return Ok(SiteInventory {
                                folders,
                                ..SiteInventory::default()
                            });
                        }
                    },
                };
                (folders, base)
            }
        };
        let assets = client
            .list_assets_in(site_id, base.as_ref(), listing_locale)
            .await?;
        let mut alt_text = BTreeMap::new();
        for locale in locales {
            let listed = client
                .list_assets_in(site_id, base.as_ref(), Some(locale))
                .await?;
            alt_text.insert(locale.clone(), alt_texts(listed)?);
        }
        Ok(SiteInventory {
            folders,
            assets,
            alt_text,
        })
    }

    /// The assets by their ids, each checked once (a malformed one is Webflow's fault:
    /// [`Error::UnexpectedResponse`]). An asset listed without an id is left out.
    pub(crate) fn by_id(&self) -> Result<HashMap<AssetId, &Asset>, Error> {
        self.assets
            .iter()
            .filter_map(|asset| {
                let id = asset.id.as_deref()?;
                Some(crate::error::id_from_server(id).map(|id| (id, asset)))
            })
            .collect()
    }

    /// The folder path of an asset's folder from the site root (empty at the root, and for
    /// a folder the tree does not know).
    pub(crate) fn folder_path_of(&self, asset: &Asset) -> FolderPath {
        asset
            .folder_id
            .as_deref()
            .and_then(|id| self.folders.path_of(id))
            .cloned()
            .unwrap_or_default()
    }

    /// The assets placed by their path relative to `target` (the folder read), as sync,
    /// pull and copy compare them, each id checked once. Assets whose folder cannot be
    /// placed (a broken parent link) are left out, so nothing is ever deleted on the
    /// strength of a path guessed wrong.
    pub(crate) fn placed(self, target: &FolderPath) -> Result<RemoteInventory, Error> {
        let folders = self.folders;
        let mut assets = Vec::new();
        for asset in self.assets {
            let Some(dir) = folders.relative_to(asset.folder_id.as_deref(), target) else {
                continue;
            };
            let (Some(id), Some(name)) = (
                asset.id,
                asset.original_file_name.or(asset.display_name.clone()),
            ) else {
                continue;
            };
            // Checked here, once: every plan built on the inventory holds typed ids.
            let id = crate::error::id_from_server(id)?;
            assets.push(RemoteAsset {
                id,
                path: RelPath::in_folder(&dir, &name),
                size: asset.size.unwrap_or(0).max(0) as u64,
                alt_text: asset.alt_text,
                hosted_url: asset.hosted_url,
                name: crate::path::nfc(&name),
                dir,
                display_name: asset.display_name,
            });
        }
        Ok(RemoteInventory { assets, folders })
    }
}

/// A locale's listing as its alt text by asset id, each id typed as [`SiteInventory::placed`]
/// types the primary listing's (a malformed one is Webflow's fault:
/// [`Error::UnexpectedResponse`]), so the two are looked up alike. An asset listed without an
/// id or alt text is left out.
fn alt_texts(listed: Vec<Asset>) -> Result<HashMap<AssetId, String>, Error> {
    listed
        .into_iter()
        .filter_map(|asset| {
            let (id, text) = (asset.id?, asset.alt_text?);
            Some(crate::error::id_from_server(id).map(|id| (id, text)))
        })
        .collect()
}

/// Lists the site for a sync: every folder (one request) and the assets at or below
/// `target` (one request per 100), placed relative to it; a target not there yet is empty.
pub(crate) async fn inventory(
    client: &Client,
    site_id: &crate::SiteId,
    target: &FolderPath,
) -> Result<RemoteInventory, Error> {
    let site = SiteInventory::read(client, site_id, target, None, &[], Missing::Empty).await?;
    site.placed(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(id: &str, alt_text: Option<&str>) -> Asset {
        serde_json::from_value(serde_json::json!({ "id": id, "altText": alt_text })).unwrap()
    }

    /// A locale's listing that writes an id in another case than the primary listing still
    /// gives that asset its alt text, looked up by the primary listing's typed id.
    #[test]
    fn a_locale_s_alt_text_is_found_by_the_typed_id_whatever_its_case() {
        let primary: AssetId = crate::error::id_from_server("6500aa00bb11cc22dd33ee0f").unwrap();
        let listed = vec![
            asset("6500AA00BB11CC22DD33EE0F", Some("Une balle rouge")),
            asset("6500aa00bb11cc22dd33ee02", None),
        ];
        let texts = alt_texts(listed).unwrap();
        assert_eq!(
            texts.get(&primary).map(String::as_str),
            Some("Une balle rouge")
        );
        assert_eq!(texts.len(), 1, "an asset without alt text is left out");
        match alt_texts(vec![asset("not-an-id", Some("x"))]) {
            Err(Error::UnexpectedResponse { .. }) => {}
            other => panic!("a malformed id is Webflow's fault, got {other:?}"),
        }
    }
}
