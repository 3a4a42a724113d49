//! Serving both sides on 127.0.0.1: every request is read whole, logged, given the next
//! scripted fault for its endpoint, and otherwise handed to the Webflow router or to S3.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::App;
use crate::faults::{Fault, FaultBody, Target};
use crate::log::{LoggedRequest, Side};

/// Marks a create-asset request whose policy must be issued already expired.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExpiredPolicy;

/// What answers a side's requests once faults are out of the way.
pub(crate) enum Inner {
    Webflow(axum::Router),
    S3(s3s::service::S3Service),
}

pub(crate) struct Inbound {
    pub(crate) app: Arc<App>,
    pub(crate) inner: Inner,
}

/// Returned instead of a response to make hyper close the connection unanswered.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a scripted fault")
    }
}

impl std::error::Error for Dropped {}

impl Inbound {
    fn side_and_target(&self, method: &str, path: &str) -> (Side, Option<Target>) {
        match self.inner {
            Inner::S3(_) => (Side::S3, (method == "POST").then_some(Target::S3Upload)),
            Inner::Webflow(_) => match path.strip_prefix("/v2") {
                Some(api) => (Side::Webflow, Target::of_api_request(method, api)),
                None => (Side::Hosted, None),
            },
        }
    }

    async fn handle(&self, request: Request<Incoming>) -> Result<Response<Body>, Dropped> {
        let (mut parts, body) = request.into_parts();
        let body: Bytes = body.collect().await.map_err(|_| Dropped)?.to_bytes();
        let (side, target) = self.side_and_target(parts.method.as_str(), parts.uri.path());
        let mut entry = LoggedRequest {
            side,
            method: parts.method.to_string(),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_string(), ToString::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body_size: body.len(),
            status: None,
        };
        let mut truncate = false;
        let scripted = match target.and_then(|t| self.app.faults.take(t)) {
            Some(Fault::Truncate) => {
                truncate = true;
                None
            }
            Some(Fault::Delay(delay)) => {
                tokio::time::sleep(delay).await;
                None
            }
            Some(Fault::Hold(hold)) => {
                hold.pass().await;
                None
            }
            Some(Fault::DropConnection) => {
                self.app.log.push(entry);
                return Err(Dropped);
            }
            Some(Fault::Status(status, body)) => Some(scripted_status(status, body)),
            Some(Fault::SlowDown) => Some(s3_error(
                503,
                "SlowDown",
                "Please reduce your request rate.",
            )),
            Some(Fault::InternalError) => Some(s3_error(
                500,
                "InternalError",
                "We encountered an internal error. Please try again.",
            )),
            Some(Fault::RateLimited(wait)) => {
                let mut response = scripted_status(
                    429,
                    FaultBody::Json(serde_json::json!({
                        "code": "too_many_requests",
                        "message": "Too many requests",
                        "externalReference": null,
                        "details": [],
                    })),
                );
                let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
                response
                    .headers_mut()
                    .insert(hyper::header::RETRY_AFTER, seconds.into());
                Some(response)
            }
            Some(Fault::ExpiredPolicy) => {
                parts.extensions.insert(ExpiredPolicy);
                None
            }
            None => None,
        };
        let response = match scripted {
            Some(response) => response,
            None => match &self.inner {
                Inner::Webflow(router) => {
                    let request = Request::from_parts(parts, Body::from(body));
                    router
                        .clone()
                        .oneshot(request)
                        .await
                        .unwrap_or_else(|never| match never {})
                }
                Inner::S3(s3) => {
                    let request = Request::from_parts(parts, s3s::Body::from(body));
                    match s3.call(request).await {
                        Ok(response) => response.map(Body::new),
                        Err(_) => s3_error(500, "InternalError", "The embedded S3 failed."),
                    }
                }
            },
        };
        let response = match truncate {
            true => truncated(response).await,
            false => response,
        };
        entry.status = Some(response.status().as_u16());
        self.app.log.push(entry);
        Ok(response)
    }
}

/// The same answer with only the first half of its body (and no stale `Content-Length`).
async fn truncated(response: Response<Body>) -> Response<Body> {
    let (mut parts, body) = response.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    parts.headers.remove(hyper::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}

fn scripted_status(status: u16, body: FaultBody) -> Response<Body> {
    let (content_type, body) = match body {
        FaultBody::Json(value) => ("application/json", Body::from(value.to_string())),
        FaultBody::Html(page) => ("text/html; charset=utf-8", Body::from(page)),
        FaultBody::Empty => ("text/plain", Body::empty()),
    };
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(hyper::header::CONTENT_TYPE, content_type)
        .body(body)
        .expect("a valid scripted response")
}

fn s3_error(status: u16, code: &str, message: &str) -> Response<Body> {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    Response::builder()
        .status(status)
        .header(hyper::header::CONTENT_TYPE, "application/xml")
        .body(Body::from(xml))
        .expect("a valid S3 error response")
}

/// A running server; dropping it stops it and every connection it has open.
#[derive(Debug)]
pub(crate) struct Running {
    pub(crate) addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `inbound` on `listener` until dropped.
pub(crate) fn spawn(listener: TcpListener, inbound: Arc<Inbound>) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        // Connections live in this set, so aborting the accept loop ends them too.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let inbound = inbound.clone();
                    connections.spawn(async move {
                        let service = service_fn(move |request| {
                            let inbound = inbound.clone();
                            async move { inbound.handle(request).await }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
    });
    Ok(Running { addr, task })
}
