//! `webflow-assets fonts ls|upload|replace|rm`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Subcommand;
use webflow_assets::font_dir::FontDirOptions;
use webflow_assets::models::{CustomFont, FontDisplay};
use webflow_assets::{Client, Error, FontId, SiteId};

use super::Context;
use crate::failure::{Code, Failure};
use crate::font_lines::{describe, status_of};
use crate::lines::{FontRecord, FontStatus, Line, Totals};
use crate::output::Output;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: FontsCommand,
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    fonts(on.client(), &on.site, ctx.json(), ctx.output, args.command).await
}

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

/// `webflow-assets fonts ...`.
async fn fonts(
    client: &Client,
    site: &SiteId,
    json: bool,
    output: &Output,
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
            let options = FontDirOptions::default()
                .maybe_family(family)
                .maybe_weight(weight)
                // The two switches override each other: at most one is set.
                .maybe_italic(match (italic, no_italic) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                })
                .display(display)
                .woff2(woff2)
                .dry_run(dry_run);
            upload(client, site, json, output, &paths, options).await
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
                let id = failure.id.as_ref().map_or("-".into(), ToString::to_string);
                let (gone, detail) = (failure.already_gone(), failure.message.clone());
                // Deleting is idempotent: a font that is not there is already gone.
                failed += usize::from(!gone);
                if json {
                    let status = match gone {
                        true => FontStatus::NotFound {
                            id: id.clone(),
                            detail,
                        },
                        false => FontStatus::Failed {
                            id: Some(id.clone()),
                            detail,
                        },
                    };
                    crate::lines::print(&Line::FontFile(FontRecord { file: id, status }));
                } else {
                    let verb = if gone { "not found" } else { "failed" };
                    crate::stdout::line(&format!("{verb} {id}: {detail}"));
                }
            }
            crate::exit::some_failed(failed, report.deleted.len() + report.failed.len())
        }
    }
}

/// `--display`, checked before anything is sent.
fn font_display(text: &str) -> Result<FontDisplay, String> {
    text.parse()
        .map_err(|_| "expected auto, block, swap, fallback or optional".to_string())
}

/// A library error in the command's words: what the builder would be told to set is said
/// with the flag that sets it.
fn in_flags(error: Error) -> anyhow::Error {
    Failure::new(crate::failure::code_of(&error), describe(&error)).into()
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

/// `fonts upload`'s paths, checked before anything is read from the site: each is a file or
/// a directory.
fn check_paths(paths: &[PathBuf]) -> Result<()> {
    if let Some(path) = paths.iter().find(|p| !p.is_dir() && !p.is_file()) {
        if matches!(path.to_str(), Some("true" | "false")) {
            // `--italic true` was the form before `--italic` became a switch.
            bail!(Failure::new(
                Code::Usage,
                format!(
                    "{} is neither a file nor a directory; --italic takes no value: pass \
                     --italic or --no-italic",
                    path.display()
                )
            ));
        }
        bail!("{} is neither a file nor a directory", path.display());
    }
    Ok(())
}

async fn upload(
    client: &Client,
    site: &SiteId,
    json: bool,
    output: &Output,
    paths: &[PathBuf],
    options: FontDirOptions,
) -> Result<ExitCode> {
    check_paths(paths)?;
    let (dry_run, woff2) = (options.dry_run, options.woff2);
    let plan = client.font_dir_plan(site, paths, options).await?;
    let run = plan.start(client).await?;
    let (mut uploaded, mut planned, mut skipped, mut failed) = (0, 0, 0, 0);
    let interrupted = crate::exit::drive_fonts(run, output, |name, path, outcome| {
        let status = status_of(path, outcome, woff2);
        match &status {
            FontStatus::Uploaded { .. } => uploaded += 1,
            FontStatus::Planned { .. } => planned += 1,
            FontStatus::Failed { .. } => failed += 1,
            _ => skipped += 1,
        }
        report(json, name, status);
    })
    .await?;
    if dry_run {
        // The same `{"report": …}` line a run ends with, so scripts read one shape: nothing
        // was uploaded; each file's own line says what would be (`planned`).
        if json {
            output.totals(Totals {
                skipped,
                failed,
                ..Totals::default()
            });
        } else {
            crate::stdout::line(&format!(
                "plan: {planned} to upload, {skipped} skipped, {failed} failed; nothing was uploaded"
            ));
        }
        let total = planned + skipped + failed;
        return crate::exit::font_run_ended(output, interrupted, failed, total);
    }
    // The tally every run ends with (`{"report": …}`), so scripts read one shape.
    output.totals(Totals {
        uploaded,
        skipped,
        failed,
        ..Totals::default()
    });
    crate::exit::font_run_ended(output, interrupted, failed, uploaded + skipped + failed)
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
