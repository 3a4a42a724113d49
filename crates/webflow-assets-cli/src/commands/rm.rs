//! `webflow-assets rm`: delete assets by id.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::AssetId;
use webflow_assets::bulk::{FileOutcome, Outcome, Record, Report};

use super::Context;
use crate::exit::exit_code;

#[derive(clap::Args)]
pub struct Args {
    /// Ids of the assets to delete.
    #[arg(required = true)]
    asset_ids: Vec<AssetId>,
}

/// Needs no site: an asset id names the asset alone.
pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let client = ctx.connect()?.client;
    let mut report = Report::default();
    for id in args.asset_ids {
        let label = id.to_string();
        let outcome = match client.delete_asset(&id).await {
            Ok(()) => Outcome::deleted(id, webflow_assets::sync::DeleteReason::Requested),
            Err(e) => Outcome::Failed(e),
        };
        let record = Record::of(&FileOutcome::new(label, outcome));
        ctx.output.record(&record, None);
        report.push(record);
    }
    ctx.output.run_failed(&report, None);
    Ok(exit_code(&report, false))
}
