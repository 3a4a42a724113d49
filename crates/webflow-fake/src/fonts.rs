//! Custom fonts: the seven endpoints, with Webflow's validation, `409` on a conflicting font,
//! and uploads through the same embedded S3 as assets, under SigV4 policies that pin
//! `Content-MD5` and `Content-Type` so S3 itself refuses bytes other than those declared.
//!
//! A font is visible once its file is in S3. A replacement keeps the id and the old file
//! until the new one lands.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as Extract};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use base64::Engine;
use chrono::Utc;
use md5::{Digest, Md5};
use serde_json::{Map, Value, json};

use crate::App;
use crate::policy::{PolicyRequest, font_upload_fields};
use crate::reply::{
    ApiError, error, field_error, json_object, not_found, page_params, pagination, validation,
};
use crate::sites::require_scope;

/// Cache-Control Webflow puts on font files.
const CACHE_CONTROL: &str = "max-age=31536000, must-revalidate";
/// Largest font file the policy allows.
const MAX_FONT_BYTES: u64 = 10 * 1024 * 1024;
const DISPLAYS: &[&str] = &["auto", "block", "swap", "fallback", "optional"];

/// One font file, uploaded or awaited.
#[derive(Debug, Clone)]
struct FontFile {
    file_name: String,
    key: String,
    format: &'static str,
    axes: Vec<Value>,
    /// The MD5 declared at create or replace, lowercase hex.
    md5: String,
}

/// A custom font as the fake keeps it.
#[derive(Debug, Clone)]
struct FontRecord {
    id: String,
    site_id: String,
    family: String,
    weight: i64,
    italic: bool,
    display: String,
    /// The file served; `None` until the first upload lands.
    live: Option<FontFile>,
    /// A file announced by create or replace, not in S3 yet.
    pending: Option<FontFile>,
}

/// Every site's fonts.
#[derive(Debug, Default)]
pub(crate) struct Fonts(Mutex<Vec<FontRecord>>);

pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            "/sites/{site_id}/custom_fonts",
            get(list_fonts).post(create_font),
        )
        .route(
            "/sites/{site_id}/custom_fonts/{font_id}",
            get(get_font).patch(update_font).delete(delete_font),
        )
        .route(
            "/sites/{site_id}/custom_fonts/{font_id}/file",
            put(replace_file),
        )
        .route(
            "/sites/{site_id}/custom_fonts/batchDelete",
            post(batch_delete),
        )
}

impl Fonts {
    /// Promotes every pending file that has landed in S3, then runs `f` on the fonts. The
    /// embedded S3 (s3s-fs) writes an object before it checks `Content-MD5` and answers
    /// `BadDigest`; real S3 keeps nothing, so an object whose MD5 is not the declared one
    /// counts as absent here.
    fn with<T>(&self, app: &App, f: impl FnOnce(&mut Vec<FontRecord>) -> T) -> T {
        let mut fonts = self.0.lock().expect("fake fonts");
        for font in fonts.iter_mut() {
            if let Some(pending) = &font.pending
                && let Some(bytes) = app.state.object_bytes(&pending.key)
                && crate::policy::hex(&Md5::digest(&bytes)) == pending.md5
            {
                font.live = font.pending.take();
            }
        }
        f(&mut fonts)
    }
}

impl Fonts {
    /// The bytes and content type of the live font file stored under `key`, for the CDN:
    /// a font's `hostedUrl` serves its file as an asset's does.
    /// Served with the type the upload policy pinned for the file's extension
    /// (`font/woff2`, `font/ttf`, ...).
    pub(crate) fn hosted(&self, app: &App, key: &str) -> Option<(&'static str, Vec<u8>)> {
        let content_type = self.with(app, |fonts| {
            fonts
                .iter()
                .filter_map(|f| f.live.as_ref())
                .find(|live| live.key == key)
                .and_then(|live| format_of(&live.file_name))
                .map(|(_, content_type)| content_type)
        })?;
        let bytes = app.state.object_bytes(key)?;
        Some((content_type, bytes.to_vec()))
    }
}

fn font_json(app: &App, font: &FontRecord, file: &FontFile) -> Value {
    let mut json = json!({
        "id": font.id,
        "fontFamily": font.family,
        "format": file.format,
        "fileName": file.file_name,
        "weight": font.weight,
        "italic": font.italic,
        "fontDisplay": font.display,
        "axes": file.axes,
        "hostedUrl": app.urls.hosted(&file.key),
    });
    if let Some(fields) = json.as_object_mut()
        && app.faults.is_unlinked(&file.file_name)
    {
        fields.remove("hostedUrl");
    }
    json
}

