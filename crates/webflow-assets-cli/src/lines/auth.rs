//! The token in use, and a logout.

use schemars::JsonSchema;
use serde::Serialize;

/// The token in use, as `auth status` shows it (never the token itself).
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuthLine {
    /// Where it was read from.
    pub source: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// The sites it reaches.
    pub site_ids: Vec<String>,
    /// From `auth login`: the source that gives a token too and ranks above the stored
    /// login (an environment variable or a `.env` file), so later commands use its token
    /// instead of the one just stored. Absent when the stored login will be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_instead: Option<String>,
}

/// The stored login `auth logout` removed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LogoutLine {
    /// The file the token was stored in.
    pub file: String,
    /// Whether there was a token to remove (logging out twice is not an error).
    pub removed: bool,
}
