//! Why the command failed, as a stable `code` scripts and agents match on, and the fix to
//! name. The code comes from typed values (the SDK's [`ErrorKind`] and error code, the
//! command's own [`Failure`]), never from an error's words.

use schemars::JsonSchema;
use serde::Serialize;
use webflow_assets::raw::types::KnownErrorCode;
use webflow_assets::{Error, ErrorCode, ErrorKind};

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

impl Code {
    /// The exit status a failure of this code ends with: 2 for a usage error, else 1.
    pub fn exit_code(self) -> std::process::ExitCode {
        match self {
            Code::Usage => std::process::ExitCode::from(2),
            Code::Interrupted => std::process::ExitCode::from(130),
            _ => std::process::ExitCode::FAILURE,
        }
    }
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

/// The fix for a URL refused for its address, an upload source's or a hosted file's.
pub const PRIVATE_URL_HINT: &str = "a URL reached a loopback, private or link-local address, \
    which is fetched only when allowed: pass --allow-private-urls if you trust it (a local \
    test server, a CDN on a private network)";

/// Whether the error is a URL refused for its address (an upload source, or a hosted file
/// downloaded), which `--allow-private-urls` lets through.
pub fn is_private_url(error: &Error) -> bool {
    match error {
        Error::Validation {
            rule: webflow_assets::Rule::PrivateAddress { .. },
            ..
        } => true,
        Error::Unverified { source, .. } => is_private_url(source),
        _ => false,
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

/// Describes a failure: its words (each cause once), its code and the fix.
pub fn describe(error: &anyhow::Error, needs: Needs) -> Described {
    let needs = error.downcast_ref::<Scoped>().map_or(needs, |s| s.needs);
    let sdk = error.chain().find_map(|e| e.downcast_ref::<Error>());
    let own = error.chain().find_map(|e| e.downcast_ref::<Failure>());
    let code = match (own, sdk) {
        (Some(failure), _) => failure.code,
        (None, Some(sdk)) => code_of(sdk),
        (None, None) if error.chain().any(|e| e.is::<std::io::Error>()) => Code::Io,
        (None, None) => Code::Internal,
    };
    if let Some(Error::TargetChanged { retarget, .. }) = sdk {
        return retargeted(retarget);
    }
    let hint = match (own.and_then(|f| f.hint.clone()), sdk) {
        (Some(hint), _) => Some(hint),
        (None, Some(sdk)) if is_private_url(sdk) => Some(PRIVATE_URL_HINT.into()),
        (None, _) => hint(code, needs),
    };
    Described {
        message: message(error),
        code,
        kind: sdk.map(Error::kind),
        hint,
    }
}

/// A pruning sync aimed elsewhere than its directory was synced to: both targets, and the
/// flag that confirms the new one.
fn retargeted(retarget: &webflow_assets::sync::Retarget) -> Described {
    let to = &retarget.requested;
    let from = &retarget.recorded;
    let folder = match from.folder.is_root() {
        true => "no --folder".to_string(),
        false => format!("--folder {}", shell_word(&from.folder.to_string())),
    };
    let back = match to.site_id == from.site_id {
        true => format!("use {folder}"),
        false => format!("use --site {} and {folder}", from.site_id),
    };
    Described {
        message: format!(
            "{retarget}; --delete would delete there what the directory never held, so the sync \
             was refused and nothing was sent; --retarget confirms the new target"
        ),
        code: Code::Refused,
        kind: Some(ErrorKind::TargetChanged),
        hint: Some(format!(
            "to sync to {} from now on, run it again with --retarget (it deletes what the \
             directory lacks there; try --dry-run first); to sync where it went before, {back}",
            to.folder_words()
        )),
    }
}

/// `text` as one shell word, so a hint's command can be pasted whatever a folder's name holds
/// (spaces, quotes, `$`). A name with a NUL byte cannot be one; Webflow's names hold none.
fn shell_word(text: &str) -> std::borrow::Cow<'_, str> {
    shlex::try_quote(text).unwrap_or_else(|_| format!("{text:?}").into())
}

/// The error's words with each cause once. The SDK's errors include their cause in their
/// own text (so a failed file's line is complete on its own); the chain stops there, since
/// printing their sources after them would repeat the cause.
fn message(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        parts.push(cause.to_string());
        if cause.is::<Error>() || cause.is::<Failure>() {
            break;
        }
    }
    parts.join(": ")
}

/// The code of an SDK error.
pub fn code_of(error: &Error) -> Code {
    match error {
        Error::Api { status, code, .. } => {
            code_of_api(*status, code).unwrap_or_else(|| code_of_kind(error.kind()))
        }
        Error::Validation {
            file: Some(_),
            rule,
            ..
        } => code_of_rule(rule),
        Error::Unverified { source, .. } => code_of(source),
        _ => code_of_kind(error.kind()),
    }
}

/// The code of a rule a named file broke: `refused_file` when the file itself is refused,
/// `invalid_input` when what was given with it is (its display name, an id).
fn code_of_rule(rule: &webflow_assets::Rule) -> Code {
    use webflow_assets::Rule;
    match rule {
        Rule::InvalidId { .. }
        | Rule::InvalidFolderName { .. }
        | Rule::EmptyDisplayName
        | Rule::NothingToUpdate => Code::InvalidInput,
        _ => Code::RefusedFile,
    }
}

/// The code of an API error whose Webflow code says more than its kind.
fn code_of_api(status: u16, code: &ErrorCode) -> Option<Code> {
    match status {
        403 if is(code, KnownErrorCode::MissingScopes) => Some(Code::MissingScope),
        _ if is(code, KnownErrorCode::Conflict) => Some(Code::Conflict),
        _ => None,
    }
}

/// The code of a failure known only by its kind (a failed file's line).
pub fn code_of_kind(kind: ErrorKind) -> Code {
    match kind {
        ErrorKind::Validation => Code::InvalidInput,
        ErrorKind::Unauthorized => Code::InvalidToken,
        ErrorKind::Forbidden => Code::Forbidden,
        ErrorKind::NotFound => Code::NotFound,
        ErrorKind::Api => Code::Api,
        ErrorKind::RateLimited => Code::RateLimited,
        ErrorKind::S3 => Code::Storage,
        ErrorKind::UnexpectedResponse => Code::UnexpectedResponse,
        ErrorKind::Network => Code::Network,
        ErrorKind::Io => Code::Io,
        ErrorKind::TooManyDeletes | ErrorKind::IncompleteListing | ErrorKind::TargetChanged => {
            Code::Refused
        }
        ErrorKind::Stale => Code::Conflict,
        ErrorKind::Config => Code::InvalidInput,
        _ => Code::Internal,
    }
}

fn is(code: &ErrorCode, known: KnownErrorCode) -> bool {
    matches!(code, ErrorCode::Known(c) if *c == known)
}

/// The fix to name for a code, when the error's words do not say it.
fn hint(code: Code, needs: Needs) -> Option<String> {
    let set = "set it in WEBFLOW_TOKEN or WEBFLOW_API_TOKEN (or a .env file), or name \
               another variable with --token-env";
    match code {
        Code::InvalidToken => Some(format!(
            "the token is invalid or expired: create a new one (site settings > Apps & \
             integrations > API access) and {set}"
        )),
        Code::MissingScope => Some(format!(
            "the token lacks a scope this command needs: create a token with {} and {set}",
            needs.scopes()
        )),
        Code::Forbidden => Some(
            "the token cannot reach this site or asset: check --site, or use a token made for \
             this site"
                .into(),
        ),
        Code::RateLimited => Some(
            "the token's requests per minute are used up: wait, or lower --rate-limit to \
             match the site's plan (60 or 120)"
                .into(),
        ),
        Code::Network => Some("check the connection and --base-url, then try again".into()),
        Code::StalePlan => Some("call plan_sync again and read the new plan".into()),
        Code::OutsideRoots => Some(
            "name a path inside the server's --root directories, or start it with another \
             --root"
                .into(),
        ),
        Code::ReadOnly => Some("start the server without --read-only to change things".into()),
        _ => None,
    }
}

/// Why a plan cannot be carried out whole, when some files could not be read or compared:
/// the code their errors share, else `partial`.
pub fn of_plan(failed: &[(String, Error)]) -> Option<Failure> {
    of_errors(
        failed.iter().map(|(_, e)| e),
        "could not be read or compared",
    )
}

/// Why an audit is incomplete, when some assets could not be compared.
pub fn of_audit(audit: &webflow_assets::audit::Audit) -> Option<Failure> {
    of_errors(
        audit.unchecked.iter().map(|(_, e)| e),
        "assets could not be compared",
    )
}

/// The failure of some errors: the code they share, else `partial`; with the fix for URLs
/// refused for their address, when some were.
fn of_errors<'a>(errors: impl Iterator<Item = &'a Error>, what: &str) -> Option<Failure> {
    let errors: Vec<&Error> = errors.collect();
    let private = errors.iter().any(|e| is_private_url(e));
    let codes: Vec<Code> = errors.into_iter().map(code_of).collect();
    let first = *codes.first()?;
    let code = match codes.iter().all(|c| *c == first) {
        true => first,
        false => Code::Partial,
    };
    Some(
        Failure::new(code, format!("{} {what}; their lines say why", codes.len()))
            .hint(private.then(|| PRIVATE_URL_HINT.into())),
    )
}

