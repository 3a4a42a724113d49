//! The manifest's journal: while a sync runs, each upload started and finished is appended
//! as one JSON line beside the manifest, and the manifest is rewritten once at the end.
//!
//! Every write happens on one thread of its own, off the async workers. A start is written
//! before its asset is created, and the create waits for it, so a run killed at any instant
//! leaves a note for the next run. The lines are not fsynced one by one: what a killed process
//! wrote survives it, and a power cut that loses the last lines costs hashing, never a
//! duplicate, because every plan reads the site first. The rewrite at the end is atomic and
//! fsynced.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

use crate::error::Error;
use crate::ids::SiteId;
use crate::inventory::manifest::{Entry, Manifest, Pending, same_folder};
use crate::path::{FolderPath, RelPath};

/// Where the journal of the manifest at `manifest` goes.
pub(crate) fn path_for(manifest: &Path) -> PathBuf {
    // The manifest's module names the path, for users who guard it; the journal sits below it.
    crate::inventory::manifest::journal_path(manifest)
}

/// One line of the journal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    /// The first line: whose journal this is.
    Journal {
        site_id: SiteId,
        folder: Option<FolderPath>,
    },
    /// An upload is about to create its asset.
    Pending { path: RelPath, pending: Pending },
    /// An upload finished.
    Done { path: RelPath, entry: Entry },
    /// An unchanged file's asset got this alt text.
    AltText { path: RelPath, alt_text: String },
}

impl Line {
    fn apply(self, manifest: &mut Manifest) {
        match self {
            Line::Journal { .. } => {}
            Line::Pending { path, pending } => {
                manifest.pending.insert(path, pending);
            }
            Line::Done { path, entry } => {
                manifest.pending.remove(&path);
                manifest.files.insert(path, entry);
            }
            Line::AltText { path, alt_text } => {
                if let Some(entry) = manifest.files.get_mut(&path) {
                    entry.alt_text = Some(alt_text);
                }
            }
        }
    }
}

/// The manifest at `path` for this site and folder (see [`Manifest::load`]), with whatever
/// the journal beside it records.
pub(crate) fn load(
    path: &Path,
    site_id: &SiteId,
    folder: Option<&FolderPath>,
) -> Result<Manifest, Error> {
    let mut manifest = Manifest::load(path, site_id, folder)?;
    replay(&path_for(path), &mut manifest);
    Ok(manifest)
}

/// Applies the journal at `path`, if there is one for this manifest's site and folder. A line
/// that does not read (the last one, cut short by a kill) is passed over.
fn replay(path: &Path, manifest: &mut Manifest) {
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    let mut lines = std::io::BufReader::new(file).lines();
    let header = lines
        .next()
        .and_then(Result::ok)
        .and_then(|line| serde_json::from_str::<Line>(&line).ok());
    match header {
        Some(Line::Journal { site_id, folder })
            if site_id == manifest.site_id
                && same_folder(folder.as_ref(), manifest.folder.as_ref()) => {}
        _ => return,
    }
    for line in lines.map_while(Result::ok) {
        if let Ok(line) = serde_json::from_str::<Line>(&line) {
            line.apply(manifest);
        }
    }
}

enum Command {
    Write(Line, Option<oneshot::Sender<()>>),
}

/// A running journal. Once it and all its clones are dropped (or [`Journal::finish`] is
/// called on the original), the manifest is rewritten and the journal removed.
pub(crate) struct Journal {
    commands: Option<mpsc::UnboundedSender<Command>>,
    /// Only the original waits for the end.
    finished: Option<oneshot::Receiver<()>>,
}

impl Clone for Journal {
    fn clone(&self) -> Self {
        Self {
            commands: self.commands.clone(),
            finished: None,
        }
    }
}

impl Journal {
    /// Writes `manifest` to `path` (folding in whatever an earlier run journaled) and starts a
    /// new journal beside it.
    pub(crate) fn start(path: PathBuf, manifest: Manifest) -> Self {
        let (commands, mut receiver) = mpsc::unbounded_channel();
        let (done, finished) = oneshot::channel();
        std::thread::spawn(move || {
            let mut writer = Writer::open(path, manifest);
            while let Some(Command::Write(line, written)) = receiver.blocking_recv() {
                writer.write(line);
                // Lines already queued go out in the same write; the queue running dry, or an
                // upload waiting for its note, is when the file must have them.
                if written.is_some() || receiver.is_empty() {
                    writer.flush();
                }
                if let Some(written) = written {
                    let _ = written.send(());
                }
            }
            writer.compact();
            let _ = done.send(());
        });
        Self {
            commands: Some(commands),
            finished: Some(finished),
        }
    }

    /// Notes that `path` is about to be created on the site; returns once it is written.
    pub(crate) async fn pending(&self, path: RelPath, pending: Pending) {
        let (written, wait) = oneshot::channel();
        if self.send(Line::Pending { path, pending }, Some(written)) {
            let _ = wait.await;
        }
    }

