//! `webflow-assets audit`: what to fix.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::audit::AuditOptions;
use webflow_assets::{FolderPath, LocaleId};

use super::Context;
use crate::exit::audit_exit_code;
use crate::failure;
use crate::global::folder_path;

#[derive(clap::Args)]
pub struct Args {
    /// Only this folder path (and below it).
    #[arg(long, value_parser = folder_path)]
    folder: Option<FolderPath>,
    /// Check alt text in this locale instead of the primary one.
    #[arg(long)]
    locale: Option<LocaleId>,
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    let audit = on
        .client()
        .audit(
            &on.site,
            AuditOptions::default()
                .maybe_folder(args.folder)
                .maybe_locale(args.locale),
        )
        .await?;
    ctx.output.audit(&audit);
    // The audit is incomplete: the findings are printed, and the failure says so.
    if let Some(failure) = failure::of_audit(&audit) {
        return Err(failure.into());
    }
    Ok(audit_exit_code(&audit))
}
