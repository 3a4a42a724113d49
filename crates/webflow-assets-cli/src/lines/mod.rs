//! The lines `--json` prints: one serde type, whose JSON Schema is published as
//! `schema/lines.schema.json` so scripts can rely on the format.
//!
//! Here, the one type of a line and its schema; each kind of line's own type in the file
//! named for it: a run's and a plan's totals, assets and folders, the login, fonts, audits.

mod assets;
mod audit;
mod auth;
mod fonts;
mod totals;

pub use assets::{AssetLine, ChangeLine, FolderLine};
pub use audit::{AuditTotals, FindingLine, findings};
pub use auth::{AuthLine, LogoutLine};
pub use fonts::{FontRecord, FontStatus};
pub use totals::{PlanTotals, PullPlanTotals, Totals};

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::ErrorKind;
use webflow_assets::UploadPlan;
use webflow_assets::bulk::Record;
use webflow_assets::models::{CustomFont, Site};

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
