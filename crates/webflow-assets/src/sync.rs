//! Keeping a site's assets in step with a directory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures::StreamExt;

use crate::bulk::{BulkFile, BulkOptions, BulkRun, Outcome, SkipReason};
use crate::folders::FolderCache;
use crate::manifest::{self, Entry, Manifest};
use crate::run::{Publisher, spawn_run, upload_one};
use crate::validate::{check_file_name, check_id, check_size, folder_path_segments};
use crate::{Client, Error, UploadSource};

/// Settings for [`Client::sync_dir`].
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// The folder path the directory's tree goes under (default: the site root).
    pub folder: Option<String>,
    /// Where the manifest is kept (default: `.webflow-assets-manifest.json` in the directory).
    pub manifest: Option<PathBuf>,
    /// Only report what would be uploaded: no request that changes anything, no manifest
    /// written.
    pub dry_run: bool,
    /// Concurrency and confirmation, as for [`Client::upload_many`].
    pub bulk: BulkOptions,
}

/// How often the manifest is rewritten while files complete (and once more at the end).
const SAVE_EVERY: Duration = Duration::from_millis(500);

/// A file found in the directory.
struct Found {
    relative: String,
    path: PathBuf,
    size: u64,
    modified_ns: u64,
}

/// What the walk found: files to consider, and entries left alone with a reason.
struct Walk {
    files: Vec<Found>,
    skipped: Vec<(String, SkipReason)>,
}

/// Hidden entries (a name starting with `.`) are skipped, and hidden directories are not
/// entered; symbolic links are skipped, never followed (a link could leave the tree or loop).
/// Each is reported once, so nothing in the directory goes unaccounted for.
fn walk(dir: &Path, manifest_path: &Path) -> Result<Walk, Error> {
    let mut walk = Walk {
        files: Vec::new(),
        skipped: Vec::new(),
    };
    let mut entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::Io {
                path,
                source: e.into(),
            }
        })?;
        if entry.depth() == 0 || entry.path() == manifest_path {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .expect("walked below dir")
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let file_type = entry.file_type();
        if entry.file_name().to_string_lossy().starts_with('.') {
            if file_type.is_dir() {
                entries.skip_current_dir();
            }
            walk.skipped.push((relative, SkipReason::Hidden));
        } else if file_type.is_symlink() {
            walk.skipped.push((relative, SkipReason::Symlink));
        } else if file_type.is_file() {
            let metadata = entry.metadata().map_err(|e| Error::Io {
                path: entry.path().to_path_buf(),
                source: e.into(),
            })?;
            walk.files.push(Found {
                relative,
                path: entry.path().to_path_buf(),
                size: metadata.len(),
                modified_ns: manifest::modified_ns(&metadata),
            });
        }
    }
    Ok(walk)
}

impl Client {
    /// Mirrors a directory onto a site: its subdirectories become asset folders (existing ones
    /// reused by name), files new or changed since the last sync are uploaded, and the rest
    /// are skipped. A manifest (path, size, modification time, MD5, asset id), rewritten
    /// atomically as files complete, makes a second run upload nothing and hash only files
    /// whose size or time changed, and lets an interrupted run resume. Files the SDK refuses
    /// are reported and skipped; hidden files and symbolic links are skipped and reported.
    /// Assets of files changed or deleted locally stay on the site.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::sync::SyncOptions;
    ///
    /// let options = SyncOptions { folder: Some("design".into()), ..Default::default() };
    /// let run = client.sync_dir("580e63e98c9a982ac9b8b741", "./exports", options).await?;
    /// let report = run.finish().await;
    /// println!("{} uploaded, {} unchanged or skipped", report.uploaded.len(), report.skipped.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sync_dir(
        &self,
        site_id: &str,
        dir: impl AsRef<Path>,
        options: SyncOptions,
    ) -> Result<BulkRun, Error> {
        check_id("site", site_id)?;
        if let Some(folder) = &options.folder {
            folder_path_segments(folder)?;
        }
        let dir = dir.as_ref().to_path_buf();
        let manifest_path = options
            .manifest
            .clone()
            .unwrap_or_else(|| manifest::default_path(&dir));
        let manifest = Manifest::load(&manifest_path, site_id, options.folder.as_deref())?;
        let walked = {
            let (walk_dir, manifest_path) = (dir.clone(), manifest_path.clone());
            tokio::task::spawn_blocking(move || walk(&walk_dir, &manifest_path))
                .await
                .map_err(|e| Error::Io {
                    path: dir.clone(),
                    source: std::io::Error::other(e),
                })??
        };
        let client = self.clone();
        let site_id = site_id.to_string();
        Ok(spawn_run(move |publisher| {
            drive(
                client,
                site_id,
                options,
                manifest,
                manifest_path,
                walked,
                publisher,
            )
        }))
    }
}

