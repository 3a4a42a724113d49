//! Upload and organise files on a Webflow site through the Assets API.
//!
//! This crate will carry the upload helpers; today it re-exports the generated client as
//! [`raw`], so everything the API offers is already reachable.
//!
//! ```no_run
//! # async fn example() -> Result<(), webflow_assets::raw::Error<webflow_assets::raw::types::WebflowError>> {
//! let client = webflow_assets::raw::Client::new(
//!     "https://api.webflow.com/v2",
//!     reqwest::header::HeaderMap::new(),
//! );
//! let folders = client
//!     .list_asset_folders()
//!     .site_id("580e63e98c9a982ac9b8b741")
//!     .send()
//!     .await?;
//! println!("{} folders", folders.asset_folders.len());
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

/// The generated client, for every endpoint and type of the Assets API.
pub use webflow_assets_raw as raw;
