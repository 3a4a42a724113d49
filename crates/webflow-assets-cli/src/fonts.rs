//! `webflow-assets sites` and `webflow-assets fonts ls|upload|replace|rm`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::failure::{Code, Failure};
use crate::lines::{FontRecord, FontStatus, Line, Totals};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::{Deserialize, Serialize};
use webflow_assets::models::{CustomFont, FontDisplay};
use webflow_assets::{Client, Error, FontId, FontPlan, FontRule, Rule, SiteId, UploadSource};

/// The font file extensions Webflow takes.
const FONT_EXTENSIONS: &[&str] = &["woff2", "woff", "ttf", "otf", "eot"];

/// Where `fonts upload DIR` remembers what it uploaded: file name, font id and MD5.
const MANIFEST: &str = ".webflow-fonts.json";

#[derive(Subcommand)]
pub enum FontsCommand {
    /// List the site's custom fonts.
    Ls,
    /// Upload font files, or every font file in a directory. A file whose name is already a
    /// font on the site is skipped (a file the directory's manifest knows with another MD5 is
    /// reported as changed: replace it with `fonts replace`). A font whose family, weight and
    /// style are on the site under another file name is skipped when the hosted bytes are
    /// the same, and fails with the `fonts replace` to run when they differ.
    Upload {
        /// Font files (.woff2 .woff .ttf .otf .eot) or directories holding them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The CSS font-family (default: read from each file).
        #[arg(long)]
        family: Option<String>,
        /// The CSS font-weight, 1-1000 (default: read from each file).
        #[arg(long)]
        weight: Option<u16>,
        /// Mark the fonts italic (default: read from each file).
        #[arg(long, overrides_with = "no_italic")]
        italic: bool,
        /// Mark the fonts upright, not italic (default: read from each file).
        #[arg(long, overrides_with = "italic")]
        no_italic: bool,
        /// The CSS font-display: auto, block, swap, fallback or optional.
        #[arg(long, default_value = "swap", value_parser = font_display)]
        display: FontDisplay,
        /// Compress TTF and OTF files to WOFF2 before upload, as <stem>.woff2 (metadata is
        /// read from the source; other formats are sent as they are).
        #[arg(long)]
        woff2: bool,
        /// Show what would be uploaded, each file's size before and after compression, and
        /// what would be skipped or fail; upload nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Replace a font's file, keeping its id (and every reference to it).
    Replace {
        /// The font's id.
        font_id: FontId,
        /// The new file.
        file: PathBuf,
        /// Compress a TTF or OTF file to WOFF2 first, as `fonts upload --woff2` does.
        #[arg(long)]
        woff2: bool,
    },
    /// Delete fonts (100 a request); ids that do not exist are reported, not an error.
    Rm {
        /// Ids of the fonts to delete.
        #[arg(required = true)]
        font_ids: Vec<FontId>,
    },
}

/// `webflow-assets sites`.
pub async fn sites(client: &Client, json: bool) -> Result<ExitCode> {
    for site in client.list_sites().await? {
        if json {
            crate::lines::print(&Line::Site(Box::new(site)));
        } else {
            crate::stdout::line(&format!(
                "{}  {}  {}",
                site.id.as_deref().unwrap_or("-"),
                site.short_name.as_deref().unwrap_or("-"),
                site.display_name.as_deref().unwrap_or("-"),
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `webflow-assets fonts ...`.
pub async fn run(
    client: &Client,
    site: &SiteId,
    json: bool,
    command: FontsCommand,
) -> Result<ExitCode> {
    match command {
        FontsCommand::Ls => {
            for font in client.list_fonts(site).await? {
                print_font(&font, json)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        FontsCommand::Upload {
            paths,
            family,
            weight,
            italic,
            no_italic,
            display,
            woff2,
            dry_run,
        } => {
            let settings = Settings {
                family,
                weight,
                // The two switches override each other: at most one is set.
                italic: match (italic, no_italic) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                display,
                woff2,
                dry_run,
            };
            upload(client, site, json, &paths, settings).await
        }
        FontsCommand::Replace {
            font_id,
            file,
            woff2,
        } => {
            let replaced = client
                .replace_font_file(site, &font_id, file)
                .woff2(woff2)
                .send()
                .await
                .map_err(in_flags)?;
            if json {
                crate::lines::print(&Line::FontFile(FontRecord {
                    file: replaced.file_name.clone(),
                    status: FontStatus::Replaced {
                        id: replaced.id.to_string(),
                        md5: replaced.md5.clone(),
                    },
                }));
            } else {
                crate::stdout::line(&format!("replaced {}  {}", replaced.id, replaced.file_name));
            }
            Ok(ExitCode::SUCCESS)
        }
        FontsCommand::Rm { font_ids } => {
            let report = client.delete_fonts(site, &font_ids).await?;
            for id in &report.deleted {
                if json {
                    crate::lines::print(&Line::FontFile(FontRecord {
                        file: id.to_string(),
                        status: FontStatus::Deleted { id: id.to_string() },
                    }));
                } else {
                    crate::stdout::line(&format!("deleted {id}"));
                }
            }
            let mut failed = 0;
            for failure in &report.failed {
                let id = failure.id.as_deref().unwrap_or("-");
                let name = failure.name.as_deref().unwrap_or("failed");
                let message = failure.msg.as_deref().unwrap_or("");
                // Deleting is idempotent: a font that is not there is already gone.
                failed += usize::from(name != "NotFound");
                if json {
                    let (id, detail) = (id.to_string(), message.to_string());
                    let status = match name {
                        "NotFound" => FontStatus::NotFound {
                            id: id.clone(),
                            detail,
                        },
                        _ => FontStatus::Failed {
                            id: Some(id.clone()),
                            detail,
                        },
                    };
                    crate::lines::print(&Line::FontFile(FontRecord { file: id, status }));
                } else {
                    crate::stdout::line(&format!(
                        "{} {id}: {message}",
                        if name == "NotFound" {
                            "not found"
                        } else {
                            "failed"
                        }
                    ));
                }
            }
            some_failed(failed, report.deleted.len() + report.failed.len())
        }
    }
}

/// `--display`, checked before anything is sent.
fn font_display(text: &str) -> Result<FontDisplay, String> {
    text.parse()
        .map_err(|_| "expected auto, block, swap, fallback or optional".to_string())
}

/// The run's end: the error that ends it, with `--json` its one error line, when some of its
/// fonts failed (their lines say why).
fn some_failed(failed: usize, total: usize) -> Result<ExitCode> {
    match failed {
        0 => Ok(ExitCode::SUCCESS),
        _ => Err(Failure::new(
            Code::Partial,
            format!("{failed} of {total} failed; their lines say why"),
        )
        .into()),
    }
}

/// How `fonts upload` sends fonts: its flags.
pub(crate) struct Settings {
    family: Option<String>,
    weight: Option<u16>,
    italic: Option<bool>,
    display: FontDisplay,
    woff2: bool,
    dry_run: bool,
}

impl Settings {
    /// `fonts upload` without flags: metadata read from each file, `font-display: swap`,
    /// sent as it is.
    pub(crate) fn plain() -> Self {
        Self {
            family: None,
            weight: None,
            italic: None,
            display: FontDisplay::Swap,
            woff2: false,
            dry_run: false,
        }
    }
}

/// A library error in the command's words: what the builder would be told to set is said
/// with the flag that sets it.
fn in_flags(error: Error) -> anyhow::Error {
    Failure::new(crate::failure::code_of(&error), describe(&error)).into()
}

/// [`in_flags`] as text, for a file's report line.
fn describe(error: &Error) -> String {
    let Error::Validation {
        file,
        rule: Rule::Font(rule),
        ..
    } = error
    else {
        return error.to_string();
    };
    let prefix = file
        .as_deref()
        .map(|f| format!("{f}: "))
        .unwrap_or_default();
    match rule {
        FontRule::MetadataUnreadable {
            missing, reason, ..
        } => {
            let flags: Vec<&str> = missing
                .iter()
                .map(|name| match *name {
                    "family" => "--family NAME",
                    "weight" => "--weight N",
                    "italic" => "--italic or --no-italic",
                    other => other,
                })
                .collect();
            format!(
                "{prefix}cannot read the font's {} from the file ({reason}); pass {}",
                missing.join(", "),
                flags.join(", ")
            )
        }
        FontRule::AxesRequired => format!(
            "{prefix}the font being replaced is variable and the new file's axes cannot be \
             read (a compressed EOT): replace it with a WOFF2, WOFF, TTF or OTF file"
        ),
        _ => error.to_string(),
    }
}

fn print_font(font: &CustomFont, json: bool) -> Result<()> {
    if json {
        crate::lines::print(&Line::Font(Box::new(font.clone())));
    } else {
        let axes: Vec<String> = font
            .axes
            .iter()
            .map(|a| {
                format!(
                    "{}={}..{}",
                    a.tag.as_deref().unwrap_or("?"),
                    a.min.unwrap_or_default(),
                    a.max.unwrap_or_default()
                )
            })
            .collect();
        crate::stdout::line(&format!(
            "{}  {}  {}{}  {}{}",
            font.id.as_deref().unwrap_or("-"),
            font.font_family.as_deref().unwrap_or("-"),
            font.weight.unwrap_or_default(),
            if font.italic == Some(true) {
                " italic"
            } else {
                ""
            },
            font.file_name.as_deref().unwrap_or("-"),
            if axes.is_empty() {
                String::new()
            } else {
                format!("  [{}]", axes.join(" "))
            },
        ));
    }
    Ok(())
}

/// What a directory's manifest remembers of one uploaded file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Remembered {
    id: String,
    md5: String,
}

/// The fonts to upload: named files as given, and each directory's font files by name.
fn font_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Option<PathBuf>)>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                            FONT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                        })
                })
                .collect();
            found.sort();
            files.extend(found.into_iter().map(|f| (f, Some(path.clone()))));
        } else if path.is_file() {
            files.push((path.clone(), None));
        } else if matches!(path.to_str(), Some("true" | "false")) {
            // `--italic true` was the form before `--italic` became a switch.
            bail!(Failure::new(
                Code::Usage,
                format!(
                    "{} is neither a file nor a directory; --italic takes no value: pass \
                     --italic or --no-italic",
                    path.display()
                )
            ));
        } else {
            bail!("{} is neither a file nor a directory", path.display());
        }
    }
    Ok(files)
}

