//! `webflow-assets`: put files on a Webflow site and keep them organised.

// Every byte goes through `stdout` and `stderr`, which a reader that went away cannot panic.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod auth;
mod credentials;
mod dry_run;
mod failure;
mod folders;
mod fonts;
mod github;
mod lines;
mod listing;
mod login;
mod mcp;
mod output;
mod panics;
mod shell;
mod site;
mod stderr;
mod stdout;
mod usage;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{CommandFactory, Parser, Subcommand};
use futures::StreamExt;
use webflow_assets::alt_text::{self, AltImportOptions};
use webflow_assets::bulk::{
    BulkFile, BulkOptions, BulkRun, FileOutcome, Outcome, Record, Report, SkipReason,
};
use webflow_assets::copy::{self, CopyOptions};
use webflow_assets::pull::PullOptions;
use webflow_assets::sync::{DEFAULT_MAX_DELETE, Filter, SyncOptions, Verify};
use webflow_assets::{AssetId, Client, DEFAULT_BASE_URL, FolderId, FolderPath, RateLimit, SiteId};

use failure::{Code, Failure, Needs};
use output::Output;

const EXAMPLES: &str = "\
Examples:
  export WEBFLOW_TOKEN=...            # or WEBFLOW_API_TOKEN, or either in a .env file
  export WEBFLOW_TARGET_TOKEN=...     # copy: the target site's token (default: WEBFLOW_TOKEN)
  webflow-assets auth login           # or store one, typed without echo (--stdin reads it)
  export WEBFLOW_SITE_ID=580e63e98c9a982ac9b8b741   # or a short or display name
  webflow-assets upload logo.png brochure.pdf --folder brand/2026
  webflow-assets upload https://example.com/team/dog.jpg --alt \"A golden retriever\"
  webflow-assets sync ./exports --folder design --delete --dry-run
  webflow-assets sync ./exports --folder design --exclude '*.psd' --delete
  webflow-assets pull ./backup --folder brand --concurrency 16
  WEBFLOW_TARGET_TOKEN=... webflow-assets copy --to-site 65f0aa00bb11cc22dd33ee00 --folder brand
  webflow-assets ls --folder brand --json
  webflow-assets alt 6500aa00bb11cc22dd33ee01 \"A red bicycle\"
  webflow-assets alt export --folder brand > alt.csv   # edit new_alt_text, then:
  webflow-assets alt import alt.csv --dry-run
  webflow-assets info 6500aa00bb11cc22dd33ee01 --json
  webflow-assets ls --fields id,displayName,size,folderPath --format csv > assets.csv
  webflow-assets upload logo.png --name \"Logo\" --folder brand --dry-run
  webflow-assets folders
  webflow-assets folders create logos --parent brand
  webflow-assets audit --folder brand --locale 65f0aa00bb11cc22dd33ee99
  webflow-assets rm 6500aa00bb11cc22dd33ee01
  webflow-assets sites
  webflow-assets fonts upload ./fonts        # skips fonts already on the site
  webflow-assets fonts ls --json

Exit status:
  0    everything named is on the site (sync: every file uploaded, unchanged or left out
       by a filter, hidden or a link)
  1    something failed, or the command could not run; for upload, a named file that is
       refused (type, size, name) or missing is a failure
  2    usage error
  3    sync completed, but the SDK refused some files (type, size, name): they are not on
       the site (like `aws s3 sync` exiting 2 when it skipped files); a --dry-run exits
       as the run would
  4    audit found something to fix (0: nothing found; 1: some assets could not be compared)
  130  interrupted: Ctrl-C lets the files in flight finish, saves the sync manifest and
       prints the report first; a second Ctrl-C stops at once

With --json every line is one JSON object; `webflow-assets schema` prints their JSON Schema.
A failure (a usage error included) is then one line with a stable `code`: missing_token,
missing_site, missing_scope, invalid_token, not_found, rate_limited, refused_file, usage,
conflict, network, io...";

