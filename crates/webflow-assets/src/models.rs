//! The generated models this crate's API returns or takes, under this crate's semver.
//!
//! They are the types of the generated client ([`raw::types`](crate::raw::types)), named here
//! so that users depend on one path. Every model struct with named fields and every model enum
//! is `#[non_exhaustive]` (the generator marks them): read a model's fields freely; build one
//! with its builder or with `Default` and field assignment, and match a model enum with a
//! wildcard arm. A field or variant Webflow adds then reaches users in a minor release
//! without breaking their code.
//!
//! ```
//! use webflow_assets::models::FontAxis;
//!
//! let axis: FontAxis = FontAxis::builder()
//!     .tag(Some("wght".to_string()))
//!     .min(Some(100.0))
//!     .default_value(Some(400.0))
//!     .max(Some(900.0))
//!     .try_into()
//!     .expect("every field is set");
//! let mut same = FontAxis::default();
//! same.tag = Some("wght".into());
//! same.min = Some(100.0);
//! same.default_value = Some(400.0);
//! same.max = Some(900.0);
//! assert_eq!(axis, same);
//! ```

pub use webflow_assets_raw::types::{
    Asset, AssetFolder, AssetVariant, AuthorizedUser, CustomFont, Domain, ErrorDetail, FontAxis,
    FontDeleteFailure, FontDisplay, FontFormat, KnownErrorCode, Locale, Locales, Site,
    SiteDataCollectionType, Timestamp,
};

/// A request model from its generated builder, every required field of which the caller set.
pub(crate) fn built<B, T>(builder: B) -> T
where
    T: TryFrom<B>,
    T::Error: std::fmt::Display,
{
    T::try_from(builder).unwrap_or_else(|e| panic!("a required field was left unset: {e}"))
}
