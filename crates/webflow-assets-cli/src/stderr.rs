//! Writing to standard error, which can be a pipe whose reader goes away too
//! (`webflow-assets sync DIR 2>&1 | head -1`): `eprintln!` panics then. A line that cannot be
//! written is dropped; the run goes on, and its exit status says how it went.

use std::io::Write;

/// Whether standard error is a terminal.
pub fn is_terminal() -> bool {
    #[allow(clippy::disallowed_methods, reason = "asks, writes nothing")]
    std::io::IsTerminal::is_terminal(&std::io::stderr())
}

/// `text` and a newline on standard error, or nothing when it cannot be written.
pub fn line(text: &str) {
    #[allow(clippy::disallowed_methods, reason = "the one writer")]
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_all(text.as_bytes())
        .and_then(|()| err.write_all(b"\n"));
}
