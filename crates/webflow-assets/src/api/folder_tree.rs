//! A site's asset folders as paths: the one place a folder's path is worked out from the
//! parent links Webflow gives.

use std::collections::{BTreeMap, HashMap};

use webflow_assets_raw::types::AssetFolder;

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
    by_id: HashMap<String, FolderPath>,
    by_path: BTreeMap<FolderPath, String>,
    folders: Vec<AssetFolder>,
}

impl FolderTree {
    /// The tree of these folders. A folder whose parent is missing from the list, or whose
    /// parent links loop, has no path (a broken answer must not hang or mislead a sync); of
    /// two folders with the same path, the first listed is the one found by path.
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
            tree.by_path.entry(path.clone()).or_insert(id.to_string());
            tree.by_id.insert(id.to_string(), path);
        }
        tree.folders = folders;
        tree
    }

    /// The path of the folder with this id.
    pub fn path_of(&self, folder_id: &str) -> Option<&FolderPath> {
        self.by_id.get(folder_id)
    }

    /// The id of the folder at this path (compared in NFC).
    pub fn id_of(&self, path: &FolderPath) -> Option<&str> {
        self.by_path.get(path).map(String::as_str)
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
            Some(id) => crate::ids::id_from_server(id),
            None => Err(crate::Error::FolderNotFound {
                folder: path.clone(),
            }),
        }
    }

    /// The folder at this path.
    pub fn find(&self, path: &FolderPath) -> Option<&AssetFolder> {
        let id = self.id_of(path)?;
        self.folders.iter().find(|f| f.id.as_deref() == Some(id))
    }

    /// Every folder's path and id, sorted by path.
    pub fn paths(&self) -> impl Iterator<Item = (&FolderPath, &str)> {
        self.by_path.iter().map(|(path, id)| (path, id.as_str()))
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

    /// Adds a folder just created, under `parent` (the root when `None`).
    pub(crate) fn insert(&mut self, parent: &FolderPath, folder: AssetFolder) -> FolderPath {
        let path = parent.child(folder.display_name.as_deref().unwrap_or_default());
        if let Some(id) = folder.id.clone() {
            self.by_path.entry(path.clone()).or_insert(id.clone());
            self.by_id.insert(id, path.clone());
        }
        self.folders.push(folder);
        path
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
            folder("c", "2026", Some("b")),
            folder("a", "brand", None),
            folder("b", "logos", Some("a")),
            folder("x", "loop", Some("y")),
            folder("y", "loop", Some("x")),
            folder("o", "orphan", Some("gone")),
            folder("n", "cafe\u{301}", None),
        ]);
        let path = |text: &str| FolderPath::parse(text).unwrap();
        assert_eq!(tree.path_of("c"), Some(&path("brand/logos/2026")));
        assert_eq!(tree.id_of(&path("brand/logos")), Some("b"));
        assert_eq!(tree.id_of(&path("café")), Some("n"), "compared in NFC");
        assert_eq!(tree.path_of("x"), None);
        assert_eq!(tree.path_of("o"), None);
        assert_eq!(
            tree.relative_to(Some("c"), &path("brand")),
            Some(path("logos/2026"))
        );
        assert_eq!(
            tree.relative_to(Some("a"), &path("brand")),
            Some(FolderPath::root())
        );
        assert_eq!(tree.relative_to(Some("n"), &path("brand")), None);
        assert_eq!(
            tree.relative_to(None, &FolderPath::root()),
            Some(FolderPath::root())
        );
        assert_eq!(tree.paths().count(), 4);
    }
}
