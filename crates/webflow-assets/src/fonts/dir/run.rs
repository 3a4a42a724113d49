//! A font directory run: each file decided against the site and its directory's manifest,
//! then skipped, uploaded or failed with why.

use std::collections::BTreeMap;
use std::path::PathBuf;

use webflow_assets_raw::types::CustomFont;

use crate::error::{Error, IoOperation};
use crate::fonts::dir::files::{FontSource, compressible};
use crate::fonts::dir::options::FontDirOptions;
use crate::fonts::dir::report::{
    AlreadyHosted, FontDirReport, FontFailure, FontFileReport, FontOutcome, failed,
};
use crate::fonts::dir::same_face::same_face;
use crate::fonts::dir_manifest::{DirManifest, Remembered};
use crate::http::client::Client;
use crate::ids::{FontId, SiteId};
use crate::upload::UploadSource;

/// A font directory run under way: [`next`](Self::next) does the next file.
#[derive(Debug)]
pub struct FontDirRun<'a> {
    pub(super) client: &'a Client,
    pub(super) site: SiteId,
    pub(super) options: FontDirOptions,
    /// The files not started yet, last first.
    pub(super) pending: Vec<FontSource>,
    pub(super) listed: Vec<CustomFont>,
    /// The site's fonts by file name: id and hosted URL.
    pub(super) on_site: BTreeMap<String, (FontId, Option<String>)>,
    /// The site's fonts by id, for a file the manifest ties to a font under another name.
    pub(super) by_id: BTreeMap<FontId, Option<String>>,
    pub(super) manifests: BTreeMap<PathBuf, DirManifest>,
    pub(super) done: Vec<FontFileReport>,
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
            (Some((id, md5)), Some(manifest)) if !self.options.dry_run => {
                manifest.remember_async(&name, &id, &md5).await.err()
            }
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
        let builder = client
            .upload_font(site, UploadSource::path(path))
            .display(options.display)
            .woff2(options.woff2)
            .maybe_family(options.family.clone())
            .maybe_weight(options.weight)
            .maybe_italic(options.italic);
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
            let hosted_url = self.by_id.get(&r.id)?.clone();
            Some((r.id.clone(), hosted_url))
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
                (Some(r), _) if r.id == id => match crate::hash::md5_file(path).await {
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
