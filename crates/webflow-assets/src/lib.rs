//! Upload and organise files on a Webflow site through the Assets API.
//!
//! One call puts a file on a site the right way: its name, type and size are checked before
//! anything is sent; its MD5 is computed from the very bytes that are sent; the asset is
//! created, the S3 form is posted with every field Webflow gave (the file last); transient
//! failures are retried (rate limits honour `Retry-After`); and the asset is read back, so
//! the call returns only once the file is on the site. Every failure is a typed [`Error`].
//!
//! ```no_run
//! # async fn example() -> Result<(), webflow_assets::Error> {
//! use webflow_assets::Client;
//!
//! let client = Client::new(std::env::var("WEBFLOW_TOKEN").unwrap())?;
//! let site = "580e63e98c9a982ac9b8b741".parse()?;
//! let folder = "brand/logos".parse()?;
//! let asset = client.upload(&site, "brand/logo.png").folder(folder).send().await?;
//! println!("{} is at {}", asset.file_name, asset.hosted_url);
//! # Ok(())
//! # }
//! ```
//!
//! Every endpoint has a typed method on [`Client`] (`list_assets`, `get_asset`,
//! `update_asset`, `delete_asset`, `list_folders`, `get_folder`, `create_folder`, `upload`;
//! `list_sites`, `get_site`, `token_info`, `authorized_user`; `upload_font`,
//! `replace_font_file`, `list_fonts`, `get_font`, `update_font`, `delete_fonts`),
//! and the generated client is there too, as [`Client::raw`]; the generated types this
//! crate's methods return or take are in [`models`]. Every request, whichever way it is made, draws on the token's shared rate
//! budget and is retried by the client's [`RetryPolicy`].
//!
//! The token is sent only to the API base URL: it is attached per request by the API client
//! and never to the S3 upload or a URL source, API requests follow no redirect, and it shows
//! in no `Debug` output. URL sources are fetched only from public addresses, checked on each
//! connection at every redirect, unless [`ClientBuilder::allow_private_urls`] opts in.
//!
//! # Features
//!
//! Two features are on by default; a service that only uploads and syncs assets can turn
//! them off (`webflow-assets = { version = "0.2", default-features = false }`) and build none
//! of their dependencies:
//!
//! - **`fonts`**: custom fonts, with `ttf-parser`, `flate2`, `brotli-decompressor` and
//!   `ttf2woff2`: the font endpoints (`upload_font`, `replace_font_file`, `list_fonts`,
//!   `get_font`, `update_font`, `delete_fonts`), reading a font file's family, weight and
//!   style, `woff2` compression, and `font_dir`, which puts a directory of fonts on a site.
//! - **`csv`**: CSV, with `csv`: `alt_text::write_csv` and `alt_text::read_csv`,
//!   `copy::write_mapping_csv`, and the `alt-text.csv` sidecar of a synced directory (without
//!   the feature an `alt-text.csv` is refused with an error; `alt-text.json` still works).
//!
//! Off by default: `aws-lc-md5` (MD5 from aws-lc's assembly) and `schemars` (JSON Schemas of
//! the report records).
//!
//! # Stability
//!
//! Adding a feature is never a breaking change, so that this crate can grow without breaking
//! the services that depend on it:
//!
//! - **Enums and records that may grow are `#[non_exhaustive]`**: [`Error`] and each of its
//!   variants, [`Rule`], [`Kind`], [`ErrorCode`], [`bulk::Outcome`], [`bulk::SkipReason`],
//!   [`bulk::Status`], [`sync::Verify`], the reports, plans and their items, the manifest's
//!   types, [`bulk::Progress`]... Match them with a wildcard arm (`_ =>`, or `..` in a variant's
//!   fields) and read their fields; a new variant or field arrives in a minor release.
//!   Types whose fields are private ([`Client`], [`RetryPolicy`], [`bulk::BulkFile`],
//!   [`FolderTree`], [`sync::Filter`], [`FolderPath`]) are built with their constructors.
//! - **Options are built from `Default` with chainable setters**, as [`ClientBuilder`] is:
//!   `SyncOptions::default().folder(path).prune(true)`,
//!   `BulkOptions::default().concurrency(8)`, `Limits::default().image(8 << 20)`, and
//!   [`RateLimit::new`]. Unlike the generated builders, whose setters take `TryInto` values and
//!   report a bad one only when built, these setters take plain values and cannot fail. A new
//!   setting is a new setter whose default keeps today's behaviour.
//! - **One setter, one meaning, one type.** A setter is named for its setting and takes
//!   `self`; options types have no getters (a setting is read from its public field, so no
//!   method named like a setting reads it). A setting several operations share (`folder`,
//!   `manifest`, `dry_run`, `concurrency`, `locale`, `locales`) has the same setter and
//!   meaning on each options type that has it. `folder` takes a [`FolderPath`] everywhere
//!   (an upload, a bulk file, every options type) and `folder_id` a [`FolderId`]; `locale`
//!   is the one [`LocaleId`] an operation reads and writes alt text in (an asset update's
//!   too), `locales` the secondary ones a pull or a copy carries along. An optional setting's setter takes the value; its
//!   `maybe_` twin takes an `Option` of it, for a caller that holds one:
//!   `SyncOptions::default().maybe_folder(folder)`.
//! - **Ids are typed**: [`SiteId`], [`AssetId`], [`FolderId`], [`FontId`] and [`LocaleId`]
//!   are checked once,
//!   when parsed or where Webflow gives them, and methods take them by reference, so one
//!   cannot be passed for another. Results, outcomes, records and the [`FolderTree`] carry
//!   them typed; they serialise as the same strings.
//! - **Generated types** that this crate's methods take or return, and the types of their
//!   fields, are re-exported from [`models`] under this crate's semver. The generator marks
//!   every model struct and enum `#[non_exhaustive]`, and each struct-like variant of a model
//!   enum, so a field or variant a new Webflow description adds to a response is an addition
//!   here, not a break: read models' fields, build them with their builders
//!   (`FontAxis::builder()`) or `Default` and field assignment, and match model enums with a
//!   wildcard arm. Only an *optional* field is such an addition: a new *required* field of a
//!   request model (or a new constraint on one of its values) is a breaking release, and the
//!   crate's tests of each request model fail on the regen that brings it. A field removed,
//!   renamed or retyped upstream is a breaking release too. [`raw`] is the whole generated
//!   client, for endpoints this crate does not wrap; it follows the same rules.
//!
//! What the compiler refuses, so that the next release can add to it. A model or an options
//! struct is built from `Default`, never as a literal:
//!
//! ```
//! use webflow_assets::{models::Asset, sync::SyncOptions};
//!
//! let mut asset = Asset::default();
//! asset.display_name = Some("logo.png".into());
//! let options = SyncOptions::default().prune(true);
//! # let _ = (asset, options);
//! ```
//!
//! ```compile_fail,E0639
//! let asset = webflow_assets::models::Asset { ..Default::default() };
//! ```
//!
//! ```compile_fail,E0639
//! let options = webflow_assets::sync::SyncOptions { prune: true, ..Default::default() };
//! ```
//!
//! A folder is a checked [`FolderPath`], never text checked later:
//!
//! ```compile_fail,E0308
//! # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
//! let site = "580e63e98c9a982ac9b8b741".parse()?;
//! client.upload(&site, "logo.png").folder("a/b").send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ```compile_fail,E0308
//! let options = webflow_assets::sync::SyncOptions::default().folder("a/b");
//! ```
//!
//! and an id in a result is typed, so it is passed on as it is, never parsed again:
//!
//! ```no_run
//! # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
//! let site = "580e63e98c9a982ac9b8b741".parse()?;
//! let asset = client.upload(&site, "logo.png").send().await?;
//! client.delete_asset(&asset.id).await?;
//! # Ok(())
//! # }
//! ```
//!
//! An [`Outcome`](bulk::Outcome) is matched with a wildcard arm, and its variants with `..`:
//!
//! ```
//! use webflow_assets::bulk::Outcome;
//!
//! fn describe(outcome: &Outcome) -> String {
//!     match outcome {
//!         Outcome::Uploaded(_) => "uploaded".into(),
//!         Outcome::Unchanged { .. } | Outcome::AltTextSet { .. } => "on the site".into(),
//!         Outcome::Skipped(_) => "skipped".into(),
//!         Outcome::Failed(_) => "failed".into(),
//!         Outcome::Deleted { .. } => "deleted".into(),
//!         Outcome::Downloaded { asset_id, size, md5, renamed_from, .. } => {
//!             format!("{asset_id}: {size} bytes, {md5}, {renamed_from:?}")
//!         }
//!         Outcome::Copied { .. } => "copied".into(),
//!         _ => "something a later release does".into(),
//!     }
//! }
//! # let _ = describe;
//! ```
//!
//! ```compile_fail,E0004
//! use webflow_assets::bulk::Outcome;
//!
//! fn describe(outcome: &Outcome) -> &'static str {
//!     match outcome {
//!         Outcome::Uploaded(_) => "uploaded",
//!         Outcome::Unchanged { .. } | Outcome::AltTextSet { .. } => "on the site",
//!         Outcome::Skipped(_) => "skipped",
//!         Outcome::Failed(_) => "failed",
//!         Outcome::Deleted { .. } => "deleted",
//!         Outcome::Downloaded { .. } => "downloaded",
//!         Outcome::Copied { .. } => "copied",
//!     }
//! }
//! ```
//!
//! ```compile_fail,E0639
//! use webflow_assets::bulk::Outcome;
//!
//! let outcome = Outcome::Downloaded {
//!     asset_id: "580e63e98c9a982ac9b8b741".into(),
//!     size: 1,
//!     md5: "0cc175b9c0f1b6a831c399e269772661".into(),
//!     renamed_from: None,
//! };
//! ```

