//! Why the command failed, as a stable `code` scripts and agents match on, and the fix to
//! name. The code comes from typed values (the SDK's [`ErrorKind`] and error code, the
//! command's own [`Failure`]), never from an error's words.
//!
//! Here, the words every failure is told in; beside them, one file a job: the code of an
//! SDK error (`codes`), the fix to name (`hints`), a failure described for its line
//! (`describe`), and the failure of a run some of whose files failed (`runs`). The exit
//! status a code calls for is in `exit.rs`.

mod codes;
mod describe;
mod hints;
mod runs;

pub use codes::code_of;
pub use describe::describe;
pub use hints::{PRIVATE_URL_HINT, is_private_url};
pub use runs::{of_audit, of_plan, of_run};

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::ErrorKind;

/// What kind of failure stopped the command: the `code` of an error line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// No token was found (flag, environment, `.env`).
    MissingToken,
    /// No site was named.
    MissingSite,
    /// The token lacks a scope the command needs (Webflow answered 403 `missing_scopes`).
    MissingScope,
    /// Webflow refused the token (401): invalid, revoked or expired.
    InvalidToken,
    /// Webflow refused access for another reason (403).
    Forbidden,
    /// What was named does not exist (404, or a folder path not on the site).
    NotFound,
    /// The token's rate limit is used up.
    RateLimited,
    /// A file was refused before anything was sent (type, size, name).
    RefusedFile,
    /// Input other than a file was refused before anything was sent (an id, a name).
    InvalidInput,
    /// The arguments do not parse.
    Usage,
    /// The change clashes with what the site has (a folder name taken, a value changed
    /// since it was read).
    Conflict,
    /// The connection failed, was dropped or timed out.
    Network,
    /// A local file or directory could not be read or written.
    Io,
    /// Webflow answered with another error.
    Api,
    /// S3 refused the upload form.
    Storage,
    /// An answer that is neither success nor a readable error.
    UnexpectedResponse,
    /// A safety limit refused the run (too many deletions, a partial listing).
    Refused,
    /// Some files failed; their lines say why.
    Partial,
    /// Ctrl-C stopped the run: the files it had not reached are not on the site.
    Interrupted,
    /// `mcp`: the directory or the site changed since the sync was planned; nothing was
    /// done. Plan again and read the new plan.
    StalePlan,
    /// `mcp`: a local path is outside the directories the server was started with
    /// (`--root`), once links, `..` and relative parts are resolved.
    OutsideRoots,
    /// `mcp`: the server was started with `--read-only`, and the tool changes something.
    ReadOnly,
    /// Anything else.
    Internal,
}

/// The error line of a run Ctrl-C stopped.
pub fn interrupted(message: &str) -> Described {
    Described {
        message: message.to_string(),
        code: Code::Interrupted,
        kind: None,
        hint: Some(
            "run the command again: what was uploaded is on the site, and a sync reads its \
             journal to pick up where it stopped"
                .into(),
        ),
    }
}

/// A failure the command itself finds, with its code.
#[derive(Debug)]
pub struct Failure {
    code: Code,
    message: String,
    /// The fix, when the code alone does not say it.
    hint: Option<String>,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Its code.
    #[cfg(test)]
    pub fn code(&self) -> Code {
        self.code
    }

    /// The failure with this fix named.
    pub fn hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// The words put before an error from a request that needs other scopes than the command
/// itself (looking a site up by name needs `sites:read` whatever the command), so the hint
/// names those.
#[derive(Debug)]
pub struct Scoped {
    /// What the request needs.
    pub needs: Needs,
    /// What was being done.
    pub message: String,
}

impl std::fmt::Display for Scoped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the command needs of the token, for naming a missing scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Reading assets and folders.
    Read,
    /// Reading and changing assets and folders.
    Write,
    /// Listing sites, reading fonts.
    Sites,
    /// Looking a site up by name, whatever the command.
    SiteLookup,
}

impl Needs {
    fn scopes(self) -> &'static str {
        match self {
            Needs::Read => "assets:read",
            Needs::Write => "assets:read and assets:write",
            Needs::Sites => "sites:read (sites:write to change custom fonts)",
            Needs::SiteLookup => "sites:read",
        }
    }
}

/// A failed command, ready to print: what went wrong, its code, and the fix when there is
/// one to name.
#[derive(Debug)]
pub struct Described {
    pub message: String,
    pub code: Code,
    pub kind: Option<ErrorKind>,
    pub hint: Option<String>,
}
