//! `webflow-assets pull`: mirror the site's assets into a directory.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::pull::PullOptions;
use webflow_assets::{FolderPath, LocaleId};

use super::Context;
use crate::exit::{Strictness, drive};
use crate::global::folder_path;

#[derive(clap::Args)]
pub struct Args {
    /// The directory (created if needed).
    dir: PathBuf,
    /// Only this folder path and the folders below it.
    #[arg(long, value_parser = folder_path)]
    folder: Option<FolderPath>,
    /// Print what would be downloaded; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The manifest file, a cache (default: DIR/.webflow-assets-manifest.json).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// Also record these secondary locales' alt text in alt-text.json (repeatable; `--locale`
    /// is an alias). Unlike other commands' `--locale`, it adds locales to the primary one.
    #[arg(long = "locales", alias = "locale", value_name = "LOCALE")]
    locales: Vec<LocaleId>,
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    let options = PullOptions::default()
        .maybe_folder(args.folder)
        .dry_run(args.dry_run)
        .maybe_manifest(args.manifest)
        .bulk(ctx.bulk())
        .locales(args.locales);
    let plan = on.client().pull_plan(&on.site, &args.dir, options).await?;
    if args.dry_run {
        ctx.output.pull_plan(&plan);
        return Ok(ExitCode::SUCCESS);
    }
    drive(plan.start(on.client()).await?, ctx.output, Strictness::Tree).await
}
