//! Finding or creating asset folders, one level or a whole path.

use tokio::sync::Mutex;
use webflow_assets_raw::types::{AssetFolder, CreateAssetFolderRequest};

use crate::api::folder_tree::FolderTree;
use crate::error::Error;
use crate::error::ErrorCode;
use crate::http::client::Client;
use crate::http::transport::api;
use crate::ids::{FolderId, SiteId};
use crate::path::FolderPath;
use crate::validate::{Rule, check_folder_name};

impl Client {
    /// The id of the folder named `name` under `parent` (the site root when `None`), created
    /// when it does not exist (the tutorial's `createAssetFolder`, made idempotent).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::{FolderId, SiteId};
    ///
    /// let site: SiteId = "580e63e98c9a982ac9b8b741".parse()?;
    /// let brand: FolderId = client.ensure_folder(&site, "brand", None).await?;
    /// let logos = client.ensure_folder(&site, "logos", Some(&brand)).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ensure_folder(
        &self,
        site_id: &SiteId,
        name: &str,
        parent: Option<&FolderId>,
    ) -> Result<FolderId, Error> {
        let name = check_folder_name(name)?;
        let mut tree = self.folder_tree(site_id).await?;
        let parent_path = match parent {
            None => FolderPath::root(),
            Some(id) => match tree.path_of(id.as_str()) {
                Some(path) => path.clone(),
                // A parent the listing does not place: Webflow's answer decides.
                None => {
                    let created = self.create_folder(site_id, name, parent).await?;
                    return created_id(&created);
                }
            },
        };
        self.find_or_create(site_id, &mut tree, &parent_path, name)
            .await
    }

    /// The id of the folder at a path like `brand/logos/2026`, creating the levels that are
    /// missing. Existing folders are reused by name (compared in Unicode NFC).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let path = "brand/logos/2026".parse()?;
    /// let id = client.ensure_folder_path(&"580e63e98c9a982ac9b8b741".parse()?, &path).await?;
    /// println!("{path} is {id}");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ensure_folder_path(
        &self,
        site_id: &SiteId,
        path: &FolderPath,
    ) -> Result<FolderId, Error> {
        FolderCache::new(self.clone(), site_id).ensure(path).await
    }

    /// The id of the folder at a path like `brand/logos`, if every level exists; nothing is
    /// created. (The folder itself, as Webflow lists it, is [`FolderTree::find`]'s.)
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let path = "brand/logos".parse()?;
    /// match client.find_folder_path(&"580e63e98c9a982ac9b8b741".parse()?, &path).await? {
    ///     Some(id) => println!("{path} is {id}"),
    ///     None => println!("no such folder"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_folder_path(
        &self,
        site_id: &SiteId,
        path: &FolderPath,
    ) -> Result<Option<FolderId>, Error> {
        Ok(self.folder_tree(site_id).await?.id_of(path).cloned())
    }

    /// Every asset folder of a site, with its path.
    pub async fn folder_tree(&self, site_id: &SiteId) -> Result<FolderTree, Error> {
        Ok(FolderTree::new(self.list_folders(site_id).await?))
    }

    /// Every asset folder of a site. Webflow lists them in one answer; one that says it holds
    /// fewer than its `pagination.total` is refused with [`Error::IncompleteListing`], since
    /// a folder missing from the list would be created a second time.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let folders = client.list_folders(&"580e63e98c9a982ac9b8b741".parse()?).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_folders(&self, site_id: &SiteId) -> Result<Vec<AssetFolder>, Error> {
        let list = api(self
            .raw()
            .list_asset_folders()
            .site_id(site_id.as_str())
            .send())
        .await?;
        let total = list.pagination.as_ref().and_then(|p| p.total).unwrap_or(0);
        let listed = list.asset_folders.len();
        if total > listed as i64 {
            return Err(Error::IncompleteListing {
                what: "asset folders",
                listed,
                total: total as u64,
            });
        }
        Ok(list.asset_folders)
    }

    /// One asset folder, with the ids of the assets directly in it.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let folder = client.get_folder(&"6500aa00bb11cc22dd33ee02".parse()?).await?;
    /// println!("{:?} holds {} assets", folder.display_name, folder.assets.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_folder(&self, folder_id: &FolderId) -> Result<AssetFolder, Error> {
        api(self
            .raw()
            .get_asset_folder()
            .asset_folder_id(folder_id.as_str())
            .send())
        .await
    }

    /// Creates a folder named `name` under `parent` (the site root when `None`). Webflow
    /// refuses a name its siblings already use; [`Self::ensure_folder`] reuses it instead.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let folder = client.create_folder(&"580e63e98c9a982ac9b8b741".parse()?, "press", None).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_folder(
        &self,
        site_id: &SiteId,
        name: &str,
        parent: Option<&FolderId>,
    ) -> Result<AssetFolder, Error> {
        let body: CreateAssetFolderRequest = crate::api::models::built(
            CreateAssetFolderRequest::builder()
                .display_name(check_folder_name(name)?.to_string())
                .parent_folder(parent.map(|id| id.as_str().to_string())),
        )?;
        api(self
            .raw()
            .create_asset_folder()
            .site_id(site_id.as_str())
            .body(body)
            .send())
        .await
    }

    /// The id of the folder named `name` under `parent`, created unless `tree` has it; a
    /// folder made by someone else since `tree` was listed is found by listing again.
    async fn find_or_create(
        &self,
        site_id: &SiteId,
        tree: &mut FolderTree,
        parent: &FolderPath,
        name: &str,
    ) -> Result<FolderId, Error> {
        let path = parent.child(name);
        if let Some(found) = tree.id_of(&path) {
            return Ok(found.clone());
        }
        let parent_id = match parent.is_root() {
            true => None,
            false => tree.id_of(parent).cloned(),
        };
        match self.create_folder(site_id, name, parent_id.as_ref()).await {
            Ok(folder) => {
                let id = created_id(&folder)?;
                tree.insert(parent, id.clone(), folder);
                Ok(id)
            }
            // Someone else created it since we listed: use theirs.
            Err(Error::Api {
                code: ErrorCode::Known(code),
                ..
            }) if code == webflow_assets_raw::types::KnownErrorCode::Conflict => {
                *tree = self.folder_tree(site_id).await?;
                tree.id_of(&path).cloned().ok_or_else(|| Error::Api {
                    file: None,
                    status: 400,
                    code: ErrorCode::Known(code),
                    message: format!("folder {path} conflicts but cannot be found"),
                    external_reference: None,
                    details: Vec::new(),
                })
            }
            Err(error) => Err(error),
        }
    }
}

