//! The Webflow side: the eight Assets endpoints, with Webflow's validation, errors, rate-limit
//! headers and pagination, plus the public route that serves uploaded files.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, Request, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use serde_json::{Value, json};

use crate::App;
use crate::kinds::classify;
use crate::policy::{PolicyRequest, upload_details};
use crate::ratelimit::Decision;
use crate::reply::{
    ApiError, error, field_error, json_object, not_found, page_params, pagination, validation,
};
use crate::server::ExpiredPolicy;
use crate::sites::require_scope;
use crate::state::{AssetRecord, FolderRecord, timestamp};
use crate::tokens::Access;

/// Cache-Control Webflow puts on uploaded assets.
const CACHE_CONTROL: &str = "max-age=31536000, must-revalidate";

pub(crate) fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route(
            "/sites/{site_id}/assets",
            get(list_assets).post(create_asset),
        )
        .route(
            "/assets/{asset_id}",
            get(get_asset).patch(update_asset).delete(delete_asset),
        )
        .route(
            "/sites/{site_id}/asset_folders",
            get(list_folders).post(create_folder),
        )
        .route("/asset_folders/{folder_id}", get(get_folder))
        .merge(crate::sites::routes())
        .merge(crate::fonts::routes())
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "resource_not_found",
                "Route not found",
                vec![],
            )
        })
        .layer(middleware::from_fn_with_state(
            app.clone(),
            auth_and_rate_limit,
        ));
    Router::new()
        .nest("/v2", api)
        .route("/cdn/{*key}", get(hosted_file))
        .with_state(app)
}

/// Bearer token on every call, then one request of the token's budget; every response carries
/// the rate-limit headers.
async fn auth_and_rate_limit(
    Extract(app): Extract<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let limit = app.limiter.limit();
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let access = app
        .tokens
        .access(&app.config.token, token, request.uri().path(), &app.state);
    let (mut response, remaining) = if access != Access::Allowed {
        let (status, message) = match access {
            Access::Denied => (StatusCode::FORBIDDEN, "Site not accessible with this token"),
            _ => (StatusCode::UNAUTHORIZED, "Request not authorized"),
        };
        (
            error(status, "not_authorized", message, vec![]).into_response(),
            limit,
        )
    } else {
        // Each token has its own budget, as on Webflow.
        let scope = asset_scope(request.method(), request.uri().path());
        match app.limiter.check(token.unwrap_or_default(), Instant::now()) {
            Decision::Allowed { remaining } => match scope.map(|s| require_scope(&app, s)) {
                Some(Err(refused)) => (refused.into_response(), remaining),
                _ => (next.run(request).await, remaining),
            },
            Decision::Limited { retry_after } => {
                let mut r = error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    "Too many requests",
                    vec![],
                )
                .into_response();
                let seconds = retry_after.as_secs_f64().ceil().max(1.0) as u64;
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                (r, 0)
            }
        }
    };
    set_rate_headers(response.headers_mut(), limit, remaining);
    response
}

/// The scope an Assets endpoint requires, as Webflow documents it: `assets:read` to read,
/// `assets:write` to change. Other endpoints check their own.
fn asset_scope(method: &axum::http::Method, path: &str) -> Option<&'static str> {
    let path = path.strip_prefix("/v2").unwrap_or(path);
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let assets = matches!(
        parts.as_slice(),
        ["sites", _, "assets" | "asset_folders"] | ["assets" | "asset_folders", _]
    );
    match (assets, *method == axum::http::Method::GET) {
        (false, _) => None,
        (true, true) => Some("assets:read"),
        (true, false) => Some("assets:write"),
    }
}

fn set_rate_headers(headers: &mut HeaderMap, limit: u32, remaining: u32) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
}

async fn list_assets(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    if !app.state.has_site(&site_id) {
        return Err(not_found("site"));
    }
    let (offset, limit) = page_params(&query)?;
    let locale = locale_param(&query)?;
    let within = match query.get("folderId") {
        None => None,
        Some(folder) => match app.state.folder(folder) {
            Some(f) if f.site_id == site_id => Some(app.state.folder_and_descendants(folder)),
            _ => return Err(not_found("asset folder")),
        },
    };
    let assets: Vec<AssetRecord> = app
        .state
        .uploaded_assets()
        .into_iter()
        .filter(|a| a.site_id == site_id)
        .filter(|a| match (&within, &a.parent_folder) {
            (None, _) => true,
            (Some(set), Some(parent)) => set.contains(parent),
            (Some(_), None) => false,
        })
        .collect();
    let page: Vec<Value> = assets
        .iter()
        .skip(offset)
        .take(limit)
        .map(|a| a.to_json(&app.urls, true, locale))
        .collect();
    Ok(
        axum::Json(
            json!({ "assets": page, "pagination": pagination(limit, offset, assets.len()) }),
        )
        .into_response(),
    )
}

