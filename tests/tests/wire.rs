//! The generated client on the wire, against a small server on 127.0.0.1: what it sends (no
//! `api-version`, no token of its own) and what callers get back for typed, unknown and
//! non-JSON error bodies.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::IntoResponse;
use webflow_assets_raw::types::{
    CreateAssetRequest, ErrorCode, ErrorDetail, KnownErrorCode, WebflowError,
};
use webflow_assets_raw::{BoxFuture, Client, Error, Hooks, ResponseValue, Transport};

const SITE: &str = "6500aa00bb11cc22dd33ff00";

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

/// A server answering every request with one canned response; stops when dropped.
struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    async fn start(status: u16, content_type: &'static str, reply: &'static str) -> Server {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let log = log.clone();
                async move {
                    log.lock().unwrap().push(Seen {
                        method,
                        uri,
                        headers,
                        body,
                    });
                    let status = StatusCode::from_u16(status).unwrap();
                    (status, [(header::CONTENT_TYPE, content_type)], reply).into_response()
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Server { addr, seen, task }
    }

    fn client(&self) -> Client {
        Client::new(&format!("http://{}/v2", self.addr), Hooks::default())
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// The typed error body of a documented error response.
fn typed(err: Error<WebflowError>) -> ResponseValue<WebflowError> {
    match err {
        Error::ErrorResponse(response) => response,
        other => panic!("expected a typed error response, got {other:?}"),
    }
}

fn create_body() -> CreateAssetRequest {
    CreateAssetRequest::builder()
        .file_name("logo.png")
        .file_hash("0cc175b9c0f1b6a831c399e269772661")
        .parent_folder(None)
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn create_asset_sends_only_what_the_api_documents() {
    let server = Server::start(
        200,
        "application/json",
        r#"{"id":"6500aa00bb11cc22dd33ee01"}"#,
    )
    .await;
    let upload = server
        .client()
        .create_asset()
        .site_id(SITE)
        .body(create_body())
        .send()
        .await
        .unwrap();
    assert_eq!(upload.id.as_deref(), Some("6500aa00bb11cc22dd33ee01"));

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.uri.path(), format!("/v2/sites/{SITE}/assets"));
    assert!(
        request.headers.get("api-version").is_none(),
        "{:?}",
        request.headers
    );
    assert!(request.headers.get(header::AUTHORIZATION).is_none());
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"fileName": "logo.png", "fileHash": "0cc175b9c0f1b6a831c399e269772661"})
    );
}

#[tokio::test]
async fn the_clients_headers_go_on_every_api_request() {
    let server = Server::start(
        200,
        "application/json",
        r#"{"id":"6500aa00bb11cc22dd33ee98"}"#,
    )
    .await;
    let mut headers = HeaderMap::new();
    let mut bearer: header::HeaderValue = "Bearer t0ken".parse().unwrap();
    bearer.set_sensitive(true);
    headers.insert(header::AUTHORIZATION, bearer);
    let client = Client::new(&format!("http://{}/v2", server.addr), Hooks::new(headers));
    client
        .get_asset_folder()
        .asset_folder_id("6500aa00bb11cc22dd33ee98")
        .send()
        .await
        .unwrap();
    client.list_assets().site_id(SITE).send().await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for request in seen {
        assert_eq!(request.headers[header::AUTHORIZATION], "Bearer t0ken");
    }
    assert!(!format!("{client:?}").contains("t0ken"), "{client:?}");
}

