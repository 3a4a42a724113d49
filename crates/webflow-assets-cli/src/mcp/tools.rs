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

    /// Its MCP description.
    pub fn describe(&self) -> rmcp::model::Tool {
        let mut tool = rmcp::model::Tool::new(self.name, self.description, (self.input)());
        tool.output_schema = Some((self.output)());
        let annotations = ToolAnnotations::new()
            .read_only(self.read_only)
            .open_world(self.open_world);
        // Meaningful only for a tool that changes something.
        tool.annotations = Some(match self.read_only {
            true => annotations,
            false => annotations
                .destructive(self.destructive)
                .idempotent(self.idempotent),
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
    /// Only this folder path and below, e.g. brand/logos.
    pub folder: Option<String>,
    /// Only names containing this (any case).
    pub name: Option<String>,
    /// At most this many (default 100).
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
    /// Files inside the roots (relative: from the first root).
    pub paths: Vec<String>,
    /// Folder path to upload into, created as needed.
    pub folder: Option<String>,
    /// Alt text (one file only).
    pub alt_text: Option<String>,
    /// Display name (one file only).
    pub display_name: Option<String>,
}

/// `upload_url`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadUrl {
    /// An https URL.
    pub url: String,
    /// Folder path to upload into, created as needed.
    pub folder: Option<String>,
    /// The asset's file name (default: from the URL).
    pub file_name: Option<String>,
    /// Alt text.
    pub alt_text: Option<String>,
}

/// `create_folder`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFolder {
    /// Folder path, e.g. brand/logos; missing levels are created.
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
    /// Locale id for the alt text (default: primary).
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
    /// Directory inside the roots.
    pub dir: String,
    /// Folder path the tree goes under.
    pub folder: Option<String>,
    /// Also plan deleting assets under the folder that have no local file.
    #[serde(default)]
    pub delete: bool,
    /// Only files matching these gitignore-style patterns.
    #[serde(default)]
    pub include: Vec<String>,
    /// Leave out files matching these patterns.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Compare hosted files by MD5 where name and size match.
    #[serde(default)]
    pub checksum: bool,
}

/// `apply_sync`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplySync {
    /// The plan_id plan_sync returned.
    pub plan_id: String,
}

/// `pull`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pull {
    /// Directory inside the roots (created if needed).
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
    /// Font files (.woff2 .woff .ttf .otf .eot) or directories of them, inside the roots.
    pub paths: Vec<String>,
}

/// Every tool, in the order they are listed.
pub const TOOLS: &[Tool] = &[
    Tool {
        name: "list_sites",
        description: "List the sites the token reaches.",
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
        description: "List the site's assets: id, name, size, URL, folder, alt text.",
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
        description: "List the site's asset folders with their paths.",
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
        description: "Upload local files (checked, hashed, read back). Files are \
                      uploaded, unchanged, skipped or failed, each with why.",
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
        description: "Create an asset folder path; levels that exist are reused.",
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
        description: "Set an asset's alt text and/or display name (replaces the old values).",
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
        description: "Delete assets by id. Pages using them break.",
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
        description: "Plan mirroring a directory onto the site; changes nothing. Returns \
                      plan_id and every upload, deletion (with reason), unchanged and \
                      skipped file, and the request count. Read it, then apply_sync.",
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
        description: "Carry out a plan from plan_sync, once. Plans again first and refuses \
                      (stale_plan) if anything differs.",
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
        description: "Download the site's assets into a directory by folder path; writes \
                      what the directory lacks, its manifest and alt-text.json.",
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
        description: "Find images without alt text, duplicate files, names too long and \
                      empty folders.",
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
