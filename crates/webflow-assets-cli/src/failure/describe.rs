//! A failure described for its line: its words (each cause once), its code and the fix.

use webflow_assets::Error;

use super::codes::code_of;
use super::hints::{PRIVATE_URL_HINT, hint, is_private_url, retargeted};
use super::{Code, Described, Failure, Needs, Scoped};

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

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

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
