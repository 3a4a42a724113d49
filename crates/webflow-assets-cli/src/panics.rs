//! What a panic prints. The default hook writes "thread … panicked at …" straight to
//! standard error, past the one writer (so into a closed pipe, with a panic of its own) and
//! even for panics the library catches and reports as a file's error (the WOFF2 encoder's).
//! This hook says the same through [`crate::stderr`], with any token this run holds hidden.

use std::any::Any;
use std::panic::Location;
use std::sync::Mutex;

/// The tokens of this run, hidden from what a panic prints.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Replaces the default panic hook with one that writes through [`crate::stderr`].
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        crate::stderr::line(&message(info.payload(), info.location()));
        // As the default hook does when RUST_BACKTRACE asks; frames name functions, never
        // values.
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            crate::stderr::line(&backtrace.to_string());
        }
    }));
}

/// Hides `token` from whatever a later panic prints.
pub fn hide(token: &str) {
    if token.is_empty() {
        return;
    }
    let mut secrets = SECRETS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !secrets.iter().any(|s| s == token) {
        secrets.push(token.to_string());
    }
}

/// The line a panic prints: where, and what it said (with the tokens hidden), as a bug to
/// report. A panic the library catches becomes that file's error too, so the run goes on.
fn message(payload: &dyn Any, location: Option<&Location<'_>>) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    // A poisoned lock still holds the tokens; a panic while it is held hides nothing rather
    // than deadlocking.
    let what = match SECRETS.try_lock() {
        Ok(secrets) => redact(what, &secrets),
        Err(std::sync::TryLockError::Poisoned(p)) => redact(what, &p.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => "(message withheld)".to_string(),
    };
    let at = location.map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
    format!("error: internal error (a bug in webflow-assets; please report it){at}: {what}")
}

fn redact(text: &str, secrets: &[String]) -> String {
    secrets.iter().fold(text.to_string(), |text, secret| {
        text.replace(secret, "[token]")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_says_where_and_what_without_the_token() {
        hide("wf-secret-0123456789");
        let location = Location::caller();
        let payload: Box<dyn Any + Send> =
            Box::new(String::from("bad header for wf-secret-0123456789"));
        let line = message(payload.as_ref(), Some(location));
        assert!(!line.contains("wf-secret"), "{line}");
        assert!(line.ends_with(": bad header for [token]"), "{line}");
        assert!(
            line.contains(&format!("panics.rs:{}", location.line())),
            "{line}"
        );
        assert!(line.starts_with("error: internal error"), "{line}");
        let line = message(&"a plain message", None);
        assert!(
            line.ends_with("please report it): a plain message"),
            "{line}"
        );
        assert!(message(&42u8, None).ends_with("(no message)"));
    }
}
