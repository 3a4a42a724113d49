//! One module per command: its arguments and what it does. Each takes what it needs from
//! the [`Context`] in the order it needs it: its own checks first (before a token is looked
//! up), then the token, then the site.

pub mod alt;
pub mod audit;
pub mod auth;
pub mod completions;
pub mod copy;
pub mod folders;
pub mod fonts;
pub mod info;
pub mod ls;
pub mod man;
pub mod mcp;
pub mod pull;
pub mod rename;
pub mod rm;
pub mod schema;
pub mod sites;
pub mod sync;
pub mod upload;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context as _, Result};
use webflow_assets::bulk::BulkOptions;
use webflow_assets::{Client, RateLimit, SiteId};

use crate::credentials::{self, Found, Local};
use crate::global::Global;
use crate::output::Output;
use crate::{login, panics, site};

/// What every command may draw on: the global flags, the one output, and where the token
/// was found (for the hint of a refused token).
pub struct Context<'a> {
    pub global: &'a Global,
    pub output: &'a Output,
    source: &'a OnceLock<credentials::Source>,
}

impl<'a> Context<'a> {
    pub fn new(
        global: &'a Global,
        output: &'a Output,
        source: &'a OnceLock<credentials::Source>,
    ) -> Self {
        Self {
            global,
            output,
            source,
        }
    }

    /// `--json`, as given.
    pub fn json(&self) -> bool {
        self.global.json
    }

    /// Where `auth login` stores a token.
    pub fn login_file(&self) -> Option<PathBuf> {
        login::token_file(&credentials::process_env)
    }

    /// A client for `token`, with the global flags' base URL, rate limit and address rule.
    pub fn client(&self, token: String) -> Result<Client> {
        panics::hide(&token);
        let window = Duration::from_secs_f64(self.global.rate_window);
        Ok(Client::builder(token)
            .base_url(&self.global.base_url)
            .rate_limit(RateLimit::new(self.global.rate_limit, window))
            .allow_private_urls(self.global.allow_private_urls)
            .build()?)
    }

    /// The run's concurrency.
    pub fn bulk(&self) -> BulkOptions {
        BulkOptions::default().concurrency(usize::from(self.global.concurrency))
    }

    /// Finds the token and makes its client.
    pub fn connect(&self) -> Result<Connected> {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        let local = Local::new(cwd);
        let found = credentials::token(
            self.global.token_env.as_deref(),
            &credentials::process_env,
            &local,
            self.login_file().as_deref(),
        )?;
        let _ = self.source.set(found.source.clone());
        let client = self.client(found.token.clone())?;
        Ok(Connected {
            client,
            found,
            local,
            site: self.global.site.clone(),
        })
    }

    /// Finds the token, makes its client and chooses the site.
    pub async fn connect_to_site(&self) -> Result<OnSite> {
        let connected = self.connect()?;
        let named = connected.site_named()?;
        let request = site::request_spent(named.as_deref());
        let site = site::resolve(&connected.client, named.as_deref()).await?;
        Ok(OnSite {
            connected,
            site,
            request,
        })
    }
}

/// A client for the token found, and where to look for the site.
pub struct Connected {
    pub client: Client,
    pub found: Found,
    local: Local,
    site: Option<String>,
}

impl Connected {
    /// The site as named (`--site`, WEBFLOW_SITE_ID, a .env file), not yet looked up.
    pub fn site_named(&self) -> Result<Option<String>> {
        match &self.site {
            Some(site) => Ok(Some(site.clone())),
            None => credentials::site(&self.local),
        }
    }
}

/// A client and the site chosen.
pub struct OnSite {
    pub connected: Connected,
    pub site: SiteId,
    /// The request choosing the site took, if any.
    pub request: Option<&'static str>,
}

impl OnSite {
    pub fn client(&self) -> &Client {
        &self.connected.client
    }
}
