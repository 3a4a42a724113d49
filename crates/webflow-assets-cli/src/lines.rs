//! The lines `--json` prints: one serde type, whose JSON Schema is published as
//! `schema/lines.schema.json` so scripts can rely on the format.

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::ErrorKind;
use webflow_assets::UploadPlan;
use webflow_assets::audit::{Audit, AuditAsset};
use webflow_assets::bulk::{Record, Report};
use webflow_assets::models::{Asset, CustomFont, Site};
use webflow_assets::pull::PullPlan;
use webflow_assets::sync::{RequestCost, SyncPlan, SyncTarget};

use crate::failure::Code;

/// One line of `--json` output. Each line is exactly one of these shapes.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Line {
    /// What happened to a file or an asset, or what a plan would do with it: `upload`,
    /// `sync`, `sync --dry-run`, `rm`.
    File(Record),
    /// The totals of a sync plan (`sync --dry-run`), last.
    Plan {
        /// The totals.
        plan: PlanTotals,
    },
    /// The totals of a pull plan (`pull --dry-run`), last.
    PullPlan {
        /// The totals.
        pull_plan: PullPlanTotals,
    },
    /// The totals of a run (`upload`, `sync`, `pull`, `copy`, `alt import`, `fonts upload`),
    /// last. For `fonts upload`, `skipped` counts the fonts already on the site (changed ones
    /// included), as their lines do.
    Report {
        /// The totals.
        report: Totals,
    },
    /// An asset (`ls`).
    Asset(AssetLine),
    /// What an upload would do (`upload --dry-run`): the file checked and hashed, and the
    /// requests it would make.
    UploadPlan {
        /// The file as named.
        file: String,
        /// The plan.
        upload_plan: UploadPlan,
    },
    /// What a change would do (`alt --dry-run`, `rename --dry-run`).
    Change(ChangeLine),
    /// An asset with the fields `ls --fields` asked for, by Webflow's names, in that order.
    Fields(serde_json::Map<String, serde_json::Value>),
    /// A folder (`folders`).
    Folder(FolderLine),
    /// The token in use (`auth status`), or the one just stored (`auth login`).
    Auth(AuthLine),
    /// What `auth logout` did.
    Logout {
        /// The stored login's file, and whether there was one to remove.
        logout: LogoutLine,
    },
    /// A site the token reaches (`sites`), as Webflow describes it.
    Site(Box<Site>),
    /// A custom font (`fonts ls`), as Webflow describes it.
    Font(Box<CustomFont>),
    /// What happened to a font file or a font (`fonts upload`, `fonts replace`, `fonts rm`).
    FontFile(FontRecord),
    /// One asset or folder of an `audit` finding.
    Finding(FindingLine),
    /// The counts of an `audit`, last.
    Audit {
        /// The counts.
        audit: AuditTotals,
    },
    /// The command could not run, or stopped: with `--json`, every failure prints exactly one
    /// of these, last.
    Error {
        /// What went wrong, in words.
        error: String,
        /// What kind of failure, as a stable value to match on.
        code: Code,
        /// What kind of failure, when it came from Webflow, S3, the network or the disk.
        kind: Option<ErrorKind>,
        /// The fix, when there is one to name.
        hint: Option<String>,
    },
}

/// How many files a run left in each state.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct Totals {
    /// Uploaded.
    pub uploaded: usize,
    /// Already on the site.
    pub unchanged: usize,
    /// Already on the site; alt text set.
    pub updated: usize,
    /// Left alone (those refused included).
    pub skipped: usize,
    /// Refused by the SDK (type, size, name): not on the site.
    pub refused: usize,
    /// Failed.
    pub failed: usize,
    /// Assets deleted.
    pub deleted: usize,
    /// Files hashed to find out whether they changed.
    pub hashed: usize,
    /// Assets downloaded (`pull`).
    pub downloaded: usize,
    /// Assets copied (`copy`).
    pub copied: usize,
}

