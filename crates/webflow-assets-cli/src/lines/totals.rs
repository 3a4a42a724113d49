//! The totals a run or a plan ends with.

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::bulk::Report;
use webflow_assets::pull::PullPlan;
use webflow_assets::sync::{RequestCost, SyncPlan, SyncTarget};

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
