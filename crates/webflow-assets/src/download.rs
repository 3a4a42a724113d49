//! Fetching an upload source from a URL: no token, redirects only to URLs that pass the same
//! check, and never more bytes than the file's kind allows.

use bytes::{Bytes, BytesMut};
use percent_encoding::percent_decode_str;
use reqwest::Url;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, LOCATION};

use crate::Error;
use crate::client::refusal;
use crate::validate::Rule;

fn invalid(url: &str, reason: &str) -> Error {
    Rule::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    }
    .into()
}

/// The URL, if it may be fetched: `https`, or `http` to a loopback host.
pub(crate) fn check(url: &str) -> Result<Url, Error> {
    let parsed = Url::parse(url).map_err(|e| invalid(url, &e.to_string()))?;
    match refusal(&parsed) {
        None => Ok(parsed),
        Some(reason) => Err(invalid(url, &reason)),
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

/// Sends the GET, following redirects, and returns the answer with the file name to use.
///
/// The request is built here with no headers of ours, so the Webflow token is never on it,
/// whatever host a redirect names. Redirects are followed here rather than by the client's
/// policy because the API client follows none; each target must pass the same check as the
/// given URL, so a redirect cannot downgrade the download to plain http.
pub(crate) async fn open(
    http: &reqwest::Client,
    url: &str,
) -> Result<(reqwest::Response, Option<String>), Error> {
    let mut current = check(url)?;
    let mut hops = 0;
    let response = loop {
        let response = http
            .get(current.clone())
            .send()
            .await
            .map_err(Error::from_reqwest)?;
        let Some(location) = redirect_target(&response) else {
            break response;
        };
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err(invalid(
                url,
                &format!("more than {MAX_REDIRECTS} redirects"),
            ));
        }
        let next = current
            .join(&location)
            .map_err(|e| invalid(url, &format!("redirected to {location:?}: {e}")))?;
        if let Some(reason) = refusal(&next) {
            return Err(invalid(url, &format!("redirected to {next}: {reason}")));
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
pub(crate) async fn md5_of(http: &reqwest::Client, url: &str, limit: u64) -> Result<String, Error> {
    let (response, _) = open(http, url).await?;
    let mut md5 = crate::hash::Running::new();
    let too_large = |size: u64| match size > limit {
        true => Err(invalid(url, &format!("it serves more than {limit} bytes"))),
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
        assert!(check("https://cdn.example.com/a.png").is_ok());
        assert!(check("http://127.0.0.1:9/a.png").is_ok());
        for bad in ["http://example.com/a.png", "ftp://x/a.png", "not a url"] {
            assert!(
                matches!(
                    check(bad),
                    Err(Error::Validation {
                        rule: Rule::InvalidUrl { .. },
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }
}
