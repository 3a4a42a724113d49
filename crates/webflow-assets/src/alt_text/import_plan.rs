//! The import's plan: the edited rows compared with the site's alt text, each row to be
//! written, already so, or refused with why.

use std::collections::HashMap;

use crate::alt_text::row::AltRow;
use crate::error::Error;
use crate::http::client::Client;
use crate::ids::{AssetId, LocaleId, SiteId};
use crate::inventory::remote::SiteInventory;
use crate::run::cost::RequestCost;
use crate::run::report::{Record, Status};

/// Settings for [`Client::alt_import_plan`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AltImportOptions {
    /// Read and write the alt text of this locale instead of the primary one.
    pub locale: Option<LocaleId>,
    /// Write rows whose asset's alt text changed on the site since the export.
    pub force: bool,
    /// Only report what would change.
    pub dry_run: bool,
    /// Updates in flight at once (default 4).
    pub concurrency: usize,
}

impl Default for AltImportOptions {
    fn default() -> Self {
        Self {
            locale: None,
            force: false,
            dry_run: false,
            concurrency: 4,
        }
    }
}

crate::run::settings::shared_settings!(AltImportOptions {
    locale,
    dry_run,
    concurrency => concurrency
});

impl AltImportOptions {
    /// Sets whether rows whose alt text changed on the site since the export are written.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

/// One alt-text change to make.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AltPatch {
    /// The row's label (folder path and name).
    pub label: String,
    /// The asset.
    pub asset_id: crate::AssetId,
    /// The alt text to set.
    pub alt_text: String,
}

/// What an import will do: see [`Client::alt_import_plan`].
#[derive(Debug)]
#[non_exhaustive]
pub struct AltImportPlan {
    /// Rows to write.
    pub patches: Vec<AltPatch>,
    /// Rows that change nothing (not edited, or the site already has the wanted text), by
    /// label and asset.
    pub unchanged: Vec<(String, crate::AssetId)>,
    /// Rows refused or impossible, each with its typed reason: the site's alt text changed
    /// since the export ([`Error::StaleAltText`], unless forced), or the site has no asset
    /// of the row's id ([`Error::AssetNotFound`]).
    pub failed: Vec<(String, Error)>,
    /// Requests spent planning (one per 100 assets listed) and needed to carry it out.
    pub cost: RequestCost,
    pub(super) options: AltImportOptions,
}

impl Client {
    /// Plans applying edited rows: lists the site's alt text (in the options' locale; one
    /// request per 100 assets) and compares. A row whose wanted text equals its exported text,
    /// or the site's current text, changes nothing. A row whose asset's current alt text is no
    /// longer the exported one is refused ([`Error::StaleAltText`]) unless forced; a row whose
    /// asset the site no longer has fails with [`Error::AssetNotFound`]. Neither sends
    /// anything.
    ///
    /// The listing is read whole before any row is judged: one asset id in it that is not an
    /// id fails the plan with [`Error::UnexpectedResponse`], whichever rows are given. The
    /// unreadable asset may be a row's own, and telling that row "not found" or "unchanged"
    /// would report a check that could not be made.
    pub async fn alt_import_plan(
        &self,
        site_id: &SiteId,
        rows: Vec<AltRow>,
        options: AltImportOptions,
    ) -> Result<AltImportPlan, Error> {
        // Rows are found by id, so the folder tree is not read.
        let read = SiteInventory::read_by_id(self, site_id, options.locale.as_ref());
        let (site, planning) = crate::http::transport::counted(read).await;
        let site = site?;
        let current: HashMap<AssetId, &str> = site
            .by_id()?
            .into_iter()
            .map(|(id, asset)| (id, asset.alt_text.as_deref().unwrap_or_default()))
            .collect();
        let mut plan = AltImportPlan {
            patches: Vec::new(),
            unchanged: Vec::new(),
            failed: Vec::new(),
            cost: RequestCost {
                planning,
                execution: 0,
            },
            options,
        };
        for row in rows {
            let label = row.label();
            let Some(&now) = current.get(&row.id) else {
                let gone = Error::AssetNotFound { asset_id: row.id };
                plan.failed.push((label, gone));
                continue;
            };
            if row.new_alt_text == row.alt_text || now == row.new_alt_text {
                plan.unchanged.push((label, row.id));
            } else if now != row.alt_text && !plan.options.force {
                let stale = Error::StaleAltText {
                    asset_id: row.id.clone(),
                    expected: row.alt_text,
                    current: now.to_string(),
                };
                plan.failed.push((label, stale));
            } else {
                plan.patches.push(AltPatch {
                    label,
                    asset_id: row.id,
                    alt_text: row.new_alt_text,
                });
            }
        }
        plan.cost.execution = plan.patches.len() as u32;
        Ok(plan)
    }
}

impl AltImportPlan {
    /// The plan as records, as `--dry-run --json` prints them.
    pub fn records(&self) -> Vec<Record> {
        let mut records = Vec::new();
        for patch in &self.patches {
            let status = Status::PlannedAltText {
                asset_id: patch.asset_id.clone(),
                alt_text: patch.alt_text.clone(),
            };
            records.push(Record::new(patch.label.clone(), status));
        }
        for (label, asset_id) in &self.unchanged {
            let status = Status::Unchanged {
                asset_id: asset_id.clone(),
            };
            records.push(Record::new(label.clone(), status));
        }
        for (label, error) in &self.failed {
            records.push(Record::failed(label.clone(), error));
        }
        records
    }
}
