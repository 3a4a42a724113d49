//! Putting a font file on a site: check it, read what it says about itself, hash it, create
//! (or replace) the font, post the S3 form the way assets do, confirm.
//!
//! The upload's builder (`builder`), what it would send and its sending (`plan`), a font
//! file's replacement (`replace`), the file read, checked and posted (`file`), and what
//! comes back (`result`).

mod builder;
mod file;
mod plan;
mod replace;
mod result;

pub use builder::UploadFontBuilder;
pub use plan::{FontPlan, PreparedFont};
pub use replace::ReplaceFontBuilder;
pub use result::UploadedFont;
