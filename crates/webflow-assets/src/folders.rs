//! Finding or creating asset folders, one level or a whole path.

use tokio::sync::Mutex;
use webflow_assets_raw::types::{AssetFolder, CreateAssetFolderRequest};

use crate::error::ErrorCode;
use crate::transport::api;
use crate::validate::{check_folder_name, check_id, folder_path_segments};
use crate::{Client, Error};

impl Client {
    /// The folder named `name` under `parent` (the site root when `None`), created when it
    /// does not exist (the tutorial's `createAssetFolder`, made idempotent).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let site = "580e63e98c9a982ac9b8b741";
    /// let brand = client.ensure_folder(site, "brand", None).await?;
    /// let logos = client.ensure_folder(site, "logos", brand.id.as_deref()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ensure_folder(
        &self,
        site_id: &str,
        name: &str,
        parent: Option<&str>,
    ) -> Result<AssetFolder, Error> {
        let name = check_new_folder(site_id, name, parent)?;
        let folders = self.list_folders(site_id).await?;
        self.find_or_create(site_id, &folders, name, parent).await
    }

    /// The folder at a path like `brand/logos/2026`, creating the levels that are missing.
    /// Existing folders are reused by name.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let folder = client.ensure_folder_path("580e63e98c9a982ac9b8b741", "brand/logos/2026").await?;
    /// println!("{:?}", folder.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ensure_folder_path(
        &self,
        site_id: &str,
        path: &str,
    ) -> Result<AssetFolder, Error> {
        check_id("site", site_id)?;
        FolderCache::new(self.clone(), site_id).ensure(path).await
    }

    /// The folder at a path like `brand/logos`, if every level exists; nothing is created.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// match client.find_folder_path("580e63e98c9a982ac9b8b741", "brand/logos").await? {
    ///     Some(folder) => println!("{:?}", folder.id),
    ///     None => println!("no such folder"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_folder_path(
        &self,
        site_id: &str,
        path: &str,
    ) -> Result<Option<AssetFolder>, Error> {
        check_id("site", site_id)?;
        let segments = folder_path_segments(path)?;
        let folders = self.list_folders(site_id).await?;
        let mut found: Option<&AssetFolder> = None;
        for name in segments {
            match child(&folders, name, found.and_then(|f| f.id.as_deref())) {
                Some(folder) => found = Some(folder),
                None => return Ok(None),
            }
        }
        Ok(found.cloned())
    }

    /// Every asset folder of a site.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let folders = client.list_folders("580e63e98c9a982ac9b8b741").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_folders(&self, site_id: &str) -> Result<Vec<AssetFolder>, Error> {
        check_id("site", site_id)?;
        let list = api(self.raw().list_asset_folders().site_id(site_id).send()).await?;
        Ok(list.asset_folders)
    }

    /// One asset folder, with the ids of the assets directly in it.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let folder = client.get_folder("6500aa00bb11cc22dd33ee02").await?;
    /// println!("{:?} holds {} assets", folder.display_name, folder.assets.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_folder(&self, folder_id: &str) -> Result<AssetFolder, Error> {
        check_id("folder", folder_id)?;
        api(self
            .raw()
            .get_asset_folder()
            .asset_folder_id(folder_id)
            .send())
        .await
    }

    /// Creates a folder named `name` under `parent` (the site root when `None`). Webflow
    /// refuses a name its siblings already use; [`Self::ensure_folder`] reuses it instead.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let folder = client.create_folder("580e63e98c9a982ac9b8b741", "press", None).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_folder(
        &self,
        site_id: &str,
        name: &str,
        parent: Option<&str>,
    ) -> Result<AssetFolder, Error> {
        let body = CreateAssetFolderRequest {
            display_name: check_new_folder(site_id, name, parent)?.to_string(),
            parent_folder: parent.map(String::from),
        };
        api(self
            .raw()
            .create_asset_folder()
            .site_id(site_id)
            .body(body)
            .send())
        .await
    }

    async fn find_or_create(
        &self,
        site_id: &str,
        folders: &[AssetFolder],
        name: &str,
        parent: Option<&str>,
    ) -> Result<AssetFolder, Error> {
        let find = |folders: &[AssetFolder]| child(folders, name, parent).cloned();
        if let Some(found) = find(folders) {
            return Ok(found);
        }
        let result = self.create_folder(site_id, name, parent).await;
        match result {
            // Someone else created it since we listed: use theirs.
            Err(Error::Api {
                code: ErrorCode::Known(code),
                ..
            }) if code == webflow_assets_raw::types::KnownErrorCode::Conflict => {
                find(&self.list_folders(site_id).await?).ok_or_else(|| Error::Api {
                    file: None,
                    status: 400,
                    code: ErrorCode::Known(code),
                    message: format!("folder {name:?} conflicts but cannot be found"),
                    external_reference: None,
                    details: Vec::new(),
                })
            }
            other => other,
        }
    }
}

/// A site's folders, listed once and completed as paths are resolved, so that many files
/// going to many folders cost one listing plus one request per folder created.
#[derive(Debug)]
pub(crate) struct FolderCache {
    client: Client,
    site_id: String,
    folders: Mutex<Option<Vec<AssetFolder>>>,
}

impl FolderCache {
    pub(crate) fn new(client: Client, site_id: &str) -> Self {
        Self {
            client,
            site_id: site_id.to_string(),
            folders: Mutex::new(None),
        }
    }

    /// The folder at `path`, creating missing levels.
    pub(crate) async fn ensure(&self, path: &str) -> Result<AssetFolder, Error> {
        let segments = folder_path_segments(path)?;
        let mut guard = self.folders.lock().await;
        if guard.is_none() {
            *guard = Some(self.client.list_folders(&self.site_id).await?);
        }
        let folders = guard.as_mut().expect("listed above");
        let mut parent: Option<AssetFolder> = None;
        for name in segments {
            let parent_id = parent.as_ref().and_then(|p| p.id.as_deref());
            let folder = self
                .client
                .find_or_create(&self.site_id, folders, name, parent_id)
                .await?;
            if !folders.iter().any(|f| f.id == folder.id) {
                folders.push(folder.clone());
            }
            parent = Some(folder);
        }
        Ok(parent.expect("a folder path has at least one segment"))
    }
}

/// Checks where a folder would be made and its name; returns the name trimmed.
fn check_new_folder<'a>(
    site_id: &str,
    name: &'a str,
    parent: Option<&str>,
) -> Result<&'a str, Error> {
    check_id("site", site_id)?;
    if let Some(parent) = parent {
        check_id("folder", parent)?;
    }
    Ok(check_folder_name(name)?)
}

/// The folder named `name` directly under `parent` (the root when `None`).
fn child<'a>(
    folders: &'a [AssetFolder],
    name: &str,
    parent: Option<&str>,
) -> Option<&'a AssetFolder> {
    folders
        .iter()
        .find(|f| f.display_name.as_deref() == Some(name) && f.parent_folder.as_deref() == parent)
}
