//! `webflow-assets upload`: files from disk or URLs, each one named.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::bulk::BulkFile;
use webflow_assets::{FolderPath, UploadSource};

use super::Context;
use crate::exit::{Strictness, drive};
use crate::failure::{Code, Failure};
use crate::global::folder_path;
use crate::{dry_run, github};

#[derive(clap::Args)]
pub struct Args {
    /// The files to upload: paths, or https:// URLs.
    #[arg(required = true)]
    files: Vec<String>,
    /// Folder path to upload into (created as needed), e.g. brand/logos.
    #[arg(long, value_parser = folder_path)]
    folder: Option<FolderPath>,
    /// Alt text for the uploaded file (one file only).
    #[arg(long)]
    alt: Option<String>,
    /// Display name for the uploaded file (one file only; default: its file name).
    #[arg(long)]
    name: Option<String>,
    /// Check and hash the files (a URL is downloaded from its host) and print the
    /// requests each upload would make; send no upload. Choosing the site by name, or
    /// as the token's only one, still takes one request.
    #[arg(long)]
    dry_run: bool,
}

/// Refuses arguments that cannot work, before the token is looked up and before anything is
/// sent.
fn check(args: &Args) -> Result<()> {
    let one = args.files.len() == 1;
    if args.alt.is_some() && !one {
        let message = "--alt sets the alt text of one file; name exactly one";
        return Err(Failure::new(Code::Usage, message).into());
    }
    if let Some(name) = &args.name {
        if !one {
            let message = "--name sets the display name of one file; name exactly one";
            return Err(Failure::new(Code::Usage, message).into());
        }
        webflow_assets::validate::check_display_name(name).map_err(webflow_assets::Error::from)?;
    }
    Ok(())
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    check(&args)?;
    let on = ctx.connect_to_site().await?;
    let bulk = ctx.bulk();
    let Args {
        files,
        folder,
        alt,
        name: display_name,
        dry_run,
    } = args;
    // Where each file is read from, decided once from what was named, by the library's
    // test (so `HTTPS://` is a URL here as it is everywhere), and carried to the report.
    let sources: Vec<(String, UploadSource)> = files
        .into_iter()
        .map(|name| {
            let source = UploadSource::from(name.as_str());
            (name, source)
        })
        .collect();
    let urls: Vec<String> = sources
        .iter()
        .filter(|(_, source)| source.is_url())
        .map(|(name, _)| name.clone())
        .collect();
    let fetched = urls.len();
    // A URL's file is labelled by the URL.
    github::fetched_from_urls(urls);
    let files = sources.into_iter().map(|(name, source)| {
        let file = match source.is_url() {
            true => BulkFile::url(name),
            false => BulkFile::path(name),
        };
        file.maybe_alt_text(alt.clone())
            .maybe_display_name(display_name.clone())
            .maybe_folder(folder.clone())
    });
    if dry_run {
        let plans = on.client().plan_uploads(&on.site, files, &bulk).await;
        return dry_run::uploads(plans, fetched, on.request, ctx.json());
    }
    let run = on.client().upload_many(&on.site, files, bulk)?;
    drive(run, ctx.output, Strictness::Named).await
}
