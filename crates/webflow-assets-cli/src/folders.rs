//! `folders`: list the site's asset folders with their paths, or create one under a parent
//! named by id or by path.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::validate::{check_folder_name, check_id};
use webflow_assets::{Client, FolderId, FolderPath, SiteId};

use crate::failure::{Code, Failure};
use crate::lines::FolderLine;
use crate::output::Output;

/// `webflow-assets folders ...`.
#[derive(clap::Subcommand)]
pub enum FoldersCommand {
    /// List asset folders, with their paths (what `folders` alone does).
    List,
    /// Create a folder, at the root or under --parent.
    Create {
        /// The new folder's name.
        name: String,
        /// The parent folder: its 24-character id, or its path such as brand/logos.
        #[arg(long, value_name = "ID|PATH")]
        parent: Option<String>,
    },
}

pub async fn run(
    client: &Client,
    site: &SiteId,
    command: Option<FoldersCommand>,
    output: &Output,
) -> Result<ExitCode> {
    match command {
        None | Some(FoldersCommand::List) => output.folders(&client.folder_tree(site).await?),
        Some(FoldersCommand::Create { name, parent }) => {
            let line = create(client, site, &name, parent.as_deref()).await?;
            output.folder_created(line);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Creates the folder after one listing, which resolves the parent and finds a folder of
/// that name already there (Webflow would refuse it as a conflict).
async fn create(
    client: &Client,
    site: &SiteId,
    name: &str,
    parent: Option<&str>,
) -> Result<FolderLine> {
    let invalid = |rule: webflow_assets::Rule| Failure::new(Code::InvalidInput, rule.to_string());
    let name = check_folder_name(name).map_err(invalid)?;
    // An id is 24 hex digits; anything else is a path (which cannot be mistaken for one,
    // as a path of a single 24-hex-digit folder name is rare enough to need its id).
    let parent = match parent {
        None => None,
        Some(text) if check_id("folder", text).is_ok() => {
            Some(Parent::Id(text.parse().map_err(invalid)?))
        }
        Some(text) => Some(Parent::Path(FolderPath::parse(text).map_err(invalid)?)),
    };
    let tree = client.folder_tree(site).await?;
    let (parent_id, parent_path) = match &parent {
        None => (None, FolderPath::root()),
        Some(Parent::Id(id)) => match tree.path_of(id.as_ref()) {
            Some(path) => (Some(id.clone()), path.clone()),
            None => {
                return Err(Failure::new(
                    Code::NotFound,
                    format!("no folder {id} on this site (see `folders`)"),
                )
                .into());
            }
        },
        Some(Parent::Path(path)) => match tree.id_of(path) {
            Some(id) => (Some(id.parse::<FolderId>().map_err(invalid)?), path.clone()),
            None => {
                return Err(Failure::new(
                    Code::NotFound,
                    format!(
                        "no folder {:?} on this site (see `folders`)",
                        path.to_string()
                    ),
                )
                .into());
            }
        },
    };
    let path = parent_path.child(name);
    if let Some(id) = tree.id_of(&path) {
        return Err(Failure::new(
            Code::Conflict,
            format!("a folder {:?} exists already ({id})", path.to_string()),
        )
        .into());
    }
    let folder = client.create_folder(site, name, parent_id.as_ref()).await?;
    Ok(FolderLine {
        id: folder.id.unwrap_or_default(),
        path: path.to_string(),
    })
}

enum Parent {
    Id(FolderId),
    Path(FolderPath),
}
