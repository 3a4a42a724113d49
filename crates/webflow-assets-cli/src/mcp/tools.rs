//! The tools: their names, arguments, honest annotations and schemas. Which of them a server
//! lists depends on how it was started: without `--root`, none that touches local files;
//! with `--read-only`, only those that change nothing. The server refuses the others when
//! they are called anyway ([`Tool::allowed`]): annotations are hints, the server enforces.

use std::sync::Arc;

use rmcp::model::{JsonObject, ToolAnnotations};
use schemars::JsonSchema;
use serde::Deserialize;

use super::results;
use super::schemas::{input, output};

/// One tool.
pub struct Tool {
    /// Its name.
    pub name: &'static str,
    /// What it does, for the agent (kept short: agents pay for it in context).
    pub description: &'static str,
    /// Changes nothing, anywhere.
    pub read_only: bool,
    /// May delete or overwrite something.
    pub destructive: bool,
    /// Calling it again with the same arguments changes nothing more.
    pub idempotent: bool,
    /// Reads or writes local files (listed only with `--root`).
    pub local: bool,
    /// Reaches beyond the site: a URL anywhere on the web.
    pub open_world: bool,
    input: fn() -> Arc<JsonObject>,
    output: fn() -> Arc<JsonObject>,
}

impl Tool {
    /// Whether a server started this way may run it.
    pub fn allowed(&self, read_only: bool, has_roots: bool) -> bool {
        (self.read_only || !read_only) && (!self.local || has_roots)
    }

    /// The token scopes it needs, named in the hint of a permission error.
    pub fn needs(&self) -> crate::failure::Needs {
        use crate::failure::Needs;
        match self.name {
            "list_sites" | "list_fonts" | "upload_fonts" => Needs::Sites,
            _ if self.read_only => Needs::Read,
            // A pull changes local files only: it reads the site.
            "pull" => Needs::Read,
            _ => Needs::Write,
        }
    }

    /// Its MCP description.
    pub fn describe(&self) -> rmcp::model::Tool {
        let mut tool = rmcp::model::Tool::new(self.name, self.description, (self.input)());
        tool.output_schema = Some((self.output)());
        let annotations = ToolAnnotations::new()
            .read_only(self.read_only)
            .open_world(self.open_world);
        // Meaningful only for a tool that changes something.
        // idempotentHint is false unless said: said only where true.
        tool.annotations = Some(match (self.read_only, self.idempotent) {
            (true, _) => annotations,
            (false, true) => annotations.destructive(self.destructive).idempotent(true),
            (false, false) => annotations.destructive(self.destructive),
        });
        tool
    }
}

/// `list_sites`, `list_folders`, `list_fonts`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// `list_assets`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListAssets {
    /// Only this folder path and below.
    pub folder: Option<String>,
    /// Only names containing this.
    pub name: Option<String>,
    /// Default 100.
    pub limit: Option<usize>,
}

/// `get_asset`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetAsset {
    /// The asset's id.
    pub asset_id: String,
}

/// `upload_files`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadFiles {
    /// Files in the roots (relative to the first).
    pub paths: Vec<String>,
    /// Folder path, created as needed.
    pub folder: Option<String>,
    /// Alt text (one file).
    pub alt_text: Option<String>,
    /// Display name (one file).
    pub display_name: Option<String>,
}

/// `upload_url`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadUrl {
    /// An https URL.
    pub url: String,
    /// Folder path, created as needed.
    pub folder: Option<String>,
    /// File name (default: from the URL).
    pub file_name: Option<String>,
    /// Alt text.
    pub alt_text: Option<String>,
}

/// `create_folder`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFolder {
    /// Folder path, e.g. brand/logos.
    pub path: String,
}

/// `update_asset`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAsset {
    /// The asset's id.
    pub asset_id: String,
    /// New alt text.
    pub alt_text: Option<String>,
    /// New display name.
    pub display_name: Option<String>,
    /// Locale id of the alt text.
    pub locale: Option<String>,
}

/// `delete_assets`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAssets {
    /// Ids of the assets to delete.
    pub asset_ids: Vec<String>,
}

/// `plan_sync`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanSync {
    /// Directory in the roots.
    pub dir: String,
    /// Folder path to sync into.
    pub folder: Option<String>,
    /// Also delete assets with no local file.
    #[serde(default)]
    pub delete: bool,
    /// Only files matching these globs.
    #[serde(default)]
    pub include: Vec<String>,
    /// Leave out files matching these globs.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Compare hosted files by MD5.
    #[serde(default)]
    pub checksum: bool,
}

/// `apply_sync`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplySync {
    /// From plan_sync.
    pub plan_id: String,
}

/// `pull`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pull {
    /// Directory in the roots.
    pub dir: String,
    /// Only this folder path and below.
    pub folder: Option<String>,
}

/// `audit`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    /// Only this folder path and below.
    pub folder: Option<String>,
}

/// `upload_fonts`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadFonts {
    /// Font files or directories, in the roots.
    pub paths: Vec<String>,
}

