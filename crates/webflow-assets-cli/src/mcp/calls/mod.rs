//! What each tool does, with the SDK the command uses: the same checks before anything is
//! sent, the same typed records after.
//!
//! Here, the dispatch by tool name and the checks the tools share; each family of tools in
//! its file: reads, uploads, changes, directories (sync, pull), fonts.

mod changes;
mod directories;
mod fonts;
mod reads;
mod uploads;

use anyhow::Result;
use rmcp::RoleServer;
use rmcp::service::RequestContext;
use serde::de::DeserializeOwned;
use webflow_assets::{AssetId, FolderPath, LocaleId};

use super::progress::Reporter;
use super::{Answer, Server};

use changes::{create_folder, delete_assets, update_asset};
use directories::{apply_sync, plan_sync, pull};
use fonts::{list_fonts, upload_fonts};
use reads::{audit, get_asset, list_assets, list_folders, list_sites};
use uploads::{upload_files, upload_url};

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

/// A locale id argument, refused as a bad asset id is, before anything is sent.
fn locale_id(text: &str) -> Result<LocaleId> {
    Ok(text.parse().map_err(webflow_assets::Error::from)?)
}
