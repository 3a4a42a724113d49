//! `folders`: list the site's asset folders with their paths, or create one under a parent
//! named by id or by path.

use std::process::ExitCode;

use anyhow::Result;
use webflow_assets::validate::{check_folder_name, check_id};
use webflow_assets::{Client, FolderId, FolderPath, FolderTree, SiteId};

use crate::failure::{Code, Failure};
use crate::lines::FolderLine;

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
        #[arg(long, value_name = "ID|PATH", value_parser = parent)]
        parent: Option<Parent>,
    },
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<FoldersCommand>,
}

impl Args {
    /// Whether the command only reads (lists).
    pub fn only_reads(&self) -> bool {
        matches!(self.command, None | Some(FoldersCommand::List))
    }
}

pub async fn run(args: Args, ctx: &super::Context<'_>) -> Result<ExitCode> {
    let on = ctx.connect_to_site().await?;
    let (client, site, output) = (on.client(), &on.site, ctx.output);
    match args.command {
        None | Some(FoldersCommand::List) => output.folders(&client.folder_tree(site).await?),
        Some(FoldersCommand::Create { name, parent }) => {
            let line = create(client, site, &name, parent.as_ref()).await?;
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
    parent: Option<&Parent>,
) -> Result<FolderLine> {
    let invalid = |rule: webflow_assets::Rule| Failure::new(Code::InvalidInput, rule.to_string());
    let name = check_folder_name(name).map_err(invalid)?;
    let tree = client.folder_tree(site).await?;
    let (parent_id, parent_path) = match parent {
        None => (None, FolderPath::root()),
        Some(parent) => {
            let id = resolve(&tree, parent)?;
            let path = tree.path_of(&id).cloned().unwrap_or_else(FolderPath::root);
            (Some(id), path)
        }
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
    let id = folder.id.filter(|id| !id.is_empty()).ok_or_else(|| {
        Failure::new(
            Code::UnexpectedResponse,
            format!(
                "Webflow created the folder {:?} but gave no id for it (see `folders`)",
                path.to_string()
            ),
        )
    })?;
    Ok(FolderLine {
        id,
        path: path.to_string(),
    })
}

/// The id of the folder `parent` names. A name of 24 hex digits may be a folder's id or the
/// path of a folder so named: both are looked up, and naming two folders is an error, as is a
/// path two folders share.
fn resolve(tree: &FolderTree, parent: &Parent) -> anyhow::Result<FolderId> {
    let (by_id, path) = match parent {
        Parent::IdOrPath(id, path) => (tree.path_of(id).map(|_| id.clone()), path),
        Parent::Path(path) => (None, path),
    };
    let at_path = tree.ids_at(path);
    let shown = path.to_string();
    match (by_id, at_path.as_slice()) {
        // The library's one error for a folder the site lacks.
        (None, []) => Ok(tree.require_id(path)?),
        (Some(id), []) => Ok(id),
        (None, [one]) => Ok((*one).clone()),
        (Some(id), [one]) if id == **one => Ok(id),
        (Some(id), [one]) => Err(Failure::new(
            Code::Conflict,
            format!(
                "--parent {shown} is both the id of a folder ({:?}) and the path of another \
                 ({one}); name the one you mean by the other's path or id",
                tree.path_of(&id)
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
        )
        .into()),
        (_, several) => Err(Failure::new(
            Code::Conflict,
            format!(
                "{} folders have the path {shown:?} ({}); name the parent by its id",
                several.len(),
                several
                    .iter()
                    .map(|id| id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .into()),
    }
}

/// `--parent`: a folder's path, or 24 hex digits, which may be an id or a path.
#[derive(Debug, Clone)]
pub enum Parent {
    /// 24 hex digits: a folder's id, or the path of a folder so named.
    IdOrPath(FolderId, FolderPath),
    /// A folder's path from the site root.
    Path(FolderPath),
}

/// Parses `--parent`.
fn parent(text: &str) -> Result<Parent, String> {
    let path = FolderPath::parse(text).map_err(|rule| rule.to_string())?;
    match check_id("folder", text) {
        Ok(_) => match text.parse::<FolderId>() {
            Ok(id) => Ok(Parent::IdOrPath(id, path)),
            Err(_) => Ok(Parent::Path(path)),
        },
        Err(_) => Ok(Parent::Path(path)),
    }
}
