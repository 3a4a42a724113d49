//! `webflow-assets mcp`: the entry; the server is in the `mcp` module.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::mcp::McpArgs;

/// The site is named, not looked up: the server chooses it when a tool needs it.
pub async fn run(args: McpArgs, ctx: &Context<'_>) -> Result<ExitCode> {
    let connected = ctx.connect()?;
    let site = connected.site_named()?;
    crate::mcp::serve(connected.client, site, args, ctx.bulk()).await
}
