//! A fake Webflow Assets API for tests, examples and benchmarks.
//!
//! [`FakeWebflow::builder`] starts two servers on 127.0.0.1: the eight Assets endpoints of the
//! Webflow Data API v2 (in memory, with Webflow's validation, error bodies, rate limit and
//! pagination), with sites, token introspection (and the token's scopes) and the seven custom
//! font endpoints, and an S3 (s3s over s3s-fs, in a temporary directory) that verifies the SigV4
//! POST policies the fake hands out in `uploadDetails`. Dropping the [`FakeHandle`] stops both
//! and removes the stored files.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! use std::time::Duration;
//! use webflow_fake::{Fault, FakeWebflow, Target};
//!
//! let fake = FakeWebflow::builder()
//!     .rate_limit(20, Duration::from_secs(2))
//!     .start()
//!     .await?;
//! fake.faults().inject(Target::S3Upload, Fault::SlowDown, 1);
//! println!("{} {} {}", fake.base_url(), fake.token(), fake.site_id());
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod api;
mod faults;
mod fonts;
mod kinds;
mod log;
mod policy;
mod ratelimit;
mod reply;
mod s3;
mod sample_font;
mod seed;
mod server;
mod sites;
mod state;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

pub use faults::{Fault, FaultBody, Faults, Hold, Target};
pub use kinds::{Kind, Limits, classify};
pub use log::{LoggedRequest, RequestLog, Side};
pub use policy::Credentials;
pub use sample_font::SampleFont;
pub use sites::DEFAULT_SCOPES;
pub use state::{AssetRecord, FolderRecord, State, StoredObject};

use ratelimit::RateLimiter;
use server::{Inbound, Inner, Running};
use state::Urls;

/// Settings of a fake; see [`FakeWebflowBuilder`].
#[derive(Debug, Clone)]
struct Config {
    token: String,
    site_id: Option<String>,
    rate_limit: u32,
    rate_window: Duration,
    policy_lifetime: chrono::Duration,
    limits: Limits,
    extra_fields: Vec<(String, String)>,
    port: u16,
    s3_port: u16,
    scopes: Vec<String>,
}

pub(crate) struct App {
    config: Config,
    state: State,
    urls: Urls,
    limiter: RateLimiter,
    faults: Faults,
    log: RequestLog,
    creds: Credentials,
    fonts: fonts::Fonts,
    tokens: tokens::SiteTokens,
}

/// Entry point: `FakeWebflow::builder().start().await`.
#[derive(Debug)]
pub struct FakeWebflow;

impl FakeWebflow {
    /// A builder with Webflow's defaults: 60 requests per minute, 4 MB images, 10 MB
    /// documents, policies valid for 15 minutes, one seeded site.
    pub fn builder() -> FakeWebflowBuilder {
        FakeWebflowBuilder {
            config: Config {
                token: format!("wf-fake-{}", policy::hex(&rand_bytes())),
                site_id: None,
                rate_limit: 60,
                rate_window: Duration::from_secs(60),
                policy_lifetime: chrono::Duration::minutes(15),
                limits: Limits::default(),
                extra_fields: Vec::new(),
                port: 0,
                s3_port: 0,
                scopes: sites::DEFAULT_SCOPES
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            },
        }
    }
}

fn rand_bytes() -> [u8; 16] {
    // Unpredictable enough for a local test token; RandomState is seeded per process.
    use std::hash::{BuildHasher, RandomState};
    let a = RandomState::new().hash_one(std::time::SystemTime::now());
    let b = RandomState::new().hash_one(a);
    let mut out = [0; 16];
    out[..8].copy_from_slice(&a.to_le_bytes());
    out[8..].copy_from_slice(&b.to_le_bytes());
    out
}

/// Settings for a fake Webflow.
#[derive(Debug)]
#[must_use]
pub struct FakeWebflowBuilder {
    config: Config,
}

