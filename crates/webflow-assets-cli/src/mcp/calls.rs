//! What each tool does, with the SDK the command uses: the same checks before anything is
//! sent, the same typed records after.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use rmcp::RoleServer;
use rmcp::service::RequestContext;
use serde::de::DeserializeOwned;
use webflow_assets::bulk::{BulkFile, FileOutcome, Outcome, Record, Report, SkipReason};
use webflow_assets::font_dir::{FONT_EXTENSIONS, FontDirOptions, FontOutcome};
use webflow_assets::pull::PullOptions;
use webflow_assets::sync::{DEFAULT_MAX_DELETE, DeleteReason, Filter, SyncOptions, Verify};
use webflow_assets::{AssetId, FolderPath, UploadSource};

use super::plans::{PlanRequest, Snapshot};
use super::progress::{Named, Reporter, drive, summary};
use super::results::{self, ErrorObject};
use super::roots::Expect;
use super::tools;
use super::{Answer, Server};
use crate::failure::{self, Code, Failure, Needs};
use crate::lines::{
    AssetLine, AuditTotals, FolderLine, FontRecord, FontStatus, PlanTotals, Totals,
};

/// Why a call gave no answer.
pub enum CallError {
    /// The arguments do not fit the tool's schema: a protocol error.
    Malformed(String),
    /// The tool failed: a tool result with `isError`.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for CallError {
    fn from(error: anyhow::Error) -> Self {
        CallError::Failed(error)
    }
}

/// The arguments, as the tool's type.
fn args<T: DeserializeOwned>(arguments: serde_json::Value) -> Result<T, CallError> {
    serde_json::from_value(arguments).map_err(|e| CallError::Malformed(e.to_string()))
}