/// A `parentFolder` value: absent or null for the root, else a folder of this site. The error
/// is the validation detail to report.
fn parent_folder(app: &App, site_id: &str, value: Option<&Value>) -> Result<Option<String>, Value> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(id)) => match app.state.folder(id) {
            Some(f) if f.site_id == site_id => Ok(Some(id.clone())),
            _ => Err(field_error(
                "parentFolder",
                "must be an existing asset folder of this site",
            )),
        },
        Some(_) => Err(field_error("parentFolder", "must be a folder id")),
    }
}

/// Webflow's rules for a new asset, in the order it checks them.
fn validate_new_asset(
    app: &App,
    site_id: &str,
    body: &serde_json::Map<String, Value>,
) -> Result<(String, String, Option<String>), ApiError> {
    let mut details = Vec::new();
    let file_name = body
        .get("fileName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if file_name.is_empty() {
        details.push(field_error("fileName", "is required"));
    } else if file_name.chars().count() >= 100 {
        details.push(field_error("fileName", "must be less than 100 characters"));
    } else if classify(file_name).is_none() {
        details.push(field_error(
            "fileName",
            "must have the extension of a supported file type",
        ));
    }
    let file_hash = body
        .get("fileHash")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if file_hash.is_empty() {
        details.push(field_error("fileHash", "is required"));
    } else if file_hash.len() != 32
        || !file_hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        details.push(field_error(
            "fileHash",
            "must be an MD5 hash: 32 lowercase hexadecimal characters",
        ));
    }
    let parent = parent_folder(app, site_id, body.get("parentFolder")).unwrap_or_else(|detail| {
        details.push(detail);
        None
    });
    if details.is_empty() {
        Ok((file_name.to_string(), file_hash.to_string(), parent))
    } else {
        Err(validation(details))
    }
}

async fn create_asset(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
    expired: Option<Extension<ExpiredPolicy>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !app.state.has_site(&site_id) {
        return Err(not_found("site"));
    }
    let body = json_object(&body)?;
    let (file_name, file_hash, parent_folder) = validate_new_asset(&app, &site_id, &body)?;
    let (kind, content_type) = classify(&file_name).expect("validated above");
    let id = app.state.new_id();
    let key = format!("{site_id}/{id}_{file_name}");
    let now = Utc::now();
    let expires = if expired.is_some() {
        now - chrono::Duration::minutes(1)
    } else {
        now + app.config.policy_lifetime
    };
    let details = upload_details(
        &app.creds,
        &PolicyRequest {
            bucket: &app.urls.bucket,
            key: &key,
            content_type,
            cache_control: CACHE_CONTROL,
            max_size: app.config.limits.for_kind(kind),
            extra_fields: &app.config.extra_fields,
            now,
            expires,
        },
    );
    app.state.insert_asset(AssetRecord {
        id: id.clone(),
        site_id,
        file_name: file_name.clone(),
        display_name: file_name.clone(),
        alt_text: None,
        localized_alt_text: Default::default(),
        declared_hash: file_hash,
        parent_folder: parent_folder.clone(),
        content_type: content_type.to_string(),
        key: key.clone(),
        created_on: now,
        last_updated: now,
        stored: None,
    });
    let details: serde_json::Map<String, Value> = details
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Ok(axum::Json(json!({
        "uploadDetails": details,
        "contentType": content_type,
        "id": id,
        "parentFolder": parent_folder,
        "uploadUrl": app.urls.upload(),
        "assetUrl": app.urls.s3_object(&key),
        "hostedUrl": app.urls.hosted(&key),
        "originalFileName": file_name,
        "createdOn": timestamp(now),
        "lastUpdated": timestamp(now),
    }))
    .into_response())
}

fn uploaded(app: &App, asset_id: &str) -> Option<AssetRecord> {
    app.state.asset(asset_id).filter(|a| a.stored.is_some())
}

async fn get_asset(
    Extract(app): Extract<Arc<App>>,
    Path(asset_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let locale = locale_param(&query)?;
    match uploaded(&app, &asset_id) {
        Some(asset) => Ok(axum::Json(asset.to_json(&app.urls, false, locale)).into_response()),
        None => Err(not_found("asset")),
    }
}

/// The `localeId` query parameter: absent for the primary locale, else an ObjectId.
fn locale_param(query: &HashMap<String, String>) -> Result<Option<&str>, ApiError> {
    match query.get("localeId") {
        None => Ok(None),
        Some(id) if id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(Some(id.as_str()))
        }
        Some(_) => Err(validation(vec![field_error(
            "localeId",
            "must be a locale id (24 hexadecimal characters)",
        )])),
    }
}

