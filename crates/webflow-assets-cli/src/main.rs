//! `webflow-assets`: put files on a Webflow site and keep them organised.

mod output;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use futures::StreamExt;
use webflow_assets::bulk::{BulkFile, BulkOptions, BulkRun};
use webflow_assets::sync::SyncOptions;
use webflow_assets::{Client, DEFAULT_BASE_URL, RateLimit};

use output::Output;

const EXAMPLES: &str = "\
Examples:
  export WEBFLOW_TOKEN=...            # the token is read from here only
  export WEBFLOW_SITE_ID=580e63e98c9a982ac9b8b741
  webflow-assets upload logo.png brochure.pdf --folder brand/2026
  webflow-assets sync ./exports --folder design --dry-run
  webflow-assets sync ./exports --folder design
  webflow-assets ls --folder brand --json
  webflow-assets folders
  webflow-assets rm 6500aa00bb11cc22dd33ee01

Exit status: 0 when every file was uploaded or skipped, 1 when any failed or the command
could not run, 2 for a usage error, 130 when interrupted (Ctrl-C lets the files in flight
finish, saves the sync manifest and prints the report first).";

/// Upload, sync, list and remove Webflow assets.
#[derive(Parser)]
#[command(name = "webflow-assets", version, after_help = EXAMPLES)]
struct Cli {
    /// The site's id.
    #[arg(long, env = "WEBFLOW_SITE_ID", global = true, hide_env_values = true)]
    site: Option<String>,
    /// The API base URL (point it at a local fake for tests).
    #[arg(long, default_value = DEFAULT_BASE_URL, global = true)]
    base_url: String,
    /// Machine-readable output: one JSON object per line.
    #[arg(long, global = true)]
    json: bool,
    /// Uploads in flight at once.
    #[arg(long, default_value_t = 4, global = true)]
    concurrency: usize,
    /// Requests per window the token may send (Webflow: 60 or 120, by plan; a larger limit
    /// announced by Webflow is adopted).
    #[arg(long, default_value_t = 60, global = true)]
    rate_limit: u32,
    /// The rate-limit window in seconds (Webflow's is a minute).
    #[arg(long, default_value_t = 60.0, global = true)]
    rate_window: f64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Upload files.
    Upload {
        /// The files to upload.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder path to upload into (created as needed), e.g. brand/logos.
        #[arg(long)]
        folder: Option<String>,
    },
    /// Mirror a directory: upload what is new or changed, skip the rest.
    Sync {
        /// The directory.
        dir: PathBuf,
        /// Folder path the tree goes under.
        #[arg(long)]
        folder: Option<String>,
        /// Show what would be uploaded; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The manifest file (default: DIR/.webflow-assets-manifest.json).
        #[arg(long)]
        manifest: Option<PathBuf>,
    },
    /// List assets.
    Ls {
        /// Only assets in this folder path (and below it).
        #[arg(long)]
        folder: Option<String>,
    },
    /// List asset folders, with their paths.
    Folders,
    /// Delete assets.
    Rm {
        /// Ids of the assets to delete.
        #[arg(required = true)]
        asset_ids: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let output = Output::new(cli.json);
    match runtime.block_on(run(cli, &output)) {
        Ok(code) => code,
        Err(e) => {
            output.error(&format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, output: &Output) -> Result<ExitCode> {
    let token =
        std::env::var("WEBFLOW_TOKEN").context("set WEBFLOW_TOKEN to a Webflow API token")?;
    if !(cli.rate_window.is_finite() && cli.rate_window > 0.0) {
        bail!("--rate-window must be a positive number of seconds");
    }
    let rate_limit = RateLimit {
        requests: cli.rate_limit,
        window: Duration::from_secs_f64(cli.rate_window),
    };
    let client = Client::builder(token)
        .base_url(&cli.base_url)
        .rate_limit(rate_limit)
        .build()?;
    let Some(site) = cli.site else {
        bail!("name the site with --site or WEBFLOW_SITE_ID");
    };
    let bulk = BulkOptions {
        concurrency: cli.concurrency.max(1),
        ..Default::default()
    };
    match cli.command {
        Command::Upload { files, folder } => {
            let files = files.into_iter().map(|path| {
                let file = BulkFile::path(path);
                match &folder {
                    Some(folder) => file.folder_path(folder.clone()),
                    None => file,
                }
            });
            drive(client.upload_many(&site, files, bulk), output).await
        }
        Command::Sync {
            dir,
            folder,
            dry_run,
            manifest,
        } => {
            let options = SyncOptions {
                folder,
                manifest,
                dry_run,
                bulk,
            };
            drive(client.sync_dir(&site, &dir, options).await?, output).await
        }
        Command::Ls { folder } => {
            let folder_id = match folder {
                Some(path) => Some(find_folder(&client, &site, &path).await?),
                None => None,
            };
            output.assets(&client.list_assets(&site, folder_id.as_deref()).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Folders => {
            output.folders(&client.list_folders(&site).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Rm { asset_ids } => {
            let mut failed = 0;
            for id in asset_ids {
                match client.delete_asset(&id).await {
                    Ok(_) => output.deleted(&id, None),
                    Err(e) => {
                        failed += 1;
                        output.deleted(&id, Some(&e.to_string()));
                    }
                }
            }
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

/// The id of the folder at `path`, which must exist.
async fn find_folder(client: &Client, site: &str, path: &str) -> Result<String> {
    match client.find_folder_path(site, path).await? {
        Some(folder) => folder.id.context("Webflow gave the folder no id"),
        None => bail!("no folder {path:?} on this site"),
    }
}

/// Resolves on Ctrl-C. On Unix the handler is installed before this returns, so an interrupt
/// that comes early is not lost to the default action (killing the process mid-write).
fn interrupt() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let installed = signal(SignalKind::interrupt());
        async move {
            match installed {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Shows a run's files as they finish, cancels it on Ctrl-C, and prints the report.
async fn drive(mut run: BulkRun, output: &Output) -> Result<ExitCode> {
    let cancel = run.cancel_handle();
    let bar = output.progress(run.progress());
    let mut interrupted = false;
    let ctrl_c = interrupt();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            file = run.next() => match file {
                Some(file) => output.file(&file, bar.as_ref()),
                None => break,
            },
            _ = &mut ctrl_c, if !interrupted => {
                interrupted = true;
                cancel.cancel();
                output.note("interrupted: letting the files in flight finish", bar.as_ref());
            }
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = run.report();
    output.report(report);
    Ok(if interrupted {
        ExitCode::from(130)
    } else if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