/// The run: report what the walk left alone, sort the files into unchanged, refused and to
/// upload, then upload, recording each success in the manifest.
async fn drive(
    client: Client,
    site_id: String,
    options: SyncOptions,
    mut manifest: Manifest,
    manifest_path: PathBuf,
    walked: Walk,
    publisher: Publisher,
) {
    let Walk { files, skipped } = walked;
    publisher.plan(
        files.len() + skipped.len(),
        files.iter().map(|f| f.size).sum(),
    );
    for (relative, reason) in skipped {
        publisher.skip(relative, 0, reason).await;
    }
    // Files whose size and time match the manifest are unchanged without reading them; the
    // rest are hashed only if the manifest knows them (a new file is hashed once, by its
    // upload).
    let mut candidates = Vec::new();
    let mut to_hash = Vec::new();
    for file in files {
        let name = file.relative.rsplit('/').next().unwrap_or_default();
        let refused = check_file_name(name)
            .and_then(|(kind, _)| check_size(kind, file.size, client.limits()));
        match (refused, manifest.files.get(&file.relative)) {
            (Err(rule), _) => {
                publisher
                    .skip(file.relative, file.size, SkipReason::Refused { rule })
                    .await
            }
            (Ok(()), Some(known))
                if known.size == file.size && known.modified_ns == file.modified_ns =>
            {
                publisher
                    .skip(file.relative, file.size, SkipReason::Unchanged)
                    .await
            }
            (Ok(()), Some(_)) => to_hash.push(file),
            (Ok(()), None) => candidates.push(file),
        }
    }
    candidates.extend(rehash(&mut manifest, to_hash, &publisher).await);

    if options.dry_run {
        for file in candidates {
            publisher
                .skip(file.relative, file.size, SkipReason::DryRun)
                .await;
        }
        return;
    }
    let folders = FolderCache::new(client.clone(), &site_id);
    let uploads = candidates.into_iter().map(|file| {
        let mut bulk = BulkFile::from_source(
            file.relative.clone(),
            UploadSource::path(&file.path),
            file.size,
        );
        if let Some(folder) = folder_for(options.folder.as_deref(), &file.relative) {
            bulk = bulk.folder_path(folder);
        }
        let upload = upload_one(
            &client,
            &site_id,
            &folders,
            &options.bulk,
            &publisher.cancel,
            bulk,
        );
        async move { (upload.await, file) }
    });
    let mut uploads =
        futures::stream::iter(uploads).buffer_unordered(options.bulk.concurrency.max(1));
    let mut last_save = Instant::now();
    while let Some(((label, size, outcome), file)) = uploads.next().await {
        if let Outcome::Uploaded(asset) = &outcome {
            let entry = Entry {
                size: file.size,
                modified_ns: file.modified_ns,
                md5: asset.md5.clone(),
                asset_id: asset.id.clone(),
            };
            manifest.files.insert(file.relative, entry);
            if last_save.elapsed() >= SAVE_EVERY {
                save_or_warn(&manifest, &manifest_path);
                last_save = Instant::now();
            }
        }
        publisher.publish(label, size, outcome).await;
    }
    save_or_warn(&manifest, &manifest_path);
}

/// Hashes files whose size or time changed since the manifest: those whose content did not
/// change get their new time recorded and are skipped; the others are returned to upload.
async fn rehash(manifest: &mut Manifest, files: Vec<Found>, publisher: &Publisher) -> Vec<Found> {
    let hashes = crate::hash::md5_files(files.iter().map(|f| f.path.clone()).collect()).await;
    publisher.hashed(files.len());
    let mut changed = Vec::new();
    for (file, hash) in files.into_iter().zip(hashes) {
        match (hash, manifest.files.get_mut(&file.relative)) {
            (Ok(md5), Some(known)) if md5 == known.md5 => {
                known.modified_ns = file.modified_ns;
                publisher
                    .skip(file.relative, file.size, SkipReason::Unchanged)
                    .await;
            }
            _ => changed.push(file),
        }
    }
    changed
}

/// A manifest that cannot be written costs re-uploads next time, not this run's results.
fn save_or_warn(manifest: &Manifest, path: &Path) {
    if let Err(error) = manifest.save(path) {
        tracing::warn!(%error, "could not save the sync manifest");
    }
}

/// The folder path for a file: the base folder, then the file's directories.
fn folder_for(base: Option<&str>, relative: &str) -> Option<String> {
    let dirs = relative.rsplit_once('/').map(|(dirs, _)| dirs);
    match (base.map(|b| b.trim_matches('/')), dirs) {
        (None, None) => None,
        (Some(base), None) => Some(base.to_string()),
        (None, Some(dirs)) => Some(dirs.to_string()),
        (Some(base), Some(dirs)) => Some(format!("{base}/{dirs}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_mirror_the_tree_under_the_base() {
        assert_eq!(folder_for(None, "a.png"), None);
        assert_eq!(
            folder_for(Some("/design/"), "a.png").as_deref(),
            Some("design")
        );
        assert_eq!(folder_for(None, "x/y/a.png").as_deref(), Some("x/y"));
        assert_eq!(
            folder_for(Some("design"), "x/a.png").as_deref(),
            Some("design/x")
        );
    }
}