/// Runs the tool `name`, which the server allows.
pub async fn call(
    server: &Server,
    name: &str,
    arguments: serde_json::Value,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer, CallError> {
    let answer = match name {
        "list_sites" => list_sites(server, args(arguments)?).await,
        "list_assets" => list_assets(server, args(arguments)?).await,
        "list_folders" => list_folders(server, args(arguments)?).await,
        "get_asset" => get_asset(server, args(arguments)?).await,
        "upload_files" => upload_files(server, args(arguments)?, progress, context).await,
        "upload_url" => upload_url(server, args(arguments)?).await,
        "create_folder" => create_folder(server, args(arguments)?).await,
        "update_asset" => update_asset(server, args(arguments)?).await,
        "delete_assets" => delete_assets(server, args(arguments)?, progress, context).await,
        "plan_sync" => plan_sync(server, args(arguments)?).await,
        "apply_sync" => apply_sync(server, args(arguments)?, progress, context).await,
        "pull" => pull(server, args(arguments)?, progress, context).await,
        "audit" => audit(server, args(arguments)?).await,
        "list_fonts" => list_fonts(server, args(arguments)?).await,
        "upload_fonts" => upload_fonts(server, args(arguments)?, progress, context).await,
        other => return Err(CallError::Malformed(format!("no tool named {other:?}"))),
    };
    Ok(answer?)
}

/// A folder path argument, checked as the library checks it.
fn folder(path: Option<&str>) -> Result<Option<FolderPath>> {
    match path {
        None | Some("") => Ok(None),
        Some(text) => Ok(Some(
            FolderPath::parse(text).map_err(webflow_assets::Error::from)?,
        )),
    }
}

/// An asset id argument.
fn asset_id(text: &str) -> Result<AssetId> {
    Ok(text.parse().map_err(webflow_assets::Error::from)?)
}

async fn list_sites(server: &Server, _: tools::NoArgs) -> Result<Answer> {
    let sites = server.client.list_sites().await?;
    let summary = format!("{} sites", sites.len());
    Answer::of(&results::Sites { sites }, summary)
}

async fn list_assets(server: &Server, args: tools::ListAssets) -> Result<Answer> {
    let site = server.site().await?;
    let folder_id = match folder(args.folder.as_deref())? {
        Some(path) => {
            let tree = server.client.folder_tree(&site).await?;
            Some(tree.require_id(&path)?)
        }
        None => None,
    };
    let assets = server
        .client
        .list_assets_localized(&site, folder_id.as_ref(), None)
        .await?;
    let wanted = args.name.as_deref().map(str::to_lowercase);
    let matching: Vec<AssetLine> = assets
        .iter()
        .filter(|asset| match &wanted {
            None => true,
            Some(part) => [&asset.display_name, &asset.original_file_name]
                .iter()
                .any(|name| name.as_deref().unwrap_or("").to_lowercase().contains(part)),
        })
        .map(AssetLine::from)
        .collect();
    let matched = matching.len();
    let assets: Vec<AssetLine> = matching
        .into_iter()
        .take(args.limit.unwrap_or(100))
        .collect();
    let summary = format!("{} of {matched} matching assets", assets.len());
    Answer::of(&results::Assets { assets, matched }, summary)
}

/// Every folder of the site, with its path, as `folders` lists them.
async fn folder_lines(server: &Server) -> Result<Vec<FolderLine>> {
    let site = server.site().await?;
    let tree = server.client.folder_tree(&site).await?;
    Ok(FolderLine::all(&tree))
}

async fn list_folders(server: &Server, _: tools::NoArgs) -> Result<Answer> {
    let folders = folder_lines(server).await?;
    let summary = format!("{} folders", folders.len());
    Answer::of(&results::Folders { folders }, summary)
}

async fn get_asset(server: &Server, args: tools::GetAsset) -> Result<Answer> {
    let asset = server
        .client
        .get_asset(&asset_id(&args.asset_id)?, None)
        .await?;
    let summary = format!(
        "{} ({} bytes)",
        asset.display_name.as_deref().unwrap_or("-"),
        asset.size.unwrap_or(0)
    );
    Answer::of(
        &results::OneAsset {
            asset: Box::new(asset),
        },
        summary,
    )
}

async fn upload_files(
    server: &Server,
    args: tools::UploadFiles,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    let one = |what: &str| {
        Failure::new(
            Code::InvalidInput,
            format!("{what} is set on one file; give exactly one path"),
        )
    };
    if args.alt_text.is_some() && args.paths.len() != 1 {
        bail!(one("alt_text"));
    }
    if args.display_name.is_some() && args.paths.len() != 1 {
        bail!(one("display_name"));
    }
    if args.paths.is_empty() {
        bail!(Failure::new(Code::InvalidInput, "paths names no file"));
    }
    if let Some(name) = &args.display_name {
        webflow_assets::validate::check_display_name(name).map_err(webflow_assets::Error::from)?;
    }
    let target = folder(args.folder.as_deref())?;
    // Every path is checked before anything is sent.
    let mut files = Vec::new();
    for given in &args.paths {
        // The file is read at the path checked (resolved, inside a root), not at the path
        // given, which a link swapped in after the check could lead elsewhere. Its name is
        // the given one's, as `upload` names it, though it be a link to a file of another
        // name. What remains is a race no path check closes: a directory on the resolved
        // path replaced by a link between this check and the open, by someone who can
        // already write inside the root.
        let resolved = server.roots.resolve(given, Expect::File)?;
        let name = std::path::Path::new(given)
            .file_name()
            .or(resolved.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut file = BulkFile::path(resolved)
            .file_name(name)
            .label(given.clone());
        if let Some(text) = &args.alt_text {
            file = file.alt_text(text.clone());
        }
        if let Some(name) = &args.display_name {
            file = file.display_name(name.clone());
        }
        if let Some(path) = &target {
            file = file.folder(path.clone());
        }
        files.push(file);
    }
    let site = server.site().await?;
    let run = server
        .client
        .upload_many(&site, files, server.bulk.clone())?;
    let run = drive(run, progress, context, Named::Yes, Needs::Write).await;
    let summary = summary(&run);
    Answer::of(&run, summary)
}

/// The result of one file's outcome, as a run of one.
fn run_of_one(label: String, outcome: Outcome) -> results::Run {
    let mut report = Report::default();
    let record = Record::of(&FileOutcome::new(label, outcome));
    report.push(record.clone());
    let error = failure::of_run(&report)
        .map(|f| ErrorObject::from(failure::describe(&f.into(), Needs::Write)));
    results::Run {
        files: vec![record],
        report: Totals::from(&report),
        error,
    }
}

async fn upload_url(server: &Server, args: tools::UploadUrl) -> Result<Answer> {
    let target = folder(args.folder.as_deref())?;
    let site = server.site().await?;
    let mut upload = server
        .client
        .upload(&site, UploadSource::url(args.url.clone()));
    if let Some(name) = &args.file_name {
        upload = upload.file_name(name.clone());
    }
    if let Some(path) = &target {
        upload = upload.folder(path.clone());
    }
    if let Some(text) = &args.alt_text {
        upload = upload.alt_text(text.clone());
    }
    let outcome = match upload.send().await {
        Ok(asset) => Outcome::Uploaded(Box::new(asset)),
        Err(e) => Outcome::Failed(e),
    };
    let run = run_of_one(args.url, outcome);
    let summary = summary(&run);
    Answer::of(&run, summary)
}

async fn create_folder(server: &Server, args: tools::CreateFolder) -> Result<Answer> {
    let Some(path) = folder(Some(&args.path))? else {
        bail!(Failure::new(Code::InvalidInput, "path names no folder"));
    };
    let site = server.site().await?;
    let id = server.client.ensure_folder_path(&site, &path).await?;
    let summary = format!("{path} is {id}");
    let folder = FolderLine {
        id: id.to_string(),
        path: path.to_string(),
    };
    Answer::of(&results::Folder { folder }, summary)
}

async fn update_asset(server: &Server, args: tools::UpdateAsset) -> Result<Answer> {
    let id = asset_id(&args.asset_id)?;
    if let Some(name) = &args.display_name {
        webflow_assets::validate::check_display_name(name).map_err(webflow_assets::Error::from)?;
    }
    let mut update = server.client.update_asset(&id);
    if let Some(text) = args.alt_text {
        update = update.alt_text(text);
    }
    if let Some(name) = args.display_name {
        update = update.display_name(name);
    }
    if let Some(locale) = args.locale {
        update = update.locale_id(locale);
    }
    let asset = update.send().await?;
    let summary = format!("updated {id}");
    Answer::of(
        &results::OneAsset {
            asset: Box::new(asset),
        },
        summary,
    )
}

async fn delete_assets(
    server: &Server,
    args: tools::DeleteAssets,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    // Every id is checked before anything is deleted.
    let ids = args
        .asset_ids
        .iter()
        .map(|id| asset_id(id))
        .collect::<Result<Vec<_>>>()?;
    let mut report = Report::default();
    let mut files = Vec::new();
    for (done, id) in ids.iter().enumerate() {
        // A cancelled call starts no new deletion; the one in flight finished.
        let outcome = match context.ct.is_cancelled() {
            true => Outcome::Skipped(SkipReason::Cancelled),
            false => match server.client.delete_asset(id).await {
                Ok(()) => Outcome::deleted(id.clone(), DeleteReason::Requested),
                Err(e) => Outcome::Failed(e),
            },
        };
        let record = Record::of(&FileOutcome::new(id.to_string(), outcome));
        report.push(record.clone());
        files.push(record);
        progress.files(done + 1, ids.len()).await;
    }
    let error = match context.ct.is_cancelled() {
        true => Some(ErrorObject::from(failure::interrupted(
            "cancelled: the deletion in flight finished, the rest were not started",
        ))),
        false => failure::of_run(&report)
            .map(|f| ErrorObject::from(failure::describe(&f.into(), Needs::Write))),
    };
    let run = results::Run {
        files,
        report: Totals::from(&report),
        error,
    };
    let summary = summary(&run);
    Answer::of(&run, summary)
}

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

async fn plan_sync(server: &Server, args: tools::PlanSync) -> Result<Answer> {
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
    if totals.deletes > DEFAULT_MAX_DELETE {
        summary.push_str(&format!(
            "; apply_sync refuses more than {DEFAULT_MAX_DELETE} deletions"
        ));
    }
    let snapshot = Snapshot::of(&request.dir, &records);
    let plan_id = server.plans.keep(request, snapshot);
    let result = results::Plan {
        plan_id,
        expires_in: super::plans::LIFETIME.as_secs(),
        files: records,
        plan: totals,
    };
    Answer::of(&result, summary)
}

async fn apply_sync(
    server: &Server,
    args: tools::ApplySync,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    let kept = server.plans.take(&args.plan_id).map_err(|missing| {
        let why = match missing {
            super::plans::Missing::Unknown => "no plan has this id (a plan is applied once)",
            super::plans::Missing::Expired => "the plan expired",
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

async fn pull(
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

async fn audit(server: &Server, args: tools::Audit) -> Result<Answer> {
    let site = server.site().await?;
    let target = folder(args.folder.as_deref())?;
    let options = webflow_assets::audit::AuditOptions::default().maybe_folder(target);
    let audit = server.client.audit(&site, options).await?;
    let totals = AuditTotals::from(&audit);
    let summary = format!(
        "{} assets: {} without alt text, {} duplicate groups, {} long names, {} empty folders, {} not compared",
        totals.assets,
        totals.missing_alt_text,
        totals.duplicate_groups,
        totals.long_names,
        totals.empty_folders,
        totals.unchecked
    );
    let result = results::Audit {
        findings: crate::lines::findings(&audit),
        audit: totals,
    };
    Answer::of(&result, summary)
}

async fn list_fonts(server: &Server, _: tools::NoArgs) -> Result<Answer> {
    let site = server.site().await?;
    let fonts = server.client.list_fonts(&site).await?;
    let summary = format!("{} fonts", fonts.len());
    Answer::of(&results::Fonts { fonts }, summary)
}

/// The font files `paths` name: files as given, and each directory's font files by name;
/// every one resolved inside the roots.
fn font_files(server: &Server, paths: &[String]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for given in paths {
        let path = server.roots.resolve(given, Expect::Any)?;
        if !path.is_dir() {
            files.push(server.roots.resolve(given, Expect::File)?);
            continue;
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&path).with_context(|| format!("reading {given}"))? {
            let entry = entry.with_context(|| format!("reading {given}"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let font = name.rsplit_once('.').is_some_and(|(_, ext)| {
                FONT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
            });
            if font {
                let inside = format!("{}/{name}", path.display());
                let file = server.roots.resolve(&inside, Expect::Any)?;
                if file.is_file() {
                    found.push(file);
                }
            }
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

async fn upload_fonts(
    server: &Server,
    args: tools::UploadFonts,
    progress: &Reporter,
    context: &RequestContext<RoleServer>,
) -> Result<Answer> {
    if args.paths.is_empty() {
        bail!(Failure::new(Code::InvalidInput, "paths names no font file"));
    }
    let files = font_files(server, &args.paths)?;
    let site = server.site().await?;
    // `fonts upload` without flags, and without a directory's manifest, which would be a
    // file written beside the fonts.
    let options = FontDirOptions::default().without_manifest();
    let plan = server.client.font_dir_plan(&site, &files, options).await?;
    let mut run = plan.start(&server.client).await?;
    let mut records = Vec::new();
    let mut totals = Totals::default();
    let mut cancelled = false;
    // The plan keeps the files' order: each path is a file.
    for (done, path) in files.iter().enumerate() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // As a run does on cancellation: the font in flight finished, no new one starts,
        // and each one not started says so.
        cancelled = cancelled || context.ct.is_cancelled();
        let status = match cancelled {
            true => crate::fonts::status_of(path, &FontOutcome::Cancelled, false),
            false => match run.next().await {
                Some(file) => crate::fonts::status_of(&file.path, &file.outcome, false),
                None => break,
            },
        };
        match &status {
            FontStatus::Uploaded { .. } => totals.uploaded += 1,
            FontStatus::Failed { .. } => totals.failed += 1,
            _ => totals.skipped += 1,
        }
        records.push(FontRecord { file: name, status });
        progress.files(done + 1, files.len()).await;
    }
    let summary = format!(
        "{} uploaded, {} skipped, {} failed{}",
        totals.uploaded,
        totals.skipped,
        totals.failed,
        if cancelled { "; cancelled" } else { "" }
    );
    let error = match (cancelled, totals.failed) {
        (true, _) => Some(failure::interrupted(
            "cancelled: the font in flight finished, the rest were not started",
        )),
        (false, 0) => None,
        (false, failed) => Some(failure::describe(
            &Failure::new(
                Code::Partial,
                format!("{failed} of {} failed; their records say why", files.len()),
            )
            .into(),
            Needs::Sites,
        )),
    };
    let result = results::FontRun {
        files: records,
        report: totals,
        error: error.map(ErrorObject::from),
    };
    Answer::of(&result, summary)
}