/// The id of a folder Webflow just created, typed once, where its answer arrives: a folder
/// created without a usable id could not be uploaded into, so it is an unexpected response.
fn created_id(folder: &AssetFolder) -> Result<FolderId, Error> {
    match folder.id.as_deref() {
        Some(id) => crate::error::id_from_server(id),
        None => Err(Error::UnexpectedResponse {
            file: None,
            status: None,
            body: "Webflow created a folder but gave no id for it".into(),
        }),
    }
}

/// A site's folders, listed once (or handed over by a sync that listed them already) and
/// completed as paths are resolved, so that many files going to many folders cost at most
/// one listing plus one request per folder created.
#[derive(Debug)]
pub(crate) struct FolderCache {
    client: Client,
    site_id: SiteId,
    tree: Mutex<Option<FolderTree>>,
}

impl FolderCache {
    pub(crate) fn new(client: Client, site_id: &SiteId) -> Self {
        Self::with_tree(client, site_id, None)
    }

    /// A cache that starts from folders already listed.
    pub(crate) fn with_tree(client: Client, site_id: &SiteId, tree: Option<FolderTree>) -> Self {
        Self {
            client,
            site_id: site_id.clone(),
            tree: Mutex::new(tree),
        }
    }

    /// The id of the folder at `path`, creating missing levels.
    pub(crate) async fn ensure(&self, path: &FolderPath) -> Result<FolderId, Error> {
        let mut guard = self.tree.lock().await;
        if guard.is_none() {
            *guard = Some(self.client.folder_tree(&self.site_id).await?);
        }
        let tree = guard.as_mut().expect("listed above");
        let mut parent = FolderPath::root();
        let mut found = None;
        for name in path.segments() {
            let folder = self
                .client
                .find_or_create(&self.site_id, tree, &parent, name)
                .await?;
            parent = parent.child(name);
            found = Some(folder);
        }
        found.ok_or_else(|| {
            Rule::InvalidFolderName {
                name: String::new(),
            }
            .into()
        })
    }
}