/// Remembers in a directory's manifest (when the file came from a directory) that the file
/// `name`, whose source has this MD5, is the site's font `id`, and saves the manifest.
fn remember(
    manifest: Option<&mut BTreeMap<String, Remembered>>,
    dir: Option<&Path>,
    name: &str,
    id: &str,
    md5: &str,
) -> Result<()> {
    let (Some(manifest), Some(dir)) = (manifest, dir) else {
        return Ok(());
    };
    let remembered = Remembered {
        id: id.to_string(),
        md5: md5.to_string(),
    };
    manifest.insert(name.to_string(), remembered);
    std::fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&*manifest)?)
        .with_context(|| format!("writing {}", dir.join(MANIFEST).display()))
}

fn read_manifest(dir: &Path) -> BTreeMap<String, Remembered> {
    std::fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

async fn upload(
    client: &Client,
    site: &SiteId,
    json: bool,
    paths: &[PathBuf],
    settings: Settings,
) -> Result<ExitCode> {
    let files = font_files(paths)?;
    let dry_run = settings.dry_run;
    let mut uploader = FontUploader::new(client, site, settings).await?;
    let (mut uploaded, mut planned, mut skipped, mut failed) = (0, 0, 0, 0);
    for (path, dir) in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (status, saved) = uploader.upload(&path, dir.as_deref()).await?;
        match &status {
            FontStatus::Uploaded { .. } => uploaded += 1,
            FontStatus::Planned { .. } => planned += 1,
            FontStatus::Failed { .. } => failed += 1,
            _ => skipped += 1,
        }
        report(json, name, status);
        saved?;
    }
    if dry_run {
        // The same `{"report": …}` line a run ends with, so scripts read one shape: nothing
        // was uploaded; each file's own line says what would be (`planned`).
        if json {
            crate::output::Output::new(json).totals(Totals {
                skipped,
                failed,
                ..Totals::default()
            });
        } else {
            crate::stdout::line(&format!(
                "plan: {planned} to upload, {skipped} skipped, {failed} failed; nothing was uploaded"
            ));
        }
        return some_failed(failed, planned + skipped + failed);
    }
    // The tally every run ends with (`{"report": …}`), so scripts read one shape.
    crate::output::Output::new(json).totals(Totals {
        uploaded,
        skipped,
        failed,
        ..Totals::default()
    });
    some_failed(failed, uploaded + skipped + failed)
}

