//! `webflow-assets sites`: the sites the token reaches (no site needed).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::lines::Line;

pub async fn run(ctx: &Context<'_>) -> Result<ExitCode> {
    let client = ctx.connect()?.client;
    for site in client.list_sites().await? {
        if ctx.json() {
            crate::lines::print(&Line::Site(Box::new(site)));
        } else {
            crate::stdout::line(&format!(
                "{}  {}  {}",
                site.id.as_deref().unwrap_or("-"),
                site.short_name.as_deref().unwrap_or("-"),
                site.display_name.as_deref().unwrap_or("-"),
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
