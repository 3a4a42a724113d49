//! What each tool returns as structured content: the `--json` lines' own types
//! ([`Record`], [`Totals`], [`AssetLine`]...) gathered into one object per tool.

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::ErrorKind;
use webflow_assets::bulk::Record;
use webflow_assets::models::{Asset, CustomFont, Site};

use crate::failure::{Code, Described};
use crate::lines::{
    AssetLine, AuditTotals, FindingLine, FolderLine, FontRecord, PlanTotals, Totals,
};

/// A tool's failure: the command's error line.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorObject {
    /// What went wrong, in words.
    pub error: String,
    /// What kind of failure, as a stable value to match on.
    pub code: Code,
    /// What kind of failure, when it came from Webflow, S3, the network or the disk.
    pub kind: Option<ErrorKind>,
    /// The fix, when there is one to name.
    pub hint: Option<String>,
}

impl From<Described> for ErrorObject {
    fn from(described: Described) -> Self {
        Self {
            error: described.message,
            code: described.code,
            kind: described.kind,
            hint: described.hint,
        }
    }
}

/// `list_sites`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Sites {
    /// The sites the token reaches, as Webflow describes them.
    pub sites: Vec<Site>,
}

/// `list_assets`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Assets {
    /// The assets, as `ls --json` prints them.
    pub assets: Vec<AssetLine>,
    /// How many matched in all (more than listed when `limit` cut the list).
    pub matched: usize,
}

/// `list_folders`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Folders {
    /// Every folder with its path.
    pub folders: Vec<FolderLine>,
}

/// `create_folder`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Folder {
    /// The folder at the path (created, or there already).
    pub folder: FolderLine,
}

/// `get_asset`, `update_asset`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct OneAsset {
    /// The asset, as Webflow describes it.
    pub asset: Box<Asset>,
}

/// `upload_files`, `upload_url`, `delete_assets`, `apply_sync`, `pull`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Run {
    /// One record per file or asset, as the command's `--json` lines.
    pub files: Vec<Record>,
    /// The totals.
    pub report: Totals,
    /// Set when the run failed, whole or in part: the command's error line (whose schema
    /// `webflow-assets schema` prints; here only "an object", to keep the listing short).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub error: Option<ErrorObject>,
}

/// `plan_sync`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Plan {
    /// Give it to `apply_sync` to carry the plan out (once, within `expires_in` seconds).
    pub plan_id: String,
    /// Seconds the plan may wait.
    pub expires_in: u64,
    /// What would happen to each file and asset: `planned_upload`, `planned_delete` (with its
    /// reason), `unchanged`, `planned_alt_text`, `skipped` (with its reason), `failed`.
    pub files: Vec<Record>,
    /// The totals, and the requests planning spent and applying would send.
    pub plan: PlanTotals,
}

/// `audit`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Audit {
    /// One line per asset (or folder) of each finding.
    pub findings: Vec<FindingLine>,
    /// The counts.
    pub audit: AuditTotals,
}

/// `list_fonts`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Fonts {
    /// The site's custom fonts, as Webflow describes them.
    pub fonts: Vec<CustomFont>,
}

/// `upload_fonts`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FontRun {
    /// What happened to each font file.
    pub files: Vec<FontRecord>,
    /// The totals.
    pub report: Totals,
    /// Set when some font failed, or the call was cancelled: the command's error line.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub error: Option<ErrorObject>,
}
