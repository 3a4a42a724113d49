//! `webflow-assets fonts`: the entry; the work is in the command's `fonts` module.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: crate::fonts::FontsCommand,
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    crate::fonts::run(on.client(), &on.site, ctx.json(), ctx.output, args.command).await
}
