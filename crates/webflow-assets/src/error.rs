//! The one error type of this crate.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use webflow_assets_raw::types::{ErrorDetail, KnownErrorCode, WebflowError};

use crate::path::FolderPath;

use crate::validate::Rule;

/// A Webflow error code: one Webflow documents, or any other it sends (new codes appear over
/// time and are kept as received).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// A documented code.
    Known(KnownErrorCode),
    /// A code this version does not know, as received.
    Unknown(String),
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorCode::Known(code) => code.fmt(f),
            ErrorCode::Unknown(code) => f.write_str(code),
        }
    }
}

/// The kind of an [`Error`], for matching without its details (and the `kind` of a failed
/// file's JSON line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// Input refused before anything was sent (a rule broken, a CSV file that does not read).
    Validation,
    /// Webflow answered 401: the token is invalid or expired.
    Unauthorized,
    /// Webflow answered 403: the token lacks a scope or access.
    Forbidden,
    /// Webflow answered 404, or the site has no folder at the path given or no asset with
    /// the id given.
    NotFound,
    /// Webflow answered with another error.
    Api,
    /// The token's rate limit is used up.
    RateLimited,
    /// S3 refused the upload form.
    S3,
    /// An answer that is neither success nor a readable error.
    UnexpectedResponse,
    /// The connection failed, was dropped or timed out.
    Network,
    /// A local file or directory could not be read or written.
    Io,
    /// A pruning sync would delete more than allowed.
    TooManyDeletes,
    /// A pruning sync was aimed at another site or folder than its directory was synced to.
    TargetChanged,
    /// A listing was incomplete.
    IncompleteListing,
    /// A file could not be compared with the site.
    Unverified,
    /// The client's settings are not usable.
    Config,
    /// The site's value changed since it was read: the write was refused.
    Stale,
}

/// What an [`Error::Io`] was doing to the file when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IoOperation {
    /// Reading it (or its directory, or its metadata).
    Reading,
    /// Writing it.
    Writing,
    /// Making sense of what was read: it was read, but is not in the expected format.
    Parsing,
}

impl std::fmt::Display for IoOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IoOperation::Reading => "reading",
            IoOperation::Writing => "writing",
            IoOperation::Parsing => "parsing",
        })
    }
}

/// Which CSV file an [`Error::Csv`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsvFile {
    /// The alt-text rows of an export or import (`alt_text::read_csv`, `alt_text::write_csv`).
    AltText,
    /// A copy's mapping of source assets to target assets (`copy::write_mapping_csv`).
    Mapping,
    /// The `alt-text.csv` at the top of a synced directory.
    AltTextSidecar,
}

impl std::fmt::Display for CsvFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CsvFile::AltText => "alt-text CSV",
            CsvFile::Mapping => "mapping CSV",
            CsvFile::AltTextSidecar => "alt-text.csv",
        })
    }
}