#![deny(missing_docs)]

// The words every layer shares: the error, ids, paths, and the checks made before anything
// is sent. They import no layer.
mod error;
pub mod font_rules;
pub mod hash;
mod ids;
mod json_file;
mod path;
mod reasons;
mod runtime;
pub mod site_choice;
mod target;
pub mod validate;

// The layers, from the wire up. Each imports only the layers above it in this list.
pub(crate) mod http;

pub(crate) mod api;

pub(crate) mod upload;

pub(crate) mod inventory;

pub(crate) mod run;

#[cfg(feature = "fonts")]
pub(crate) mod fonts;

pub mod alt_text;

pub mod pull;

pub mod sync;

pub mod copy;

#[cfg(test)]
mod tests;

pub use alt_text::audit;
pub use api::models;

#[cfg(feature = "fonts")]
pub use fonts::dir as font_dir;
#[cfg(feature = "fonts")]
pub use fonts::woff2;
pub use inventory::manifest;
pub use run::bulk;

pub use api::assets::UpdateAsset;
pub use api::folder_tree::FolderTree;
pub use api::token::TokenInfo;
pub use error::{CsvFile, Error, ErrorCode, ErrorKind, IoOperation};
pub use font_rules::FontRule;
#[cfg(feature = "fonts")]
pub use fonts::endpoints::{DeletedFonts, FontNotDeleted, UpdateFont};
#[cfg(feature = "fonts")]
pub use fonts::upload::{
    FontPlan, PreparedFont, ReplaceFontBuilder, UploadFontBuilder, UploadedFont,
};
pub use http::budget::RateLimit;
pub use http::client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_USER_AGENT, Token};
pub use http::form::PostResponse;
pub use http::retry::RetryPolicy;
pub use ids::{AssetId, FolderId, FontId, LocaleId, SiteId};
pub use path::{FolderPath, RelPath};
pub use upload::plan::{PlannedRequest, UploadPlan};
pub use upload::{UploadBuilder, UploadSource, UploadedAsset};
pub use validate::{Kind, Limits, Rule, UrlPurpose};

/// The generated client and its types.
pub use webflow_assets_raw as raw;
