//! The generated models this crate's API returns or takes, under this crate's semver.
//!
//! They are the types of the generated client ([`raw::types`](crate::raw::types)) that this
//! crate's methods take or return, and the types of their fields, named here so that users
//! depend on one path. Every model struct with named fields, every model enum and each
//! struct-like variant of one is `#[non_exhaustive]` (the generator marks them): read a
//! model's fields freely; build one with its builder or with `Default` and field assignment,
//! and match a model enum with a wildcard arm. An *optional* field or a variant Webflow adds
//! then reaches users in a minor release without breaking their code. A *required* field
//! added to a request model is a breaking change (a request built without it would be
//! refused); this crate's tests build each request model, so the regen that brings one fails
//! them.
//!
//! [`ErrorCode`] here is the generated code as Webflow sends it; the crate's own
//! [`crate::ErrorCode`] is what [`Error::Api`](crate::Error::Api) carries.
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
    Asset, AssetFolder, AssetVariant, AuthorizedTo, AuthorizedUser, CustomFont, Domain, ErrorCode,
    ErrorDetail, FontAxis, FontDeleteFailure, FontDisplay, FontFormat, KnownErrorCode, Locale,
    Locales, Site, SiteDataCollectionType, Timestamp, TokenApplication, TokenAuthorization,
    TokenIntrospection, WebflowError,
};

/// A request model from its generated builder.
///
/// A builder refuses to build when a required field is unset, or when a value breaks a
/// constraint of the description (a pattern, a length). A regen can add either, so this
/// turns the refusal into a typed error rather than a panic; nothing has been sent yet.
pub(crate) fn built<B, T>(builder: B) -> Result<T, crate::Error>
where
    T: TryFrom<B, Error = webflow_assets_raw::types::error::ConversionError>,
{
    T::try_from(builder).map_err(|e| {
        crate::Error::from(crate::Rule::InvalidRequest {
            reason: e.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    //! Each request model built the way the crate builds it. A regen that gives one of them
    //! a new required field makes its test fail here, instead of a user's call failing later.

    use webflow_assets_raw::types::{
        CreateAssetFolderRequest, CreateAssetRequest, CreateCustomFontRequest,
        DeleteCustomFontsRequest, FontRef, ReplaceCustomFontFileRequest,
    };

    use super::{FontAxis, FontDisplay, built};
    use crate::error::Error;
    use crate::validate::Rule;

    const MD5: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn create_asset_folder_request_builds_from_the_fields_set() {
        let request: CreateAssetFolderRequest = built(
            CreateAssetFolderRequest::builder()
                .display_name("logos".to_string())
                .parent_folder(None),
        )
        .unwrap();
        assert_eq!(request.display_name, "logos");
    }

    #[test]
    fn create_asset_request_builds_from_the_fields_set() {
        let request: CreateAssetRequest = built(
            CreateAssetRequest::builder()
                .file_name("a.png".to_string())
                .file_hash(MD5.to_string())
                .parent_folder(None),
        )
        .unwrap();
        assert_eq!(request.file_name, "a.png");
    }

    #[test]
    fn create_custom_font_request_builds_from_the_fields_set() {
        let request: CreateCustomFontRequest = built(
            CreateCustomFontRequest::builder()
                .file_name("a.woff2".to_string())
                .file_hash(MD5.to_string())
                .font_family("Inter".to_string())
                .weight(400)
                .italic(false)
                .font_display(FontDisplay::Swap)
                .axes(Vec::<FontAxis>::new()),
        )
        .unwrap();
        assert_eq!(request.font_family, "Inter");
    }

    #[test]
    fn replace_custom_font_file_request_builds_from_the_fields_set() {
        let request: ReplaceCustomFontFileRequest = built(
            ReplaceCustomFontFileRequest::builder()
                .file_name("a.woff2".to_string())
                .file_hash(MD5.to_string())
                .axes(None),
        )
        .unwrap();
        assert_eq!(request.file_hash, MD5);
    }

    #[test]
    fn delete_custom_fonts_request_builds_from_the_fields_set() {
        let item: FontRef =
            built(FontRef::builder().id(Some("6390c49774a71f0e3c1ed2a4".to_string()))).unwrap();
        let request: DeleteCustomFontsRequest =
            built(DeleteCustomFontsRequest::builder().items(vec![item])).unwrap();
        assert_eq!(request.items.len(), 1);
    }

    #[test]
    fn a_required_field_left_unset_is_a_typed_error_not_a_panic() {
        let refused = built::<_, CreateAssetRequest>(
            CreateAssetRequest::builder().file_name("a.png".to_string()),
        )
        .unwrap_err();
        match refused {
            Error::Validation {
                rule: Rule::InvalidRequest { reason },
                ..
            } => assert!(reason.contains("file_hash"), "{reason}"),
            other => panic!("expected a refused request, got {other:?}"),
        }
    }
}
