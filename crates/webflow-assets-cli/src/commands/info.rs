//! `webflow-assets info`: one asset.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::{AssetId, LocaleId};

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The asset's id.
    asset_id: AssetId,
    /// Show the alt text of this locale.
    #[arg(long)]
    locale: Option<LocaleId>,
}

/// Needs no site: an asset id names the asset alone.
pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let client = ctx.connect()?.client;
    let asset = client
        .get_asset(&args.asset_id, args.locale.as_ref())
        .await?;
    ctx.output.asset(&asset);
    Ok(ExitCode::SUCCESS)
}