impl From<&Report> for Totals {
    fn from(report: &Report) -> Self {
        Self {
            uploaded: report.uploaded.len(),
            unchanged: report.unchanged.len(),
            updated: report.updated.len(),
            skipped: report.skipped.len(),
            refused: report.refused(),
            failed: report.failed.len(),
            deleted: report.deleted.len(),
            hashed: report.hashed,
            downloaded: report.downloaded.len(),
            copied: report.copied.len(),
        }
    }
}

/// What a sync plan would do, in numbers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanTotals {
    /// Files to upload.
    pub uploads: usize,
    /// Assets to delete.
    pub deletes: usize,
    /// Files the site already has.
    pub unchanged: usize,
    /// Files left alone.
    pub skipped: usize,
    /// Files that could not be read or compared.
    pub failed: usize,
    /// Files hashed to plan.
    pub hashed: usize,
    /// API requests spent planning and needed to carry the plan out.
    pub requests: RequestCost,
    /// Set when the directory's manifest records another site or folder than this sync
    /// targets (`--delete` then needs `--retarget`).
    pub retarget: Option<RetargetLine>,
}

/// A sync aimed elsewhere than its directory was synced to.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RetargetLine {
    /// What the directory's manifest records.
    pub recorded: TargetLine,
    /// What this sync targets.
    pub requested: TargetLine,
}

/// A site and a folder path on it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TargetLine {
    /// The site's id.
    pub site_id: String,
    /// The folder path (empty for the site root).
    pub folder: String,
}

impl From<&SyncTarget> for TargetLine {
    fn from(target: &SyncTarget) -> Self {
        Self {
            site_id: target.site_id.to_string(),
            folder: target.folder.to_string(),
        }
    }
}

impl From<&SyncPlan> for PlanTotals {
    fn from(plan: &SyncPlan) -> Self {
        Self {
            uploads: plan.uploads.len(),
            deletes: plan.deletes.len(),
            unchanged: plan.unchanged.len(),
            skipped: plan.skipped.len(),
            failed: plan.failed.len(),
            hashed: plan.hashed,
            requests: plan.cost,
            retarget: plan.retarget.as_ref().map(|r| RetargetLine {
                recorded: (&r.recorded).into(),
                requested: (&r.requested).into(),
            }),
        }
    }
}

/// What a pull plan would do, in numbers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PullPlanTotals {
    /// Assets to download.
    pub downloads: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Assets the directory already has.
    pub unchanged: usize,
    /// Assets whose file name differs from their name on the site.
    pub renamed: usize,
    /// API requests spent planning (executing sends none).
    pub requests: u32,
}

impl From<&PullPlan> for PullPlanTotals {
    fn from(plan: &PullPlan) -> Self {
        Self {
            downloads: plan.downloads.len(),
            bytes: plan.downloads.iter().map(|d| d.size).sum(),
            unchanged: plan.unchanged.len(),
            renamed: plan.renamed.len(),
            requests: plan.cost.planning,
        }
    }
}

/// An asset, as `ls` lists it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssetLine {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its size in bytes.
    pub size: i64,
    /// Where Webflow serves it.
    pub hosted_url: String,
    /// The folder it is in (`null` at the root).
    pub folder_id: Option<String>,
    /// Its alt text (in the locale asked for).
    pub alt_text: Option<String>,
}

impl From<&Asset> for AssetLine {
    fn from(asset: &Asset) -> Self {
        Self {
            id: asset.id.clone().unwrap_or_default(),
            name: asset.display_name.clone().unwrap_or_default(),
            size: asset.size.unwrap_or(0),
            hosted_url: asset.hosted_url.clone().unwrap_or_default(),
            folder_id: asset.folder_id.clone(),
            alt_text: asset.alt_text.clone(),
        }
    }
}