fn format_of(file_name: &str) -> Option<(&'static str, &'static str)> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    Some(match ext.to_ascii_lowercase().as_str() {
        "woff2" => ("woff2", "font/woff2"),
        "woff" => ("woff", "font/woff"),
        "ttf" => ("truetype", "font/ttf"),
        "otf" => ("opentype", "font/otf"),
        "eot" => ("embedded-opentype", "application/vnd.ms-fontobject"),
        _ => return None,
    })
}

fn check_site(app: &App, site_id: &str, scope: &str) -> Result<(), ApiError> {
    require_scope(app, scope)?;
    if app.state.has_site(site_id) {
        Ok(())
    } else {
        Err(not_found("site"))
    }
}

/// The file fields of a create or replace body, checked as Webflow documents them.
fn file_fields(
    body: &Map<String, Value>,
    details: &mut Vec<Value>,
) -> Option<(String, String, &'static str, &'static str)> {
    let file_name = body
        .get("fileName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let file_hash = body
        .get("fileHash")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let format = format_of(file_name);
    if format.is_none() {
        details.push(field_error(
            "fileName",
            "must end in .woff2, .woff, .ttf, .otf or .eot",
        ));
    }
    if file_name.chars().count() > 256 {
        details.push(field_error("fileName", "must have at most 256 characters"));
    }
    if file_hash.len() != 32
        || !file_hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        details.push(field_error(
            "fileHash",
            "must be a lowercase hex MD5 (32 characters)",
        ));
    }
    let (format, content_type) = format?;
    Some((
        file_name.to_string(),
        file_hash.to_string(),
        format,
        content_type,
    ))
}

fn check_axes(value: Option<&Value>, details: &mut Vec<Value>) -> Vec<Value> {
    let Some(value) = value else {
        return Vec::new();
    };
    let Some(axes) = value.as_array() else {
        details.push(field_error("axes", "must be an array"));
        return Vec::new();
    };
    if axes.len() > 16 {
        details.push(field_error("axes", "must have at most 16 items"));
    }
    for (i, axis) in axes.iter().enumerate() {
        let tag = axis["tag"].as_str().unwrap_or_default();
        if tag.len() != 4 || !tag.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
            details.push(field_error(
                &format!("fontMetadata.axes[{i}].tag"),
                "must be 4 printable ASCII characters",
            ));
        }
        match (
            axis["min"].as_f64(),
            axis["defaultValue"].as_f64(),
            axis["max"].as_f64(),
        ) {
            (Some(min), Some(default), Some(max)) if min <= default && default <= max => {}
            _ => details.push(field_error(
                &format!("fontMetadata.axes[{i}]"),
                "min <= defaultValue <= max must hold",
            )),
        }
    }
    axes.clone()
}

fn check_face(body: &Map<String, Value>, required: bool, details: &mut Vec<Value>) {
    let want = |name: &str| required || body.contains_key(name);
    if want("fontFamily") {
        let family = body
            .get("fontFamily")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let chars = family.chars().count();
        if chars == 0 || chars > 256 {
            details.push(field_error("fontFamily", "must have 1 to 256 characters"));
        }
    }
    if want("weight")
        && !body
            .get("weight")
            .and_then(Value::as_i64)
            .is_some_and(|w| (1..=1000).contains(&w))
    {
        details.push(field_error("weight", "must be an integer from 1 to 1000"));
    }
    if want("italic") && !body.get("italic").is_some_and(Value::is_boolean) {
        details.push(field_error("italic", "must be a boolean"));
    }
    if want("fontDisplay")
        && !body
            .get("fontDisplay")
            .and_then(Value::as_str)
            .is_some_and(|d| DISPLAYS.contains(&d))
    {
        details.push(field_error(
            "fontDisplay",
            "must be one of auto, block, swap, fallback, optional",
        ));
    }
}

fn conflict(family: &str) -> ApiError {
    error(
        StatusCode::CONFLICT,
        "conflict",
        &format!("A custom font with this family, weight and style already exists: {family}"),
        vec![],
    )
}