async fn update_asset(
    Extract(app): Extract<Arc<App>>,
    Path(asset_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let locale = locale_param(&query)?.map(String::from);
    if uploaded(&app, &asset_id).is_none() {
        return Err(not_found("asset"));
    }
    let body = json_object(&body)?;
    let mut details = Vec::new();
    for field in ["displayName", "altText"] {
        if body.get(field).is_some_and(|v| !v.is_string()) {
            details.push(field_error(field, "must be a string"));
        }
    }
    if body.get("displayName").and_then(Value::as_str) == Some("") {
        details.push(field_error("displayName", "must not be empty"));
    }
    if !details.is_empty() {
        return Err(validation(details));
    }
    app.state.update_asset(&asset_id, |a| {
        if let Some(name) = body.get("displayName").and_then(Value::as_str) {
            a.display_name = name.to_string();
        }
        if let Some(alt) = body.get("altText").and_then(Value::as_str) {
            match &locale {
                Some(locale) => {
                    a.localized_alt_text.insert(locale.clone(), alt.to_string());
                }
                None => a.alt_text = Some(alt.to_string()),
            }
        }
        a.last_updated = Utc::now();
    });
    get_asset(Extract(app), Path(asset_id), Query(query)).await
}

async fn delete_asset(
    Extract(app): Extract<Arc<App>>,
    Path(asset_id): Path<String>,
) -> Result<Response, ApiError> {
    if uploaded(&app, &asset_id).is_none() {
        return Err(not_found("asset"));
    }
    app.state.remove_asset(&asset_id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn list_folders(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
) -> Result<Response, ApiError> {
    if !app.state.has_site(&site_id) {
        return Err(not_found("site"));
    }
    let assets = app.state.uploaded_assets();
    let folders: Vec<Value> = app
        .state
        .folders()
        .iter()
        .filter(|f| f.site_id == site_id)
        .map(|f| f.to_json(&assets))
        .collect();
    let total = folders.len();
    Ok(axum::Json(
        json!({ "assetFolders": folders, "pagination": pagination(total.max(1), 0, total) }),
    )
    .into_response())
}

async fn create_folder(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !app.state.has_site(&site_id) {
        return Err(not_found("site"));
    }
    let body = json_object(&body)?;
    let name = body
        .get("displayName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string();
    if name.is_empty() {
        return Err(validation(vec![field_error("displayName", "is required")]));
    }
    let parent =
        parent_folder(&app, &site_id, body.get("parentFolder")).map_err(|d| validation(vec![d]))?;
    let taken = app
        .state
        .folders()
        .iter()
        .any(|f| f.site_id == site_id && f.parent_folder == parent && f.display_name == name);
    if taken {
        // Webflow documents only 400 for this endpoint, so a duplicate name answers 400 with
        // the documented `conflict` code rather than an undocumented 409.
        return Err(error(
            StatusCode::BAD_REQUEST,
            "conflict",
            "An asset folder with this name already exists here",
            vec![field_error(
                "displayName",
                "must be unique among its sibling folders",
            )],
        ));
    }
    let now = Utc::now();
    let record = FolderRecord {
        id: app.state.new_id(),
        site_id,
        display_name: name,
        parent_folder: parent,
        created_on: now,
        last_updated: now,
    };
    app.state.insert_folder(record.clone());
    Ok(axum::Json(record.to_json(&[])).into_response())
}

async fn get_folder(
    Extract(app): Extract<Arc<App>>,
    Path(folder_id): Path<String>,
) -> Result<Response, ApiError> {
    match app.state.folder(&folder_id) {
        Some(f) => Ok(axum::Json(f.to_json(&app.state.uploaded_assets())).into_response()),
        None => Err(not_found("asset folder")),
    }
}

/// Public, like Webflow's CDN: no token, no rate limit.
async fn hosted_file(Extract(app): Extract<Arc<App>>, Path(key): Path<String>) -> Response {
    if app.faults.is_hidden(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let asset = app.state.asset_by_key(&key).filter(|a| a.stored.is_some());
    match (asset, app.state.object_bytes(&key)) {
        (Some(asset), Some(bytes)) => {
            ([(header::CONTENT_TYPE, asset.content_type)], bytes).into_response()
        }
        _ => match app.fonts.hosted(&app, &key) {
            Some((content_type, bytes)) => {
                ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
            }
            None => StatusCode::NOT_FOUND.into_response(),
        },
    }
}