/// A change to one asset's field, as a dry run shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ChangeLine {
    /// The asset's id.
    pub asset_id: String,
    /// The field, by Webflow's name: `altText` or `displayName`.
    pub field: String,
    /// The locale, when not the primary one.
    pub locale: Option<String>,
    /// Its value now.
    pub from: Option<String>,
    /// The value it would get.
    pub to: String,
    /// Whether it would change (`false`: it has that value already).
    pub changed: bool,
}

/// The token in use, as `auth status` shows it (never the token itself).
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuthLine {
    /// Where it was read from.
    pub source: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// The sites it reaches.
    pub site_ids: Vec<String>,
    /// From `auth login`: the source that gives a token too and ranks above the stored
    /// login (an environment variable or a `.env` file), so later commands use its token
    /// instead of the one just stored. Absent when the stored login will be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_instead: Option<String>,
}

/// The stored login `auth logout` removed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LogoutLine {
    /// The file the token was stored in.
    pub file: String,
    /// Whether there was a token to remove (logging out twice is not an error).
    pub removed: bool,
}

/// A folder, as `folders` lists it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FolderLine {
    /// Its id.
    pub id: String,
    /// Its path from the site root.
    pub path: String,
}

impl FolderLine {
    /// Every folder of `tree` with its path, sorted by path; one whose parent cannot be found
    /// shows `?` for the part of its path that is unknown.
    pub fn all(tree: &webflow_assets::FolderTree) -> Vec<Self> {
        let mut lines: Vec<Self> = tree
            .folders()
            .iter()
            .filter_map(|folder| {
                let id = folder.id.clone()?;
                let path = match tree.path_of(&id) {
                    Some(path) => path.to_string(),
                    None => format!("?/{}", folder.display_name.as_deref().unwrap_or_default()),
                };
                Some(Self { id, path })
            })
            .collect();
        lines.sort_by(|a, b| (&a.path, &a.id).cmp(&(&b.path, &b.id)));
        lines
    }
}

/// A font file's or a font's outcome: `{"file": …, "status": …}` and the status's fields.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FontRecord {
    /// The font file's name, or for `fonts rm` the font's id.
    pub file: String,
    /// What happened.
    #[serde(flatten)]
    pub status: FontStatus,
}

/// What happened to a font file or a font.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FontStatus {
    /// Uploaded as a new font.
    Uploaded {
        /// The font's id.
        id: String,
        /// The MD5 of the bytes sent.
        md5: String,
    },
    /// The font's file was replaced; its id stays.
    Replaced {
        /// The font's id.
        id: String,
        /// The MD5 of the bytes sent.
        md5: String,
    },
    /// A font of that file name (or face) is on the site already, or the file was not
    /// started (`reason`).
    Skipped {
        /// The font's id, when the site has it.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// Why it was not started, when it was not: `cancelled`.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Why, in words.
        detail: String,
    },
    /// A font of that file name is on the site, but the file changed since it was uploaded:
    /// `fonts replace` updates it.
    Changed {
        /// The font's id.
        id: String,
        /// What to run, in words.
        detail: String,
    },
    /// `--dry-run`: it would be uploaded.
    Planned {
        /// The file name it would be uploaded as (`<stem>.woff2` with `--woff2`).
        upload_as: String,
        /// The local file's size in bytes.
        source_size: u64,
        /// The size of the bytes it would send (smaller when compressed).
        size: u64,
        /// The MD5 of the bytes it would send.
        md5: String,
        /// The CSS font-family it would get.
        family: String,
        /// The CSS font-weight it would get.
        weight: u16,
        /// Whether it would be italic.
        italic: bool,
    },
    /// It failed.
    Failed {
        /// The font's id, when there is one.
        id: Option<String>,
        /// Why, in words.
        detail: String,
    },
    /// The font was deleted.
    Deleted {
        /// The font's id.
        id: String,
    },
    /// No font has this id (a deletion of it changes nothing).
    NotFound {
        /// The id given.
        id: String,
        /// Webflow's words.
        detail: String,
    },
}