/// The upload Webflow answers create and replace with: a fresh key, and a policy pinning the
/// declared MD5 and the file's type.
fn upload_answer(
    app: &App,
    font: &FontRecord,
    file: &FontFile,
    file_hash: &str,
    content_type: &str,
) -> Response {
    let now = Utc::now();
    let expires = now + app.config.policy_lifetime;
    let md5_bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&file_hash[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect();
    let content_md5 = base64::engine::general_purpose::STANDARD.encode(md5_bytes);
    let fields = font_upload_fields(
        &app.creds,
        &PolicyRequest {
            bucket: &app.urls.bucket,
            key: &file.key,
            content_type,
            cache_control: CACHE_CONTROL,
            max_size: MAX_FONT_BYTES,
            extra_fields: &app.config.extra_fields,
            now,
            expires,
        },
        &content_md5,
    );
    let fields: Map<String, Value> = fields
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let mut custom_font = font_json(app, font, file);
    if let Some(live) = &font.live {
        // Until the new file lands, the font still serves the old one.
        custom_font["hostedUrl"] = json!(app.urls.hosted(&live.key));
    }
    (
        StatusCode::ACCEPTED,
        [(
            axum::http::header::LOCATION,
            format!("/v2/sites/{}/custom_fonts/{}", font.site_id, font.id),
        )],
        axum::Json(json!({
            "customFont": custom_font,
            "upload": {
                "url": app.urls.upload(),
                "fields": fields,
                "expiresAt": crate::state::timestamp(expires),
            },
        })),
    )
        .into_response()
}

async fn list_fonts(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<axum::Json<Value>, ApiError> {
    check_site(&app, &site_id, "sites:read")?;
    let (offset, limit) = page_params(&query)?;
    let visible: Vec<Value> = app.fonts.with(&app, |fonts| {
        fonts
            .iter()
            .filter(|f| f.site_id == site_id)
            .filter_map(|f| f.live.as_ref().map(|file| font_json(&app, f, file)))
            .collect()
    });
    let total = visible.len();
    let page: Vec<Value> = visible.into_iter().skip(offset).take(limit).collect();
    Ok(axum::Json(
        json!({ "customFonts": page, "pagination": pagination(limit, offset, total) }),
    ))
}

async fn create_font(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_site(&app, &site_id, "sites:write")?;
    let body = json_object(&body)?;
    let mut details = Vec::new();
    let file = file_fields(&body, &mut details);
    check_face(&body, true, &mut details);
    let axes = check_axes(body.get("axes"), &mut details);
    let Some((file_name, file_hash, format, content_type)) = file.filter(|_| details.is_empty())
    else {
        return Err(validation(details));
    };
    let family = body["fontFamily"]
        .as_str()
        .unwrap_or_default()
        .replace(',', "");
    let weight = body["weight"].as_i64().unwrap_or_default();
    let italic = body["italic"].as_bool().unwrap_or_default();
    let id = app.state.new_id();
    let record = FontRecord {
        id: id.clone(),
        site_id: site_id.clone(),
        family: family.clone(),
        weight,
        italic,
        display: body["fontDisplay"].as_str().unwrap_or("swap").to_string(),
        live: None,
        pending: Some(FontFile {
            key: format!("{site_id}/fonts/{id}_{file_name}"),
            file_name,
            format,
            axes,
            md5: file_hash.clone(),
        }),
    };
    let record = app.fonts.with(&app, |fonts| {
        let taken = fonts.iter().any(|f| {
            f.site_id == site_id
                && f.family.eq_ignore_ascii_case(&family)
                && f.weight == weight
                && f.italic == italic
        });
        if taken {
            return Err(conflict(&family));
        }
        fonts.push(record.clone());
        Ok(record)
    })?;
    let file = record.pending.clone().expect("just set");
    Ok(upload_answer(
        &app,
        &record,
        &file,
        &file_hash,
        content_type,
    ))
}

fn find(app: &App, site_id: &str, font_id: &str) -> Result<FontRecord, ApiError> {
    app.fonts
        .with(app, |fonts| {
            fonts
                .iter()
                .find(|f| f.id == font_id && f.site_id == site_id && f.live.is_some())
                .cloned()
        })
        .ok_or_else(|| not_found("custom font"))
}

async fn get_font(
    Extract(app): Extract<Arc<App>>,
    Path((site_id, font_id)): Path<(String, String)>,
) -> Result<axum::Json<Value>, ApiError> {
    check_site(&app, &site_id, "sites:read")?;
    let font = find(&app, &site_id, &font_id)?;
    let file = font.live.as_ref().expect("found fonts are live");
    Ok(axum::Json(
        json!({ "customFont": font_json(&app, &font, file) }),
    ))
}

async fn update_font(
    Extract(app): Extract<Arc<App>>,
    Path((site_id, font_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<axum::Json<Value>, ApiError> {
    check_site(&app, &site_id, "sites:write")?;
    let body = json_object(&body)?;
    let mut details = Vec::new();
    let known = ["fontFamily", "weight", "italic", "fontDisplay"];
    if body.is_empty() || body.keys().any(|k| !known.contains(&k.as_str())) {
        details.push(field_error(
            "body",
            "must set some of fontFamily, weight, italic, fontDisplay and nothing else",
        ));
    }
    check_face(&body, false, &mut details);
    if !details.is_empty() {
        return Err(validation(details));
    }
    find(&app, &site_id, &font_id)?;
    let updated = app.fonts.with(&app, |fonts| {
        let current = fonts
            .iter()
            .find(|f| f.id == font_id)
            .cloned()
            .expect("found above");
        let family = body
            .get("fontFamily")
            .and_then(Value::as_str)
            .map_or(current.family.clone(), |f| f.replace(',', ""));
        let weight = body
            .get("weight")
            .and_then(Value::as_i64)
            .unwrap_or(current.weight);
        let italic = body
            .get("italic")
            .and_then(Value::as_bool)
            .unwrap_or(current.italic);
        let clash = fonts.iter().any(|f| {
            f.id != font_id
                && f.site_id == site_id
                && f.family.eq_ignore_ascii_case(&family)
                && f.weight == weight
                && f.italic == italic
        });
        if clash {
            return Err(conflict(&family));
        }
        let font = fonts
            .iter_mut()
            .find(|f| f.id == font_id)
            .expect("found above");
        font.family = family;
        font.weight = weight;
        font.italic = italic;
        if let Some(display) = body.get("fontDisplay").and_then(Value::as_str) {
            font.display = display.to_string();
        }
        Ok(font.clone())
    })?;
    let file = updated.live.as_ref().expect("found fonts are live");
    Ok(axum::Json(
        json!({ "customFont": font_json(&app, &updated, file) }),
    ))
}

async fn delete_font(
    Extract(app): Extract<Arc<App>>,
    Path((site_id, font_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    check_site(&app, &site_id, "sites:write")?;
    find(&app, &site_id, &font_id)?;
    app.fonts
        .with(&app, |fonts| fonts.retain(|f| f.id != font_id));
    Ok(StatusCode::NO_CONTENT)
}

async fn replace_file(
    Extract(app): Extract<Arc<App>>,
    Path((site_id, font_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_site(&app, &site_id, "sites:write")?;
    let body = json_object(&body)?;
    let mut details = Vec::new();
    let file = file_fields(&body, &mut details);
    let axes = check_axes(body.get("axes"), &mut details);
    let current = find(&app, &site_id, &font_id)?;
    let variable = current.live.as_ref().is_some_and(|f| !f.axes.is_empty());
    if variable && !body.contains_key("axes") {
        details.push(field_error(
            "axes",
            "required: the font is variable; send [] for a static file or the new axes",
        ));
    }
    let Some((file_name, file_hash, format, content_type)) = file.filter(|_| details.is_empty())
    else {
        return Err(validation(details));
    };
    let pending = FontFile {
        key: format!(
            "{site_id}/fonts/{font_id}_{}_{file_name}",
            app.state.new_id()
        ),
        file_name,
        format,
        axes,
        md5: file_hash.clone(),
    };
    let record = app.fonts.with(&app, |fonts| {
        let font = fonts
            .iter_mut()
            .find(|f| f.id == font_id)
            .expect("found above");
        font.pending = Some(pending.clone());
        font.clone()
    });
    Ok(upload_answer(
        &app,
        &record,
        &pending,
        &file_hash,
        content_type,
    ))
}

async fn batch_delete(
    Extract(app): Extract<Arc<App>>,
    Path(site_id): Path<String>,
    body: Bytes,
) -> Result<axum::Json<Value>, ApiError> {
    check_site(&app, &site_id, "sites:write")?;
    let body = json_object(&body)?;
    let ids: Option<Vec<String>> = body.get("items").and_then(Value::as_array).map(|items| {
        items
            .iter()
            .map(|item| item["id"].as_str().unwrap_or_default().to_string())
            .collect()
    });
    let Some(ids) = ids.filter(|ids| (1..=100).contains(&ids.len())) else {
        return Err(validation(vec![field_error(
            "items",
            "must hold 1 to 100 fonts",
        )]));
    };
    let (deleted, failed) = app.fonts.with(&app, |fonts| {
        let mut deleted = Vec::new();
        let mut failed = Vec::new();
        for id in ids {
            let before = fonts.len();
            fonts.retain(|f| !(f.id == id && f.site_id == site_id && f.live.is_some()));
            if fonts.len() < before {
                deleted.push(json!({ "id": id }));
            } else {
                failed
                    .push(json!({ "id": id, "name": "NotFound", "msg": "Custom font not found" }));
            }
        }
        (deleted, failed)
    });
    Ok(axum::Json(json!({ "deleted": deleted, "failed": failed })))
}
