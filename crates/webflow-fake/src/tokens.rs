//! Sites added with a token of their own, as another Webflow account's: that token reaches its
//! site only, and the main token does not reach it. Each token has its own rate budget.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::state::State;

/// What a bearer token may do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Not a token of this fake: 401.
    Unknown,
    /// A token of this fake, for another site's resource: 403.
    Denied,
    /// Allowed.
    Allowed,
}

/// The tokens of sites added after start, each with its site.
#[derive(Debug, Default)]
pub(crate) struct SiteTokens(Mutex<HashMap<String, String>>);

impl SiteTokens {
    pub(crate) fn add(&self, token: String, site_id: String) {
        self.0.lock().expect("site tokens").insert(token, site_id);
    }

    /// The sites `token` reaches, in order: its own site, or for the main token every site
    /// no other token owns.
    pub(crate) fn sites_of(&self, token: Option<&str>, state: &State) -> Vec<String> {
        let tokens = self.0.lock().expect("site tokens");
        if let Some(own) = token.and_then(|token| tokens.get(token)) {
            return vec![own.clone()];
        }
        state
            .site_ids()
            .into_iter()
            .filter(|site| !tokens.values().any(|s| s == site))
            .collect()
    }

    /// Whether `token` may make a request to `path` (below `/v2`, with or without it).
    pub(crate) fn access(
        &self,
        main: &str,
        token: Option<&str>,
        path: &str,
        state: &State,
    ) -> Access {
        let Some(token) = token else {
            return Access::Unknown;
        };
        let tokens = self.0.lock().expect("site tokens");
        let own_site = match tokens.get(token) {
            Some(site) => Some(site.clone()),
            None if token == main => None,
            None => return Access::Unknown,
        };
        let site = site_of(path, state);
        let allowed = match (&own_site, site) {
            // A path that names no site (or a resource that does not exist): the handler
            // answers 404 for either token.
            (_, None) => true,
            (Some(own), Some(site)) => *own == site,
            (None, Some(site)) => !tokens.values().any(|s| *s == site),
        };
        match allowed {
            true => Access::Allowed,
            false => Access::Denied,
        }
    }
}

/// The site a request's path is about: named in it, or the site of the asset or folder it
/// names.
fn site_of(path: &str, state: &State) -> Option<String> {
    let path = path.strip_prefix("/v2").unwrap_or(path);
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some("sites"), Some(site)) => Some(site.to_string()),
        (Some("assets"), Some(id)) => state.asset(id).map(|a| a.site_id),
        (Some("asset_folders"), Some(id)) => state.folder(id).map(|f| f.site_id),
        _ => None,
    }
}
