//! Fetching an upload source from a URL: no token, redirects only to URLs that pass the same
//! check, and never more bytes than the file's kind allows.

use std::net::{IpAddr, SocketAddr};

use bytes::{Bytes, BytesMut};
use percent_encoding::percent_decode_str;
use reqwest::Url;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, LOCATION};

use crate::error::Error;
use crate::http::address::{self, Fetcher, Refused};
use crate::http::client::refusal;
use crate::validate::{Rule, UrlPurpose};

fn invalid(url: &str, reason: &str, purpose: UrlPurpose) -> Error {
    Rule::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_string(),
        purpose,
    }
    .into()
}

/// The URL, if it may be fetched: `https`, or `http` to a loopback host.
pub(crate) fn check(url: &str, purpose: UrlPurpose) -> Result<Url, Error> {
    let parsed = Url::parse(url).map_err(|e| invalid(url, &e.to_string(), purpose))?;
    match refusal(&parsed) {
        None => Ok(parsed),
        Some(reason) => Err(invalid(url, &reason, purpose)),
    }
}

/// The file name at the end of a URL's path, decoded.
pub(crate) fn name_from_url(url: &str) -> Option<String> {
    let parsed = Url::parse(url).ok()?;
    let last = parsed.path_segments()?.rev().find(|s| !s.is_empty())?;
    base_name(&percent_decode_str(last).decode_utf8_lossy())
}

/// The name a `Content-Disposition` header gives: `filename*` (RFC 5987, UTF-8) before
/// `filename`.
pub(crate) fn name_from_disposition(value: &str) -> Option<String> {
    let params: Vec<(String, &str)> = value
        .split(';')
        .skip(1)
        .filter_map(|param| {
            let (key, value) = param.split_once('=')?;
            Some((key.trim().to_ascii_lowercase(), value.trim()))
        })
        .collect();
    let find = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    if let Some(extended) = find("filename*") {
        let (charset, rest) = extended.split_once('\'')?;
        let (_language, encoded) = rest.split_once('\'')?;
        if charset.eq_ignore_ascii_case("utf-8") {
            return base_name(&percent_decode_str(encoded).decode_utf8_lossy());
        }
    }
    base_name(find("filename")?.trim_matches('"'))
}

/// The last component of a name that may carry a path (a server's, not ours to follow).
fn base_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next()?.trim();
    (!base.is_empty()).then(|| base.to_string())
}

/// Redirects followed before giving up, as many as browsers' image loaders tolerate in
/// practice and fewer than reqwest's default of 10: a chain longer than this is a loop.
const MAX_REDIRECTS: usize = 5;

/// The error for a URL that reached (or would reach) a refused address.
fn private(url: &str, refused: Refused, purpose: UrlPurpose) -> Error {
    Rule::PrivateAddress {
        url: url.to_string(),
        address: refused.address,
        range: refused.range.to_string(),
        purpose,
    }
    .into()
}

/// The refusal behind a failed request, if the download client's resolver refused the host.
fn refused_by_resolver(error: &reqwest::Error) -> Option<Refused> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if let Some(refused) = error.downcast_ref::<Refused>() {
            return Some(refused.clone());
        }
        cause = error.source();
    }
    None
}

