//! Webflow's error body, and reading the parts of a request every endpoint shares (a JSON
//! object body, `offset`/`limit`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An answer with Webflow's error body.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<Value>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "code": self.code,
            "message": self.message,
            "externalReference": null,
            "details": self.details,
        });
        (self.status, axum::Json(body)).into_response()
    }
}

pub(crate) fn error(
    status: StatusCode,
    code: &'static str,
    message: &str,
    details: Vec<Value>,
) -> ApiError {
    ApiError {
        status,
        code,
        message: message.to_string(),
        details,
    }
}

pub(crate) fn field_error(field: &str, message: &str) -> Value {
    json!({ "field": field, "message": message })
}

pub(crate) fn validation(details: Vec<Value>) -> ApiError {
    error(
        StatusCode::BAD_REQUEST,
        "validation_error",
        "Validation Error",
        details,
    )
}

pub(crate) fn not_found(what: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "resource_not_found",
        &format!("Requested resource not found: The {what} cannot be found"),
        vec![],
    )
}

/// Reads a JSON object body, or explains why it is not one.
pub(crate) fn json_object(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "Bad Request: Request is malformed",
            vec![],
        )),
    }
}

pub(crate) fn page_params(query: &HashMap<String, String>) -> Result<(usize, usize), ApiError> {
    let number = |name: &str, default: usize| -> Result<usize, ApiError> {
        match query.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| validation(vec![field_error(name, "must be a non-negative integer")])),
        }
    };
    let offset = number("offset", 0)?;
    let limit = number("limit", 100)?.clamp(1, 100);
    Ok((offset, limit))
}

pub(crate) fn pagination(limit: usize, offset: usize, total: usize) -> Value {
    json!({ "limit": limit, "offset": offset, "total": total })
}
