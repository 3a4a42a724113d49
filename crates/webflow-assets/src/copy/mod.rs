//! One site's assets onto another ([`Client::copy_plan`](crate::Client::copy_plan), [`CopyPlan::execute`]): the folder
//! tree is recreated on the target, each asset's bytes are streamed from the source's CDN (at
//! most the per-kind size limit in memory per file in flight) and uploaded with the same name,
//! alt text and display name. Each site is reached through its own [`Client`](crate::Client), so each token
//! keeps its own rate budget. It reconciles against the target's listing as a sync does (by
//! folder path, name and size), so a rerun, or a run after one killed at any instant, copies
//! only what the target lacks.
//!
//! Its parts: the settings (`options`), the plan and how it is made (`plan`), carrying it
//! out (`execute`), and the mapping of source assets to their copies (`mapping`).

mod execute;
mod mapping;
mod options;
mod plan;

#[cfg(feature = "csv")]
pub use mapping::write_mapping_csv;
pub use mapping::{MappingRow, mapping};
pub use options::CopyOptions;
pub use plan::{CopyPlan, PlannedCopy};
