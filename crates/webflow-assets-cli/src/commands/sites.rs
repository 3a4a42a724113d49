//! `webflow-assets sites`: the sites the token reaches (no site needed).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;

pub async fn run(ctx: &Context<'_>) -> Result<ExitCode> {
    let client = ctx.connect()?.client;
    crate::fonts::sites(&client, ctx.json()).await
}