/// Records each operation, then sends as the default would.
struct Recording(Mutex<Vec<&'static str>>);

impl Transport for Recording {
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>> {
        self.0.lock().unwrap().push(operation);
        Box::pin(http.execute(request))
    }
}

#[tokio::test]
async fn every_operation_goes_through_the_transport() {
    let server = Server::start(200, "application/json", r#"{"assets":[]}"#).await;
    let recording = Arc::new(Recording(Default::default()));
    let hooks = Hooks::default().with_transport(recording.clone());
    let client = Client::new(&format!("http://{}/v2", server.addr), hooks);
    client.list_assets().site_id(SITE).send().await.unwrap();
    client
        .delete_asset()
        .asset_id("6500aa00bb11cc22dd33ee98")
        .send()
        .await
        .ok();
    assert_eq!(
        *recording.0.lock().unwrap(),
        ["list_assets", "delete_asset"]
    );
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn query_parameters_are_sent_by_their_documented_names() {
    let server = Server::start(
        200,
        "application/json",
        r#"{"assets":[],"pagination":{"limit":10,"offset":20,"total":0}}"#,
    )
    .await;
    let page = server
        .client()
        .list_assets()
        .site_id(SITE)
        .offset(20)
        .limit(10)
        .folder_id("6500aa00bb11cc22dd33ee99")
        .send()
        .await
        .unwrap();
    assert!(page.assets.is_empty());
    let query = server.seen()[0].uri.query().unwrap_or_default().to_string();
    for part in ["offset=20", "limit=10", "folderId=6500aa00bb11cc22dd33ee99"] {
        assert!(query.contains(part), "{query}");
    }
}

#[tokio::test]
async fn documented_errors_arrive_typed() {
    let server = Server::start(
        400,
        "application/json",
        r#"{"code":"validation_error","message":"Validation Error","externalReference":null,
            "details":["fileName must have an extension",{"field":"fileHash","message":"bad"}]}"#,
    )
    .await;
    let err = server
        .client()
        .create_asset()
        .site_id(SITE)
        .body(create_body())
        .send()
        .await
        .unwrap_err();
    let response = typed(err);
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.code,
        Some(ErrorCode::KnownErrorCode(KnownErrorCode::ValidationError))
    );
    assert_eq!(response.message.as_deref(), Some("Validation Error"));
    assert_eq!(response.details.len(), 2);
    assert!(
        matches!(&response.details[1], ErrorDetail::Object { field: Some(f), .. } if f == "fileHash")
    );
}

#[tokio::test]
async fn an_unknown_error_code_is_kept_as_received() {
    let server = Server::start(
        429,
        "application/json",
        r#"{"code":"slow_down_please","message":"Too many requests"}"#,
    )
    .await;
    let err = server
        .client()
        .get_asset()
        .asset_id("6500aa00bb11cc22dd33ee01")
        .send()
        .await
        .unwrap_err();
    let response = typed(err);
    assert_eq!(response.status(), 429);
    assert_eq!(
        response.code,
        Some(ErrorCode::String("slow_down_please".into()))
    );
}

#[tokio::test]
async fn an_html_502_from_a_proxy_gives_status_and_body_text() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = Server::start(502, "text/html", page).await;
    let err = server
        .client()
        .list_asset_folders()
        .site_id(SITE)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    let Error::UnexpectedResponse(response) = err else {
        panic!("expected the raw response, got {err:?}");
    };
    assert_eq!(response.text().await.unwrap(), page);
}

#[tokio::test]
async fn a_non_json_body_on_a_documented_status_keeps_the_body_text() {
    let page = "<html>Internal Server Error</html>";
    let server = Server::start(500, "text/html", page).await;
    let err = server
        .client()
        .get_asset_folder()
        .asset_folder_id("6500aa00bb11cc22dd33ee99")
        .send()
        .await
        .unwrap_err();
    let Error::InvalidResponsePayload(body, _) = err else {
        panic!("expected the unreadable body, got {err:?}");
    };
    assert_eq!(body, page.as_bytes());
}

#[tokio::test]
async fn delete_accepts_an_empty_204() {
    let server = Server::start(204, "", "").await;
    server
        .client()
        .delete_asset()
        .asset_id("6500aa00bb11cc22dd33ee01")
        .send()
        .await
        .unwrap();
    assert_eq!(server.seen()[0].method, Method::DELETE);
}