    /// Notes that `path` is on the site as `entry`.
    pub(crate) fn done(&self, path: RelPath, entry: Entry) {
        self.send(Line::Done { path, entry }, None);
    }

    /// Notes that `path`'s asset has this alt text.
    pub(crate) fn alt_text(&self, path: RelPath, alt_text: String) {
        self.send(Line::AltText { path, alt_text }, None);
    }

    fn send(&self, line: Line, written: Option<oneshot::Sender<()>>) -> bool {
        self.commands
            .as_ref()
            .is_some_and(|c| c.send(Command::Write(line, written)).is_ok())
    }

    /// Rewrites the manifest with everything journaled, removes the journal, and waits for
    /// both.
    pub(crate) async fn finish(mut self) {
        self.commands.take();
        if let Some(finished) = self.finished.take() {
            let _ = finished.await;
        }
    }
}

/// The journal's own thread: the manifest as it stands, and the open journal file.
struct Writer {
    manifest: Manifest,
    path: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

/// Creates (or truncates) the journal at `path`. A link in its place is refused, not
/// followed: a link planted beside the manifest would otherwise have each run write (and
/// truncate) whatever file it points at.
fn create_journal(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(std::io::Error::other(format!(
                "{} is a link; the journal is not written through it",
                path.display()
            )));
        }
    }
    options.open(path)
}

impl Writer {
    fn open(path: PathBuf, manifest: Manifest) -> Self {
        let mut writer = Self {
            manifest,
            path,
            file: None,
        };
        // A manifest that cannot be written costs hashing next time, not this run's results.
        if let Err(error) = writer.manifest.save(&writer.path) {
            tracing::warn!(%error, "could not save the sync manifest");
            return writer;
        }
        let journal = path_for(&writer.path);
        match create_journal(&journal) {
            Ok(file) => writer.file = Some(std::io::BufWriter::new(file)),
            Err(error) => tracing::warn!(%error, "could not start the sync journal"),
        }
        writer.write(Line::Journal {
            site_id: writer.manifest.site_id.clone(),
            folder: writer.manifest.folder.clone(),
        });
        writer
    }

    fn write(&mut self, line: Line) {
        if let Some(file) = &mut self.file {
            let written = serde_json::to_writer(&mut *file, &line)
                .map_err(std::io::Error::from)
                .and_then(|()| file.write_all(b"\n"));
            if let Err(error) = written {
                tracing::warn!(%error, "could not write the sync journal");
                self.file = None;
            }
        }
        line.apply(&mut self.manifest);
    }

    fn flush(&mut self) {
        if let Some(Err(error)) = self.file.as_mut().map(Write::flush) {
            tracing::warn!(%error, "could not write the sync journal");
            self.file = None;
        }
    }