/// Everything that can go wrong. Errors about one file name it in `file`.
///
/// Each error's text is complete: it includes its cause's words (a network error, the whole
/// chain down to the system's), so a failed file's line says everything on its own. The
/// cause stays available through [`std::error::Error::source`] for matching; a printer that
/// walks the chain should stop at this error, or it repeats the cause.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input breaks a rule checked before anything is sent; nothing was sent.
    #[error("{}{rule}", file_prefix(file))]
    #[non_exhaustive]
    Validation {
        /// The file concerned, when there is one.
        file: Option<String>,
        /// The rule broken.
        rule: Rule,
    },

    /// Webflow answered with an error.
    #[error("{}Webflow answered {status} {code}: {message}", file_prefix(file))]
    #[non_exhaustive]
    Api {
        /// The file concerned, when there is one.
        file: Option<String>,
        /// The HTTP status.
        status: u16,
        /// Webflow's error code.
        code: ErrorCode,
        /// Webflow's message.
        message: String,
        /// Webflow's link to more information.
        external_reference: Option<String>,
        /// What exactly was wrong.
        details: Vec<ErrorDetail>,
    },

    /// Webflow's rate limit for this token is used up.
    #[error("{}rate limited by Webflow{}", file_prefix(file), retry_after.map(|d| format!("; retry after {}s", d.as_secs())).unwrap_or_default())]
    #[non_exhaustive]
    RateLimited {
        /// The file concerned, when there is one.
        file: Option<String>,
        /// How long Webflow asked to wait (`Retry-After`).
        retry_after: Option<Duration>,
    },

    /// S3 refused the upload form.
    #[error("{}S3 answered {status} {code}: {message}", file_prefix(file))]
    #[non_exhaustive]
    S3 {
        /// The file concerned.
        file: Option<String>,
        /// The HTTP status.
        status: u16,
        /// S3's error code, such as `SlowDown` or `AccessDenied`.
        code: String,
        /// S3's message.
        message: String,
    },

    /// A response that is neither success nor a readable error (an HTML page from a proxy, an
    /// undocumented status).
    #[error("{}unexpected response{}: {body:.200}", file_prefix(file), status.map(|s| format!(" {s}")).unwrap_or_default())]
    #[non_exhaustive]
    UnexpectedResponse {
        /// The file concerned, when there is one.
        file: Option<String>,
        /// The HTTP status, when known.
        status: Option<u16>,
        /// The body as text.
        body: String,
    },

    /// A request took longer than the configured timeout.
    #[error("{}request timed out: {}", file_prefix(file), Causes(source))]
    #[non_exhaustive]
    Timeout {
        /// The file concerned, when there is one.
        file: Option<String>,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },

    /// The connection failed or was dropped.
    #[error("{}transport error: {}", file_prefix(file), Causes(source))]
    #[non_exhaustive]
    Transport {
        /// The file concerned, when there is one.
        file: Option<String>,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },

    /// Reading, writing or parsing a local file failed.
    #[error("{operation} {}: {source}", path.display())]
    #[non_exhaustive]
    Io {
        /// What was being done to the file.
        operation: IoOperation,
        /// The file's path (or name, for a reader).
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },

    /// A pruning sync planned more deletions than it may make; nothing was changed.
    #[error(
        "the sync would delete {planned} assets, more than the {max} allowed; nothing was changed (raise the limit if that is intended)"
    )]
    #[non_exhaustive]
    TooManyDeletes {
        /// Deletions planned.
        planned: usize,
        /// The most allowed.
        max: usize,
    },

    /// A pruning sync was aimed at another site or folder than the one its directory's
    /// manifest records, and the new target was not confirmed
    /// (`SyncOptions::retarget`); nothing was sent.
    #[error(
        "{retarget}; a sync that deletes is refused when its target changes, since it would delete there what the directory never held; nothing was sent"
    )]
    #[non_exhaustive]
    TargetChanged {
        /// What the manifest records and what the sync asked for.
        retarget: Box<crate::target::Retarget>,
    },

    /// A listing said it holds more than it returned; acting on part of it could create a
    /// folder twice or miss an asset, so nothing was done with it.
    #[error("Webflow listed {listed} of {total} {what}; refusing to act on a partial listing")]
    #[non_exhaustive]
    IncompleteListing {
        /// What was listed.
        what: &'static str,
        /// How many came back.
        listed: usize,
        /// How many the listing said there are.
        total: u64,
    },

    /// A file could not be compared with the site (its local bytes could not be read, or the
    /// hosted copy could not be fetched or hashed): it is neither changed nor unchanged.
    #[error("{file}: could not compare with the site: {source}")]
    #[non_exhaustive]
    Unverified {
        /// The file, relative to the synced directory.
        file: String,
        /// Why.
        #[source]
        source: Box<Error>,
    },

    /// The client's settings are not usable (a plain-http base URL for a remote host, an
    /// empty token...).
    #[error("invalid configuration: {0}")]
    #[non_exhaustive]
    Config(String),

    /// The site has no folder at this path. Every operation that reads a folder answers
    /// this for one that is not there: a pull, a copy's source, an alt-text export, an audit,
    /// a listing. A folder an operation writes to (a sync's target, a copy's target) is
    /// created instead. Nothing was changed.
    #[error("the site has no folder {folder}")]
    #[non_exhaustive]
    FolderNotFound {
        /// The path asked for.
        folder: FolderPath,
    },

    /// The site has no asset with this id: an alt-text import's row names an asset deleted
    /// since the export, or one of another site. Nothing was sent for it.
    #[error("the site has no asset {asset_id}")]
    #[non_exhaustive]
    AssetNotFound {
        /// The id asked for.
        asset_id: crate::ids::AssetId,
    },

    /// A CSV file is not in the form expected (a column missing, a row that does not read,
    /// a value that cannot be written). Reading one fails before anything is sent.
    #[error("{file}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    #[non_exhaustive]
    Csv {
        /// Which file.
        file: CsvFile,
        /// The line at fault, counting the header as line 1, when one is.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },

    /// A call that needs a Tokio runtime was made outside one: plans, requests, uploads,
    /// hashing and runs all do. Nothing was done.
    #[error(
        "this call needs a Tokio runtime, and none is running on this thread; nothing was done"
    )]
    #[non_exhaustive]
    NoRuntime,

    /// The asset's alt text on the site is no longer the one the change expected to replace
    /// (someone changed it since it was exported); nothing was written.
    #[error(
        "asset {asset_id}: the site's alt text is now {current:?}, not the {expected:?} this change expected to replace; refused (force it to overwrite)"
    )]
    #[non_exhaustive]
    StaleAltText {
        /// The asset.
        asset_id: crate::ids::AssetId,
        /// The alt text the change expected to find.
        expected: String,
        /// The alt text the site has.
        current: String,
    },
}