/// Font files uploaded one at a time under `fonts upload`'s rules, for the command and the
/// MCP server alike: a file whose name is a font of the site is skipped (or reported
/// changed), a face the site has under another name (Webflow's 409) is skipped when the
/// hosted bytes are the same and fails naming the `fonts replace` to run when they differ,
/// and a check that cannot be made fails the file.
pub(crate) struct FontUploader<'a> {
    client: &'a Client,
    site: &'a SiteId,
    settings: Settings,
    listed: Vec<CustomFont>,
    /// The site's fonts by file name: id and hosted URL.
    on_site: BTreeMap<String, (String, Option<String>)>,
    /// The site's fonts by id, for a file the manifest ties to a font under another name.
    by_id: BTreeMap<String, Option<String>>,
    manifests: BTreeMap<PathBuf, BTreeMap<String, Remembered>>,
}

impl<'a> FontUploader<'a> {
    /// Reads the site's fonts: the site is the source of truth.
    pub(crate) async fn new(
        client: &'a Client,
        site: &'a SiteId,
        settings: Settings,
    ) -> Result<Self> {
        let listed = client.list_fonts(site).await?;
        let on_site = listed
            .iter()
            .filter_map(|f| Some((f.file_name.clone()?, (f.id.clone()?, f.hosted_url.clone()))))
            .collect();
        let by_id = listed
            .iter()
            .filter_map(|f| Some((f.id.clone()?, f.hosted_url.clone())))
            .collect();
        Ok(Self {
            client,
            site,
            settings,
            listed,
            on_site,
            by_id,
            manifests: BTreeMap::new(),
        })
    }

