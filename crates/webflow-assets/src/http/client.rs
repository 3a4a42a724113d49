//! The client: where requests go, with which token, and how patiently.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use webflow_assets_raw::{ClientInfo, Hooks};

use crate::error::Error;
use crate::http::address::Fetcher;
use crate::http::budget::{Budget, RateLimit};
use crate::http::retry::RetryPolicy;
use crate::http::transport::ApiTransport;
use crate::validate::Limits;

/// Webflow's API base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.webflow.com/v2";

/// The user agent sent with every request.
pub const DEFAULT_USER_AGENT: &str = concat!("webflow-assets/", env!("CARGO_PKG_VERSION"));

/// A Webflow API token. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl<T: Into<String>> From<T> for Token {
    fn from(token: T) -> Self {
        Self::new(token)
    }
}

/// Settings for a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use webflow_assets::{Client, RetryPolicy};
///
/// let client = Client::builder("my-token")
///     .timeout(Duration::from_secs(30))
///     .retry_policy(RetryPolicy::default().max_attempts(3))
///     .build()?;
/// # Ok::<(), webflow_assets::Error>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    token: Token,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    http: Option<reqwest::Client>,
    limits: Limits,
    rate_limit: RateLimit,
    allow_private_urls: bool,
}

impl ClientBuilder {
    /// The API base URL (default [`DEFAULT_BASE_URL`]). Plain `http://` is accepted only for
    /// loopback hosts, such as a local fake.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Longest time for one request, body included (default 60 s). Ignored with
    /// [`Self::http_client`], whose own settings apply.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Longest time to connect (default 10 s). Ignored with [`Self::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Sends API requests and S3 uploads through this `reqwest::Client` (for proxies, TLS
    /// settings or connection pooling shared with the rest of a program). The token is still
    /// added only to requests to the API base URL, never to the S3 upload. Its redirect policy
    /// applies; reqwest's default drops the `Authorization` header on a redirect to another
    /// host.
    ///
    /// [URL sources](crate::UploadSource::url) are fetched by a client of this crate's own,
    /// which can check the address of every connection it opens (see
    /// [`Self::allow_private_urls`]), unless private URLs are allowed: then this client
    /// fetches them too, and if it follows redirects itself, it does so without the
    /// https-only check of each hop (`Policy::none()` keeps that check).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Size limits checked before upload (default Webflow's: [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The token's request budget to start from (default [`RateLimit::default`], 60 per
    /// minute). Every request this client and its clones send draws on it, and it follows
    /// what Webflow's responses say (`X-RateLimit-Limit`, `X-RateLimit-Remaining`, 429s).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Whether [URL sources](crate::UploadSource::url) may be fetched from any address
    /// (default `false`).
    ///
    /// By default a URL source is fetched only from public addresses: a URL (or a redirect,
    /// or a name that resolves) to a loopback, private (RFC 1918, IPv6 unique-local),
    /// link-local (169.254.0.0/16, where cloud metadata services answer), carrier-grade NAT,
    /// unspecified, broadcast, multicast or documentation address is refused with
    /// [`Rule::PrivateAddress`](crate::Rule::PrivateAddress), and no request is sent to it.
    /// The address checked is the one each connection is opened to, at every redirect hop, so
    /// a name that changes its answer between a check and the connection (DNS rebinding)
    /// cannot reach one either. Such URL sources are also fetched without a proxy, which would
    /// connect out of sight of the check.
    ///
    /// A service uploading URLs its users give should keep the default: otherwise a user
    /// could have it fetch `http://127.0.0.1/admin/...` or an intranet page and publish the
    /// answer on Webflow's public CDN. Opt in for tests against local servers, or for an
    /// intranet whose URLs are trusted. The API base URL's rule (https, or http to loopback)
    /// does not change either way.
    pub fn allow_private_urls(mut self, allow: bool) -> Self {
        self.allow_private_urls = allow;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = check_url("base URL", &self.base_url)?;
        let mut bearer =
            HeaderValue::try_from(format!("Bearer {}", self.token.0)).map_err(|_| {
                Error::Config("the token contains characters a header cannot carry".into())
            })?;
        if self.token.0.trim().is_empty() {
            return Err(Error::Config("the token is empty".into()));
        }
        bearer.set_sensitive(true);
        let user_agent = HeaderValue::try_from(self.user_agent.as_str())
            .map_err(|_| Error::Config(format!("unusable user agent {:?}", self.user_agent)))?;
        let mut api_headers = HeaderMap::new();
        api_headers.insert(AUTHORIZATION, bearer);
        api_headers.insert(USER_AGENT, user_agent.clone());
        let settings = || {
            reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(user_agent.clone())
        };
        let unbuildable =
            |e: reqwest::Error| Error::Config(format!("building the HTTP client: {e}"));
        let http = match self.http {
            Some(http) => http,
            None => settings()
                // Webflow and S3 never redirect legitimately, and a redirect is the one way
                // an API request could be steered to a host the token must not reach. URL
                // sources follow theirs by hand, each hop checked (download.rs).
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(unbuildable)?,
        };
        let fetcher = match self.allow_private_urls {
            true => Fetcher::any_address(http.clone()),
            false => Fetcher::public_only(settings()).map_err(unbuildable)?,
        };
        let transport = Arc::new(ApiTransport {
            budget: Budget::new(self.rate_limit),
            retry: self.retry.clone(),
        });
        let raw = webflow_assets_raw::Client::new_with_client(
            base_url.as_str().trim_end_matches('/'),
            http.clone(),
            Hooks::new(api_headers).with_transport(transport),
        );
        Ok(Client {
            inner: Arc::new(Inner {
                raw,
                http,
                fetcher,
                retry: self.retry,
                limits: self.limits,
            }),
        })
    }
}

