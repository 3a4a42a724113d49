//! The JSON Schema of every request and response type, as the generated Rust types see it.

use schemars::schema_for;
use webflow_assets_raw::types::*;

macro_rules! schema_snapshots {
    ($($ty:ty),* $(,)?) => {
        $(insta::assert_json_snapshot!(stringify!($ty), schema_for!($ty));)*
    };
}

#[test]
fn json_schema_of_every_request_and_response_type() {
    schema_snapshots!(
        CreateAssetRequest,
        UpdateAssetRequest,
        CreateAssetFolderRequest,
        AssetUpload,
        AssetList,
        Asset,
        AssetFolderList,
        AssetFolder,
        WebflowError,
        SiteList,
        Site,
        TokenIntrospection,
        AuthorizedUser,
        CustomFontList,
        CustomFontResponse,
        CustomFontUpload,
        CreateCustomFontRequest,
        UpdateCustomFontRequest,
        ReplaceCustomFontFileRequest,
        DeleteCustomFontsRequest,
        DeleteCustomFontsResult,
    );
}
