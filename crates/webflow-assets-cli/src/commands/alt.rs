//! `webflow-assets alt`: set one asset's alt text, or export every asset's to CSV and import
//! it back.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{ArgMatches, FromArgMatches};
use webflow_assets::alt_text::{self, AltExportOptions, AltImportOptions};
use webflow_assets::{AssetId, FolderPath, LocaleId};

use super::Context;
use crate::dry_run;
use crate::exit::{Strictness, drive};
use crate::failure;
use crate::global::folder_path;

/// What `alt` was asked to do: exactly one of three, so nothing downstream meets a fourth.
pub enum Args {
    /// `alt ID TEXT`.
    Set(SetArgs),
    /// `alt export`.
    Export(ExportArgs),
    /// `alt import FILE`.
    Import(ImportArgs),
}

// Alt text at scale.
#[derive(clap::Subcommand)]
enum Bulk {
    /// Write one CSV row per asset to standard output: id, folder_path, name, alt_text (as
    /// now) and new_alt_text (the same; edit this column, then import the file).
    Export(ExportArgs),
    /// Apply an exported and edited CSV: rows whose new_alt_text differs are written, unless
    /// the site's alt text changed since the export (that row is refused, exit status 1).
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub struct SetArgs {
    /// The asset's id.
    asset_id: AssetId,
    /// The alt text.
    text: String,
    /// Set it for this locale instead of the primary one.
    #[arg(long)]
    locale: Option<LocaleId>,
    /// Show the alt text now and what it would become; change nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Only assets in this folder path (and below it).
    #[arg(long, value_parser = folder_path)]
    folder: Option<FolderPath>,
    /// Export the alt text of this locale instead of the primary one.
    #[arg(long)]
    locale: Option<LocaleId>,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The CSV file.
    file: PathBuf,
    /// Write the alt text of this locale instead of the primary one.
    #[arg(long)]
    locale: Option<LocaleId>,
    /// Overwrite rows whose alt text changed on the site since the export.
    #[arg(long)]
    force: bool,
    /// Show what would change; change nothing.
    #[arg(long)]
    dry_run: bool,
}

// clap reads an asset and its text, or a subcommand, never both: it refuses both, and
// requires the asset and the text when no subcommand is named. Which one it read decides
// the variant, so no combination is left over.
impl FromArgMatches for Args {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut matches.clone())
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        if matches.subcommand_name().is_none() {
            return SetArgs::from_arg_matches_mut(matches).map(Self::Set);
        }
        Ok(match Bulk::from_arg_matches_mut(matches)? {
            Bulk::Export(args) => Self::Export(args),
            Bulk::Import(args) => Self::Import(args),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for Args {
    fn augment_args(command: clap::Command) -> clap::Command {
        let command = <Bulk as clap::Subcommand>::augment_subcommands(command);
        SetArgs::augment_args(command)
            .args_conflicts_with_subcommands(true)
            .subcommand_negates_reqs(true)
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    match args {
        Args::Set(args) => set(args, ctx).await,
        Args::Export(args) => export(args, ctx).await,
        Args::Import(args) => import(args, ctx).await,
    }
}

/// Needs no site: an asset id names the asset alone.
async fn set(args: SetArgs, ctx: &Context<'_>) -> Result<ExitCode> {
    let client = ctx.connect()?.client;
    if args.dry_run {
        let field = dry_run::Field::AltText;
        let (id, json) = (&args.asset_id, ctx.json());
        return dry_run::change(&client, id, field, args.text, args.locale, json).await;
    }
    let update = client
        .update_asset(&args.asset_id)
        .alt_text(args.text)
        .maybe_locale(args.locale);
    ctx.output.asset(&update.send().await?);
    Ok(ExitCode::SUCCESS)
}

async fn export(args: ExportArgs, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    let rows = on
        .client()
        .alt_export(
            &on.site,
            AltExportOptions::default()
                .maybe_folder(args.folder)
                .maybe_locale(args.locale),
        )
        .await?;
    // Written whole, then sent through the one writer.
    let mut csv = Vec::new();
    alt_text::write_csv(&rows, &mut csv)?;
    crate::stdout::write(&csv)?;
    Ok(ExitCode::SUCCESS)
}

async fn import(args: ImportArgs, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    let reader = std::fs::File::open(&args.file)
        .with_context(|| format!("opening {}", args.file.display()))?;
    let rows = alt_text::read_csv(reader)?;
    let options = AltImportOptions::default()
        .maybe_locale(args.locale)
        .force(args.force)
        .dry_run(args.dry_run)
        .concurrency(ctx.bulk().concurrency);
    let plan = on.client().alt_import_plan(&on.site, rows, options).await?;
    if args.dry_run {
        for record in plan.records() {
            ctx.output.record(&record, None);
        }
        if let Some(failure) = failure::of_plan(&plan.failed) {
            return Err(failure.into());
        }
        return Ok(ExitCode::SUCCESS);
    }
    drive(plan.start(on.client()).await?, ctx.output, Strictness::Tree).await
}
