//! A site's asset folders as paths: the one place a folder's path is worked out from the
//! parent links Webflow gives.

use std::collections::{BTreeMap, HashMap};

use webflow_assets_raw::types::AssetFolder;

use crate::ids::FolderId;
use crate::path::FolderPath;

/// A site's asset folders, each with its path from the root.
///
/// ```no_run
/// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
/// let tree = client.folder_tree(&"580e63e98c9a982ac9b8b741".parse()?).await?;
/// for (path, id) in tree.paths() {
///     println!("{id}  {path}");
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct FolderTree {
    by_id: HashMap<FolderId, FolderPath>,
    by_path: BTreeMap<FolderPath, FolderId>,
    folders: Vec<AssetFolder>,
}

impl FolderTree {
    /// The tree of these folders. A folder whose parent is missing from the list, or whose
    /// parent links loop, or whose id is not an id, has no path (a broken answer must not
    /// hang or mislead a sync); of two folders with the same path, the first listed is the
    /// one found by path.
    pub fn new(folders: Vec<AssetFolder>) -> Self {
        let links: HashMap<&str, (&str, Option<&str>)> = folders
            .iter()
            .filter_map(|f| {
                let id = f.id.as_deref()?;
                let name = f.display_name.as_deref().unwrap_or_default();
                Some((id, (name, f.parent_folder.as_deref())))
            })
            .collect();
        let mut tree = Self::default();
        'folders: for folder in &folders {
            let Some(id) = folder.id.as_deref() else {
                continue;
            };
            let Ok(typed) = id.parse::<FolderId>() else {
                continue;
            };
            let mut names = Vec::new();
            let mut current = Some(id);
            while let Some(at) = current {
                let Some((name, parent)) = links.get(at) else {
                    continue 'folders;
                };
                if names.len() > links.len() {
                    continue 'folders;
                }
                names.push(*name);
                current = *parent;
            }
            names.reverse();
            let path = names
                .iter()
                .fold(FolderPath::root(), |path, name| path.child(name));
            tree.by_path.entry(path.clone()).or_insert(typed.clone());
            tree.by_id.insert(typed, path);
        }
        tree.folders = folders;
        tree
    }

    /// The path of the folder with this id: a [`FolderId`], or the id a model gives as text
    /// (such as an asset's `parent_folder`), in any case, as a typed id is.
    pub fn path_of(&self, folder_id: &(impl AsRef<str> + ?Sized)) -> Option<&FolderPath> {
        let id = folder_id.as_ref();
        // A miss retries with the id as FolderId normalises it (lowercase).
        self.by_id
            .get(id)
            .or_else(|| self.by_id.get(&id.parse::<FolderId>().ok()?))
    }

    /// The id of the folder at this path (compared in NFC).
    pub fn id_of(&self, path: &FolderPath) -> Option<&FolderId> {
        self.by_path.get(path)
    }

    /// The ids of every folder at this path, in the order Webflow listed them: one, or
    /// several when folders share a path (which [`Self::id_of`] resolves to the first).
    pub fn ids_at(&self, path: &FolderPath) -> Vec<&FolderId> {
        self.folders
            .iter()
            .filter_map(|f| self.by_id.get_key_value(f.id.as_deref()?))
            .filter(|(_, at)| *at == path)
            .map(|(id, _)| id)
            .collect()
    }

    /// The id of the folder at this path, for an operation that reads it:
    /// [`Error::FolderNotFound`](crate::Error::FolderNotFound) when the site has none, as
    /// every such operation of this crate answers.
    ///
    /// ```
    /// use webflow_assets::{Error, FolderTree};
    ///
    /// let tree = FolderTree::new(Vec::new());
    /// let missing = tree.require_id(&"brand".parse()?).unwrap_err();
    /// assert!(matches!(missing, Error::FolderNotFound { .. }));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn require_id(&self, path: &FolderPath) -> Result<crate::FolderId, crate::Error> {
        match self.id_of(path) {
            Some(id) => Ok(id.clone()),
            None => Err(crate::Error::FolderNotFound {
                folder: path.clone(),
            }),
        }
    }

    /// The folder at this path.
    pub fn find(&self, path: &FolderPath) -> Option<&AssetFolder> {
        let id = self.id_of(path)?;
        self.folders
            .iter()
            .find(|f| f.id.as_deref() == Some(id.as_str()))
    }

    /// Every folder's path and id, sorted by path.
    pub fn paths(&self) -> impl Iterator<Item = (&FolderPath, &FolderId)> {
        self.by_path.iter()
    }

    /// The folders as Webflow listed them.
    pub fn folders(&self) -> &[AssetFolder] {
        &self.folders
    }

    /// Where something in folder `folder_id` (the root when `None`) lies relative to `base`:
    /// `None` when it is not at or below `base`.
    pub fn relative_to(&self, folder_id: Option<&str>, base: &FolderPath) -> Option<FolderPath> {
        let path = match folder_id {
            None => FolderPath::root(),
            Some(id) => self.path_of(id)?.clone(),
        };
        let mut segments = path.segments();
        for expected in base.segments() {
            if segments.next() != Some(expected) {
                return None;
            }
        }
        Some(segments.fold(FolderPath::root(), |p, name| p.child(name)))
    }

    /// Adds a folder just created, with the id its answer gave, under `parent`.
    pub(crate) fn insert(&mut self, parent: &FolderPath, id: FolderId, folder: AssetFolder) {
        let path = parent.child(folder.display_name.as_deref().unwrap_or_default());
        self.by_path.entry(path.clone()).or_insert(id.clone());
        self.by_id.insert(id, path);
        self.folders.push(folder);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: &str, name: &str, parent: Option<&str>) -> AssetFolder {
        let mut folder = AssetFolder::default();
        folder.id = Some(id.into());
        folder.display_name = Some(name.into());
        folder.parent_folder = parent.map(String::from);
        folder
    }

    #[test]
    fn paths_from_parent_links() {
        let tree = FolderTree::new(vec![
            folder(
                "cccccccccccccccccccccccc",
                "2026",
                Some("bbbbbbbbbbbbbbbbbbbbbbbb"),
            ),
            folder("aaaaaaaaaaaaaaaaaaaaaaaa", "brand", None),
            folder(
                "bbbbbbbbbbbbbbbbbbbbbbbb",
                "logos",
                Some("aaaaaaaaaaaaaaaaaaaaaaaa"),
            ),
            folder(
                "0000000000000000000000f1",
                "loop",
                Some("0000000000000000000000f2"),
            ),
            folder(
                "0000000000000000000000f2",
                "loop",
                Some("0000000000000000000000f1"),
            ),
            folder(
                "0000000000000000000000f3",
                "orphan",
                Some("0000000000000000000000f4"),
            ),
            folder("0000000000000000000000f5", "cafe\u{301}", None),
            folder("not-an-id", "unplaceable", None),
        ]);
        let path = |text: &str| FolderPath::parse(text).unwrap();
        assert_eq!(
            tree.path_of("cccccccccccccccccccccccc"),
            Some(&path("brand/logos/2026"))
        );
        // An id given as text in uppercase is the same folder, as a typed id is.
        assert_eq!(
            tree.path_of("CCCCCCCCCCCCCCCCCCCCCCCC"),
            Some(&path("brand/logos/2026"))
        );
        assert_eq!(
            tree.relative_to(Some("CCCCCCCCCCCCCCCCCCCCCCCC"), &path("brand")),
            Some(path("logos/2026"))
        );
        let id = |text: &str| text.parse::<FolderId>().unwrap();
        assert_eq!(
            tree.id_of(&path("brand/logos")),
            Some(&id("bbbbbbbbbbbbbbbbbbbbbbbb"))
        );
        assert_eq!(
            tree.id_of(&path("café")),
            Some(&id("0000000000000000000000f5")),
            "compared in NFC"
        );
        assert_eq!(tree.path_of("0000000000000000000000f1"), None);
        assert_eq!(tree.path_of("0000000000000000000000f3"), None);
        assert_eq!(
            tree.relative_to(Some("cccccccccccccccccccccccc"), &path("brand")),
            Some(path("logos/2026"))
        );
        assert_eq!(
            tree.relative_to(Some("aaaaaaaaaaaaaaaaaaaaaaaa"), &path("brand")),
            Some(FolderPath::root())
        );
        assert_eq!(
            tree.relative_to(Some("0000000000000000000000f5"), &path("brand")),
            None
        );
        assert_eq!(
            tree.relative_to(None, &FolderPath::root()),
            Some(FolderPath::root())
        );
        assert_eq!(tree.paths().count(), 4);
        let twin = FolderTree::new(vec![
            folder("aaaaaaaaaaaaaaaaaaaaaaaa", "brand", None),
            folder("bbbbbbbbbbbbbbbbbbbbbbbb", "brand", None),
        ]);
        let ids: Vec<&str> = twin
            .ids_at(&path("brand"))
            .iter()
            .map(|id| id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb"]
        );
        let typed: FolderId = "BBBBBBBBBBBBBBBBBBBBBBBB".parse().unwrap();
        assert_eq!(tree.id_of(&path("brand/logos")), Some(&typed));
        assert_eq!(tree.path_of(&typed), Some(&path("brand/logos")));
    }
}
