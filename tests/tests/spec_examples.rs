//! Webflow's own examples, as its description carries them in spec/, read by the generated
//! types: a field the example sends and a type drops (or cannot read) fails here.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use webflow_assets_raw::types::{
    Asset, AssetFolder, AssetFolderList, AssetList, AuthorizedUser, Site, SiteList,
    TokenIntrospection,
};
use xtask::normalise::OPERATIONS;
use xtask::{read_spec, workspace_root};

fn check<T: DeserializeOwned + Serialize>(what: &str, body: &Value) {
    let typed: T = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{what}: the example does not read: {e}"));
    let back = serde_json::to_value(&typed).unwrap();
    for key in body.as_object().expect("an object example").keys() {
        assert!(
            back.get(key).is_some() || body[key].is_null() || body[key] == json!([]),
            "{what}: `{key}` was lost"
        );
    }
}

/// The example of an operation's success response: on its schema, or the first of its
/// named examples.
fn example(op: &Value) -> Option<Value> {
    let responses = op["responses"].as_object()?;
    let (_, ok) = responses
        .iter()
        .find(|(status, _)| status.starts_with('2'))?;
    let content = &ok["content"]["application/json"];
    content["schema"]
        .get("example")
        .or_else(|| content.get("example"))
        .cloned()
        .or_else(|| {
            content["examples"]
                .as_object()
                .and_then(|e| e.values().next())
                .map(|e| e["value"].clone())
        })
}

#[test]
fn the_examples_in_webflows_description_read() {
    let file = read_spec(&workspace_root())
        .unwrap()
        .into_iter()
        .find(|f| f.name == "spec/webflow-v2.yaml")
        .expect("the imported description is in spec/");
    let doc = xtask::spec::parse_yaml(&file.name, &file.text).unwrap();
    let mut read = Vec::new();
    for op in OPERATIONS {
        let Some(body) = example(&doc["paths"][op.path][op.method]) else {
            continue;
        };
        let what = op.rust_name;
        match op.response {
            Some("SiteList") => check::<SiteList>(what, &body),
            Some("Site") => check::<Site>(what, &body),
            Some("TokenIntrospection") => check::<TokenIntrospection>(what, &body),
            Some("AuthorizedUser") => check::<AuthorizedUser>(what, &body),
            Some("AssetList") => check::<AssetList>(what, &body),
            Some("Asset") => check::<Asset>(what, &body),
            Some("AssetFolderList") => check::<AssetFolderList>(what, &body),
            Some("AssetFolder") => check::<AssetFolder>(what, &body),
            other => panic!("{what}: an example for {other:?}, which this test does not read yet"),
        }
        read.push(what);
    }
    for expected in [
        "list_sites",
        "get_site",
        "introspect_token",
        "get_authorized_user",
        "list_assets",
        "get_asset",
    ] {
        assert!(
            read.contains(&expected),
            "no example read for {expected}: {read:?}"
        );
    }
}
