//! `webflow-assets sync`: mirror a directory onto the site.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::FolderPath;
use webflow_assets::sync::{DEFAULT_MAX_DELETE, Filter, SyncOptions, Verify};

use super::Context;
use crate::exit::{Strictness, drive, refused, tree_exit_code};
use crate::failure;
use crate::global::folder_path;
use crate::{github, output};

#[derive(clap::Args)]
pub struct Args {
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
}

pub async fn run(args: Args, ctx: &Context<'_>) -> Result<ExitCode> {
    // Patterns that do not parse are refused before the token is looked up.
    let filter = Filter::new(&args.include, &args.exclude)?;
    let on = ctx.connect_to_site().await?;
    let output = ctx.output;
    let options = SyncOptions::default()
        .dry_run(args.dry_run)
        .bulk(ctx.bulk())
        .prune(args.delete)
        .max_delete(args.max_delete)
        .retarget(args.retarget)
        .verify(if args.checksum {
            Verify::Checksum
        } else {
            Verify::NameAndSize
        })
        .filter(filter)
        .follow_links(args.follow_links)
        .maybe_folder(args.folder)
        .maybe_manifest(args.manifest);
    github::files_under(&args.dir);
    let plan = on.client().sync_plan(&on.site, &args.dir, options).await?;
    if args.dry_run {
        output.plan(&plan);
        github::sync_plan(&plan);
        // Refused as the run would refuse it, by the library's rule.
        plan.check_max_delete()?;
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
    drive(plan.start(on.client()).await?, output, Strictness::Tree).await
}