/// Parses a URL, refusing plain `http://` unless the host is loopback.
pub(crate) fn check_url(what: &str, url: &str) -> Result<Url, Error> {
    let parsed = Url::parse(url).map_err(|e| Error::Config(format!("{what} {url:?}: {e}")))?;
    match refusal(&parsed) {
        None => Ok(parsed),
        Some(reason) => Err(Error::Config(format!("{what} {url:?}: {reason}"))),
    }
}

/// Why nothing may be sent to `url`, if nothing may: only https, or plain http to a loopback
/// host (a local fake or test server), is trusted with a token, a file or a download.
pub(crate) fn refusal(url: &Url) -> Option<String> {
    match url.scheme() {
        "https" => None,
        "http" if is_loopback(url) => None,
        "http" => Some("plain http to a host that is not loopback; use https".into()),
        other => Some(format!("unsupported scheme {other:?}")),
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

struct Inner {
    raw: webflow_assets_raw::Client,
    http: reqwest::Client,
    /// Fetches URL sources (and hosted files, to check them).
    fetcher: Fetcher,
    retry: RetryPolicy,
    limits: Limits,
}

/// A Webflow Assets client. Cheap to clone; clones share connections.
///
/// ```no_run
/// # async fn example() -> Result<(), webflow_assets::Error> {
/// let client = webflow_assets::Client::new(std::env::var("WEBFLOW_TOKEN").unwrap())?;
/// let asset = client
///     .upload(&"580e63e98c9a982ac9b8b741".parse()?, "logo.png")
///     .folder("brand/logos".parse()?)
///     .send()
///     .await?;
/// println!("{}", asset.hosted_url);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.raw.baseurl())
            .field("token", &"<redacted>")
            .field("retry", &self.inner.retry)
            .field("limits", &self.inner.limits)
            .field("allow_private_urls", &self.inner.fetcher.allow_private)
            .finish()
    }
}

impl Client {
    /// A client for Webflow's API with default settings.
    pub fn new(token: impl Into<Token>) -> Result<Self, Error> {
        Self::builder(token).build()
    }

    /// Settings for a client.
    pub fn builder(token: impl Into<Token>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            http: None,
            limits: Limits::default(),
            rate_limit: RateLimit::default(),
            allow_private_urls: false,
        }
    }

    /// The generated client, for what the typed methods do not cover (a single page of a
    /// listing, say). Its requests take the same path as every other request of this client:
    /// they draw on the shared rate budget and are retried by the [`RetryPolicy`]; only its
    /// errors are the generated ones, which [`Error::from_raw`] turns into this crate's.
    ///
    /// ```no_run
    /// # async fn example(client: webflow_assets::Client) -> Result<(), webflow_assets::Error> {
    /// use webflow_assets::Error;
    ///
    /// let page = match client
    ///     .raw()
    ///     .list_assets()
    ///     .site_id("580e63e98c9a982ac9b8b741")
    ///     .limit(10)
    ///     .send()
    ///     .await
    /// {
    ///     Ok(page) => page.into_inner(),
    ///     Err(error) => return Err(Error::from_raw(error).await),
    /// };
    /// println!("{} of {:?}", page.assets.len(), page.pagination);
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw(&self) -> &webflow_assets_raw::Client {
        &self.inner.raw
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn fetcher(&self) -> &Fetcher {
        &self.inner.fetcher
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The size limits checked before upload.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in [
            "https://api.webflow.com/v2",
            "http://127.0.0.1:4010/v2",
            "http://localhost/v2",
            "http://[::1]:80/v2",
            "http://127.8.9.1/v2",
        ] {
            assert!(check_url("base URL", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.webflow.com/v2",
            "http://10.0.0.1/v2",
            "http://localhost.evil.com/",
            "ftp://x/",
            "not a url",
        ] {
            assert!(
                matches!(check_url("base URL", bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_token_never_shows() {
        let builder = Client::builder("s3cr3t-t0ken").base_url("http://127.0.0.1:1/v2");
        assert!(!format!("{builder:?}").contains("s3cr3t"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("s3cr3t"), "{client:?}");
        assert!(
            !format!("{:?}", client.raw()).contains("s3cr3t"),
            "{:?}",
            client.raw()
        );
        assert!(matches!(Client::builder("").build(), Err(Error::Config(_))));
        assert!(matches!(
            Client::builder("a\nb").build(),
            Err(Error::Config(_))
        ));
    }
}
