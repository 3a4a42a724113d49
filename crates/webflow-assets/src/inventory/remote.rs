//! The remote inventory: the site's folders and the assets under a sync's target folder, each
//! placed by its path relative to the target.

use crate::inventory::{RemoteAsset, RemoteInventory};
use crate::path::{FolderPath, RelPath};
use crate::{Client, Error};

/// Lists the site: every folder (one request) and the assets at or below `target` (one
/// request per 100). Assets whose folder cannot be placed (a broken parent link) are left
/// out, so nothing is ever deleted on the strength of a path guessed wrong.
pub(crate) async fn inventory(
    client: &Client,
    site_id: &crate::SiteId,
    target: &FolderPath,
) -> Result<RemoteInventory, Error> {
    let folders = client.folder_tree(site_id).await?;
    let base = match target.is_root() {
        true => None,
        false => match folders.id_of(target) {
            Some(id) => Some(id.clone()),
            // No target folder yet: nothing of the site is under it.
            None => {
                return Ok(RemoteInventory {
                    assets: Vec::new(),
                    folders,
                });
            }
        },
    };
    let listed = client.list_assets_in(site_id, base.as_ref(), None).await?;
    let mut assets = Vec::new();
    for asset in listed {
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
        let id = crate::ids::id_from_server(id)?;
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
