//! The tools that mirror a directory and the site: a sync planned, then applied; a pull.

use anyhow::{Result, bail};
use rmcp::RoleServer;
use rmcp::service::RequestContext;
use webflow_assets::bulk::Record;
use webflow_assets::pull::PullOptions;
use webflow_assets::sync::{DEFAULT_MAX_DELETE, Filter, SyncOptions, Verify};

use super::folder;
use crate::failure::{Code, Failure, Needs};
use crate::lines::PlanTotals;
use crate::mcp::plans::{PlanRequest, Snapshot};
use crate::mcp::progress::{Named, Reporter, drive, summary};
use crate::mcp::results;
use crate::mcp::roots::Expect;
use crate::mcp::tools;
use crate::mcp::{Answer, Server};

/// Refuses a directory whose manifest, its journal (both read, and written by a run) or
/// alt-text files (read) is a link that leads out of the roots.
fn check_local_files(server: &Server, dir: &std::path::Path) -> Result<()> {
    let manifest = webflow_assets::manifest::default_path(dir);
    server.roots.check_write(&manifest)?;
    server
        .roots
        .check_write(&webflow_assets::manifest::journal_path(&manifest))?;
    for name in webflow_assets::sync::ALT_TEXT_FILES {
        server.roots.check_write(&dir.join(name))?;
    }
    Ok(())
}

/// Plans a sync as asked, after checking that every local path it reads or writes is
/// inside the roots.
async fn make_plan(
    server: &Server,
    request: &PlanRequest,
) -> Result<(webflow_assets::sync::SyncPlan, Vec<Record>)> {
    // The manifest it reads (and a run writes) and the alt-text files it reads: a link
    // among them that leads out of the roots refuses the plan.
    check_local_files(server, &request.dir)?;
    let options = SyncOptions::default()
        .maybe_folder(request.folder.clone())
        .bulk(server.bulk.clone())
        .prune(request.delete)
        .max_delete(DEFAULT_MAX_DELETE)
        .verify(match request.checksum {
            true => Verify::Checksum,
            false => Verify::NameAndSize,
        })
        .filter(Filter::new(&request.include, &request.exclude)?);
    let site = server.site().await?;
    let plan = server
        .client
        .sync_plan(&site, &request.dir, options)
        .await?;
    let records = plan.records();
    Ok((plan, records))
}

pub(super) async fn plan_sync(server: &Server, args: tools::PlanSync) -> Result<Answer> {
    let request = PlanRequest {
        dir: server.roots.resolve(&args.dir, Expect::Dir)?,
        folder: folder(args.folder.as_deref())?,
        delete: args.delete,
        include: args.include,
        exclude: args.exclude,
        checksum: args.checksum,
    };
    let _one = server.local_work.lock().await;
    let (plan, records) = make_plan(server, &request).await?;
    let totals = PlanTotals::from(&plan);
    let mut summary = format!(
        "plan: {} to upload, {} to delete, {} unchanged, {} skipped, {} failed; {} requests to apply",
        totals.uploads,
        totals.deletes,
        totals.unchanged,
        totals.skipped,
        totals.failed,
        totals.requests.execution
    );
    // The refusal apply_sync will give, decided by the library's rule.
    if let Err(webflow_assets::Error::TooManyDeletes { planned, max, .. }) = plan.check_max_delete()
    {
        summary.push_str(&format!(
            "; apply_sync refuses it: {planned} deletions, more than the {max} allowed"
        ));
    }
    let snapshot = Snapshot::of(&request.dir, &records);
    let plan_id = server.plans.keep(request, snapshot);
    let result = results::Plan {
        plan_id,
        expires_in: crate::mcp::plans::LIFETIME.as_secs(),
        files: records,
        plan: totals,
    };
    Answer::of(&result, summary)
}

pub(super) async fn apply_sync(
    server: &Server,
    args: tools::ApplySync,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    let kept = server.plans.take(&args.plan_id).map_err(|missing| {
        let why = match missing {
            crate::mcp::plans::Missing::Unknown => "no plan has this id (a plan is applied once)",
            crate::mcp::plans::Missing::Expired => "the plan expired",
        };
        Failure::new(
            Code::NotFound,
            format!("{}: {why}; call plan_sync again", args.plan_id),
        )
    })?;
    let _one = server.local_work.lock().await;
    let (plan, records) = make_plan(server, &kept.request).await?;
    if let Some(difference) = kept
        .snapshot
        .difference(&Snapshot::of(&kept.request.dir, &records))
    {
        bail!(Failure::new(
            Code::StalePlan,
            format!("nothing was done: {difference}")
        ));
    }
    let run = plan.start(&server.client).await?;
    let run = drive(run, progress, context, Named::No, Needs::Write).await;
    let summary = summary(&run);
    Answer::of(&run, summary)
}

pub(super) async fn pull(
    server: &Server,
    args: tools::Pull,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    let dir = server.roots.resolve(&args.dir, Expect::NewDir)?;
    let options = PullOptions::default()
        .bulk(server.bulk.clone())
        .maybe_folder(folder(args.folder.as_deref())?);
    let site = server.site().await?;
    let _one = server.local_work.lock().await;
    // The manifest and journal the plan reads are checked before it reads them; `dir` is
    // resolved, so every path below it starts inside a root.
    check_local_files(server, &dir)?;
    let plan = server.client.pull_plan(&site, &dir, options).await?;
    // Each file it writes, through any link inside the directory, stays inside the roots.
    // A link planted between these checks and the writes (by someone who can already write
    // inside the root) is not seen: the checks bound what an agent names, not a race with
    // another local writer.
    for download in &plan.downloads {
        server
            .roots
            .check_write(&dir.join(download.file.as_str()))?;
    }
    let run = plan.start(&server.client).await?;
    let run = drive(run, progress, context, Named::No, Needs::Read).await;
    let summary = summary(&run);
    Answer::of(&run, summary)
}