/// What an `audit` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// An image without alt text (in the locale asked for).
    MissingAltText,
    /// An asset with the same bytes as the others of its group.
    Duplicate,
    /// A name longer than Webflow accepts.
    LongName,
    /// A folder with nothing in it.
    EmptyFolder,
    /// An asset whose hosted bytes could not be fetched to compare.
    Unchecked,
}

/// One asset (or folder) of a finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FindingLine {
    /// What was found.
    pub finding: Finding,
    /// The folder path and name (a folder's path, for an empty folder).
    pub path: String,
    /// The asset's id (none for a folder).
    pub asset_id: Option<webflow_assets::AssetId>,
    /// The asset's size in bytes (none for a folder).
    pub size: Option<u64>,
    /// For duplicates: which group of equal files (from 1).
    pub group: Option<usize>,
    /// For an unchecked asset: why.
    pub error: Option<String>,
}

/// How many of each finding an audit made.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditTotals {
    /// Assets looked at.
    pub assets: usize,
    /// Images without alt text.
    pub missing_alt_text: usize,
    /// Groups of duplicate files.
    pub duplicate_groups: usize,
    /// Assets in those groups.
    pub duplicates: usize,
    /// Names longer than Webflow accepts.
    pub long_names: usize,
    /// Empty folders.
    pub empty_folders: usize,
    /// Assets that could not be compared.
    pub unchecked: usize,
    /// Hosted files downloaded to compare.
    pub downloaded: usize,
}

impl From<&Audit> for AuditTotals {
    fn from(audit: &Audit) -> Self {
        Self {
            assets: audit.assets,
            missing_alt_text: audit.missing_alt_text.len(),
            duplicate_groups: audit.duplicates.len(),
            duplicates: audit.duplicates.iter().map(Vec::len).sum(),
            long_names: audit.long_names.len(),
            empty_folders: audit.empty_folders.len(),
            unchecked: audit.unchecked.len(),
            downloaded: audit.downloaded,
        }
    }
}

/// The lines of an audit's findings, in order: missing alt text, duplicates, long names,
/// empty folders, assets not compared.
pub fn findings(audit: &Audit) -> Vec<FindingLine> {
    let asset = |finding, a: &AuditAsset, group, error| FindingLine {
        finding,
        path: a.path.clone(),
        asset_id: Some(a.asset_id.clone()),
        size: Some(a.size),
        group,
        error,
    };
    let mut lines = Vec::new();
    for a in &audit.missing_alt_text {
        lines.push(asset(Finding::MissingAltText, a, None, None));
    }
    for (index, group) in audit.duplicates.iter().enumerate() {
        for a in group {
            lines.push(asset(Finding::Duplicate, a, Some(index + 1), None));
        }
    }
    for a in &audit.long_names {
        lines.push(asset(Finding::LongName, a, None, None));
    }
    for path in &audit.empty_folders {
        lines.push(FindingLine {
            finding: Finding::EmptyFolder,
            path: path.to_string(),
            asset_id: None,
            size: None,
            group: None,
            error: None,
        });
    }
    for (a, error) in &audit.unchecked {
        lines.push(asset(Finding::Unchecked, a, None, Some(error.to_string())));
    }
    lines
}

/// Prints one `--json` line.
pub fn print(line: &Line) {
    match serde_json::to_string(line) {
        Ok(text) => crate::stdout::line(&text),
        Err(e) => crate::stderr::line(&format!("error: {e}")),
    }
}

/// The JSON Schema of [`Line`], as published.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Line);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

#[cfg(test)]
mod tests {
    /// The published schema is the one the types make: a change to a line's shape shows
    /// here, and in the file scripts read.
    #[test]
    fn the_published_schema_matches_the_types() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/lines.schema.json");
        let made = super::schema();
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &made).unwrap();
        }
        let published = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            published == made,
            "schema/lines.schema.json is stale: rerun with UPDATE_SCHEMA=1 and review the diff"
        );
    }
}