impl From<Rule> for Error {
    /// A rule broken by input that names no file (the caller adds one with `for_file`).
    fn from(rule: Rule) -> Self {
        Error::Validation { file: None, rule }
    }
}

/// An HTTP client's error and its causes, each once: reqwest's own text leaves out what
/// failed below it (a refused connection, a certificate).
struct Causes<'a>(&'a reqwest::Error);

impl std::fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = std::error::Error::source(self.0);
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

fn file_prefix(file: &Option<String>) -> String {
    file.as_ref().map(|f| format!("{f}: ")).unwrap_or_default()
}

impl Error {
    /// Whether trying again later may succeed: rate limits, 5xx answers, timeouts, dropped
    /// connections, S3 `SlowDown` and `InternalError`. Validation errors and other 4xx
    /// answers are final.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Api { status, .. } | Error::S3 { status, .. } => is_retryable_status(*status),
            // A gateway's HTML 502 is transient. A body that cannot be read on a success
            // status (no status here) is not: the work was done, and repeating a create would
            // make a second asset.
            Error::UnexpectedResponse { status, .. } => status.is_some_and(is_retryable_status),
            Error::Validation { .. }
            | Error::Io { .. }
            | Error::Config(_)
            | Error::NoRuntime
            | Error::FolderNotFound { .. }
            | Error::AssetNotFound { .. }
            | Error::Csv { .. }
            | Error::TooManyDeletes { .. }
            | Error::TargetChanged { .. }
            | Error::IncompleteListing { .. }
            | Error::Unverified { .. }
            | Error::StaleAltText { .. } => false,
        }
    }

    /// The file this error is about, when there is one.
    pub fn file(&self) -> Option<&str> {
        match self {
            Error::Validation { file, .. }
            | Error::Api { file, .. }
            | Error::RateLimited { file, .. }
            | Error::S3 { file, .. }
            | Error::UnexpectedResponse { file, .. }
            | Error::Timeout { file, .. }
            | Error::Transport { file, .. } => file.as_deref(),
            Error::Unverified { file, .. } => Some(file),
            Error::Io { .. }
            | Error::Config(_)
            | Error::NoRuntime
            | Error::FolderNotFound { .. }
            | Error::AssetNotFound { .. }
            | Error::Csv { .. }
            | Error::TooManyDeletes { .. }
            | Error::TargetChanged { .. }
            | Error::IncompleteListing { .. }
            | Error::StaleAltText { .. } => None,
        }
    }

    /// Names the file concerned, unless one is named already.
    pub(crate) fn for_file(mut self, name: &str) -> Self {
        match &mut self {
            Error::Validation { file, .. }
            | Error::Api { file, .. }
            | Error::RateLimited { file, .. }
            | Error::S3 { file, .. }
            | Error::UnexpectedResponse { file, .. }
            | Error::Timeout { file, .. }
            | Error::Transport { file, .. } => {
                file.get_or_insert_with(|| name.to_string());
            }
            Error::Io { .. }
            | Error::Config(_)
            | Error::NoRuntime
            | Error::FolderNotFound { .. }
            | Error::AssetNotFound { .. }
            | Error::Csv { .. }
            | Error::TooManyDeletes { .. }
            | Error::TargetChanged { .. }
            | Error::IncompleteListing { .. }
            | Error::Unverified { .. }
            | Error::StaleAltText { .. } => {}
        }
        self
    }

    /// What kind of failure this is, as a value scripts and exit codes can rely on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation { .. } => ErrorKind::Validation,
            Error::Api { status: 401, .. } => ErrorKind::Unauthorized,
            Error::Api { status: 403, .. } => ErrorKind::Forbidden,
            Error::Api { status: 404, .. } => ErrorKind::NotFound,
            Error::Api { .. } => ErrorKind::Api,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::S3 { .. } => ErrorKind::S3,
            Error::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
            Error::Timeout { .. } | Error::Transport { .. } => ErrorKind::Network,
            Error::Io { .. } => ErrorKind::Io,
            Error::TooManyDeletes { .. } => ErrorKind::TooManyDeletes,
            Error::TargetChanged { .. } => ErrorKind::TargetChanged,
            Error::IncompleteListing { .. } => ErrorKind::IncompleteListing,
            Error::Unverified { .. } => ErrorKind::Unverified,
            Error::Config(_) | Error::NoRuntime => ErrorKind::Config,
            Error::FolderNotFound { .. } | Error::AssetNotFound { .. } => ErrorKind::NotFound,
            Error::Csv { .. } => ErrorKind::Validation,
            Error::StaleAltText { .. } => ErrorKind::Stale,
        }
    }

    /// This crate's error for an error of the generated client ([`Client::raw`]): Webflow's
    /// error bodies become [`Error::Api`], 429s [`Error::RateLimited`], and anything else
    /// unreadable [`Error::UnexpectedResponse`].
    ///
    /// [`Client::raw`]: crate::Client::raw
    pub async fn from_raw(err: webflow_assets_raw::Error<WebflowError>) -> Self {
        use webflow_assets_raw::Error as Raw;
        match err {
            Raw::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                let body = response.into_inner();
                if status == 429 {
                    return Error::RateLimited {
                        file: None,
                        retry_after,
                    };
                }
                Error::api(status, body)
            }
            Raw::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let wait = retry_after(response.headers());
                let body = response.text().await.unwrap_or_default();
                Error::from_body(status, wait, body)
            }
            Raw::InvalidResponsePayload(body, _) => Error::UnexpectedResponse {
                file: None,
                status: None,
                body: String::from_utf8_lossy(&body).into_owned(),
            },
            Raw::CommunicationError(source)
            | Raw::ResponseBodyError(source)
            | Raw::InvalidUpgrade(source) => Error::from_reqwest(source),
            Raw::InvalidRequest(message) | Raw::Custom(message) => Error::Config(message),
        }
    }

    /// The error for an undocumented answer: a 429 is a rate limit whatever its body; a body
    /// in Webflow's error shape (with a code) is an API error; anything else is unexpected.
    pub(crate) fn from_body(status: u16, retry_after: Option<Duration>, body: String) -> Self {
        if status == 429 {
            return Error::RateLimited {
                file: None,
                retry_after,
            };
        }
        match serde_json::from_str::<WebflowError>(&body) {
            Ok(parsed) if parsed.code.is_some() => Error::api(status, parsed),
            _ => Error::UnexpectedResponse {
                file: None,
                status: Some(status),
                body,
            },
        }
    }

    pub(crate) fn api(status: u16, body: WebflowError) -> Self {
        use webflow_assets_raw::types::ErrorCode as RawCode;
        let code = match body.code {
            Some(RawCode::KnownErrorCode(code)) => ErrorCode::Known(code),
            Some(RawCode::String(code)) => ErrorCode::Unknown(code),
            // A shape a later description adds: kept as the text it was sent as.
            Some(other) => ErrorCode::Unknown(
                serde_json::to_value(&other)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
            ),
            None => ErrorCode::Unknown(String::new()),
        };
        Error::Api {
            file: None,
            status,
            code,
            message: body.message.unwrap_or_default(),
            external_reference: body.external_reference,
            details: body.details,
        }
    }

    pub(crate) fn from_reqwest(source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Error::Timeout { file: None, source }
        } else {
            Error::Transport { file: None, source }
        }
    }
}

