//! `webflow-assets ls`: list assets.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::{FolderPath, LocaleId};

use super::Context;
use crate::global::folder_path;
use crate::listing;

#[derive(clap::Args)]
pub struct Args {
    /// Only assets in this folder path (and below it).
    #[arg(long, value_parser = folder_path)]
    folder: Option<FolderPath>,
    /// Show the alt text of this locale.
    #[arg(long)]
    locale: Option<LocaleId>,
    /// Columns, by Webflow's field names: id, displayName, originalFileName, size,
    /// contentType, hostedUrl, altText, folderId, folderPath, siteId, createdOn,
    /// lastUpdated.
    #[arg(long, value_parser = listing::fields, value_name = "a,b,c")]
    fields: Option<listing::Fields>,
    /// How to print (default: a table; --json is --format json).
    #[arg(long, value_enum, conflicts_with = "json")]
    pub format: Option<listing::Format>,
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    let format = match ctx.json() {
        true => listing::Format::Json,
        false => args.format.unwrap_or(listing::Format::Table),
    };
    let listing = listing::Listing {
        fields: args.fields,
        format,
    };
    // One folder listing serves both --folder and the folderPath column.
    let tree = match args.folder.is_some() || listing.needs_folder_paths() {
        true => Some(on.client().folder_tree(&on.site).await?),
        false => None,
    };
    let folder_id = match (&args.folder, &tree) {
        (Some(path), Some(tree)) => Some(tree.require_id(path)?),
        _ => None,
    };
    let assets = on
        .client()
        .list_assets_localized(&on.site, folder_id.as_ref(), args.locale.as_ref())
        .await?;
    listing.print(&assets, tree.as_ref())?;
    Ok(ExitCode::SUCCESS)
}