impl FakeWebflowBuilder {
    /// Requests allowed per token per window (Webflow: 60 or 120 per minute). A short window
    /// keeps rate-limit tests fast.
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.config.rate_limit = requests;
        self.config.rate_window = window;
        self
    }

    /// How long an upload policy stays valid after it is issued.
    pub fn policy_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.policy_lifetime =
            chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::MAX);
        self
    }

    /// Size limits per kind of file, enforced by the upload policy's `content-length-range`.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Adds a field to every `uploadDetails` and pins it in the policy, as Webflow might
    /// (for example `x-amz-meta-...`), to test that clients forward fields they do not know.
    pub fn extra_upload_field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.extra_fields.push((name.into(), value.into()));
        self
    }

    /// The token the API accepts (default: a random one).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.config.token = token.into();
        self
    }

    /// The id of the seeded site (default: a fresh one).
    pub fn site_id(mut self, id: impl Into<String>) -> Self {
        self.config.site_id = Some(id.into());
        self
    }

    /// The scopes the token holds (default: every scope the fake serves, see
    /// [`DEFAULT_SCOPES`]). Sites and custom fonts answer `403 missing_scopes` without
    /// `sites:read` or `sites:write`, the Assets endpoints without `assets:read` (to read)
    /// or `assets:write` (to change).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.config.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The Webflow API's port (default: any free one).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    /// The S3 port (default: any free one).
    pub fn s3_port(mut self, port: u16) -> Self {
        self.config.s3_port = port;
        self
    }

    /// Binds both servers on 127.0.0.1 and starts serving. Must be called within a Tokio
    /// runtime; the servers run on it until the handle is dropped.
    pub async fn start(self) -> anyhow::Result<FakeHandle> {
        let config = self.config;
        let storage = tempfile::Builder::new().prefix("webflow-fake-").tempdir()?;
        let bucket = "webflow-fake-assets".to_string();
        let creds = Credentials {
            access_key: format!(
                "FAKE{}",
                &policy::hex(&rand_bytes())[..16].to_ascii_uppercase()
            ),
            secret_key: policy::hex(&rand_bytes()),
        };
        let webflow = TcpListener::bind(("127.0.0.1", config.port)).await?;
        let s3 = TcpListener::bind(("127.0.0.1", config.s3_port)).await?;
        let urls = Urls {
            webflow_origin: format!("http://{}", webflow.local_addr()?),
            s3_origin: format!("http://{}", s3.local_addr()?),
            bucket: bucket.clone(),
        };
        let state = State::new(storage.path().join(&bucket));
        let site_id = match &config.site_id {
            Some(id) => {
                state.add_site_with_id(id);
                id.clone()
            }
            None => state.add_site(),
        };
        let s3_service = s3::service(storage.path(), &bucket, &creds)?;
        let app = Arc::new(App {
            limiter: RateLimiter::new(config.rate_limit, config.rate_window),
            config,
            state,
            urls,
            faults: Faults::default(),
            log: RequestLog::default(),
            creds,
            fonts: fonts::Fonts::default(),
            tokens: Default::default(),
        });
        let router = api::router(app.clone());
        let webflow = server::spawn(
            webflow,
            Arc::new(Inbound {
                app: app.clone(),
                inner: Inner::Webflow(router),
            }),
        )?;
        let s3 = server::spawn(
            s3,
            Arc::new(Inbound {
                app: app.clone(),
                inner: Inner::S3(s3_service),
            }),
        )?;
        Ok(FakeHandle {
            app,
            site_id,
            webflow,
            s3,
            _storage: storage,
        })
    }
}

/// A running fake. Dropping it stops both servers and deletes what S3 stored.
pub struct FakeHandle {
    app: Arc<App>,
    site_id: String,
    webflow: Running,
    s3: Running,
    // Declared last so the servers stop before their files go.
    _storage: tempfile::TempDir,
}

impl std::fmt::Debug for FakeHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeHandle")
            .field("base_url", &self.base_url())
            .field("s3_url", &self.s3_url())
            .field("site_id", &self.site_id)
            .finish_non_exhaustive()
    }
}

impl FakeHandle {
    /// The API base URL, like `https://api.webflow.com/v2`: `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v2", self.webflow.addr)
    }

    /// The S3 endpoint upload forms are posted to (without the bucket).
    pub fn s3_url(&self) -> String {
        format!("http://{}", self.s3.addr)
    }

    /// The bearer token the API accepts.
    pub fn token(&self) -> &str {
        &self.app.config.token
    }

    /// The seeded site's id.
    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// Sites, assets and folders.
    pub fn state(&self) -> &State {
        &self.app.state
    }

    /// Everything both servers received.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.app.log.all()
    }

    /// The request log itself, to clear it between phases of a test.
    pub fn log(&self) -> &RequestLog {
        &self.app.log
    }

    /// The scripted faults.
    pub fn faults(&self) -> &Faults {
        &self.app.faults
    }

    /// Suspends the rate limit (every request allowed, none counted) or restores it, so a
    /// test or benchmark can set the site up at full speed and then measure under the limit.
    pub fn suspend_rate_limit(&self, suspended: bool) {
        self.app.limiter.suspend(suspended);
    }

    /// The size limits in force.
    pub fn limits(&self) -> Limits {
        self.app.config.limits
    }

    /// The temporary directory S3 stores objects in; removed when the handle is dropped.
    pub fn storage_dir(&self) -> &std::path::Path {
        self._storage.path()
    }
}
