//! An audit's findings and counts.

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::audit::{Audit, AuditAsset};

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
