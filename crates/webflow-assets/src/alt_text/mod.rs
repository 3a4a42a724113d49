//! Alt text at scale: every asset's alt text as CSV rows a person edits
//! ([`Client::alt_export`]), and the edited file applied back ([`Client::alt_import_plan`],
//! [`AltImportPlan::execute`]) with a stale-write guard: each row carries the alt text it
//! expects to replace, and a row whose asset's alt text changed on the site since is refused
//! unless forced.
//!
//! [`Client::alt_export`]: crate::Client::alt_export
//! [`Client::alt_import_plan`]: crate::Client::alt_import_plan

pub mod audit;
#[cfg(feature = "csv")]
mod csv_file;
mod export;
mod import_plan;
mod import_run;
mod row;

#[cfg(feature = "csv")]
pub(crate) use csv_file::csv_error;
#[cfg(feature = "csv")]
pub use csv_file::{read_csv, write_csv};
pub use export::AltExportOptions;
pub use import_plan::{AltImportOptions, AltImportPlan, AltPatch};
pub use row::{AltRow, COLUMNS};
