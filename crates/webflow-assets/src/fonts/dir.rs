//! Putting a directory of font files on a site, file by file, so that a rerun sends nothing.
//!
//! The site is the source of truth. A file whose name is a font of the site is skipped (or
//! reported changed when its bytes differ); a file whose family, weight and style a font of
//! the site has under another name (Webflow answers 409 to a second one) is skipped when the
//! hosted bytes are those this run would send, and fails when they differ or cannot be
//! compared. Each directory keeps a manifest, `.webflow-fonts.json`, of the fonts its files
//! became, written atomically: it saves compressing and downloading on a rerun, and losing it
//! costs a comparison, never a duplicate.
//!
//! ```no_run
//! # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
//! use webflow_assets::font_dir::{FontDirOptions, FontOutcome};
//!
//! let site = "580e63e98c9a982ac9b8b741".parse()?;
//! let options = FontDirOptions::default().woff2(true);
//! let plan = client.font_dir_plan(&site, ["brand/fonts"], options).await?;
//! println!("{} font files", plan.files.len());
//! let report = plan.execute(&client).await?;
//! for file in report.files() {
//!     match &file.outcome {
//!         FontOutcome::Uploaded(font) => println!("uploaded {} as {}", file.name, font.id),
//!         FontOutcome::Failed { reason, .. } => println!("failed {}: {reason}", file.name),
//!         other => println!("{}: {other:?}", file.name),
//!     }
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use webflow_assets_raw::types::{CustomFont, FontDisplay};

use crate::error::{Error, IoOperation};
use crate::fonts::dir_manifest::{DirManifest, Remembered};
use crate::fonts::upload::{FontPlan, UploadedFont};
use crate::http::client::Client;
use crate::ids::{FontId, SiteId};
use crate::upload::UploadSource;

pub use crate::fonts::dir_manifest::FILE_NAME as MANIFEST_FILE_NAME;

/// The font file extensions Webflow takes; a directory's other files are left alone.
pub const FONT_EXTENSIONS: &[&str] = &["woff2", "woff", "ttf", "otf", "eot"];

/// How a font directory is put on a site. Built from `Default` with chainable setters: with
/// none, each font's family, weight and style are read from its file, `font-display` is
/// `swap`, files are sent as they are, and each directory's manifest is read and written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FontDirOptions {
    /// The CSS font-family for every file (default: read from each file).
    pub family: Option<String>,
    /// The CSS font-weight for every file (default: read from each file).
    pub weight: Option<u16>,
    /// Whether every file is italic (default: read from each file).
    pub italic: Option<bool>,
    /// The CSS font-display.
    pub display: FontDisplay,
    /// Compress TTF and OTF files to WOFF2 first, as `<stem>.woff2`.
    pub woff2: bool,
    /// Decide and report, upload nothing, write no manifest.
    pub dry_run: bool,
    /// Neither read nor write any directory's manifest.
    pub without_manifest: bool,
}

impl Default for FontDirOptions {
    fn default() -> Self {
        Self {
            family: None,
            weight: None,
            italic: None,
            display: FontDisplay::Swap,
            woff2: false,
            dry_run: false,
            without_manifest: false,
        }
    }
}

crate::run::settings::shared_settings!(FontDirOptions { dry_run });

impl FontDirOptions {
    /// Sets the CSS font-family of every file (default: read from each file).
    pub fn family(self, family: impl Into<String>) -> Self {
        self.maybe_family(Some(family.into()))
    }

    /// Sets the font-family as [`Self::family`] does, from an `Option` (`None`: read from
    /// each file).
    pub fn maybe_family(mut self, family: Option<String>) -> Self {
        self.family = family;
        self
    }

    /// Sets the CSS font-weight (1-1000) of every file (default: read from each file).
    pub fn weight(self, weight: u16) -> Self {
        self.maybe_weight(Some(weight))
    }

    /// Sets the font-weight as [`Self::weight`] does, from an `Option` (`None`: read from
    /// each file).
    pub fn maybe_weight(mut self, weight: Option<u16>) -> Self {
        self.weight = weight;
        self
    }

