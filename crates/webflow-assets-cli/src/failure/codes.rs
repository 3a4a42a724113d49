//! The code of an SDK error, from what it carries: its kind, its Webflow error code, the
//! rule a file broke.

use webflow_assets::raw::types::KnownErrorCode;
use webflow_assets::{Error, ErrorCode, ErrorKind};

use super::Code;

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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
