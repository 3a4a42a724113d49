//! `webflow-assets copy`: the site's assets to another site, with a mapping of old to new.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use webflow_assets::copy::{self, CopyOptions};
use webflow_assets::{FolderPath, LocaleId, SiteId};

use super::Context;
use crate::credentials;
use crate::exit::{Strictness, drive_report, refused, tree_exit_code};
use crate::global::folder_path;

#[derive(clap::Args)]
pub struct Args {
    /// The target site's id.
    #[arg(long)]
    to_site: SiteId,
    /// Only this folder path of the source and the folders below it.
    #[arg(long, value_parser = folder_path)]
    folder: Option<FolderPath>,
    /// The folder path on the target the copy goes under.
    #[arg(long, value_parser = folder_path)]
    to_folder: Option<FolderPath>,
    /// Print what would be copied; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Where the mapping goes: MAPPING.csv and MAPPING.json.
    #[arg(long, default_value = "webflow-assets-mapping")]
    mapping: PathBuf,
    /// Also copy these secondary locales' alt text (repeatable; `--locale` is an alias).
    /// Unlike other commands' `--locale`, it adds locales to the primary one.
    #[arg(long = "locales", alias = "locale", value_name = "LOCALE")]
    locales: Vec<LocaleId>,
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    let output = ctx.output;
    // Its own client, so its own rate budget, even when the token is the same. The target
    // client fetches the source's hosted bytes (UploadSource::url), so it is held to the
    // same address rule as the source client.
    let target_token = credentials::target_token(&credentials::process_env)
        .unwrap_or_else(|| on.connected.found.token.clone());
    let target = ctx.client(target_token)?;
    let options = CopyOptions::default()
        .maybe_folder(args.folder)
        .maybe_to_folder(args.to_folder)
        .locales(args.locales)
        .dry_run(args.dry_run)
        .bulk(ctx.bulk());
    let plan = on
        .client()
        .copy_plan(&on.site, &target, &args.to_site, options)
        .await?;
    if args.dry_run {
        for record in plan.records() {
            output.record(&record, None);
        }
        output.note(
            &format!(
                "plan: {} to copy, {} already there, {} folders to create",
                plan.copies.len(),
                plan.matched.len(),
                plan.folders.len()
            ),
            None,
        );
        return Ok(tree_exit_code(refused(&plan.skipped)));
    }
    let matched = plan.matched.clone();
    let (code, report) = drive_report(plan.start(&target).await?, output, Strictness::Tree).await?;
    let rows = copy::mapping(&matched, &report);
    let with = |ext: &str| {
        let mut name = args.mapping.clone().into_os_string();
        name.push(ext);
        PathBuf::from(name)
    };
    let (csv_path, json_path) = (with(".csv"), with(".json"));
    let written = (|| -> Result<()> {
        let file = std::fs::File::create(&csv_path)
            .with_context(|| format!("writing {}", csv_path.display()))?;
        copy::write_mapping_csv(&rows, file)?;
        std::fs::write(&json_path, serde_json::to_string_pretty(&rows)? + "\n")
            .with_context(|| format!("writing {}", json_path.display()))?;
        Ok(())
    })();
    match written {
        Ok(()) => {}
        // A run that failed has printed its one error line already; the mapping's
        // failure is said beside it, and the exit status stays the run's.
        Err(e) if code != ExitCode::SUCCESS => {
            crate::stderr::line(&format!("error: the mapping was not written: {e:#}"));
            return Ok(code);
        }
        Err(e) => return Err(e),
    }
    output.note(
        &format!(
            "mapping of {} assets written to {} and {}",
            rows.len(),
            csv_path.display(),
            json_path.display()
        ),
        None,
    );
    Ok(code)
}