/// Whether an HTTP status says "try again later": the one place this crate decides it, for
/// Webflow's answers (the API transport's retries), S3's, downloads' and [`Error::is_retryable`].
/// A rate limit (429), a request timeout (408), and the 5xx answers of a server or gateway
/// that has not done the work (500, 502, 503, 504); never a success, another 4xx, or a 5xx
/// that will answer the same again (501 Not Implemented, 505...).
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// A typed id from an id Webflow gave (in a listing, a created folder). A malformed one is
/// Webflow's answer gone wrong, not the caller's input: it is an unexpected response, never
/// the "input refused, nothing sent" of [`Error::Validation`].
pub(crate) fn id_from_server<T: FromStr<Err = Rule>>(value: impl AsRef<str>) -> Result<T, Error> {
    let value = value.as_ref();
    value
        .parse()
        .map_err(|rule: Rule| Error::UnexpectedResponse {
            file: None,
            status: None,
            body: format!("Webflow gave an id that is not one: {rule}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_id_from_webflow_is_an_unexpected_response() {
        let id: crate::FolderId = id_from_server("580e63e98c9a982ac9b8b741").unwrap();
        assert_eq!(id, "580e63e98c9a982ac9b8b741");
        match id_from_server::<crate::FolderId>("not-an-id") {
            Err(Error::UnexpectedResponse { body, .. }) => {
                assert!(body.contains("\"not-an-id\""), "{body}")
            }
            other => panic!("expected an unexpected response, got {other:?}"),
        }
    }

    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = std::time::SystemTime::now() + Duration::from_secs(30);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(27) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(
            retry_after(&headers),
            Some(Duration::ZERO),
            "a past date means now"
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn retryable_statuses_are_decided_in_one_place() {
        let retryable: Vec<u16> = (100..600).filter(|s| is_retryable_status(*s)).collect();
        assert_eq!(retryable, [408, 429, 500, 502, 503, 504]);
        for status in 100..600 {
            let api = Error::api(status, WebflowError::default());
            let s3 = Error::S3 {
                file: None,
                status,
                code: "Code".into(),
                message: String::new(),
            };
            let gateway = Error::UnexpectedResponse {
                file: None,
                status: Some(status),
                body: String::new(),
            };
            for error in [api, s3, gateway] {
                assert_eq!(error.is_retryable(), is_retryable_status(status), "{error}");
            }
        }
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        let api = |status| Error::api(status, WebflowError::default());
        assert!(api(500).is_retryable() && api(502).is_retryable() && api(503).is_retryable());
        assert!(!api(400).is_retryable() && !api(401).is_retryable() && !api(404).is_retryable());
        assert!(
            Error::RateLimited {
                file: None,
                retry_after: None
            }
            .is_retryable()
        );
        let s3 = |status, code: &str| Error::S3 {
            file: None,
            status,
            code: code.into(),
            message: String::new(),
        };
        assert!(s3(503, "SlowDown").is_retryable() && s3(500, "InternalError").is_retryable());
        assert!(
            !s3(403, "AccessDenied").is_retryable() && !s3(400, "EntityTooLarge").is_retryable()
        );
        // No status: a body that could not be read after a 2xx (the transport has already
        // retried any 5xx by its status); repeating it could repeat a create.
        assert!(
            !Error::UnexpectedResponse {
                file: None,
                status: None,
                body: "{\"id\":".into()
            }
            .is_retryable()
        );
        assert!(
            Error::UnexpectedResponse {
                file: None,
                status: Some(502),
                body: "<html>".into()
            }
            .is_retryable()
        );
        assert!(
            !Error::UnexpectedResponse {
                file: None,
                status: Some(409),
                body: String::new()
            }
            .is_retryable()
        );
        assert!(!Error::from(Rule::EmptyFile).for_file("a").is_retryable());
    }

    #[test]
    fn errors_name_their_file_once() {
        let err = Error::from(Rule::EmptyFile)
            .for_file("a.png")
            .for_file("b.png");
        assert_eq!(err.file(), Some("a.png"));
        assert!(err.to_string().starts_with("a.png: "), "{err}");
    }
}
