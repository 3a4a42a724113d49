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
use webflow_assets::{Client, SiteId, UploadSource};

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
    /// reported as changed: replace it with `fonts replace`).
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
        #[arg(long)]
        italic: Option<bool>,
        /// The CSS font-display: auto, block, swap, fallback or optional.
        #[arg(long, default_value = "swap", value_parser = font_display)]
        display: FontDisplay,
    },
    /// Replace a font's file, keeping its id (and every reference to it).
    Replace {
        /// The font's id.
        font_id: String,
        /// The new file.
        file: PathBuf,
    },
    /// Delete fonts (100 a request); ids that do not exist are reported, not an error.
    Rm {
        /// Ids of the fonts to delete.
        #[arg(required = true)]
        font_ids: Vec<String>,
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
            display,
        } => {
            let settings = Settings {
                family,
                weight,
                italic,
                display,
            };
            upload(client, site, json, &paths, &settings).await
        }
        FontsCommand::Replace { font_id, file } => {
            let replaced = client
                .replace_font_file(site, &font_id, file)
                .send()
                .await?;
            if json {
                crate::lines::print(&Line::FontFile(FontRecord {
                    file: replaced.file_name.clone(),
                    status: FontStatus::Replaced {
                        id: replaced.id.clone(),
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
                        file: id.clone(),
                        status: FontStatus::Deleted { id: id.clone() },
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

struct Settings {
    family: Option<String>,
    weight: Option<u16>,
    italic: Option<bool>,
    display: FontDisplay,
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
        } else {
            bail!("{} is neither a file nor a directory", path.display());
        }
    }
    Ok(files)
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
    settings: &Settings,
) -> Result<ExitCode> {
    let files = font_files(paths)?;
    // The site is the source of truth: a file whose name is already a font there is not
    // uploaded again.
    let on_site: BTreeMap<String, (String, Option<String>)> = client
        .list_fonts(site)
        .await?
        .into_iter()
        .filter_map(|f| Some((f.file_name?, (f.id?, f.hosted_url))))
        .collect();
    let mut manifests: BTreeMap<PathBuf, BTreeMap<String, Remembered>> = BTreeMap::new();
    let (mut uploaded, mut skipped, mut failed) = (0, 0, 0);
    for (path, dir) in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let manifest = dir.as_ref().map(|d| {
            manifests
                .entry(d.clone())
                .or_insert_with(|| read_manifest(d))
        });
        if let Some((id, hosted_url)) = on_site.get(&name) {
            let remembered = manifest.as_ref().and_then(|m| m.get(&name));
            let local = webflow_assets::hash::md5_file(&path)
                .await
                .with_context(|| format!("reading {}", path.display()))?;
            // The manifest knows what was uploaded; without it, the hosted file is hashed
            // (the fonts listing gives no size to compare). A check that cannot be made
            // fails the file: it is neither changed nor unchanged.
            let changed = match (remembered, hosted_url) {
                (Some(r), _) if &r.id == id => local != r.md5,
                (_, Some(url)) => match client.hosted_md5(url).await {
                    Ok(hosted) => local != hosted,
                    Err(e) => {
                        failed += 1;
                        let detail = format!("could not compare with the site: {e}");
                        let status = FontStatus::Failed {
                            id: Some(id.clone()),
                            detail,
                        };
                        report(json, name, status);
                        continue;
                    }
                },
                (_, None) => false,
            };
            skipped += 1;
            let reason = if changed {
                format!(
                    "changed since it was uploaded as {id}; run `fonts replace {id} {}`",
                    path.display()
                )
            } else {
                format!("already on the site as {id}")
            };
            let status = match changed {
                true => FontStatus::Changed {
                    id: id.clone(),
                    detail: reason,
                },
                false => FontStatus::Skipped {
                    id: id.clone(),
                    detail: reason,
                },
            };
            report(json, name, status);
            continue;
        }
        let mut builder = client
            .upload_font(site, UploadSource::path(&path))
            .display(settings.display);
        if let Some(family) = &settings.family {
            builder = builder.family(family.clone());
        }
        if let Some(weight) = settings.weight {
            builder = builder.weight(weight);
        }
        if let Some(italic) = settings.italic {
            builder = builder.italic(italic);
        }
        match builder.send().await {
            Ok(font) => {
                uploaded += 1;
                let status = FontStatus::Uploaded {
                    id: font.id.clone(),
                    md5: font.md5.clone(),
                };
                report(json, name.clone(), status);
                if let (Some(manifest), Some(dir)) = (manifest, &dir) {
                    manifest.insert(
                        name.clone(),
                        Remembered {
                            id: font.id.clone(),
                            md5: font.md5.clone(),
                        },
                    );
                    std::fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&*manifest)?)
                        .with_context(|| format!("writing {}", dir.join(MANIFEST).display()))?;
                }
            }
            Err(e) => {
                failed += 1;
                let status = FontStatus::Failed {
                    id: None,
                    detail: e.to_string(),
                };
                report(json, name, status);
            }
        }
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
        other => crate::stdout::line(&format!("{other:?} {file}")),
    }
}
