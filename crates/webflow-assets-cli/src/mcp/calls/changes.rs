//! The tools that change assets and folders: a new folder, an asset's fields, deletions.

use anyhow::{Result, bail};
use rmcp::RoleServer;
use rmcp::service::RequestContext;
use webflow_assets::bulk::{FileOutcome, Outcome, Record, Report, SkipReason};
use webflow_assets::sync::DeleteReason;

use super::{asset_id, folder, locale_id};
use crate::failure::{self, Code, Failure, Needs};
use crate::lines::{FolderLine, Totals};
use crate::mcp::progress::{Reporter, summary};
use crate::mcp::results::{self, ErrorObject};
use crate::mcp::tools;
use crate::mcp::{Answer, Server};

pub(super) async fn create_folder(server: &Server, args: tools::CreateFolder) -> Result<Answer> {
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

pub(super) async fn update_asset(server: &Server, args: tools::UpdateAsset) -> Result<Answer> {
    let id = asset_id(&args.asset_id)?;
    let locale = args.locale.as_deref().map(locale_id).transpose()?;
    if let Some(name) = &args.display_name {
        webflow_assets::validate::check_display_name(name).map_err(webflow_assets::Error::from)?;
    }
    let update = server
        .client
        .update_asset(&id)
        .maybe_alt_text(args.alt_text)
        .maybe_display_name(args.display_name)
        .maybe_locale(locale);
    let asset = update.send().await?;
    let summary = format!("updated {id}");
    Answer::of(
        &results::OneAsset {
            asset: Box::new(asset),
        },
        summary,
    )
}

pub(super) async fn delete_assets(
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
