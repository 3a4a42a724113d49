//! The arguments: the list of commands. The flags every command takes are in `global.rs`;
//! each command's own arguments live beside it, in `commands/`.

use clap::{Parser, Subcommand};

use crate::commands::{
    alt, audit, auth, completions, copy, folders, fonts, info, ls, man, pull, rename, rm, sync,
    upload,
};
use crate::failure::Needs;
use crate::global::Global;
use crate::listing;

const EXAMPLES: &str = "\
Examples:
  export WEBFLOW_TOKEN=...            # or WEBFLOW_API_TOKEN, or either in a .env file
  export WEBFLOW_TARGET_TOKEN=...     # copy: the target site's token (default: the source's)
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
  3    sync or copy completed, but the SDK refused some files (type, size, name): they
       are not on the site (like `aws s3 sync` exiting 2 when it skipped files); a
       --dry-run exits as the run would
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
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

// Every command: those that run on the async runtime, and those answered without it.
#[derive(Subcommand)]
pub enum Command {
    #[command(flatten)]
    Async(AsyncCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::Args),
    /// Write the man pages into a directory (`cargo xtask man` runs this).
    #[command(hide = true)]
    Man(man::Args),
}

// The commands that run on the async runtime.
#[derive(Subcommand)]
pub enum AsyncCommand {
    /// Upload files, from disk or from https URLs.
    Upload(upload::Args),
    /// Mirror a directory: compare it with the site, upload what is new or changed, skip the
    /// rest, and with --delete remove what is gone.
    Sync(sync::Args),
    /// Mirror the site's assets (or one folder's subtree) into a directory by folder path:
    /// download what the directory lacks, and write the manifest and alt-text.json that
    /// sync reads, so syncing the directory back changes nothing.
    Pull(pull::Args),
    /// Copy the site's assets (or one folder's subtree) to another site: recreate the
    /// folder tree, upload each file from the source's CDN with its name, alt text and
    /// display name, and write a mapping of old to new ids and URLs. What the target already
    /// has (same folder path, name and size) is not copied again. The target's token is
    /// read from WEBFLOW_TARGET_TOKEN (default: the source site's token); each token keeps
    /// its own rate budget.
    Copy(copy::Args),
    /// List assets.
    Ls(ls::Args),
    /// List asset folders, with their paths; or create one.
    Folders(folders::Args),
    /// Show one asset.
    Info(info::Args),
    /// Set an asset's alt text; or export every asset's alt text to CSV and import it back.
    Alt(alt::Args),
    /// Set an asset's display name (the same in every locale).
    Rename(rename::Args),
    /// Delete assets.
    Rm(rm::Args),
    /// List the sites the token can reach (no --site needed).
    Sites,
    /// Custom fonts: ls, upload, replace, rm.
    Fonts(fonts::Args),
    /// Report what to fix: images without alt text, duplicate files (same size and MD5 of
    /// the hosted bytes), names longer than Webflow accepts, empty folders. Exit status 4
    /// when anything is found.
    Audit(audit::Args),
    /// Serve the tools to an agent over MCP on standard input and output: upload, list,
    /// update and delete assets, plan and apply syncs, pull, audit, fonts. The token, site
    /// and limits come from the same flags and environment as every command.
    Mcp(crate::mcp::McpArgs),
    /// Print the JSON Schema of the lines --json prints.
    Schema,
    /// The token: where it is read from and what it reaches (status), storing one (login),
    /// removing the stored one (logout).
    Auth(auth::Args),
}

impl AsyncCommand {
    /// What the command needs of the token, to name the scope a 403 says is missing.
    pub fn needs(&self) -> Needs {
        match self {
            Self::Ls(_)
            | Self::Info(_)
            | Self::Pull(_)
            | Self::Audit(_)
            | Self::Alt(alt::Args::Export(_)) => Needs::Read,
            Self::Folders(args) if args.only_reads() => Needs::Read,
            Self::Sites | Self::Fonts(_) | Self::Auth(_) => Needs::Sites,
            _ => Needs::Write,
        }
    }

    /// What a finished file of the command's run was.
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Pull(_) => "downloaded",
            Self::Copy(_) => "copied",
            _ => "uploaded",
        }
    }

    /// Whether the command prints JSON lines, given `--json`. The MCP server's standard
    /// output carries the protocol only.
    pub fn prints_json(&self, json: bool) -> bool {
        match self {
            Self::Mcp(_) => false,
            Self::Ls(args) => json || args.format == Some(listing::Format::Json),
            _ => json,
        }
    }

    /// Whether a refused token may be the copy target's, read from WEBFLOW_TARGET_TOKEN.
    pub fn has_target_token(&self) -> bool {
        matches!(self, Self::Copy(_))
            && crate::credentials::target_token(&crate::credentials::process_env).is_some()
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// main.rs parses and dispatches; what a command does goes in `commands/`.
    #[test]
    fn main_rs_stays_within_150_lines() {
        let lines = include_str!("main.rs").lines().count();
        assert!(
            lines <= 150,
            "main.rs has {lines} lines: put the command's work in commands/"
        );
    }

    /// clap's own checks of the arguments (ids, conflicts, `alt`'s two shapes).
    #[test]
    fn the_arguments_are_consistent() {
        Cli::command().debug_assert();
    }
}