    fn compact(mut self) {
        self.file.take();
        match self.manifest.save(&self.path) {
            Ok(()) => {
                let _ = std::fs::remove_file(path_for(&self.path));
            }
            Err(error) => tracing::warn!(%error, "could not save the sync manifest"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteId {
        "580e63e98c9a982ac9b8b741".parse().unwrap()
    }

    fn folder() -> FolderPath {
        "f".parse().unwrap()
    }

    fn entry(md5: &str) -> Entry {
        Entry {
            size: 3,
            modified_ns: 1,
            md5: md5.into(),
            asset_id: format!("{md5:0>24}").parse().unwrap(),
            alt_text: None,
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_link_in_the_journal_s_place_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("victim.txt");
        std::fs::write(&target, "keep me").unwrap();
        let path = dir.path().join("m.json");
        std::os::unix::fs::symlink(&target, path_for(&path)).unwrap();
        let manifest = Manifest::load(&path, &site(), Some(&folder())).unwrap();
        let journal = Journal::start(path.clone(), manifest);
        journal
            .pending(
                RelPath::parse("a.png").unwrap(),
                Pending {
                    md5: "1".into(),
                    size: 3,
                    started_ms: 0,
                },
            )
            .await;
        std::mem::forget(journal);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    }

    #[tokio::test]
    async fn a_journal_replays_onto_its_manifest_and_is_folded_in_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let manifest = Manifest::load(&path, &site(), Some(&folder())).unwrap();
        let journal = Journal::start(path.clone(), manifest);
        let (a, b) = (
            RelPath::parse("a.png").unwrap(),
            RelPath::parse("d/b.png").unwrap(),
        );
        let pending = |md5: &str| Pending {
            md5: md5.into(),
            size: 3,
            started_ms: 0,
        };
        journal.pending(a.clone(), pending("1")).await;
        journal.pending(b.clone(), pending("2")).await;
        journal.done(a.clone(), entry("1"));
        journal.alt_text(a.clone(), "A".into());
        // As a killed run leaves it: the journal and the manifest from the run's start.
        journal.pending(b.clone(), pending("2")).await;
        let replayed = load(&path, &site(), Some(&folder())).unwrap();
        assert_eq!(replayed.files[&a].alt_text.as_deref(), Some("A"));
        assert_eq!(replayed.pending.keys().collect::<Vec<_>>(), [&b]);
        assert!(
            load(
                &path,
                &"580e63e98c9a982ac9b8b742".parse().unwrap(),
                Some(&folder())
            )
            .unwrap()
            .files
            .is_empty(),
            "another site's journal is not replayed"
        );

        journal.finish().await;
        assert!(!path_for(&path).exists(), "the journal is folded in");
        let compacted = load(&path, &site(), Some(&folder())).unwrap();
        assert_eq!(compacted, replayed);

        // A torn last line (a kill mid-write) loses that line only.
        let journal = Journal::start(path.clone(), compacted);
        journal.done(b.clone(), entry("2"));
        let c = RelPath::parse("c.png").unwrap();
        // Lines are written in order, so once this one is, the one before it is too.
        journal.pending(c.clone(), pending("3")).await;
        std::mem::forget(journal);
        let mut text = std::fs::read_to_string(path_for(&path)).unwrap();
        text.push_str("{\"done\": {\"path\": \"c.p");
        std::fs::write(path_for(&path), text).unwrap();
        let torn = load(&path, &site(), Some(&folder())).unwrap();
        assert!(torn.files.contains_key(&b));
        assert_eq!(torn.pending.keys().collect::<Vec<_>>(), [&c]);
    }

    /// The root named (`Some` of the root) and the root unnamed (`None`) are one target, as a
    /// sync's retarget check sees them: a run killed under either form leaves its files and
    /// its pending notes to a run under the other, and the manifest keeps the form it was
    /// written in.
    #[tokio::test]
    async fn the_root_named_or_not_is_one_target_for_the_manifest_and_its_journal() {
        let root = FolderPath::root();
        for (written, read) in [(None, Some(&root)), (Some(&root), None)] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("m.json");
            let mut manifest = Manifest::new(site(), written.cloned());
            let a = RelPath::parse("a.png").unwrap();
            manifest.files.insert(a.clone(), entry("1"));
            manifest.save(&path).unwrap();
            let bytes = std::fs::read(&path).unwrap();
            let journal = Journal::start(path.clone(), load(&path, &site(), written).unwrap());
            let b = RelPath::parse("b.png").unwrap();
            let pending = Pending::new("2", 3, 0);
            // As a killed run leaves it: the note written, the manifest from the run's start.
            journal.pending(b.clone(), pending.clone()).await;
            std::mem::forget(journal);

            let replayed = load(&path, &site(), read).unwrap();
            assert_eq!(
                replayed.files[&a],
                entry("1"),
                "{written:?} read as {read:?}"
            );
            assert_eq!(
                replayed.pending.get(&b),
                Some(&pending),
                "{written:?} -> {read:?}"
            );
            assert_eq!(
                replayed.folder,
                written.cloned(),
                "the form on disk is kept"
            );
            // The journal alone (its manifest lost) is replayed for the other form too.
            let saved = std::fs::read(&path).unwrap();
            std::fs::remove_file(&path).unwrap();
            let notes = load(&path, &site(), read).unwrap();
            assert_eq!(
                notes.pending.get(&b),
                Some(&pending),
                "{written:?} -> {read:?}"
            );
            std::fs::write(&path, saved).unwrap();
            let _ = std::fs::remove_file(path_for(&path));
            replayed.save(&path).unwrap();
            let mut saved = Manifest::load(&path, &site(), read).unwrap();
            saved.pending.clear();
            saved.save(&path).unwrap();
            assert_eq!(
                std::fs::read(&path).unwrap(),
                bytes,
                "{written:?}: same bytes"
            );
            // A folder below the root is still another target.
            let other: FolderPath = "f".parse().unwrap();
            assert!(load(&path, &site(), Some(&other)).unwrap().files.is_empty());
        }
    }

    /// A journal line whose entry's asset id does not read is a lost cache entry, passed
    /// over like a torn line; the lines around it still replay.
    #[test]
    fn a_done_line_whose_asset_id_does_not_read_is_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let header = Line::Journal {
            site_id: site(),
            folder: Some(folder()),
        };
        let done = |name: &str, md5: &str| Line::Done {
            path: RelPath::parse(name).unwrap(),
            entry: entry(md5),
        };
        let mut bad = serde_json::to_value(done("bad.png", "1")).unwrap();
        bad["done"]["entry"]["asset_id"] = "asset-1".into();
        let lines = [
            serde_json::to_string(&header).unwrap(),
            bad.to_string(),
            serde_json::to_string(&done("good.png", "2")).unwrap(),
        ];
        std::fs::write(path_for(&path), lines.join("\n")).unwrap();
        let replayed = load(&path, &site(), Some(&folder())).unwrap();
        let kept: Vec<&str> = replayed.files.keys().map(RelPath::as_str).collect();
        assert_eq!(kept, ["good.png"]);
        assert_eq!(
            replayed.files[&RelPath::parse("good.png").unwrap()].asset_id,
            format!("{:0>24}", 2)
        );
    }
}