/// Every tool, in the order they are listed.
pub const TOOLS: &[Tool] = &[
    Tool {
        name: "list_sites",
        description: "List the token's sites.",
        read_only: true,
        destructive: false,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<NoArgs>,
        output: output::<results::Sites>,
    },
    Tool {
        name: "list_assets",
        description: "List the site's assets.",
        read_only: true,
        destructive: false,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<ListAssets>,
        output: output::<results::Assets>,
    },
    Tool {
        name: "list_folders",
        description: "List the site's asset folders.",
        read_only: true,
        destructive: false,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<NoArgs>,
        output: output::<results::Folders>,
    },
    Tool {
        name: "get_asset",
        description: "Get one asset.",
        read_only: true,
        destructive: false,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<GetAsset>,
        output: output::<results::OneAsset>,
    },
    Tool {
        name: "upload_files",
        description: "Upload local files; each is uploaded, skipped or failed, with why.",
        read_only: false,
        destructive: false,
        idempotent: false,
        local: true,
        open_world: false,
        input: input::<UploadFiles>,
        output: output::<results::Run>,
    },
    Tool {
        name: "upload_url",
        description: "Upload a file fetched from an https URL.",
        read_only: false,
        destructive: false,
        idempotent: false,
        local: false,
        open_world: true,
        input: input::<UploadUrl>,
        output: output::<results::Run>,
    },
    Tool {
        name: "create_folder",
        description: "Create a folder path, reusing existing levels.",
        read_only: false,
        destructive: false,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<CreateFolder>,
        output: output::<results::Folder>,
    },
    Tool {
        name: "update_asset",
        description: "Set an asset's alt text or display name.",
        read_only: false,
        destructive: true,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<UpdateAsset>,
        output: output::<results::OneAsset>,
    },
    Tool {
        name: "delete_assets",
        description: "Delete assets by id; pages using them break.",
        read_only: false,
        destructive: true,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<DeleteAssets>,
        output: output::<results::Run>,
    },
    Tool {
        name: "plan_sync",
        description: "Plan mirroring a directory onto the site; changes nothing. Returns a \
                      plan_id and each upload, deletion and skip with why.",
        read_only: true,
        destructive: false,
        idempotent: true,
        local: true,
        open_world: false,
        input: input::<PlanSync>,
        output: output::<results::Plan>,
    },
    Tool {
        name: "apply_sync",
        description: "Carry out a plan_sync plan once; refused (stale_plan) if a new plan differs.",
        read_only: false,
        destructive: true,
        idempotent: false,
        local: true,
        open_world: false,
        input: input::<ApplySync>,
        output: output::<results::Run>,
    },
    Tool {
        name: "pull",
        description: "Download the site's assets into a directory; overwrites its \
                      manifest and alt-text.json.",
        read_only: false,
        destructive: true,
        idempotent: true,
        local: true,
        open_world: false,
        input: input::<Pull>,
        output: output::<results::Run>,
    },
    Tool {
        name: "audit",
        description: "Find missing alt text, duplicates, long names, empty folders.",
        read_only: true,
        destructive: false,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<Audit>,
        output: output::<results::Audit>,
    },
    Tool {
        name: "list_fonts",
        description: "List the site's custom fonts.",
        read_only: true,
        destructive: false,
        idempotent: true,
        local: false,
        open_world: false,
        input: input::<NoArgs>,
        output: output::<results::Fonts>,
    },
    Tool {
        name: "upload_fonts",
        description: "Upload font files; a font already on the site is skipped.",
        read_only: false,
        destructive: false,
        idempotent: true,
        local: true,
        open_world: false,
        input: input::<UploadFonts>,
        output: output::<results::FontRun>,
    },
];

/// The tool of this name.
pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|tool| tool.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tool as an agent sees it: its name, annotations and schemas. A change to a
    /// result's shape or a tool's promise shows here.
    #[test]
    fn the_listing_is_what_agents_read() {
        use rmcp::model::{ListToolsResult, NumberOrString, ServerJsonRpcMessage, ServerResult};
        let listing: Vec<rmcp::model::Tool> = TOOLS.iter().map(Tool::describe).collect();
        insta::assert_json_snapshot!("tools", listing);
        // Agents pay for the listing in context: the whole `tools/list` reply, as it goes on
        // the wire with every tool listed, stays within 16 KiB.
        let reply = ServerJsonRpcMessage::response(
            ServerResult::ListToolsResult(ListToolsResult::with_all_items(listing)),
            NumberOrString::Number(1),
        );
        let size = serde_json::to_string(&reply).unwrap().len();
        assert!(size <= 16 * 1024, "the tools/list reply takes {size} bytes");
    }

    #[test]
    fn what_each_start_lists() {
        let listed = |read_only, roots| {
            TOOLS
                .iter()
                .filter(|t| t.allowed(read_only, roots))
                .map(|t| t.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(false, true).len(), 15);
        assert!(
            listed(true, true)
                .iter()
                .all(|n| find(n).unwrap().read_only)
        );
        assert!(!listed(false, false).contains(&"plan_sync"));
        assert!(listed(false, false).contains(&"upload_url"));
    }
}
