//! Putting assets and sites straight into the fake, for what the API would never create: any
//! name (a path, `..`, control characters, a Windows device name, two of one name in a
//! folder) with any bytes, and a second site that answers to its own token.

use chrono::Utc;
use md5::{Digest, Md5};

use crate::FakeHandle;
use crate::state::{AssetRecord, FolderRecord};

impl FakeHandle {
    /// Stores `bytes` as an uploaded asset named `file_name` (kept exactly as given) in a
    /// folder of a site, as if it had been uploaded; returns its id. Its hosted URL serves
    /// the bytes like any other.
    pub fn seed_asset(
        &self,
        site_id: &str,
        folder_id: Option<&str>,
        file_name: &str,
        bytes: &[u8],
    ) -> std::io::Result<String> {
        let state = self.state();
        let id = state.new_id();
        // The key carries no part of the name, so no name can reach outside the bucket.
        let key = format!("{site_id}/{id}");
        let path = self.storage_dir().join(&self.app.urls.bucket).join(&key);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        let content_type =
            crate::kinds::classify(file_name).map_or("application/octet-stream", |(_, mime)| mime);
        let now = Utc::now();
        state.insert_asset(AssetRecord {
            id: id.clone(),
            site_id: site_id.to_string(),
            file_name: file_name.to_string(),
            display_name: file_name.to_string(),
            alt_text: None,
            localized_alt_text: Default::default(),
            declared_hash: crate::policy::hex(&Md5::digest(bytes)),
            parent_folder: folder_id.map(String::from),
            content_type: content_type.to_string(),
            key,
            created_on: now,
            last_updated: now,
            stored: None,
        });
        Ok(id)
    }

    /// Adds a folder named `name` (kept exactly as given) to a site; returns its id.
    pub fn seed_folder(&self, site_id: &str, parent: Option<&str>, name: &str) -> String {
        let state = self.state();
        let id = state.new_id();
        let now = Utc::now();
        state.insert_folder(FolderRecord {
            id: id.clone(),
            site_id: site_id.to_string(),
            display_name: name.to_string(),
            parent_folder: parent.map(String::from),
            created_on: now,
            last_updated: now,
        });
        id
    }

    /// Adds a site that answers to a token of its own, as a site of another account would:
    /// the new token reaches this site only, the main token does not reach it, and each
    /// token has its own rate budget; each token lists (`GET /sites`) and introspects to the
    /// sites it reaches. Returns the site's id and its token.
    pub fn add_site_with_token(&self) -> (String, String) {
        let site = self.state().add_site();
        let token = format!("wf-fake-{}", crate::policy::hex(&crate::rand_bytes()));
        self.app.tokens.add(token.clone(), site.clone());
        (site, token)
    }
}
