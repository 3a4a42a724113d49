//! The fake's in-memory Webflow: sites, assets and folders.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use md5::{Digest, Md5};
use serde_json::{Value, json};

/// An asset as Webflow keeps it.
#[derive(Debug, Clone)]
pub struct AssetRecord {
    /// The asset's id.
    pub id: String,
    /// The site it belongs to.
    pub site_id: String,
    /// The `fileName` it was created with.
    pub file_name: String,
    /// The name shown in the Assets panel.
    pub display_name: String,
    /// Alt text in the primary locale, when set.
    pub alt_text: Option<String>,
    /// Alt text set for other locales, by locale id (displayName is not localizable).
    pub localized_alt_text: std::collections::BTreeMap<String, String>,
    /// The `fileHash` the client declared.
    pub declared_hash: String,
    /// The folder it was created in.
    pub parent_folder: Option<String>,
    /// MIME type from the file name.
    pub content_type: String,
    /// The S3 object key the upload must use.
    pub key: String,
    /// Creation time.
    pub created_on: DateTime<Utc>,
    /// Last metadata change.
    pub last_updated: DateTime<Utc>,
    /// What S3 holds for it, once the upload arrived.
    pub stored: Option<StoredObject>,
}

/// The uploaded bytes as S3 stored them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    /// Size in bytes.
    pub size: u64,
    /// MD5 of the stored bytes, lowercase hex.
    pub md5: String,
    /// Whether that MD5 equals the `fileHash` declared at creation.
    pub md5_matches: bool,
}

/// A folder as Webflow keeps it.
#[derive(Debug, Clone)]
pub struct FolderRecord {
    /// The folder's id.
    pub id: String,
    /// The site it belongs to.
    pub site_id: String,
    /// Its name, unique among its siblings.
    pub display_name: String,
    /// Its parent, `None` at the root.
    pub parent_folder: Option<String>,
    /// Creation time.
    pub created_on: DateTime<Utc>,
    /// Last change.
    pub last_updated: DateTime<Utc>,
}

#[derive(Debug, Default)]
struct Store {
    sites: BTreeSet<String>,
    /// Short and display names given with [`State::name_site`].
    site_names: BTreeMap<String, (String, String)>,
    assets: Vec<AssetRecord>,
    folders: Vec<FolderRecord>,
    next_id: u64,
}

/// The shared state, with where S3 keeps the uploaded objects.
#[derive(Debug)]
pub struct State {
    store: Mutex<Store>,
    id_prefix: u32,
    objects: PathBuf,
}

/// Webflow's timestamp format: UTC with milliseconds.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