    /// Sets whether every file is italic (default: read from each file).
    pub fn italic(self, italic: bool) -> Self {
        self.maybe_italic(Some(italic))
    }

    /// Sets the style as [`Self::italic`] does, from an `Option` (`None`: read from each
    /// file).
    pub fn maybe_italic(mut self, italic: Option<bool>) -> Self {
        self.italic = italic;
        self
    }

    /// The CSS font-display of the uploaded fonts.
    pub fn display(mut self, display: FontDisplay) -> Self {
        self.display = display;
        self
    }

    /// Compress TTF and OTF files to WOFF2 before upload, as `<stem>.woff2` (metadata is read
    /// from the source; other formats are sent as they are).
    pub fn woff2(mut self, woff2: bool) -> Self {
        self.woff2 = woff2;
        self
    }

    /// Neither reads nor writes any directory's manifest: every file is compared with the
    /// site, which costs downloads but writes no file beside the fonts.
    pub fn without_manifest(mut self) -> Self {
        self.without_manifest = true;
        self
    }
}

/// A font file the plan will put on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FontSource {
    /// The file.
    pub path: PathBuf,
    /// The directory it was found in, whose manifest it is remembered in; `None` for a file
    /// named on its own.
    pub dir: Option<PathBuf>,
}

impl FontSource {
    /// The file's name.
    pub fn name(&self) -> String {
        file_name(&self.path)
    }
}

/// The font files to put on a site and the site's fonts as they were when planned: read it,
/// then [`execute`](Self::execute) it, or [`start`](Self::start) it to see each file as it is
/// done.
#[derive(Debug)]
#[non_exhaustive]
pub struct FontDirPlan {
    /// The site.
    pub site: SiteId,
    /// The options the plan was made with.
    pub options: FontDirOptions,
    /// The font files, in order: named files as given, each directory's font files by name.
    pub files: Vec<FontSource>,
    /// The site's fonts when the plan was made.
    pub site_fonts: Vec<CustomFont>,
}

impl FontDirPlan {
    /// Starts the run: each [`FontDirRun::next`] does one file. [`Error::NoRuntime`] outside
    /// a Tokio runtime (the files are read and the manifests written on its blocking
    /// threads); nothing is sent or written then.
    pub async fn start(self, client: &Client) -> Result<FontDirRun<'_>, Error> {
        crate::run::runtime()?;
        let on_site = self
            .site_fonts
            .iter()
            .filter_map(|f| Some((f.file_name.clone()?, (font_id(f)?, f.hosted_url.clone()))))
            .collect();
        let by_id = self
            .site_fonts
            .iter()
            .filter_map(|f| Some((font_id(f)?, f.hosted_url.clone())))
            .collect();
        let mut files = self.files;
        files.reverse();
        Ok(FontDirRun {
            client,
            site: self.site,
            options: self.options,
            pending: files,
            listed: self.site_fonts,
            on_site,
            by_id,
            manifests: BTreeMap::new(),
            done: Vec::new(),
        })
    }

    /// Puts every file on the site, one at a time, and reports what became of each (a file
    /// that cannot be read, or compared with the site, is reported failed with its reason).
    /// `Err` when a manifest cannot be written (the files done before it are on the site,
    /// and a rerun skips them), and [`Error::NoRuntime`] outside a Tokio runtime, as
    /// [`Self::start`].
    pub async fn execute(self, client: &Client) -> Result<FontDirReport, Error> {
        let mut run = self.start(client).await?;
        while let Some(file) = run.next().await {
            if let Some(error) = file.manifest_error.take() {
                return Err(error);
            }
        }
        Ok(run.finish())
    }
}

/// A font directory run under way: [`next`](Self::next) does the next file.
#[derive(Debug)]
pub struct FontDirRun<'a> {
    client: &'a Client,
    site: SiteId,
    options: FontDirOptions,
    /// The files not started yet, last first.
    pending: Vec<FontSource>,
    listed: Vec<CustomFont>,
    /// The site's fonts by file name: id and hosted URL.
    on_site: BTreeMap<String, (FontId, Option<String>)>,
    /// The site's fonts by id, for a file the manifest ties to a font under another name.
    by_id: BTreeMap<FontId, Option<String>>,
    manifests: BTreeMap<PathBuf, DirManifest>,
    done: Vec<FontFileReport>,
}

