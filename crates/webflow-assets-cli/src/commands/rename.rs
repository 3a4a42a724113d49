//! `webflow-assets rename`: an asset's display name.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::AssetId;

use super::Context;
use crate::dry_run;

#[derive(clap::Args)]
pub struct Args {
    /// The asset's id.
    asset_id: AssetId,
    /// The new display name.
    name: String,
    /// Show the display name now and what it would become; change nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Needs no site: an asset id names the asset alone.
pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let client = ctx.connect()?.client;
    if args.dry_run {
        let field = dry_run::Field::DisplayName;
        return dry_run::change(&client, &args.asset_id, field, args.name, None, ctx.json()).await;
    }
    let update = client.update_asset(&args.asset_id).display_name(args.name);
    ctx.output.asset(&update.send().await?);
    Ok(ExitCode::SUCCESS)
}
