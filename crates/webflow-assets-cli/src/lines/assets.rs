//! An asset, a change to one, a folder.

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::LocaleId;
use webflow_assets::models::Asset;

/// An asset, as `ls` lists it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssetLine {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its size in bytes.
    pub size: i64,
    /// Where Webflow serves it.
    pub hosted_url: String,
    /// The folder it is in (`null` at the root).
    pub folder_id: Option<String>,
    /// Its alt text (in the locale asked for).
    pub alt_text: Option<String>,
}

impl From<&Asset> for AssetLine {
    fn from(asset: &Asset) -> Self {
        Self {
            id: asset.id.clone().unwrap_or_default(),
            name: asset.display_name.clone().unwrap_or_default(),
            size: asset.size.unwrap_or(0),
            hosted_url: asset.hosted_url.clone().unwrap_or_default(),
            folder_id: asset.folder_id.clone(),
            alt_text: asset.alt_text.clone(),
        }
    }
}

/// A change to one asset's field, as a dry run shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ChangeLine {
    /// The asset's id.
    pub asset_id: String,
    /// The field, by Webflow's name: `altText` or `displayName`.
    pub field: String,
    /// The locale, when not the primary one.
    pub locale: Option<LocaleId>,
    /// Its value now.
    pub from: Option<String>,
    /// The value it would get.
    pub to: String,
    /// Whether it would change (`false`: it has that value already).
    pub changed: bool,
}

/// A folder, as `folders` lists it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FolderLine {
    /// Its id.
    pub id: String,
    /// Its path from the site root.
    pub path: String,
}

impl FolderLine {
    /// Every folder of `tree` with its path, sorted by path; one whose parent cannot be found
    /// shows `?` for the part of its path that is unknown.
    pub fn all(tree: &webflow_assets::FolderTree) -> Vec<Self> {
        let mut lines: Vec<Self> = tree
            .folders()
            .iter()
            .filter_map(|folder| {
                let id = folder.id.clone()?;
                let path = match tree.path_of(&id) {
                    Some(path) => path.to_string(),
                    None => format!("?/{}", folder.display_name.as_deref().unwrap_or_default()),
                };
                Some(Self { id, path })
            })
            .collect();
        lines.sort_by(|a, b| (&a.path, &a.id).cmp(&(&b.path, &b.id)));
        lines
    }
}