impl State {
    /// State whose uploaded objects live under `objects` (the bucket's directory).
    pub(crate) fn new(objects: PathBuf) -> Self {
        // Ids differ between runs (like ObjectIds) but stay 24 lowercase hex characters.
        let id_prefix = Utc::now().timestamp() as u32;
        Self {
            store: Mutex::new(Store::default()),
            id_prefix,
            objects,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().expect("fake state")
    }

    /// A fresh 24-character hex id.
    pub fn new_id(&self) -> String {
        let mut store = self.lock();
        store.next_id += 1;
        format!("{:08x}{:016x}", self.id_prefix, store.next_id)
    }

    /// Adds a site and returns its id.
    pub fn add_site(&self) -> String {
        let id = self.new_id();
        self.lock().sites.insert(id.clone());
        id
    }

    /// Adds a site with a given id.
    pub fn add_site_with_id(&self, id: &str) {
        self.lock().sites.insert(id.to_string());
    }

    /// Gives a site a short name (its `*.webflow.io` subdomain) and a display name, which
    /// need not be unique: Webflow lets two sites share a display name. Unnamed sites are
    /// called `fake-site-XXXXXX` and `Fake site XXXXXX` after their id's end.
    pub fn name_site(&self, id: &str, short_name: &str, display_name: &str) {
        self.lock().site_names.insert(
            id.to_string(),
            (short_name.to_string(), display_name.to_string()),
        );
    }

    /// A site's short name and display name.
    pub fn site_names(&self, id: &str) -> (String, String) {
        if let Some(names) = self.lock().site_names.get(id) {
            return names.clone();
        }
        let end = &id[id.len().saturating_sub(6)..];
        (format!("fake-site-{end}"), format!("Fake site {end}"))
    }

    /// Every site's id, in order.
    pub fn site_ids(&self) -> Vec<String> {
        self.lock().sites.iter().cloned().collect()
    }

    /// Whether a site exists.
    pub fn has_site(&self, id: &str) -> bool {
        self.lock().sites.contains(id)
    }

    pub(crate) fn insert_asset(&self, record: AssetRecord) {
        self.lock().assets.push(record);
    }

    pub(crate) fn insert_folder(&self, record: FolderRecord) {
        self.lock().folders.push(record);
    }

    /// Every folder, in creation order.
    pub fn folders(&self) -> Vec<FolderRecord> {
        self.lock().folders.clone()
    }

    /// One folder.
    pub fn folder(&self, id: &str) -> Option<FolderRecord> {
        self.lock().folders.iter().find(|f| f.id == id).cloned()
    }

    /// Every asset created, uploaded or not, in creation order, with what S3 holds for each.
    pub fn assets(&self) -> Vec<AssetRecord> {
        self.refresh_stored(|_| true);
        self.lock().assets.clone()
    }

    /// One asset, uploaded or not. Only its own object is looked at, so a lookup costs the
    /// same however many assets the fake holds.
    pub fn asset(&self, id: &str) -> Option<AssetRecord> {
        self.one_asset(|a| a.id == id)
    }

    /// The asset stored under an S3 object key, uploaded or not.
    pub fn asset_by_key(&self, key: &str) -> Option<AssetRecord> {
        self.one_asset(|a| a.key == key)
    }

    fn one_asset(&self, which: impl Fn(&AssetRecord) -> bool) -> Option<AssetRecord> {
        self.refresh_stored(&which);
        self.lock().assets.iter().find(|a| which(a)).cloned()
    }

    /// Assets whose bytes S3 holds: the ones Webflow lists.
    pub fn uploaded_assets(&self) -> Vec<AssetRecord> {
        self.assets()
            .into_iter()
            .filter(|a| a.stored.is_some())
            .collect()
    }

    pub(crate) fn update_asset(&self, id: &str, f: impl FnOnce(&mut AssetRecord)) {
        if let Some(asset) = self.lock().assets.iter_mut().find(|a| a.id == id) {
            f(asset);
        }
    }

    pub(crate) fn remove_asset(&self, id: &str) -> Option<AssetRecord> {
        let mut store = self.lock();
        let index = store.assets.iter().position(|a| a.id == id)?;
        let record = store.assets.remove(index);
        drop(store);
        let _ = std::fs::remove_file(self.objects.join(&record.key));
        Some(record)
    }

    /// The bytes S3 holds for an object key.
    pub fn object_bytes(&self, key: &str) -> Option<Vec<u8>> {
        if key.split('/').any(|part| part == ".." || part.is_empty()) {
            return None;
        }
        std::fs::read(self.objects.join(key)).ok()
    }

    /// The ids of `folder` and of every folder below it.
    pub fn folder_and_descendants(&self, folder: &str) -> BTreeSet<String> {
        let folders = self.folders();
        let mut found: BTreeSet<String> = [folder.to_string()].into();
        loop {
            let before = found.len();
            for f in &folders {
                if f.parent_folder.as_ref().is_some_and(|p| found.contains(p)) {
                    found.insert(f.id.clone());
                }
            }
            if found.len() == before {
                return found;
            }
        }
    }

    /// Looks at S3 for the objects of the chosen assets not seen before (or changed since),
    /// recording size and MD5.
    fn refresh_stored(&self, which: impl Fn(&AssetRecord) -> bool) {
        let pending: Vec<(String, String, String, Option<u64>)> = self
            .lock()
            .assets
            .iter()
            .filter(|a| which(a))
            .map(|a| {
                (
                    a.id.clone(),
                    a.key.clone(),
                    a.declared_hash.clone(),
                    a.stored.as_ref().map(|s| s.size),
                )
            })
            .collect();
        for (id, key, declared, known_size) in pending {
            let path = self.objects.join(&key);
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if known_size == Some(meta.len()) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let md5 = crate::policy::hex(&Md5::digest(&bytes));
            let stored = StoredObject {
                size: bytes.len() as u64,
                md5_matches: md5 == declared,
                md5,
            };
            self.update_asset(&id, |a| a.stored = Some(stored));
        }
    }
}

/// URLs the JSON bodies point at.
#[derive(Debug, Clone)]
pub struct Urls {
    /// Origin of the Webflow server, e.g. `http://127.0.0.1:4000`.
    pub webflow_origin: String,
    /// Origin of the S3 server.
    pub s3_origin: String,
    /// The bucket name.
    pub bucket: String,
}

impl Urls {
    /// Where an object's bytes are served publicly.
    pub fn hosted(&self, key: &str) -> String {
        format!("{}/cdn/{}", self.webflow_origin, encode_key(key))
    }

    /// The S3 link to an object.
    pub fn s3_object(&self, key: &str) -> String {
        format!("{}/{}/{}", self.s3_origin, self.bucket, encode_key(key))
    }

    /// Where upload forms are posted.
    pub fn upload(&self) -> String {
        format!("{}/{}", self.s3_origin, self.bucket)
    }
}

/// What a path segment must escape (RFC 3986 leaves `-._~` and sub-delimiters alone).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

fn encode_key(key: &str) -> String {
    key.split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

impl AssetRecord {
    /// The asset as `GET /assets/{id}` shows it in `locale` (the primary one when `None`; a
    /// locale with no alt text of its own shows the primary's); `with_folder` adds `folderId`
    /// as list responses do.
    pub fn to_json(&self, urls: &Urls, with_folder: bool, locale: Option<&str>) -> Value {
        let alt_text = locale
            .and_then(|l| self.localized_alt_text.get(l))
            .or(self.alt_text.as_ref());
        let mut body = json!({
            "id": self.id,
            "contentType": self.content_type,
            "size": self.stored.as_ref().map_or(0, |s| s.size),
            "siteId": self.site_id,
            "hostedUrl": urls.hosted(&self.key),
            "originalFileName": self.file_name,
            "displayName": self.display_name,
            "lastUpdated": timestamp(self.last_updated),
            "createdOn": timestamp(self.created_on),
            "variants": [],
            "altText": alt_text,
        });
        if with_folder {
            body["folderId"] = json!(self.parent_folder);
        }
        body
    }
}

impl FolderRecord {
    /// The folder as Webflow shows it, with the ids of the uploaded assets directly in it.
    pub fn to_json(&self, assets: &[AssetRecord]) -> Value {
        let ids: Vec<&str> = assets
            .iter()
            .filter(|a| a.parent_folder.as_deref() == Some(self.id.as_str()))
            .map(|a| a.id.as_str())
            .collect();
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "parentFolder": self.parent_folder,
            "assets": ids,
            "siteId": self.site_id,
            "createdOn": timestamp(self.created_on),
            "lastUpdated": timestamp(self.last_updated),
        })
    }
}
