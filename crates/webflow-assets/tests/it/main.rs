//! The library's integration tests, one module per subject, in one test binary: each binary
//! links the whole dependency tree (the fake, S3, the HTTP stack), so one binary instead of
//! one per file saves most of the test build's time. `tracing.rs` stays a binary of its own:
//! a subscriber installed for one test is unreliable beside others.

#[path = "../common/mod.rs"]
mod common;

mod chaos;
mod endpoints;
#[cfg(feature = "fonts")]
mod font_dir;
#[cfg(feature = "fonts")]
mod fonts;
mod provably_gone;
mod reconcile;
mod retarget;
mod retry;
mod security;
mod shape;
mod sites;
mod sync;
mod upload;
mod upload_plan;
mod url_source;
mod user_style;
mod validation;
#[cfg(feature = "fonts")]
mod woff2_reference;