impl FontDirRun<'_> {
    /// The files not started yet, in order.
    pub fn remaining(&self) -> impl Iterator<Item = &FontSource> {
        self.pending.iter().rev()
    }

    /// Does the next file and returns what became of it (also kept for [`finish`]); `None`
    /// when every file is done. A file that cannot be read or compared is
    /// [`FontOutcome::Failed`], with its reason.
    ///
    /// [`finish`]: Self::finish
    pub async fn next(&mut self) -> Option<&mut FontFileReport> {
        let source = self.pending.pop()?;
        let (outcome, manifest_error) = self.one(&source).await;
        self.done.push(FontFileReport {
            name: source.name(),
            path: source.path,
            outcome,
            manifest_error,
        });
        self.done.last_mut()
    }

    /// Stops the run: the files not started are reported skipped, as cancelled.
    pub fn cancel(&mut self) {
        while let Some(source) = self.pending.pop() {
            self.done.push(FontFileReport {
                name: source.name(),
                path: source.path,
                outcome: FontOutcome::Cancelled,
                manifest_error: None,
            });
        }
    }

    /// The report of the files done (and cancelled) so far.
    pub fn finish(self) -> FontDirReport {
        FontDirReport { files: self.done }
    }

    /// What became of one file, and whether its directory's manifest could be written.
    async fn one(&mut self, source: &FontSource) -> (FontOutcome, Option<Error>) {
        let name = source.name();
        let dir = source
            .dir
            .as_ref()
            .filter(|_| !self.options.without_manifest);
        if let Some(dir) = dir
            && !self.manifests.contains_key(dir)
        {
            let manifest = DirManifest::read_async(dir.clone()).await;
            self.manifests.insert(dir.clone(), manifest);
        }
        let remembered = dir
            .and_then(|dir| self.manifests.get(dir)?.get(&name))
            .cloned();
        let (outcome, remember) = self.decide(source, &name, remembered).await;
        // Tied to a font of the site: the manifest says so, and a rerun neither compresses
        // the file nor downloads the hosted one again.
        let manifest = dir.and_then(|dir| self.manifests.get_mut(dir));
        let saved = match (remember, manifest) {
            (Some((id, md5)), Some(manifest)) if !self.options.dry_run => manifest
                .remember_async(&name, id.as_str(), &md5)
                .await
                .err(),
            _ => None,
        };
        (outcome, saved)
    }

    /// What becomes of one file, and the font and MD5 its manifest is to remember.
    async fn decide(
        &self,
        source: &FontSource,
        name: &str,
        remembered: Option<Remembered>,
    ) -> (FontOutcome, Option<(FontId, String)>) {
        let (client, site, options) = (self.client, &self.site, &self.options);
        let path = source.path.as_path();
        let mut builder = client
            .upload_font(site, UploadSource::path(path))
            .display(options.display)
            .woff2(options.woff2);
        if let Some(family) = &options.family {
            builder = builder.family(family.clone());
        }
        if let Some(weight) = options.weight {
            builder = builder.weight(weight);
        }
        if let Some(italic) = options.italic {
            builder = builder.italic(italic);
        }
        // The name it goes up as: with woff2, a TTF or OTF file becomes <stem>.woff2.
        let upload_name = match options.woff2 && compressible(name) {
            true => format!("{}.woff2", name.rsplit_once('.').map_or(name, |(s, _)| s)),
            false => name.to_string(),
        };
        // The font this file is: the one of its name, or the one the manifest ties it to (the
        // same face found on the site under another file name, Webflow's 409) while that
        // font is still there.
        let hosted = self.on_site.get(&upload_name).cloned().or_else(|| {
            let r = remembered.as_ref()?;
            let id: FontId = r.id.parse().ok()?;
            let hosted_url = self.by_id.get(&id)?.clone();
            Some((id, hosted_url))
        });
        let dry_run = options.dry_run;
        if let Some((id, hosted_url)) = hosted {
            // The source's MD5 when the hosted file was found to be the bytes this run would
            // send: remembered below, so the next run need not compress or download.
            let mut same_as_hosted = None;
            // The manifest remembers the local file's MD5 (the source's, when it was
            // compressed), so an unchanged file is known without compressing it again.
            // Without it, the hosted file is hashed and compared with the bytes this run
            // would send (the fonts listing gives no size to compare). A check that cannot
            // be made fails the file: it is neither changed nor unchanged.
            let changed = match (remembered, &hosted_url) {
                (Some(r), _) if r.id == id.as_str() => match crate::hash::md5_file(path).await {
                    Ok(local) => local != r.md5,
                    Err(source) => {
                        let error = Error::Io {
                            operation: IoOperation::Reading,
                            path: path.to_path_buf(),
                            source,
                        };
                        return (failed(Some(id), FontFailure::Prepare(error)), None);
                    }
                },
                (_, Some(url)) => {
                    let plan = match builder.prepare().await {
                        Ok(prepared) => prepared.plan().clone(),
                        Err(e) => return (failed(None, FontFailure::Prepare(e)), None),
                    };
                    match client.hosted_md5(url).await {
                        Ok(hosted) if hosted == plan.md5 => {
                            same_as_hosted = Some(plan.source_md5);
                            false
                        }
                        Ok(_) => true,
                        Err(e) => {
                            return (failed(Some(id), FontFailure::Compare(e)), None);
                        }
                    }
                }
                // Neither the manifest nor the hosted bytes can say whether the file is the
                // font of its name: not touched, and not called unchanged.
                (_, None) => return (failed(Some(id), FontFailure::NoHostedFile), None),
            };
            let outcome = match changed {
                true => FontOutcome::Changed { id },
                false => FontOutcome::Skipped {
                    id,
                    hosted: AlreadyHosted::SameName,
                },
            };
            let remember = match (same_as_hosted, &outcome) {
                (Some(md5), FontOutcome::Skipped { id, .. }) => Some((id.clone(), md5)),
                _ => None,
            };
            return (outcome, remember);
        }
        let prepared = match builder.prepare().await {
            Ok(prepared) => prepared,
            Err(e) => return (failed(None, FontFailure::Prepare(e)), None),
        };
        let plan = prepared.plan().clone();
        if dry_run {
            // Webflow would answer 409 for a face the site has: the same check, read-only.
            let outcome = match same_face(client, &self.listed, &plan).await {
                Some(outcome) => outcome,
                None => FontOutcome::Planned(Box::new(plan)),
            };
            return (outcome, None);
        }
        match prepared.send().await {
            Ok(font) => {
                let remember = Some((font.id.clone(), font.source_md5.clone()));
                (FontOutcome::Uploaded(Box::new(font)), remember)
            }
            Err(error @ Error::Api { status: 409, .. }) => {
                // The face is on the site under another file name. The listing taken at the
                // start may predate it (an earlier file of this run), so it is read again.
                let fonts = match client.list_fonts(site).await {
                    Ok(fonts) => fonts,
                    Err(listing) => {
                        let reason = FontFailure::ConflictUnlisted { error, listing };
                        return (failed(None, reason), None);
                    }
                };
                match same_face(client, &fonts, &plan).await {
                    Some(outcome) => {
                        // Tied to that font, so a rerun skips the file without compressing,
                        // sending it or downloading the hosted one again.
                        let remember = match &outcome {
                            FontOutcome::Skipped { id, .. } => {
                                Some((id.clone(), plan.source_md5.clone()))
                            }
                            _ => None,
                        };
                        (outcome, remember)
                    }
                    None => (failed(None, FontFailure::Conflict(error)), None),
                }
            }
            Err(e) => (failed(None, FontFailure::Upload(e)), None),
        }
    }
}

