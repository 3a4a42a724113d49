//! The flags every command takes, and the value parsers the commands share.

use webflow_assets::{DEFAULT_BASE_URL, FolderPath};

// The flags every command takes (a doc comment here would become the command's about).
#[derive(clap::Args)]
pub struct Global {
    /// The site: its id, short name or display name (else WEBFLOW_SITE_ID, from the
    /// environment or a .env file; else the token's only site).
    #[arg(long, env = "WEBFLOW_SITE_ID", global = true, hide_env_values = true)]
    pub site: Option<String>,
    /// Read the token from this environment variable instead of WEBFLOW_TOKEN,
    /// WEBFLOW_API_TOKEN, a .env file or the stored login.
    #[arg(long, global = true, value_name = "NAME")]
    pub token_env: Option<String>,
    /// The API base URL (point it at a local fake for tests).
    #[arg(long, default_value = DEFAULT_BASE_URL, global = true)]
    pub base_url: String,
    /// Machine-readable output: one JSON object per line.
    #[arg(long, global = true)]
    pub json: bool,
    /// Uploads in flight at once (1-256).
    #[arg(long, default_value_t = 4, global = true,
        value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Requests per window the token may send (Webflow: 60 or 120, by plan; a larger limit
    /// announced by Webflow is adopted).
    #[arg(long, default_value_t = 60, global = true,
        value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub rate_limit: u32,
    /// The rate-limit window in seconds, from 0.001 to 86400 (Webflow's is a minute).
    #[arg(long, default_value_t = 60.0, global = true, value_parser = seconds)]
    pub rate_window: f64,
    /// Let URL uploads, and downloads of hosted files (pull, copy, audit, `sync
    /// --checksum`), fetch from loopback, private and link-local addresses, which are refused
    /// by default.
    #[arg(long, global = true)]
    pub allow_private_urls: bool,
    /// Under GitHub Actions (GITHUB_ACTIONS=true), print no annotations for failed and
    /// refused files and write no step summary or step outputs.
    #[arg(long, global = true, env = "WEBFLOW_ASSETS_NO_GITHUB", hide_env_values = true,
        value_parser = clap::builder::BoolishValueParser::new())]
    pub no_github: bool,
}

/// A folder path, checked as the library checks it.
pub fn folder_path(text: &str) -> Result<FolderPath, String> {
    FolderPath::parse(text).map_err(|rule| rule.to_string())
}

/// A number of seconds that a duration can hold.
fn seconds(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|e| format!("{e}"))?;
    match value.is_finite() && (0.001..=86_400.0).contains(&value) {
        true => Ok(value),
        false => Err("expected seconds from 0.001 to 86400".into()),
    }
}