    /// What became of the font file at `path` (from directory `dir`, whose manifest it
    /// reads and writes, when it came from one), and whether that manifest was saved (an
    /// error to raise once the file's status is reported). `Err` when the file cannot be
    /// read.
    pub(crate) async fn upload(
        &mut self,
        path: &Path,
        dir: Option<&Path>,
    ) -> Result<(FontStatus, Result<()>)> {
        let (client, site, settings) = (self.client, self.site, &self.settings);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut manifest = dir.map(|d| {
            self.manifests
                .entry(d.to_path_buf())
                .or_insert_with(|| read_manifest(d))
        });
        let mut builder = client
            .upload_font(site, UploadSource::path(path))
            .display(settings.display)
            .woff2(settings.woff2);
        if let Some(family) = &settings.family {
            builder = builder.family(family.clone());
        }
        if let Some(weight) = settings.weight {
            builder = builder.weight(weight);
        }
        if let Some(italic) = settings.italic {
            builder = builder.italic(italic);
        }
        // The name it goes up as: with --woff2, a TTF or OTF file becomes <stem>.woff2.
        let upload_name = match settings.woff2 && compressible(&name) {
            true => format!("{}.woff2", name.rsplit_once('.').map_or(&*name, |(s, _)| s)),
            false => name.clone(),
        };
        let remembered = manifest.as_ref().and_then(|m| m.get(&name)).cloned();
        // The font this file is: the one of its name, or the one the manifest ties it to (the
        // same face found on the site under another file name, Webflow's 409) while that
        // font is still there.
        let hosted = self.on_site.get(&upload_name).cloned().or_else(|| {
            let r = remembered.as_ref()?;
            Some((r.id.clone(), self.by_id.get(&r.id)?.clone()))
        });
        let mut remember_in =
            |id: &str, md5: &str| remember(manifest.as_deref_mut(), dir, &name, id, md5);
        if let Some((id, hosted_url)) = &hosted {
            let remembered = remembered.as_ref();
            // The source's MD5 when the hosted file was found to be the bytes this run would
            // send: remembered below, so the next run need not compress or download.
            let mut same_as_hosted = None;
            // The manifest remembers the local file's MD5 (the source's, when it was
            // compressed), so an unchanged file is known without compressing it again.
            // Without it, the hosted file is hashed and compared with the bytes this run
            // would send (the fonts listing gives no size to compare). A check that cannot
            // be made fails the file: it is neither changed nor unchanged.
            let changed = match (remembered, hosted_url) {
                (Some(r), _) if &r.id == id => {
                    let local = webflow_assets::hash::md5_file(path)
                        .await
                        .with_context(|| format!("reading {}", path.display()))?;
                    local != r.md5
                }
                (_, Some(url)) => {
                    let (local, builder_source_md5) = match builder.prepare().await {
                        Ok(prepared) => {
                            let plan = prepared.plan();
                            (plan.md5.clone(), Some(plan.source_md5.clone()))
                        }
                        Err(e) => return Ok((failed_status(None, describe(&e)), Ok(()))),
                    };
                    match client.hosted_md5(url).await {
                        Ok(hosted) if hosted == local => {
                            same_as_hosted = builder_source_md5;
                            false
                        }
                        Ok(_) => true,
                        Err(e) => {
                            let detail = format!("could not compare with the site: {e}");
                            return Ok((failed_status(Some(id), detail), Ok(())));
                        }
                    }
                }
                (_, None) => false,
            };
            let status = match changed {
                true => FontStatus::Changed {
                    id: id.clone(),
                    detail: format!(
                        "changed since it was uploaded as {id}; run `{}`",
                        replace_command(id, path, settings.woff2)
                    ),
                },
                false => FontStatus::Skipped {
                    id: Some(id.clone()),
                    reason: None,
                    detail: format!("already on the site as {id}"),
                },
            };
            let saved = match same_as_hosted.filter(|_| !settings.dry_run) {
                Some(md5) => remember_in(id, &md5),
                None => Ok(()),
            };
            return Ok((status, saved));
        }
        let prepared = match builder.prepare().await {
            Ok(prepared) => prepared,
            Err(e) => return Ok((failed_status(None, describe(&e)), Ok(()))),
        };
        let plan = prepared.plan().clone();
        if settings.dry_run {
            // Webflow would answer 409 for a face the site has: the same check, read-only.
            let status = match same_face(client, &self.listed, &plan, path, settings.woff2).await {
                Some(Ok(status) | Err(status)) => status,
                None => planned_status(&plan),
            };
            return Ok((status, Ok(())));
        }
        Ok(match prepared.send().await {
            Ok(font) => {
                let status = FontStatus::Uploaded {
                    id: font.id.to_string(),
                    md5: font.md5.clone(),
                };
                (status, remember_in(font.id.as_str(), &font.source_md5))
            }
            Err(e @ Error::Api { status: 409, .. }) => {
                // The face is on the site under another file name. The listing taken at the
                // start may predate it (an earlier file of this run), so it is read again.
                let fonts = match client.list_fonts(site).await {
                    Ok(fonts) => fonts,
                    Err(list) => {
                        let detail = format!("{e}; listing the site's fonts failed: {list}");
                        return Ok((failed_status(None, detail), Ok(())));
                    }
                };
                match same_face(client, &fonts, &plan, path, settings.woff2).await {
                    Some(Ok(status)) => {
                        // Tied to that font, so a rerun skips the file without compressing,
                        // sending it or downloading the hosted one again.
                        let saved = match &status {
                            FontStatus::Skipped { id: Some(id), .. } => {
                                remember_in(id, &plan.source_md5)
                            }
                            _ => Ok(()),
                        };
                        (status, saved)
                    }
                    Some(Err(status)) => (status, Ok(())),
                    None => {
                        let detail = format!("{e}; `fonts ls` lists the site's fonts");
                        (failed_status(None, detail), Ok(()))
                    }
                }
            }
            Err(e) => (failed_status(None, describe(&e)), Ok(())),
        })
    }
}