/// What became of every font file of a run.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct FontDirReport {
    files: Vec<FontFileReport>,
}

impl FontDirReport {
    /// Each file, in the plan's order.
    pub fn files(&self) -> &[FontFileReport] {
        &self.files
    }

    /// How many files had this outcome.
    pub fn count(&self, pick: impl Fn(&FontOutcome) -> bool) -> usize {
        self.files.iter().filter(|f| pick(&f.outcome)).count()
    }

    /// How many files failed.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, FontOutcome::Failed { .. }))
    }

    /// How many files were uploaded.
    pub fn uploaded(&self) -> usize {
        self.count(|o| matches!(o, FontOutcome::Uploaded(_)))
    }
}

/// What became of one font file.
#[derive(Debug)]
#[non_exhaustive]
pub struct FontFileReport {
    /// The file.
    pub path: PathBuf,
    /// Its name.
    pub name: String,
    /// What became of it.
    pub outcome: FontOutcome,
    /// Its directory's manifest could not be written (the file itself is done: the next run
    /// finds it on the site).
    pub manifest_error: Option<Error>,
}

/// What became of a font file.
#[derive(Debug)]
#[non_exhaustive]
pub enum FontOutcome {
    /// It is on the site now.
    Uploaded(Box<UploadedFont>),
    /// A dry run: it would be uploaded so.
    Planned(Box<FontPlan>),
    /// It was on the site already, with the bytes this run would send.
    #[non_exhaustive]
    Skipped {
        /// The font it is.
        id: FontId,
        /// How it was found.
        hosted: AlreadyHosted,
    },
    /// A font of the site has its name, with other bytes: replace its file to put this one
    /// in its place ([`Client::replace_font_file`]).
    #[non_exhaustive]
    Changed {
        /// The font it was uploaded as.
        id: FontId,
    },
    /// It failed, for this reason; nothing was changed on the site.
    #[non_exhaustive]
    Failed {
        /// The font of the site it was compared with, when there was one.
        id: Option<FontId>,
        /// Why.
        reason: Box<FontFailure>,
    },
    /// The run was cancelled before this file was started.
    Cancelled,
}