/// Why a run of named files failed, when some did: `refused_file` when every failure is a
/// file the SDK refused, else the code of their one kind, else `partial`.
pub fn of_run(report: &webflow_assets::bulk::Report) -> Option<Failure> {
    use webflow_assets::bulk::Status;
    let kinds: Vec<ErrorKind> = report
        .failed
        .iter()
        .filter_map(|record| match &record.status {
            Status::Failed { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    let first = *kinds.first()?;
    let code = match kinds.iter().all(|k| *k == first) {
        true if first == ErrorKind::Validation => Code::RefusedFile,
        true => code_of_kind(first),
        false => Code::Partial,
    };
    let total = report.uploaded.len()
        + report.unchanged.len()
        + report.updated.len()
        + report.skipped.len()
        + report.failed.len()
        + report.deleted.len();
    Some(Failure::new(
        code,
        format!("{} of {total} failed; their lines say why", kinds.len()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    // The SDK's errors are non_exhaustive, so those only Webflow can cause are made by the
    // fake in tests/it/parity.rs; here, the mapping from what they carry.
    #[test]
    fn codes_come_from_the_errors_types() {
        let known = |code| ErrorCode::Known(code);
        assert_eq!(
            code_of_api(403, &known(KnownErrorCode::MissingScopes)),
            Some(Code::MissingScope)
        );
        assert_eq!(code_of_api(403, &known(KnownErrorCode::Forbidden)), None);
        assert_eq!(
            code_of_api(400, &known(KnownErrorCode::Conflict)),
            Some(Code::Conflict)
        );
        assert_eq!(code_of_kind(ErrorKind::Forbidden), Code::Forbidden);
        assert_eq!(code_of_kind(ErrorKind::Unauthorized), Code::InvalidToken);
        assert_eq!(code_of_kind(ErrorKind::RateLimited), Code::RateLimited);
        let input = Error::from(webflow_assets::Rule::EmptyFile);
        assert_eq!(code_of(&input), Code::InvalidInput);
        assert_eq!(
            code_of_rule(&webflow_assets::Rule::EmptyDisplayName),
            Code::InvalidInput,
            "a display name is not the file"
        );
        assert_eq!(
            code_of_rule(&webflow_assets::Rule::EmptyFile),
            Code::RefusedFile
        );
        assert_eq!(Code::Usage.exit_code(), std::process::ExitCode::from(2));
    }

    // A library error whose words carry its causes is shown by the fake in tests/it/parity.rs
    // (a refused connection); here, a chain of plain errors.
    #[test]
    fn each_cause_is_printed_once() {
        let io = std::io::Error::other("the disk is on fire");
        let error = Err::<(), _>(io).context("uploading").unwrap_err();
        let described = describe(&error, Needs::Write);
        assert_eq!(
            described.message.matches("the disk is on fire").count(),
            1,
            "{}",
            described.message
        );
        assert!(described.message.starts_with("uploading: "));
        let plain = describe(&anyhow::anyhow!("something else"), Needs::Read);
        assert_eq!(plain.code, Code::Internal);
    }

    /// The folder a retarget hint names is one shell word, quoted only when it must be.
    #[test]
    fn a_retarget_hint_quotes_its_folder_for_the_shell() {
        use webflow_assets::sync::{Retarget, SyncTarget};
        use webflow_assets::{FolderPath, SiteId};
        let site: SiteId = "0123456789abcdef01234567".parse().unwrap();
        let hint = |folder: &str| {
            let recorded = SyncTarget::new(site.clone(), FolderPath::parse(folder).unwrap());
            let requested = SyncTarget::new(site.clone(), FolderPath::parse("other").unwrap());
            retargeted(&Retarget::new(recorded, requested))
                .hint
                .unwrap()
        };
        assert!(hint("plain/dir").ends_with("use --folder plain/dir"));
        let quoted = hint("Brand Assets/it's $HOME");
        let word = quoted.rsplit_once("use --folder ").unwrap().1;
        assert_ne!(word, "Brand Assets/it's $HOME", "{quoted}");
        // What a POSIX shell would pass: the folder's name, one argument.
        assert_eq!(
            shlex::split(word).unwrap(),
            ["Brand Assets/it's $HOME"],
            "{word}"
        );
    }

    // The fake's 403 for a token without sites:read is in tests/it/site.rs; here, that the
    // request's own needs outrank the command's in the hint.
    #[test]
    fn a_lookup_names_its_own_scope() {
        let error = Err::<(), _>(Failure::new(Code::MissingScope, "no scope"))
            .context(Scoped {
                needs: Needs::SiteLookup,
                message: "looking up the site".into(),
            })
            .unwrap_err();
        let hint = describe(&error, Needs::Write).hint.unwrap();
        assert!(hint.contains("sites:read"), "{hint}");
        assert!(!hint.contains("assets:"), "{hint}");
    }
}
