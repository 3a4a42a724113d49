//! The tools that read the site: sites, assets, folders, one asset, an audit.

use anyhow::Result;

use super::{asset_id, folder};
use crate::lines::{AssetLine, AuditTotals, FolderLine};
use crate::mcp::results;
use crate::mcp::tools;
use crate::mcp::{Answer, Server};

pub(super) async fn list_sites(server: &Server, _: tools::NoArgs) -> Result<Answer> {
    let sites = server.client.list_sites().await?;
    let summary = format!("{} sites", sites.len());
    Answer::of(&results::Sites { sites }, summary)
}

pub(super) async fn list_assets(server: &Server, args: tools::ListAssets) -> Result<Answer> {
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

pub(super) async fn list_folders(server: &Server, _: tools::NoArgs) -> Result<Answer> {
    let folders = folder_lines(server).await?;
    let summary = format!("{} folders", folders.len());
    Answer::of(&results::Folders { folders }, summary)
}

pub(super) async fn get_asset(server: &Server, args: tools::GetAsset) -> Result<Answer> {
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

pub(super) async fn audit(server: &Server, args: tools::Audit) -> Result<Answer> {
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