/// Whether `--woff2` compresses a file of this name (a TTF or OTF font).
fn compressible(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ["ttf", "otf"].contains(&ext.to_ascii_lowercase().as_str()))
}

/// The command that replaces font `id`'s file with `path`.
fn replace_command(id: &str, path: &Path, woff2: bool) -> String {
    let flag = if woff2 { " --woff2" } else { "" };
    format!("webflow-assets fonts replace {id} {}{flag}", path.display())
}

fn failed_status(id: Option<&String>, detail: String) -> FontStatus {
    FontStatus::Failed {
        id: id.cloned(),
        detail,
    }
}

fn planned_status(plan: &FontPlan) -> FontStatus {
    FontStatus::Planned {
        upload_as: plan.file_name.clone(),
        source_size: plan.source_size,
        size: plan.size,
        md5: plan.md5.clone(),
        family: plan.family.clone(),
        weight: plan.weight,
        italic: plan.italic,
    }
}

/// What to do with a font whose family, weight and style a font of the site has (Webflow
/// answers 409 to a second one): skip it when the hosted bytes are those this run would
/// send (`Ok`), fail it with the `fonts replace` to run when they differ or cannot be
/// compared (`Err`). `None` when no font of the site has the face.
async fn same_face(
    client: &Client,
    fonts: &[CustomFont],
    plan: &FontPlan,
    path: &Path,
    woff2: bool,
) -> Option<Result<FontStatus, FontStatus>> {
    // Webflow strips commas from family names and compares them without regard to case.
    let family = plan.family.replace(',', "");
    let font = fonts.iter().find(|f| {
        f.font_family
            .as_deref()
            .is_some_and(|other| other.eq_ignore_ascii_case(&family))
            && f.weight == Some(i64::from(plan.weight))
            && f.italic == Some(plan.italic)
    })?;
    let id = font.id.clone().unwrap_or_default();
    let hosted_name = font.file_name.clone().unwrap_or_default();
    let face = format!(
        "{} {}{}",
        family,
        plan.weight,
        if plan.italic { " italic" } else { "" }
    );
    let Some(url) = font.hosted_url.as_deref() else {
        let detail = format!(
            "{face} is already on the site as {id} ({hosted_name}), whose file cannot be \
                 compared; to put this file in its place run `{}`",
            replace_command(&id, path, woff2)
        );
        return Some(Err(failed_status(Some(&id), detail)));
    };
    Some(match client.hosted_md5(url).await {
        Ok(hosted) if hosted == plan.md5 => Ok(FontStatus::Skipped {
            detail: format!("already on the site as {id} ({hosted_name}), the same bytes"),
            id: Some(id),
            reason: None,
        }),
        Ok(_) => {
            let detail = format!(
                "{face} is already on the site as {id} ({hosted_name}) with other bytes; \
                 to put this file in its place run `{}`",
                replace_command(&id, path, woff2)
            );
            Err(failed_status(Some(&id), detail))
        }
        Err(e) => {
            let detail = format!(
                "{face} is already on the site as {id} ({hosted_name}) and could not be \
                 compared: {e}"
            );
            Err(failed_status(Some(&id), detail))
        }
    })
}

fn report(json: bool, file: String, status: FontStatus) {
    if json {
        crate::lines::print(&Line::FontFile(FontRecord { file, status }));
        return;
    }
    match status {
        FontStatus::Uploaded { id, .. } => crate::stdout::line(&format!("uploaded {file} -> {id}")),
        FontStatus::Skipped { detail, .. } => {
            crate::stdout::line(&format!("skipped {file}: {detail}"))
        }
        FontStatus::Changed { detail, .. } => {
            crate::stdout::line(&format!("changed {file}: {detail}"))
        }
        FontStatus::Failed { detail, .. } => {
            crate::stdout::line(&format!("failed {file}: {detail}"))
        }
        FontStatus::Planned {
            upload_as,
            source_size,
            size,
            ..
        } => {
            let percent = (size as f64 * 100.0 / source_size.max(1) as f64).round();
            crate::stdout::line(&match upload_as == file {
                true => format!("would upload {file}: {size} bytes"),
                false => format!(
                    "would upload {file} as {upload_as}: {source_size} -> {size} bytes ({percent}%)"
                ),
            })
        }
        other => crate::stdout::line(&format!("{other:?} {file}")),
    }
}