/// How a skipped font file was found on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlreadyHosted {
    /// A font of the site has the file's name (the manifest's, or the hosted bytes, say it is
    /// the same).
    SameName,
    /// A font of the site has the file's family, weight and style under another file name,
    /// and the same bytes.
    SameFace {
        /// The hosted font's file name.
        hosted_name: String,
    },
}

/// Why a font file failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FontFailure {
    /// The file could not be read, checked or compressed.
    #[error("{0}")]
    Prepare(Error),
    /// A font of the site has the file's name, and its file could not be downloaded to
    /// compare.
    #[error("could not compare with the site: {0}")]
    Compare(Error),
    /// A font of the site has the file's family, weight and style under another name.
    #[error("{face} is already on the site as {hosted_name}{}", match differs {
        Differs::Bytes => " with other bytes".to_string(),
        Differs::Unknown => ", whose file cannot be compared".to_string(),
        Differs::Unreadable(e) => format!(" and could not be compared: {e}"),
    })]
    SameFace {
        /// Family, weight and style, as `Inter 400 italic`.
        face: String,
        /// The hosted font's file name.
        hosted_name: String,
        /// How the hosted file compares.
        differs: Differs,
    },
    /// A font of the site has the file's name, and neither the directory's manifest nor a
    /// hosted file says whether it has the file's bytes: the file was not compared, and
    /// nothing was changed.
    #[error("a font of the site has its name and no hosted file to compare it with")]
    NoHostedFile,
    /// Webflow refused the font as a duplicate (409), and no font of the site has its face.
    #[error("{0}")]
    Conflict(Error),
    /// Webflow refused the font as a duplicate (409), and the site's fonts could not be
    /// listed to find which font has its face.
    #[error("{error}; listing the site's fonts failed: {listing}")]
    ConflictUnlisted {
        /// Webflow's answer.
        error: Error,
        /// Why listing failed.
        listing: Error,
    },
    /// The upload failed.
    #[error("{0}")]
    Upload(Error),
}

/// How a hosted font of the same face compares with a file.
#[derive(Debug)]
#[non_exhaustive]
pub enum Differs {
    /// Its bytes differ from those this run would send.
    Bytes,
    /// It has no hosted URL to download.
    Unknown,
    /// Downloading it failed.
    Unreadable(Error),
}

