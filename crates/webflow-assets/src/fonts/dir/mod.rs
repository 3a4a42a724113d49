//! Putting a directory of font files on a site, file by file, so that a rerun sends nothing.
//!
//! The site is the source of truth. A file whose name is a font of the site is skipped (or
//! reported changed when its bytes differ); a file whose family, weight and style a font of
//! the site has under another name (Webflow answers 409 to a second one) is skipped when the
//! hosted bytes are those this run would send, and fails when they differ or cannot be
//! compared. Each directory keeps a manifest, `.webflow-fonts.json`, of the fonts its files
//! became, written atomically: it saves compressing and downloading on a rerun, and losing it
//! costs a comparison, never a duplicate.
//!
//! ```no_run
//! # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
//! use webflow_assets::font_dir::{FontDirOptions, FontOutcome};
//!
//! let site = "580e63e98c9a982ac9b8b741".parse()?;
//! let options = FontDirOptions::default().woff2(true);
//! let plan = client.font_dir_plan(&site, ["brand/fonts"], options).await?;
//! println!("{} font files", plan.files.len());
//! let report = plan.execute(&client).await?;
//! for file in report.files() {
//!     match &file.outcome {
//!         FontOutcome::Uploaded(font) => println!("uploaded {} as {}", file.name, font.id),
//!         FontOutcome::Failed { reason, .. } => println!("failed {}: {reason}", file.name),
//!         other => println!("{}: {other:?}", file.name),
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod files;
mod options;
mod plan;
mod report;
mod run;
mod same_face;

pub use crate::fonts::dir_manifest::FILE_NAME as MANIFEST_FILE_NAME;
pub use files::{FONT_EXTENSIONS, FontSource, is_font_file_name};
pub use options::FontDirOptions;
pub use plan::FontDirPlan;
pub use report::{AlreadyHosted, Differs, FontDirReport, FontFailure, FontFileReport, FontOutcome};
pub use run::FontDirRun;