/// Sends one GET of a URL source, holding it to the fetcher's address rule (address.rs says
/// which checks are made where).
async fn get(
    fetcher: &Fetcher,
    given: &str,
    url: &Url,
    purpose: UrlPurpose,
) -> Result<reqwest::Response, Error> {
    if fetcher.allow_private {
        return fetcher
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(Error::from_reqwest);
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    if let Some(ip) = literal {
        let port = url.port_or_known_default().unwrap_or(0);
        check_peer(fetcher, SocketAddr::new(ip, port))
            .map_err(|refused| private(given, refused, purpose))?;
    }
    let response = fetcher
        .http
        .get(url.clone())
        .send()
        .await
        .map_err(|error| match refused_by_resolver(&error) {
            Some(refused) => private(given, refused, purpose),
            None => Error::from_reqwest(error),
        })?;
    if let Some(peer) = response.remote_addr() {
        check_peer(fetcher, peer).map_err(|refused| private(given, refused, purpose))?;
    }
    Ok(response)
}

/// Whether the fetcher may talk to `peer`. This module's tests have every server on
/// loopback, so a redirect from a public host can only be shown by letting one loopback
/// server stand for a public host.
fn check_peer(fetcher: &Fetcher, peer: SocketAddr) -> Result<(), Refused> {
    #[cfg(test)]
    if fetcher.public_in_tests == Some(peer) {
        return Ok(());
    }
    let _ = fetcher;
    address::check(peer.ip())
}

/// Sends the GET, following redirects, and returns the answer with the file name to use.
///
/// The request is built here with no headers of ours, so the Webflow token is never on it,
/// whatever host a redirect names. Redirects are followed here rather than by the client's
/// policy because the API client follows none; each target must pass the same check as the
/// given URL, so a redirect cannot downgrade the download to plain http, and each hop is
/// held to the same address rule, so a public URL cannot redirect to a private one.
pub(crate) async fn open(
    fetcher: &Fetcher,
    url: &str,
    purpose: UrlPurpose,
) -> Result<(reqwest::Response, Option<String>), Error> {
    crate::runtime::current()?;
    let mut current = check(url, purpose)?;
    let mut hops = 0;
    let response = loop {
        let response = get(fetcher, url, &current, purpose).await?;
        let Some(location) = redirect_target(&response) else {
            break response;
        };
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err(invalid(
                url,
                &format!("more than {MAX_REDIRECTS} redirects"),
                purpose,
            ));
        }
        let next = current
            .join(&location)
            .map_err(|e| invalid(url, &format!("redirected to {location:?}: {e}"), purpose))?;
        if let Some(reason) = refusal(&next) {
            let reason = format!("redirected to {next}: {reason}");
            return Err(invalid(url, &reason, purpose));
        }
        current = next;
    };
    let status = response.status();
    if !status.is_success() {
        return Err(Error::UnexpectedResponse {
            file: None,
            status: Some(status.as_u16()),
            body: format!("downloading {url}"),
        });
    }
    let disposition = response
        .headers()
        .get(CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .and_then(name_from_disposition);
    // The URL the user gave names the file they meant, unless it names none (`/download?id=7`
    // redirecting to `/files/report.pdf`); a CDN's hashed name is the last resort.
    let given = name_from_url(url);
    let name = disposition
        .or_else(|| given.clone().filter(|n| n.contains('.')))
        .or_else(|| name_from_url(response.url().as_str()))
        .or(given);
    Ok((response, name))
}

/// Where a redirect answer points, if this answer is one that carries a `Location`.
fn redirect_target(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    Some(location.to_string())
}

/// Reads the body, refusing it by its declared length before reading any of it, and by the
/// bytes read once they pass `too_large`; a body shorter or longer than declared is refused
/// too. Nothing is allocated on the strength of the declared length: a server may claim
/// anything.
pub(crate) async fn read(
    response: reqwest::Response,
    too_large: impl Fn(u64) -> Result<(), Error>,
) -> Result<Bytes, Error> {
    let mut body = BytesMut::new();
    each_chunk(response, too_large, |chunk| body.extend_from_slice(chunk)).await?;
    Ok(body.freeze())
}

/// The MD5 of what `url` serves, hashed as it streams in, so nothing of it is kept; refused
/// past `limit` bytes. Like every download it carries no token.
pub(crate) async fn md5_of(http: &Fetcher, url: &str, limit: u64) -> Result<String, Error> {
    let purpose = UrlPurpose::Download;
    let (response, _) = open(http, url, purpose).await?;
    let mut md5 = crate::hash::Running::new();
    let too_large = |size: u64| match size > limit {
        true => Err(invalid(
            url,
            &format!("it serves more than {limit} bytes"),
            purpose,
        )),
        false => Ok(()),
    };
    each_chunk(response, too_large, |chunk| md5.update(chunk)).await?;
    Ok(md5.hex())
}

/// Hands each chunk of the body to `sink`, checking the declared length first and the count
/// after every chunk.
async fn each_chunk(
    mut response: reqwest::Response,
    too_large: impl Fn(u64) -> Result<(), Error>,
    mut sink: impl FnMut(&[u8]),
) -> Result<(), Error> {
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(length) = declared {
        too_large(length.max(1))?;
    }
    let mut actual = 0u64;
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        actual += chunk.len() as u64;
        too_large(actual)?;
        sink(&chunk);
    }
    match declared {
        Some(declared) if declared != actual => {
            Err(Rule::LengthMismatch { declared, actual }.into())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls_and_dispositions() {
        assert_eq!(
            name_from_url("https://x.test/a/dog%20photo.jpg?w=1").as_deref(),
            Some("dog photo.jpg")
        );
        assert_eq!(
            name_from_url("https://x.test/a/b.png/").as_deref(),
            Some("b.png")
        );
        assert_eq!(name_from_url("https://x.test/"), None);
        assert_eq!(
            name_from_disposition("attachment; filename=\"report.pdf\"").as_deref(),
            Some("report.pdf")
        );
        assert_eq!(
            name_from_disposition(
                "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"
            )
            .as_deref(),
            Some("résumé.pdf")
        );
        assert_eq!(
            name_from_disposition("inline; filename=../../etc/passwd.txt").as_deref(),
            Some("passwd.txt")
        );
        assert_eq!(name_from_disposition("inline"), None);
    }

    #[test]
    fn only_https_or_loopback_http() {
        let upload = UrlPurpose::UploadSource;
        assert!(check("https://cdn.example.com/a.png", upload).is_ok());
        assert!(check("http://127.0.0.1:9/a.png", upload).is_ok());
        for bad in ["http://example.com/a.png", "ftp://x/a.png", "not a url"] {
            assert!(
                matches!(
                    check(bad, upload),
                    Err(Error::Validation {
                        rule: Rule::InvalidUrl { .. },
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Serves `router` on 127.0.0.1 until the test's runtime ends, counting requests.
    async fn serve(router: axum::Router) -> (SocketAddr, Arc<AtomicUsize>) {
        let count = Arc::new(AtomicUsize::new(0));
        let counter = count.clone();
        let router = router.layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                counter.fetch_add(1, Ordering::SeqCst);
                next.run(request)
            },
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (addr, count)
    }

    #[tokio::test]
    async fn a_redirect_to_loopback_is_refused_unless_private_urls_are_allowed() {
        use axum::routing::get;
        let (target, target_seen) =
            serve(axum::Router::new().route("/x.png", get(|| async { "png" }))).await;
        let location = format!("http://{target}/x.png");
        let (first, first_seen) = serve(axum::Router::new().route(
            "/a.png",
            get(move || {
                let location = location.clone();
                async move { axum::response::Redirect::to(&location) }
            }),
        ))
        .await;
        let url = format!("http://{first}/a.png");

        let public_only = Fetcher {
            public_in_tests: Some(first),
            ..Fetcher::public_only(reqwest::Client::builder()).unwrap()
        };
        let error = open(&public_only, &url, UrlPurpose::UploadSource)
            .await
            .unwrap_err();
        match error {
            Error::Validation {
                rule:
                    Rule::PrivateAddress {
                        url: given,
                        address,
                        range,
                        purpose,
                    },
                ..
            } => {
                assert_eq!(given, url);
                assert_eq!(address, IpAddr::from([127, 0, 0, 1]));
                assert_eq!(range, "loopback");
                assert_eq!(purpose, UrlPurpose::UploadSource);
            }
            other => panic!("expected PrivateAddress, got {other:?}"),
        }
        assert_eq!(first_seen.load(Ordering::SeqCst), 1);
        assert_eq!(target_seen.load(Ordering::SeqCst), 0, "never sent");

        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let (response, name) = open(&Fetcher::any_address(http), &url, UrlPurpose::Download)
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("a.png"));
        assert_eq!(read(response, |_| Ok(())).await.unwrap(), "png");
        assert_eq!(target_seen.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_answer_from_a_private_peer_is_refused_however_the_name_was_resolved() {
        use axum::routing::get as route;
        let (server, seen) =
            serve(axum::Router::new().route("/x.png", route(|| async { "png" }))).await;
        // A `resolve` override bypasses any resolver a client is given, so only the check of
        // the answer's peer address stands between this name and loopback.
        let settings = reqwest::Client::builder().resolve("cdn.example.test", server);
        let fetcher = Fetcher::public_only(settings).unwrap();
        let url = Url::parse(&format!("http://cdn.example.test:{}/x.png", server.port())).unwrap();
        let error = get(&fetcher, url.as_str(), &url, UrlPurpose::Download)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Validation {
                    rule: Rule::PrivateAddress { address, purpose: UrlPurpose::Download, .. },
                    ..
                } if address.is_loopback()
            ),
            "{error:?}"
        );
        // A download says so, and names no upload.
        let words = error.to_string();
        assert!(words.starts_with("cannot download "), "{words}");
        assert!(!words.contains("upload"), "{words}");
        assert_eq!(
            seen.load(Ordering::SeqCst),
            1,
            "sent, but its answer is not used"
        );
    }
}