impl Client {
    /// Plans putting font files on a site: `paths` are font files (sent as they are named)
    /// and directories (whose font files, by name, are sent, and whose manifest is read and
    /// written). Reads the site's fonts: the site is the source of truth. See
    /// [`font_dir`](crate::font_dir).
    pub async fn font_dir_plan(
        &self,
        site: &SiteId,
        paths: impl IntoIterator<Item = impl Into<PathBuf>>,
        options: FontDirOptions,
    ) -> Result<FontDirPlan, Error> {
        let paths: Vec<PathBuf> = paths.into_iter().map(Into::into).collect();
        let files = tokio::task::spawn_blocking(move || font_files(&paths))
            .await
            .map_err(|e| Error::Io {
                operation: IoOperation::Reading,
                path: PathBuf::new(),
                source: std::io::Error::other(e.to_string()),
            })??;
        let listed = self.list_fonts(site).await?;
        Ok(FontDirPlan {
            site: site.clone(),
            options,
            files,
            site_fonts: listed,
        })
    }
}

/// The fonts to upload: named files as given, and each directory's font files by name.
fn font_files(paths: &[PathBuf]) -> Result<Vec<FontSource>, Error> {
    let reading = |path: &Path, source| Error::Io {
        operation: IoOperation::Reading,
        path: path.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            for entry in std::fs::read_dir(path).map_err(|e| reading(path, e))? {
                let file = entry.map_err(|e| reading(path, e))?.path();
                let font = file
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| FONT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                if font && file.is_file() {
                    found.push(file);
                }
            }
            found.sort();
            files.extend(found.into_iter().map(|file| FontSource {
                path: file,
                dir: Some(path.clone()),
            }));
        } else if path.is_file() {
            files.push(FontSource {
                path: path.clone(),
                dir: None,
            });
        } else {
            let missing = std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "neither a file nor a directory",
            );
            return Err(reading(path, missing));
        }
    }
    Ok(files)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether woff2 compresses a file of this name (a TTF or OTF font).
fn compressible(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ["ttf", "otf"].contains(&ext.to_ascii_lowercase().as_str()))
}

/// A listed font's id, when it is one (a malformed one matches no file, so the file goes up
/// and Webflow's 409 names the font it clashes with).
fn font_id(font: &CustomFont) -> Option<FontId> {
    font.id.as_deref()?.parse().ok()
}

fn failed(id: Option<FontId>, reason: FontFailure) -> FontOutcome {
    let reason = Box::new(reason);
    FontOutcome::Failed { id, reason }
}

/// What to do with a font whose family, weight and style a font of `fonts` has (Webflow
/// answers 409 to a second one): skip it when the hosted bytes are those this run would
/// send, fail it when they differ or cannot be compared. `None` when no font has the face.
async fn same_face(client: &Client, fonts: &[CustomFont], plan: &FontPlan) -> Option<FontOutcome> {
    // Webflow strips commas from family names and compares them without regard to case.
    let family = plan.family.replace(',', "");
    let font = fonts.iter().find(|f| {
        f.font_family
            .as_deref()
            .is_some_and(|other| other.eq_ignore_ascii_case(&family))
            && f.weight == Some(i64::from(plan.weight))
            && f.italic == Some(plan.italic)
    })?;
    let id = font_id(font)?;
    let hosted_name = font.file_name.clone().unwrap_or_default();
    let face = format!(
        "{} {}{}",
        family,
        plan.weight,
        if plan.italic { " italic" } else { "" }
    );
    let differs = match font.hosted_url.as_deref() {
        None => Differs::Unknown,
        Some(url) => match client.hosted_md5(url).await {
            Ok(hosted) if hosted == plan.md5 => {
                let hosted = AlreadyHosted::SameFace { hosted_name };
                return Some(FontOutcome::Skipped { id, hosted });
            }
            Ok(_) => Differs::Bytes,
            Err(e) => Differs::Unreadable(e),
        },
    };
    let reason = FontFailure::SameFace {
        face,
        hosted_name,
        differs,
    };
    Some(failed(Some(id), reason))
}
