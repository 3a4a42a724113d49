//! The font tools: the site's fonts, and font files uploaded.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use rmcp::RoleServer;
use rmcp::service::RequestContext;
use webflow_assets::font_dir::{FontDirOptions, FontOutcome, is_font_file_name};

use crate::failure::{self, Code, Failure, Needs};
use crate::lines::{FontRecord, FontStatus, Totals};
use crate::mcp::progress::Reporter;
use crate::mcp::results::{self, ErrorObject};
use crate::mcp::roots::Expect;
use crate::mcp::tools;
use crate::mcp::{Answer, Server};

pub(super) async fn list_fonts(server: &Server, _: tools::NoArgs) -> Result<Answer> {
    let site = server.site().await?;
    let fonts = server.client.list_fonts(&site).await?;
    let summary = format!("{} fonts", fonts.len());
    Answer::of(&results::Fonts { fonts }, summary)
}

/// The font files `paths` name: files as given, and each directory's font files by name;
/// every one resolved inside the roots.
fn font_files(server: &Server, paths: &[String]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for given in paths {
        let path = server.roots.resolve(given, Expect::Any)?;
        if !path.is_dir() {
            files.push(server.roots.resolve(given, Expect::File)?);
            continue;
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&path).with_context(|| format!("reading {given}"))? {
            let entry = entry.with_context(|| format!("reading {given}"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // The library's rule, so an agent's directory holds the fonts a person's does.
            if is_font_file_name(name.as_ref()) {
                let inside = format!("{}/{name}", path.display());
                let file = server.roots.resolve(&inside, Expect::Any)?;
                if file.is_file() {
                    found.push(file);
                }
            }
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

pub(super) async fn upload_fonts(
    server: &Server,
    args: tools::UploadFonts,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    if args.paths.is_empty() {
        bail!(Failure::new(Code::InvalidInput, "paths names no font file"));
    }
    let files = font_files(server, &args.paths)?;
    let site = server.site().await?;
    // `fonts upload` without flags, and without a directory's manifest, which would be a
    // file written beside the fonts.
    let options = FontDirOptions::default().without_manifest(true);
    let plan = server.client.font_dir_plan(&site, &files, options).await?;
    let mut run = plan.start(&server.client).await?;
    let mut records = Vec::new();
    let mut totals = Totals::default();
    let mut cancelled = false;
    // The plan keeps the files' order: each path is a file.
    for (done, path) in files.iter().enumerate() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // As a run does on cancellation: the font in flight finished, no new one starts,
        // and each one not started says so.
        cancelled = cancelled || context.ct.is_cancelled();
        let status = match cancelled {
            true => crate::font_lines::status_of(path, &FontOutcome::Cancelled, false),
            false => match run.next().await {
                Some(file) => crate::font_lines::status_of(&file.path, &file.outcome, false),
                None => break,
            },
        };
        match &status {
            FontStatus::Uploaded { .. } => totals.uploaded += 1,
            FontStatus::Failed { .. } => totals.failed += 1,
            _ => totals.skipped += 1,
        }
        records.push(FontRecord { file: name, status });
        progress.files(done + 1, files.len()).await;
    }
    let summary = format!(
        "{} uploaded, {} skipped, {} failed{}",
        totals.uploaded,
        totals.skipped,
        totals.failed,
        if cancelled { "; cancelled" } else { "" }
    );
    let error = match (cancelled, totals.failed) {
        (true, _) => Some(failure::interrupted(
            "cancelled: the font in flight finished, the rest were not started",
        )),
        (false, 0) => None,
        (false, failed) => Some(failure::describe(
            &Failure::new(
                Code::Partial,
                format!("{failed} of {} failed; their records say why", files.len()),
            )
            .into(),
            Needs::Sites,
        )),
    };
    let result = results::FontRun {
        files: records,
        report: totals,
        error: error.map(ErrorObject::from),
    };
    Answer::of(&result, summary)
}
