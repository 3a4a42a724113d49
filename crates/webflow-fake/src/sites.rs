//! Sites and the token: which sites the token reaches (`GET /sites`, `GET /sites/{site_id}`),
//! what it is (`GET /token/introspect`, `GET /token/authorized_by`), and the scopes it holds,
//! answered with `403 missing_scopes` when a request needs one it lacks.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;
use serde_json::{Value, json};

use crate::App;
use crate::reply::{ApiError, error, not_found};

/// The scopes a fake token holds unless told otherwise: everything the fake serves.
pub const DEFAULT_SCOPES: &[&str] = &[
    "assets:read",
    "assets:write",
    "sites:read",
    "sites:write",
    "authorized_user:read",
];

/// The workspace every seeded site belongs to.
const WORKSPACE_ID: &str = "5f0c8c9e1c9d440000e8d8c1";

/// The user the token was issued by.
const USER_ID: &str = "5f0c8c9e1c9d440000e8d8c2";

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/sites", get(list_sites))
        .route("/sites/{site_id}", get(get_site))
        .route("/token/introspect", get(introspect))
        .route("/token/authorized_by", get(authorized_by))
}

/// Webflow's answer when the token lacks a scope the endpoint requires.
pub(crate) fn require_scope(app: &App, scope: &str) -> Result<(), ApiError> {
    if app.config.scopes.iter().any(|s| s == scope) {
        return Ok(());
    }
    Err(error(
        StatusCode::FORBIDDEN,
        "missing_scopes",
        &format!("OAuth token is missing required scopes: {scope}"),
        vec![],
    ))
}

fn site_json(app: &App, id: &str) -> Value {
    let (short_name, display_name) = app.state.site_names(id);
    json!({
        "id": id,
        "workspaceId": WORKSPACE_ID,
        "displayName": display_name,
        "shortName": short_name,
        "createdOn": "2026-01-01T00:00:00.000Z",
        "lastUpdated": "2026-01-01T00:00:00.000Z",
        "lastPublished": null,
        "previewUrl": format!("https://example.invalid/{id}.png"),
        "timeZone": "UTC",
        "parentFolderId": null,
        "customDomains": [],
        "dataCollectionEnabled": false,
        "dataCollectionType": "disabled",
    })
}

/// The sites the request's token reaches (a site's own token: that site only).
fn reached(app: &App, headers: &HeaderMap) -> Vec<String> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    app.tokens.sites_of(token, &app.state)
}

async fn list_sites(
    Extract(app): Extract<Arc<App>>,
    headers: HeaderMap,
) -> Result<axum::Json<Value>, ApiError> {
    require_scope(&app, "sites:read")?;
    let sites: Vec<Value> = reached(&app, &headers)
        .iter()
        .map(|id| site_json(&app, id))
        .collect();
    Ok(axum::Json(json!({ "sites": sites })))
}

async fn get_site(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    require_scope(&app, "sites:read")?;
    if !app.state.has_site(&site_id) {
        return Err(not_found("site"));
    }
    Ok(axum::Json(site_json(&app, &site_id)))
}

async fn introspect(Extract(app): Extract<Arc<App>>, headers: HeaderMap) -> axum::Json<Value> {
    axum::Json(json!({
        "authorization": {
            "id": "5f0c8c9e1c9d440000e8d8c3",
            "createdOn": "2026-01-01T00:00:00.000Z",
            "lastUsed": "2026-01-01T00:00:00.000Z",
            "grantType": "authorization_code",
            "rateLimit": app.limiter.limit(),
            "scope": app.config.scopes.join(","),
            "authorizedTo": {
                "siteIds": reached(&app, &headers),
                "workspaceIds": [WORKSPACE_ID],
                "userIds": [USER_ID],
            },
        },
        "application": {
            "id": "5f0c8c9e1c9d440000e8d8c4",
            "displayName": "webflow-fake",
            "homepage": "https://example.invalid/",
        },
    }))
}

async fn authorized_by(Extract(app): Extract<Arc<App>>) -> Result<axum::Json<Value>, ApiError> {
    require_scope(&app, "authorized_user:read")?;
    Ok(axum::Json(json!({
        "id": USER_ID,
        "email": "someone@example.invalid",
        "firstName": "Fake",
        "lastName": "User",
    })))
}
