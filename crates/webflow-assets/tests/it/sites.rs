//! Sites and the token against the fake: which sites, which scopes, and the typed error a
//! token without a scope gets.

use crate::common;

use webflow_assets::raw::types::KnownErrorCode;
use webflow_assets::{Error, ErrorCode};
use webflow_fake::{FakeWebflow, Side};

use common::count;

#[tokio::test]
async fn sites_and_token_through_the_one_transport() {
    let (fake, client) = common::fake().await;
    let second = fake.state().add_site();

    let sites = client.list_sites().await.unwrap();
    let ids: Vec<&str> = sites.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&fake.site_id()) && ids.contains(&second.as_str()));

    let site = client.get_site(&common::site(&second)).await.unwrap();
    assert_eq!(site.id.as_deref(), Some(second.as_str()));
    assert!(site.display_name.is_some());
    assert!(matches!(
        client
            .get_site(&common::site("0123456789abcdef01234567"))
            .await,
        Err(Error::Api { status: 404, .. })
    ));
    assert!(matches!(
        "not-an-id".parse::<webflow_assets::SiteId>(),
        Err(webflow_assets::Rule::InvalidId { what: "site", .. })
    ));

    let token = client.token_info().await.unwrap();
    assert!(token.has_scope("sites:read") && token.has_scope("assets:write"));
    assert!(!token.has_scope("cms:write"));
    assert_eq!(token.site_ids.len(), 2);
    // Typed once, where Webflow gives them.
    let typed: Vec<&webflow_assets::SiteId> = token.site_ids.iter().collect();
    assert!(typed.contains(&&common::site(&second)));
    assert_eq!(token.rate_limit, Some(60));

    let user = client.authorized_user().await.unwrap();
    assert!(user.email.is_some());

    // Every call went to the API with the budget's headers read back: the fake counts them.
    assert_eq!(count(&fake, Side::Webflow, "GET", "/sites"), 1);
    assert_eq!(count(&fake, Side::Webflow, "GET", "/token/introspect"), 1);
}

#[tokio::test]
async fn a_token_without_sites_read_gets_missing_scopes() {
    let (_fake, client) =
        common::start(FakeWebflow::builder().scopes(["assets:read", "assets:write"])).await;
    let err = client.list_sites().await.unwrap_err();
    match &err {
        Error::Api {
            status: 403,
            code: ErrorCode::Known(KnownErrorCode::MissingScopes),
            message,
            ..
        } => assert!(message.contains("sites:read"), "{message}"),
        other => panic!("expected missing_scopes, got {other:?}"),
    }
    let token = client.token_info().await.unwrap();
    assert_eq!(token.scopes, ["assets:read", "assets:write"]);
}
