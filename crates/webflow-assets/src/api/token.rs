//! What the token is: its scopes and the sites, workspaces and users it was authorised for.

use serde_json::Value;
use webflow_assets_raw::types::{AuthorizedUser, TokenIntrospection};

use crate::error::Error;
use crate::http::client::Client;
use crate::http::transport::api;

/// What Webflow says about the client's token ([`Client::token_info`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The scopes it holds, such as `assets:write` or `sites:read`.
    pub scopes: Vec<String>,
    /// The sites it was authorised for.
    pub site_ids: Vec<crate::ids::SiteId>,
    /// The workspaces it was authorised for.
    pub workspace_ids: Vec<String>,
    /// The users it was authorised for.
    pub user_ids: Vec<String>,
    /// How it was granted, such as `authorization_code`.
    pub grant_type: Option<String>,
    /// Requests per minute Webflow allows it, when it says.
    pub rate_limit: Option<i64>,
    /// The name of the app it was issued to.
    pub application: Option<String>,
    /// Webflow's answer as received.
    pub raw: TokenIntrospection,
}

impl TokenInfo {
    /// Whether the token holds `scope` (e.g. `"sites:write"`).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    fn from_raw(raw: TokenIntrospection) -> Result<Self, Error> {
        let authorization = raw.authorization.clone().unwrap_or_default();
        let to = authorization.authorized_to.clone().unwrap_or_default();
        // The description leaves the id lists' items untyped; Webflow sends strings.
        let ids = |values: &[Value]| {
            values
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        // Site ids are checked once, here, so every use of them is typed.
        let site_ids = to
            .site_ids
            .iter()
            .filter_map(Value::as_str)
            .map(crate::error::id_from_server)
            .collect::<Result<Vec<crate::ids::SiteId>, Error>>()?;
        Ok(Self {
            scopes: authorization
                .scope
                .as_deref()
                .unwrap_or_default()
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            site_ids,
            workspace_ids: ids(&to.workspace_ids),
            user_ids: ids(&to.user_ids),
            grant_type: authorization.grant_type.clone(),
            rate_limit: authorization.rate_limit.map(i64::from),
            application: raw
                .application
                .as_ref()
                .and_then(|a| a.display_name.clone()),
            raw,
        })
    }
}

impl Client {
    /// The token's scopes and the sites it was authorised for (`GET /token/introspect`).
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// let token = client.token_info().await?;
    /// if !token.has_scope("assets:write") {
    ///     eprintln!("this token cannot upload; it holds {:?}", token.scopes);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn token_info(&self) -> Result<TokenInfo, Error> {
        TokenInfo::from_raw(api(self.raw().introspect_token().send()).await?)
    }

    /// The user who authorised the token (needs the `authorized_user:read` scope).
    pub async fn authorized_user(&self) -> Result<AuthorizedUser, Error> {
        api(self.raw().get_authorized_user().send()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn introspection(site_ids: serde_json::Value) -> TokenIntrospection {
        serde_json::from_value(serde_json::json!({
            "authorization": {
                "scope": "assets:read,sites:read",
                "authorizedTo": { "siteIds": site_ids, "workspaceIds": [], "userIds": [] }
            }
        }))
        .unwrap()
    }

    #[test]
    fn site_ids_are_typed_once_and_a_bad_one_is_an_unexpected_response() {
        let info = TokenInfo::from_raw(introspection(serde_json::json!([
            "580E63E98C9A982AC9B8B741"
        ])))
        .unwrap();
        let site: crate::ids::SiteId = "580e63e98c9a982ac9b8b741".parse().unwrap();
        assert_eq!(info.site_ids, [site]);
        match TokenInfo::from_raw(introspection(serde_json::json!(["not-an-id"]))) {
            Err(Error::UnexpectedResponse { body, .. }) => assert!(body.contains("not-an-id")),
            other => panic!("expected an unexpected response, got {other:?}"),
        }
    }
}