/// Upload, sync, list and remove Webflow assets.
#[derive(Parser)]
#[command(name = "webflow-assets", version, after_help = EXAMPLES)]
struct Cli {
    /// The site: its id, short name or display name (else WEBFLOW_SITE_ID, from the
    /// environment or a .env file; else the token's only site).
    #[arg(long, env = "WEBFLOW_SITE_ID", global = true, hide_env_values = true)]
    site: Option<String>,
    /// Read the token from this environment variable instead of WEBFLOW_TOKEN,
    /// WEBFLOW_API_TOKEN, a .env file or the stored login.
    #[arg(long, global = true, value_name = "NAME")]
    token_env: Option<String>,
    /// The API base URL (point it at a local fake for tests).
    #[arg(long, default_value = DEFAULT_BASE_URL, global = true)]
    base_url: String,
    /// Machine-readable output: one JSON object per line.
    #[arg(long, global = true)]
    json: bool,
    /// Uploads in flight at once (1-256).
    #[arg(long, default_value_t = 4, global = true,
        value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// Requests per window the token may send (Webflow: 60 or 120, by plan; a larger limit
    /// announced by Webflow is adopted).
    #[arg(long, default_value_t = 60, global = true,
        value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    rate_limit: u32,
    /// The rate-limit window in seconds, from 0.001 to 86400 (Webflow's is a minute).
    #[arg(long, default_value_t = 60.0, global = true, value_parser = seconds)]
    rate_window: f64,
    /// Let URL uploads, and downloads of hosted files (pull, copy, audit, `sync
    /// --checksum`), fetch from loopback, private and link-local addresses, which are refused
    /// by default.
    #[arg(long, global = true)]
    allow_private_urls: bool,
    /// Under GitHub Actions (GITHUB_ACTIONS=true), print no annotations for failed and
    /// refused files and write no step summary or step outputs.
    #[arg(long, global = true, env = "WEBFLOW_ASSETS_NO_GITHUB", hide_env_values = true,
        value_parser = clap::builder::BoolishValueParser::new())]
    no_github: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Upload files, from disk or from https URLs.
    Upload {
        /// The files to upload: paths, or https:// URLs.
        #[arg(required = true)]
        files: Vec<String>,
        /// Folder path to upload into (created as needed), e.g. brand/logos.
        #[arg(long, value_parser = folder_path)]
        folder: Option<FolderPath>,
        /// Alt text for the uploaded file (one file only).
        #[arg(long)]
        alt: Option<String>,
        /// Display name for the uploaded file (one file only; default: its file name).
        #[arg(long)]
        name: Option<String>,
        /// Check and hash the files (a URL is downloaded from its host) and print the
        /// requests each upload would make; send no upload. Choosing the site by name, or
        /// as the token's only one, still takes one request.
        #[arg(long)]
        dry_run: bool,
    },
    /// Mirror a directory: compare it with the site, upload what is new or changed, skip the
    /// rest, and with --delete remove what is gone.
    Sync {
        /// The directory. An alt-text.csv (path,alt text) or alt-text.json in it sets alt
        /// text.
        dir: PathBuf,
        /// Folder path the tree goes under.
        #[arg(long, value_parser = folder_path)]
        folder: Option<FolderPath>,
        /// Print the plan (uploads, deletes, request cost); change nothing.
        #[arg(long)]
        dry_run: bool,
        /// The manifest file, a cache (default: DIR/.webflow-assets-manifest.json).
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// Delete assets under the target folder that are provably gone: no local file stands
        /// for them (older versions of changed files included), nothing skipped, unreadable
        /// or excluded covers their path, and every upload succeeded.
        #[arg(long)]
        delete: bool,
        /// Refuse to run when --delete would delete more than this many assets.
        #[arg(long, default_value_t = DEFAULT_MAX_DELETE)]
        max_delete: usize,
        /// Confirm a new target: the directory's manifest records another --folder (or
        /// site) than this sync's, which --delete otherwise refuses, since it would delete
        /// there what the directory never held.
        #[arg(long)]
        retarget: bool,
        /// Compare content (MD5 of the hosted file) where name and size match but the
        /// manifest does not know the asset.
        #[arg(long)]
        checksum: bool,
        /// Only files matching this gitignore-style pattern (repeatable).
        #[arg(long)]
        include: Vec<String>,
        /// Leave out files matching this gitignore-style pattern (repeatable).
        #[arg(long)]
        exclude: Vec<String>,
        /// Follow symbolic links to files and directories (with loop detection). Without it,
        /// links are skipped and nothing on the site under their path is deleted.
        #[arg(long, short = 'L')]
        follow_links: bool,
    },
    /// Mirror the site's assets (or one folder's subtree) into a directory by folder path:
    /// download what the directory lacks, and write the manifest and alt-text.json that
    /// sync reads, so syncing the directory back changes nothing.
    Pull {
        /// The directory (created if needed).
        dir: PathBuf,
        /// Only this folder path and the folders below it.
        #[arg(long, value_parser = folder_path)]
        folder: Option<FolderPath>,
        /// Print what would be downloaded; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The manifest file, a cache (default: DIR/.webflow-assets-manifest.json).
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// Also record this locale's alt text in alt-text.json (repeatable).
        #[arg(long)]
        locale: Vec<String>,
    },
    /// Copy the site's assets (or one folder's subtree) to another site: recreate the
    /// folder tree, upload each file from the source's CDN with its name, alt text and
    /// display name, and write a mapping of old to new ids and URLs. What the target already
    /// has (same folder path, name and size) is not copied again. The target's token is
    /// read from WEBFLOW_TARGET_TOKEN (default: WEBFLOW_TOKEN); each token keeps its own
    /// rate budget.
    Copy {
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
        /// Also copy this locale's alt text (repeatable).
        #[arg(long)]
        locale: Vec<String>,
    },
    /// List assets.
    Ls {
        /// Only assets in this folder path (and below it).
        #[arg(long, value_parser = folder_path)]
        folder: Option<FolderPath>,
        /// Show the alt text of this locale.
        #[arg(long)]
        locale: Option<String>,
        /// Columns, by Webflow's field names: id, displayName, originalFileName, size,
        /// contentType, hostedUrl, altText, folderId, folderPath, siteId, createdOn,
        /// lastUpdated.
        #[arg(long, value_parser = listing::fields, value_name = "a,b,c")]
        fields: Option<listing::Fields>,
        /// How to print (default: a table; --json is --format json).
        #[arg(long, value_enum, conflicts_with = "json")]
        format: Option<listing::Format>,
    },
    /// List asset folders, with their paths; or create one.
    Folders {
        #[command(subcommand)]
        command: Option<folders::FoldersCommand>,
    },
    /// Show one asset.
    Info {
        /// The asset's id.
        asset_id: AssetId,
        /// Show the alt text of this locale.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Set an asset's alt text; or export every asset's alt text to CSV and import it back.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Alt {
        #[command(subcommand)]
        bulk: Option<AltCommand>,
        /// The asset's id.
        #[arg(required = true)]
        asset_id: Option<AssetId>,
        /// The alt text.
        #[arg(required = true)]
        text: Option<String>,
        /// Set it for this locale instead of the primary one.
        #[arg(long)]
        locale: Option<String>,
        /// Show the alt text now and what it would become; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Set an asset's display name (the same in every locale).
    Rename {
        /// The asset's id.
        asset_id: AssetId,
        /// The new display name.
        name: String,
        /// Show the display name now and what it would become; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete assets.
    Rm {
        /// Ids of the assets to delete.
        #[arg(required = true)]
        asset_ids: Vec<AssetId>,
    },
    /// List the sites the token can reach (no --site needed).
    Sites,
    /// Custom fonts: ls, upload, replace, rm.
    Fonts {
        #[command(subcommand)]
        command: fonts::FontsCommand,
    },
    /// Report what to fix: images without alt text, duplicate files (same size and MD5 of
    /// the hosted bytes), names longer than Webflow accepts, empty folders. Exit status 4
    /// when anything is found.
    Audit {
        /// Only this folder path (and below it).
        #[arg(long, value_parser = folder_path)]
        folder: Option<FolderPath>,
        /// Check alt text in this locale instead of the primary one.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Serve the tools to an agent over MCP on standard input and output: upload, list,
    /// update and delete assets, plan and apply syncs, pull, audit, fonts. The token, site
    /// and limits come from the same flags and environment as every command.
    Mcp(mcp::McpArgs),
    /// Print the JSON Schema of the lines --json prints.
    Schema,
    /// The token: where it is read from and what it reaches (status), storing one (login),
    /// removing the stored one (logout).
    Auth {
        #[command(subcommand)]
        command: AuthCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Write the man pages into a directory (`cargo xtask man` runs this).
    #[command(hide = true)]
    Man {
        /// The directory.
        dir: PathBuf,
    },
}

/// Alt text at scale.
#[derive(Subcommand)]
enum AltCommand {
    /// Write one CSV row per asset to standard output: id, folder_path, name, alt_text (as
    /// now) and new_alt_text (the same; edit this column, then import the file).
    Export {
        /// Only assets in this folder path (and below it).
        #[arg(long, value_parser = folder_path)]
        folder: Option<FolderPath>,
        /// Export the alt text of this locale instead of the primary one.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Apply an exported and edited CSV: rows whose new_alt_text differs are written, unless
    /// the site's alt text changed since the export (that row is refused, exit status 1).
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Write the alt text of this locale instead of the primary one.
        #[arg(long)]
        locale: Option<String>,
        /// Overwrite rows whose alt text changed on the site since the export.
        #[arg(long)]
        force: bool,
        /// Show what would change; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `webflow-assets auth ...`.
#[derive(Subcommand)]
enum AuthCommand {
    /// Say where the token was read from (never the token), its scopes and its sites.
    Status,
    /// Check a token with Webflow and store it, readable only by you, for when no other
    /// source gives one. It is typed at a prompt that does not echo it, or read from
    /// standard input with --stdin; never taken as an argument (shell history keeps those).
    /// The file is under your config directory, or $WEBFLOW_ASSETS_CONFIG_DIR.
    Login {
        /// Read the token from standard input (one line), e.g. from a secret manager.
        #[arg(long)]
        stdin: bool,
        /// A token given as an argument, refused without repeating it (clap would echo it).
        #[arg(hide = true, num_args = 0..)]
        argument: Vec<String>,
    },
    /// Remove the stored token (nothing to remove is not an error).
    Logout,
}

/// Refuses arguments that cannot work, before the token is looked up and before anything is
/// sent.
fn check_input(command: &Command) -> Result<()> {
    let usage = |message: &str| Err(Failure::new(Code::Usage, message).into());
    match command {
        Command::Upload { files, alt, .. } if alt.is_some() && files.len() != 1 => {
            usage("--alt sets the alt text of one file; name exactly one")
        }
        Command::Upload { files, name, .. } if name.is_some() && files.len() != 1 => {
            usage("--name sets the display name of one file; name exactly one")
        }
        Command::Upload {
            name: Some(name), ..
        } => webflow_assets::validate::check_display_name(name)
            .map_err(|rule| webflow_assets::Error::from(rule).into()),
        Command::Sync {
            include, exclude, ..
        } => Filter::new(include, exclude).map(drop).map_err(Into::into),
        Command::Alt {
            bulk: None,
            asset_id: None,
            ..
        }
        | Command::Alt {
            bulk: None,
            text: None,
            ..
        } => usage("name an asset and its alt text, or use alt export/import"),
        _ => Ok(()),
    }
}

/// Whether the command names assets by id alone, which needs no site: it is answered before
/// a site is chosen (which may cost a request, or fail for a token that reaches several).
fn names_no_site(command: &Command) -> bool {
    matches!(
        command,
        Command::Info { .. }
            | Command::Rename { .. }
            | Command::Rm { .. }
            | Command::Alt {
                asset_id: Some(_),
                text: Some(_),
                ..
            }
    )
}

/// Runs a command for which [`names_no_site`] holds.
async fn without_site(
    command: Command,
    client: &Client,
    output: &Output,
    json: bool,
) -> Result<ExitCode> {
    match command {
        Command::Info { asset_id, locale } => {
            output.asset(&client.get_asset(&asset_id, locale.as_deref()).await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Alt {
            asset_id: Some(asset_id),
            text: Some(text),
            locale,
            dry_run: true,
            ..
        } => {
            let field = dry_run::Field::AltText;
            dry_run::change(client, &asset_id, field, text, locale, json).await
        }
        Command::Alt {
            asset_id: Some(asset_id),
            text: Some(text),
            locale,
            ..
        } => {
            let update = client.update_asset(&asset_id).alt_text(text);
            let update = match locale {
                Some(locale) => update.locale_id(locale),
                None => update,
            };
            output.asset(&update.send().await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Rename {
            asset_id,
            name,
            dry_run: true,
        } => {
            let field = dry_run::Field::DisplayName;
            dry_run::change(client, &asset_id, field, name, None, json).await
        }
        Command::Rename { asset_id, name, .. } => {
            output.asset(
                &client
                    .update_asset(&asset_id)
                    .display_name(name)
                    .send()
                    .await?,
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Rm { asset_ids } => {
            let mut report = Report::default();
            for id in asset_ids {
                let outcome = match client.delete_asset(&id).await {
                    Ok(()) => Outcome::deleted(
                        id.to_string(),
                        webflow_assets::sync::DeleteReason::Requested,
                    ),
                    Err(e) => Outcome::Failed(e),
                };
                let record = Record::of(&FileOutcome::new(id.to_string(), outcome));
                output.record(&record, None);
                report.push(record);
            }
            output.run_failed(&report, None);
            Ok(exit_code(&report, false))
        }
        _ => bail!("internal: a command that needs a site was run without one"),
    }
}

/// A folder path, checked as the library checks it.
fn folder_path(text: &str) -> Result<FolderPath, String> {
    FolderPath::parse(text).map_err(|rule| rule.to_string())
}

/// A number of seconds that a duration can hold.
fn seconds(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|e| format!("{e}"))?;
    match value.is_finite() && (0.001..=86_400.0).contains(&value) {
        true => Ok(value),
        false => Err("expected seconds from 0.001 to 86400".into()),
    }
}

/// What the command needs of the token, to name the scope a 403 says is missing.
fn needs(command: &Command) -> Needs {
    match command {
        Command::Ls { .. }
        | Command::Info { .. }
        | Command::Pull { .. }
        | Command::Audit { .. }
        | Command::Folders { command: None }
        | Command::Folders {
            command: Some(folders::FoldersCommand::List),
        }
        | Command::Alt {
            bulk: Some(AltCommand::Export { .. }),
            ..
        } => Needs::Read,
        Command::Sites | Command::Fonts { .. } | Command::Auth { .. } => Needs::Sites,
        _ => Needs::Write,
    }
}

fn main() -> ExitCode {
    panics::install();
    let cli: Cli = usage::parse();
    github::init(cli.no_github);
    match &cli.command {
        Command::Completions { shell } => return shell::print_completions(*shell, Cli::command()),
        Command::Man { dir } => return shell::write_man_pages(Cli::command(), dir),
        _ => {}
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            crate::stderr::line(&format!("error: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let verb = match &cli.command {
        Command::Pull { .. } => "downloaded",
        Command::Copy { .. } => "copied",
        _ => "uploaded",
    };
    let json = cli.json
        || matches!(
            cli.command,
            Command::Ls {
                format: Some(listing::Format::Json),
                ..
            }
        );
    // The MCP server's standard output carries the protocol only.
    let json = json && !matches!(cli.command, Command::Mcp(_));
    let needs = needs(&cli.command);
    let target = matches!(cli.command, Command::Copy { .. })
        && std::env::var_os("WEBFLOW_TARGET_TOKEN").is_some();
    let output = Output::new(json).verb(verb);
    let source = std::sync::OnceLock::new();
    match runtime.block_on(run(cli, &output, &source)) {
        Ok(code) => code,
        Err(e) => {
            let mut described = failure::describe(&e, needs);
            credentials::explain_refused(&mut described, source.get(), target);
            output.error(&described);
            described.code.exit_code()
        }
    }
}

/// Runs the command; `source` is set to where the token was found, for the hint of a
/// refused token.
async fn run(
    cli: Cli,
    output: &Output,
    source: &std::sync::OnceLock<credentials::Source>,
) -> Result<ExitCode> {
    if let Command::Schema = cli.command {
        stdout::write(lines::schema().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    check_input(&cli.command)?;
    let env = |name: &str| std::env::var(name).ok();
    let login_file = login::token_file(&env);
    let rate_limit = RateLimit::new(cli.rate_limit, Duration::from_secs_f64(cli.rate_window));
    let build = |token: String| -> Result<Client> {
        panics::hide(&token);
        Ok(Client::builder(token)
            .base_url(&cli.base_url)
            .rate_limit(rate_limit)
            .allow_private_urls(cli.allow_private_urls)
            .build()?)
    };
    match cli.command {
        Command::Auth {
            command: AuthCommand::Login { argument, .. },
        } if !argument.is_empty() => return Ok(auth::refuse_argument(output)),
        Command::Auth {
            command: AuthCommand::Login { stdin, .. },
        } => return auth::login(stdin, build, login_file.as_deref(), output).await,
        Command::Auth {
            command: AuthCommand::Logout,
        } => return auth::logout(login_file.as_deref(), cli.json),
        _ => {}
    }
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let local = credentials::Local::new(cwd);
    let found = credentials::token(
        cli.token_env.as_deref(),
        &env,
        &local,
        login_file.as_deref(),
    )?;
    let token = found.token.clone();
    let _ = source.set(found.source.clone());
    let client = build(token.clone())?;
    if let Command::Sites = cli.command {
        return fonts::sites(&client, cli.json).await;
    }
    if let Command::Auth {
        command: AuthCommand::Status,
    } = cli.command
    {
        output.auth_status(&found.source.to_string(), &client.token_info().await?);
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Mcp(args) = cli.command {
        let site = match cli.site {
            Some(site) => Some(site),
            None => credentials::site(&local)?,
        };
        let bulk = BulkOptions::default().concurrency(usize::from(cli.concurrency));
        return mcp::serve(client, site, args, bulk).await;
    }
    if names_no_site(&cli.command) {
        return without_site(cli.command, &client, output, cli.json).await;
    }
    let site = match cli.site {
        Some(site) => Some(site),
        None => credentials::site(&local)?,
    };
    let site_request = site::request_spent(site.as_deref());
    let site: SiteId = site::resolve(&client, site.as_deref()).await?;
    let bulk = BulkOptions::default().concurrency(usize::from(cli.concurrency));
    match cli.command {
        Command::Upload {
            files,
            folder,
            alt,
            name: display_name,
            dry_run,
        } => {
            let files = files.into_iter().map(|name| {
                let file = match name.starts_with("https://") || name.starts_with("http://") {
                    true => BulkFile::url(name),
                    false => BulkFile::path(name),
                };
                let file = match &alt {
                    Some(text) => file.alt_text(text.clone()),
                    None => file,
                };
                let file = match &display_name {
                    Some(text) => file.display_name(text.clone()),
                    None => file,
                };
                match &folder {
                    Some(folder) => file.folder(folder.clone()),
                    None => file,
                }
            });
            if dry_run {
                let plans = client.plan_uploads(&site, files, &bulk).await;
                return dry_run::uploads(plans, site_request, cli.json);
            }
            drive(
                client.upload_many(&site, files, bulk)?,
                output,
                Strictness::Named,
            )
            .await
        }
        Command::Sync {
            dir,
            folder,
            dry_run,
            manifest,
            delete,
            max_delete,
            retarget,
            checksum,
            include,
            exclude,
            follow_links,
        } => {
            let mut options = SyncOptions::default()
                .dry_run(dry_run)
                .bulk(bulk)
                .prune(delete)
                .max_delete(max_delete)
                .retarget(retarget)
                .verify(if checksum {
                    Verify::Checksum
                } else {
                    Verify::NameAndSize
                })
                .filter(Filter::new(&include, &exclude)?)
                .follow_links(follow_links);
            options.folder = folder;
            options.manifest = manifest;
            github::files_under(&dir);
            let plan = client.sync_plan(&site, &dir, options).await?;
            if dry_run {
                output.plan(&plan);
                github::sync_plan(&plan);
                if delete && plan.deletes.len() > max_delete {
                    bail!(Failure::new(
                        Code::Refused,
                        format!(
                            "the sync would delete {} assets, more than --max-delete {max_delete}; it would be refused",
                            plan.deletes.len()
                        )
                    ));
                }
                // A file that could not be read or compared fails the dry run too: the plan
                // cannot say what would happen to it.
                if let Some(failure) = failure::of_plan(&plan.failed) {
                    return Err(failure.into());
                }
                // The real run's status, as far as the plan can tell: 3 when it refuses files.
                return Ok(tree_exit_code(refused(&plan.skipped)));
            }
            if let Some(retarget) = &plan.retarget {
                output.note(&output::retarget_note(retarget), None);
            }
            drive(plan.start(&client).await?, output, Strictness::Tree).await
        }
        Command::Pull {
            dir,
            folder,
            dry_run,
            manifest,
            locale,
        } => {
            let mut options = PullOptions::default();
            options.folder = folder;
            options.dry_run = dry_run;
            options.manifest = manifest;
            options.bulk = bulk;
            options.locales = locale;
            let plan = client.pull_plan(&site, &dir, options).await?;
            if dry_run {
                output.pull_plan(&plan);
                return Ok(ExitCode::SUCCESS);
            }
            drive(plan.start(&client).await?, output, Strictness::Tree).await
        }
        Command::Copy {
            to_site,
            folder,
            to_folder,
            dry_run,
            mapping,
            locale,
        } => {
            // Its own client, so its own rate budget, even when the token is the same.
            let target_token = std::env::var("WEBFLOW_TARGET_TOKEN").unwrap_or(token);
            panics::hide(&target_token);
            // The target client fetches the source's hosted bytes (UploadSource::url), so
            // it is held to the same address rule as the source client.
            let target = Client::builder(target_token)
                .base_url(&cli.base_url)
                .rate_limit(rate_limit)
                .allow_private_urls(cli.allow_private_urls)
                .build()?;
            let mut options = CopyOptions::default();
            options.folder = folder;
            options.to_folder = to_folder;
            options.locales = locale;
            options.dry_run = dry_run;
            options.bulk = bulk;
            let plan = client.copy_plan(&site, &target, &to_site, options).await?;
            if dry_run {
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
            let (code, report) =
                drive_report(plan.start(&target).await?, output, Strictness::Tree).await?;
            let rows = copy::mapping(&matched, &report);
            let with = |ext: &str| {
                let mut name = mapping.clone().into_os_string();
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
        Command::Ls {
            folder,
            locale,
            fields,
            format,
        } => {
            let format = match cli.json {
                true => listing::Format::Json,
                false => format.unwrap_or(listing::Format::Table),
            };
            let listing = listing::Listing { fields, format };
            // One folder listing serves both --folder and the folderPath column.
            let tree = match folder.is_some() || listing.needs_folder_paths() {
                true => Some(client.folder_tree(&site).await?),
                false => None,
            };
            let folder_id = match (&folder, &tree) {
                (Some(path), Some(tree)) => Some(folder_in(tree, path)?),
                _ => None,
            };
            let assets = client
                .list_assets_localized(&site, folder_id.as_ref(), locale.as_deref())
                .await?;
            listing.print(&assets, tree.as_ref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Folders { command } => folders::run(&client, &site, command, output).await,
        Command::Alt {
            bulk: Some(AltCommand::Export { folder, locale }),
            ..
        } => {
            let mut options = alt_text::AltExportOptions::default();
            (options.folder, options.locale) = (folder, locale);
            let rows = client.alt_export(&site, options).await?;
            // Written whole, then sent through the one writer.
            let mut csv = Vec::new();
            alt_text::write_csv(&rows, &mut csv)?;
            stdout::write(&csv)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Alt {
            bulk:
                Some(AltCommand::Import {
                    file,
                    locale,
                    force,
                    dry_run,
                }),
            ..
        } => {
            let reader = std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))?;
            let rows = alt_text::read_csv(reader)?;
            let mut options = AltImportOptions::default();
            options.locale = locale;
            options.force = force;
            options.dry_run = dry_run;
            options.concurrency = bulk.concurrency;
            let plan = client.alt_import_plan(&site, rows, options).await?;
            if dry_run {
                for record in plan.records() {
                    output.record(&record, None);
                }
                if let Some(failure) = failure::of_plan(&plan.failed) {
                    return Err(failure.into());
                }
                return Ok(ExitCode::SUCCESS);
            }
            drive(plan.start(&client).await?, output, Strictness::Tree).await
        }
        Command::Sites => fonts::sites(&client, cli.json).await,
        Command::Fonts { command } => fonts::run(&client, &site, cli.json, command).await,
        Command::Audit { folder, locale } => {
            let mut options = webflow_assets::audit::AuditOptions::default();
            (options.folder, options.locale) = (folder, locale);
            let audit = client.audit(&site, options).await?;
            output.audit(&audit);
            // The audit is incomplete: the findings are printed, and the failure says so.
            if let Some(failure) = failure::of_audit(&audit) {
                return Err(failure.into());
            }
            Ok(audit_exit_code(&audit))
        }
        // Answered before the site is needed.
        Command::Schema | Command::Auth { .. } => Ok(ExitCode::SUCCESS),
        // Refused by check_input.
        Command::Alt { .. } => bail!(Failure::new(
            Code::Usage,
            "name an asset and its alt text, or use alt export/import"
        )),
        // Answered before a site was chosen.
        Command::Info { .. } | Command::Rename { .. } | Command::Rm { .. } | Command::Mcp(_) => {
            without_site(cli.command, &client, output, cli.json).await
        }
        // Answered in main, before the runtime starts.
        Command::Completions { .. } | Command::Man { .. } => Ok(ExitCode::SUCCESS),
    }
}

/// The id of the folder at `path` in `tree`, which must have it (the library's one error
/// for a folder the site lacks, otherwise).
fn folder_in(tree: &webflow_assets::FolderTree, path: &FolderPath) -> Result<FolderId> {
    Ok(tree.require_id(path)?)
}

/// Ctrl-C, each time it is pressed. On Unix the handler is installed when this is made, so an
/// interrupt that comes early is not lost to the default action (killing the process
/// mid-write).
struct Interrupts {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                signal: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next Ctrl-C.
    async fn next(&mut self) {
        #[cfg(unix)]
        match &mut self.signal {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// What the files of a run are to the user.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Strictness {
    /// Named one by one: each one not on the site afterwards is a failure.
    Named,
    /// Found in a tree: refused files get their own exit code.
    Tree,
}

/// Shows a run's files as they finish, cancels it on the first Ctrl-C (the files in flight
/// finish), stops at once on the second, and prints the report.
async fn drive(run: BulkRun, output: &Output, strictness: Strictness) -> Result<ExitCode> {
    Ok(drive_report(run, output, strictness).await?.0)
}

/// [`drive`], returning the report too.
async fn drive_report(
    mut run: BulkRun,
    output: &Output,
    strictness: Strictness,
) -> Result<(ExitCode, Report)> {
    let cancel = run.cancel_handle();
    let bar = output.progress(run.progress());
    let mut interrupted = false;
    let mut interrupts = Interrupts::new();
    let mut report = Report::default();
    // A URL refused for its address calls for the flag that allows it.
    let mut private_url = false;
    loop {
        tokio::select! {
            file = run.next() => match file {
                Some(mut file) => {
                    if strictness == Strictness::Named {
                        named_file_not_uploaded_is_a_failure(&mut file.outcome);
                    }
                    if let Outcome::Failed(error) = &file.outcome {
                        private_url |= failure::is_private_url(error);
                    }
                    let record = Record::of(&file);
                    output.record(&record, bar.as_ref());
                    report.push(record);
                }
                None => break,
            },
            _ = interrupts.next() => {
                if interrupted {
                    // What the run wrote so far is in the journal; the next sync reads it.
                    if let Some(bar) = &bar {
                        bar.abandon();
                    }
                    output.note("interrupted again: stopping now", None);
                    output.error(&failure::interrupted(
                        "interrupted twice: stopped with files in flight",
                    ));
                    std::process::exit(130);
                }
                interrupted = true;
                cancel.cancel();
                output.note(
                    "interrupted: letting the files in flight finish (Ctrl-C again to stop now)",
                    bar.as_ref(),
                );
            }
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    report.hashed = run.report().hashed;
    output.report(&report);
    github::report(&report);
    let code = match interrupted {
        true => ExitCode::from(130),
        false => exit_code(&report, strictness == Strictness::Tree),
    };
    match interrupted {
        true => output.error(&failure::interrupted(
            "interrupted: the files in flight finished, the rest were not started",
        )),
        false => output.run_failed(&report, private_url.then_some(failure::PRIVATE_URL_HINT)),
    }
    Ok((code, report))
}

/// The exit status a finished run's report calls for: 1 when anything failed; 3 when files
/// of a tree were refused (they are not on the site, though nothing failed); else 0.
fn exit_code(report: &Report, tree: bool) -> ExitCode {
    match (report.is_success(), tree) {
        (false, _) => ExitCode::FAILURE,
        (true, true) => tree_exit_code(report.refused()),
        (true, false) => ExitCode::SUCCESS,
    }
}

/// The status of a run of a tree in which nothing failed: 3 when the SDK refused some of
/// its files, else 0. A dry run's plan calls for it too, so it exits as the run would.
fn tree_exit_code(refused: usize) -> ExitCode {
    match refused {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(3),
    }
}

/// How many of a plan's skipped files the SDK refuses (type, size, name).
fn refused(skipped: &[(String, SkipReason)]) -> usize {
    skipped
        .iter()
        .filter(|(_, reason)| reason.is_refused())
        .count()
}

/// An audit's exit status: 1 when some assets could not be compared (the audit is
/// incomplete), 4 when something was found, else 0.
fn audit_exit_code(audit: &webflow_assets::audit::Audit) -> ExitCode {
    if !audit.unchecked.is_empty() {
        ExitCode::FAILURE
    } else if audit.findings() > 0 {
        ExitCode::from(4)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file the user named and the SDK refused is not on the site: a failure, with the rule it
/// breaks as its reason.
fn named_file_not_uploaded_is_a_failure(outcome: &mut Outcome) {
    if let Outcome::Skipped(reason) = outcome
        && let SkipReason::Refused { rule, .. } = reason
    {
        *outcome = Outcome::Failed(webflow_assets::Error::from(rule.clone()));
    }
}
