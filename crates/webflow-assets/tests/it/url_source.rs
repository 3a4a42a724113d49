//! Uploads from a URL, served by a local HTTP server on 127.0.0.1: limits are enforced while
//! streaming, names come from the answer or the URL, redirects are followed only to URLs that
//! pass the same check, and the Webflow token never goes to the source. Local servers are
//! private addresses, refused by default: the tests that fetch from one opt in.

use crate::common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::io::AsyncWriteExt;
use webflow_assets::{Client, Error, Limits, Rule, UploadSource, UploadedAsset, hash};
use webflow_fake::{FakeHandle, FakeWebflow};

use common::PNG;

/// What the source server saw: path and whether it carried an `Authorization` header.
type Seen = Arc<Mutex<Vec<(String, bool)>>>;

/// Serves `router` on 127.0.0.1 until the test's runtime ends; records every request.
async fn serve(router: Router) -> (SocketAddr, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let router = router.layer(axum::middleware::from_fn(
        move |request: Request, next: axum::middleware::Next| {
            let log = log.clone();
            async move {
                let auth = request.headers().contains_key(header::AUTHORIZATION);
                log.lock()
                    .unwrap()
                    .push((request.uri().path().to_string(), auth));
                next.run(request).await
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, seen)
}

fn big_png_stream(chunks: usize) -> Body {
    let chunk = vec![7u8; 64 * 1024];
    Body::from_stream(futures::stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    ))
}

/// The fake, and a client for it that may fetch URL sources from local servers.
async fn fake_allowing_private_urls() -> (FakeHandle, Client) {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let client = common::builder(&fake)
        .allow_private_urls(true)
        .build()
        .unwrap();
    (fake, client)
}

/// Uploads from `url` into the fake's site root.
async fn upload_url(
    client: &Client,
    fake: &FakeHandle,
    url: String,
) -> Result<UploadedAsset, Error> {
    client
        .upload(&common::site(fake.site_id()), UploadSource::url(url))
        .send()
        .await
}

fn rule(error: Error) -> Rule {
    match error {
        Error::Validation { rule, .. } => rule,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn invalid_url_reason(error: Error) -> String {
    match rule(error) {
        Rule::InvalidUrl { reason, .. } => reason,
        other => panic!("expected InvalidUrl, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_served_file_is_uploaded_byte_for_byte_without_the_token() {
    let (fake, client) = fake_allowing_private_urls().await;
    let photo: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let served = photo.clone();
    let router = Router::new()
        .route("/team/dog%20photo.png", get(|| async { PNG }))
        .route(
            "/download",
            get(move || {
                let served = served.clone();
                async move {
                    let mut headers = HeaderMap::new();
                    headers.insert(
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"report.pdf\"".parse().unwrap(),
                    );
                    (headers, served)
                }
            }),
        );
    let (addr, seen) = serve(router).await;

    let dog = upload_url(
        &client,
        &fake,
        format!("http://{addr}/team/dog%20photo.png"),
    )
    .await
    .unwrap();
    assert_eq!(dog.file_name, "dog photo.png");
    assert_eq!(dog.content_type, "image/png");

    let report = upload_url(&client, &fake, format!("http://{addr}/download"))
        .await
        .unwrap();
    assert_eq!(
        report.file_name, "report.pdf",
        "Content-Disposition names it"
    );
    assert_eq!(report.md5, hash::md5_bytes(&photo));
    let stored = fake
        .state()
        .asset(report.id.as_str())
        .unwrap()
        .stored
        .unwrap();
    assert_eq!(
        stored.md5,
        hash::md5_bytes(&photo),
        "S3 holds the served bytes"
    );
    assert!(stored.md5_matches);

    let named = client
        .upload(
            &common::site(fake.site_id()),
            UploadSource::url(format!("http://{addr}/download")),
        )
        .file_name("given.pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(named.file_name, "given.pdf");

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|(_, auth)| !auth), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn too_large_is_refused_by_its_length_or_while_streaming() {
    let fake = FakeWebflow::builder().start().await.unwrap();
    let client = common::builder(&fake)
        .allow_private_urls(true)
        .limits(Limits::default().image(100 * 1024))
        .build()
        .unwrap();
    let router = Router::new()
        .route(
            "/declared.png",
            get(|| async {
                // 10 MiB declared; the body would be streamed only as it is read.
                let mut response = Response::new(big_png_stream(160));
                response
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, (160 * 64 * 1024).into());
                response
            }),
        )
        .route(
            "/chunked.png",
            get(|| async { Response::new(big_png_stream(160)) }),
        );
    let (addr, _) = serve(router).await;

    let declared = upload_url(&client, &fake, format!("http://{addr}/declared.png"))
        .await
        .unwrap_err();
    assert!(
        matches!(rule(declared), Rule::TooLarge { size, .. } if size == 160 * 64 * 1024),
        "refused by Content-Length, before reading"
    );

    let chunked = upload_url(&client, &fake, format!("http://{addr}/chunked.png"))
        .await
        .unwrap_err();
    match rule(chunked) {
        Rule::TooLarge { size, limit, .. } => {
            assert!(size > limit && size <= limit + 64 * 1024, "{size} {limit}");
        }
        other => panic!("{other:?}"),
    }
    assert!(fake.requests().is_empty(), "nothing reached Webflow");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_lies_about_its_length_is_refused() {
    let (fake, client) = fake_allowing_private_urls().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0u8; 2048];
            let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut request).await;
            let _ = stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nContent-Type: image/png\r\n\r\n",
                )
                .await;
            let _ = stream.write_all(&PNG[..40]).await;
            // Closes with 4,960 bytes of the promised 5,000 missing.
        }
    });
    let error = upload_url(&client, &fake, format!("http://{addr}/short.png"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport { .. }
                | Error::Validation {
                    rule: Rule::LengthMismatch { .. },
                    ..
                }
        ),
        "{error:?}"
    );
    assert!(fake.requests().is_empty());
}

/// A server whose only route answers 302 with `location`.
async fn redirecting(from: &'static str, location: String) -> (SocketAddr, Seen) {
    serve(Router::new().route(
        from,
        get(move || {
            let location = location.clone();
            async move { (StatusCode::FOUND, [(header::LOCATION, location)]).into_response() }
        }),
    ))
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_host_is_followed_without_any_token() {
    let (fake, client) = fake_allowing_private_urls().await;
    let (elsewhere, elsewhere_seen) = serve(
        Router::new()
            .route("/x.png", get(|| async { PNG }))
            .route("/", get(|| async { PNG })),
    )
    .await;
    // "localhost" and "127.0.0.1" are different hosts to an HTTP client.
    let target = format!("http://localhost:{}/x.png", elsewhere.port());
    let (addr, seen) = redirecting("/moved.png", target).await;
    let asset = upload_url(&client, &fake, format!("http://{addr}/moved.png"))
        .await
        .unwrap();
    assert_eq!(asset.file_name, "moved.png", "the given URL names the file");
    assert_eq!(asset.md5, hash::md5_bytes(PNG));
    let stored = &fake.state().uploaded_assets()[0];
    assert!(stored.stored.as_ref().unwrap().md5_matches);
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_eq!(
        *elsewhere_seen.lock().unwrap(),
        [("/x.png".to_string(), false)],
        "followed once, with no Authorization header"
    );
    assert!(seen.lock().unwrap().iter().all(|(_, auth)| !auth));

    // A name only after the redirect: `/download` names no file, `/x.png` does.
    let target = format!("http://{elsewhere}/x.png");
    let (addr, _) = redirecting("/download", target).await;
    let asset = upload_url(&client, &fake, format!("http://{addr}/download"))
        .await
        .unwrap();
    assert_eq!(asset.file_name, "x.png");
}

#[tokio::test(flavor = "multi_thread")]
async fn redirects_to_plain_http_or_in_loops_are_refused() {
    let (fake, client) = fake_allowing_private_urls().await;
    let (addr, _) = redirecting("/a.png", "http://example.com/a.png".into()).await;
    let error = upload_url(&client, &fake, format!("http://{addr}/a.png"))
        .await
        .unwrap_err();
    let reason = invalid_url_reason(error);
    assert!(
        reason.contains("redirected to http://example.com/a.png") && reason.contains("https"),
        "{reason}"
    );

    // Relative locations resolve against the current URL; this one points back at itself.
    let (addr, seen) = redirecting("/loop.png", "/loop.png".into()).await;
    let error = upload_url(&client, &fake, format!("http://{addr}/loop.png"))
        .await
        .unwrap_err();
    let reason = invalid_url_reason(error);
    assert!(reason.contains("more than 5 redirects"), "{reason}");
    assert_eq!(
        seen.lock().unwrap().len(),
        6,
        "the first request and 5 redirects"
    );
    assert!(fake.requests().is_empty(), "nothing reached Webflow");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_urls_send_nothing() {
    let (fake, client) = fake_allowing_private_urls().await;
    let (elsewhere, _) = serve(Router::new().route("/", get(|| async { PNG }))).await;
    // No name in the path and none in the answer: refused once the answer says so.
    let unnamed = upload_url(&client, &fake, format!("http://{elsewhere}/"))
        .await
        .unwrap_err();
    assert_eq!(
        unnamed.file(),
        Some(format!("http://{elsewhere}/").as_str())
    );
    assert!(matches!(rule(unnamed), Rule::InvalidUrl { .. }));
    for bad in ["http://example.com/a.png", "ftp://127.0.0.1/a.png"] {
        let error = client
            .upload(&common::site(fake.site_id()), UploadSource::url(bad))
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(rule(error), Rule::InvalidUrl { .. }),
            "{bad} is refused before anything is sent"
        );
    }
    assert!(fake.requests().is_empty());
}

/// The address a refused URL reached, and what kind of address it is.
fn private_address(error: Error) -> (std::net::IpAddr, String) {
    match rule(error) {
        Rule::PrivateAddress { address, range, .. } => (address, range),
        other => panic!("expected PrivateAddress, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn local_and_private_addresses_are_refused_unless_allowed() {
    let (fake, client) = common::fake().await;
    let (addr, seen) = serve(Router::new().route("/x.png", get(|| async { PNG }))).await;
    let port = addr.port();
    let loopback = std::net::IpAddr::from([127, 0, 0, 1]);

    let literal = upload_url(&client, &fake, format!("http://{addr}/x.png"))
        .await
        .unwrap_err();
    assert_eq!(private_address(literal), (loopback, "loopback".into()));

    // A name is checked by the addresses it resolves to, when the connection is opened.
    let named = upload_url(&client, &fake, format!("http://localhost:{port}/x.png"))
        .await
        .unwrap_err();
    let (address, range) = private_address(named);
    assert!(address.is_loopback(), "{address}");
    assert_eq!(range, "loopback");

    // Loopback written as an IPv4-mapped IPv6 address (https: plain http is refused anyway).
    let mapped = upload_url(
        &client,
        &fake,
        format!("https://[::ffff:127.0.0.1]:{port}/x.png"),
    )
    .await
    .unwrap_err();
    assert_eq!(
        private_address(mapped),
        ("::ffff:127.0.0.1".parse().unwrap(), "loopback".into())
    );

    for (url, range) in [
        (
            "https://169.254.169.254/latest/meta-data/x.png",
            "link-local",
        ),
        ("https://10.0.0.7/x.png", "private"),
        ("https://[fd00::7]/x.png", "unique local (private)"),
        ("https://0.0.0.0/x.png", "unspecified (\"this network\")"),
        ("https://192.0.2.1/x.png", "documentation"),
    ] {
        let error = upload_url(&client, &fake, url.into()).await.unwrap_err();
        assert_eq!(error.file(), Some("x.png"), "{url}");
        assert!(error.to_string().contains("allowed"), "{error}");
        assert_eq!(private_address(error).1, range, "{url}");
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing reached the server"
    );
    assert!(fake.requests().is_empty(), "nothing reached Webflow");

    let opted_in = common::builder(&fake)
        .allow_private_urls(true)
        .build()
        .unwrap();
    let asset = upload_url(&opted_in, &fake, format!("http://localhost:{port}/x.png"))
        .await
        .unwrap();
    assert_eq!(asset.md5, hash::md5_bytes(PNG));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_string_that_starts_with_http_is_a_url_and_anything_else_a_path() {
    let (fake, client) = fake_allowing_private_urls().await;
    let (addr, seen) = serve(Router::new().route("/s.png", get(|| async { PNG }))).await;

    let from_str = client
        .upload(
            &common::site(fake.site_id()),
            format!("http://{addr}/s.png").as_str(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(from_str.md5, hash::md5_bytes(PNG));
    let from_string = client
        .upload(
            &common::site(fake.site_id()),
            format!("HTTP://{addr}/s.png"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(from_string.file_name, "s.png");
    assert_eq!(seen.lock().unwrap().len(), 2, "both were downloaded");

    // A path type is a path whatever it spells; so is a string without a URL scheme.
    let path = std::path::Path::new("https://example.com/s.png");
    for source in [UploadSource::from(path), UploadSource::from("https:/s.png")] {
        let error = client
            .upload(&common::site(fake.site_id()), source)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Io { .. }),
            "read from disk: {error:?}"
        );
    }
    assert_eq!(seen.lock().unwrap().len(), 2);
}
