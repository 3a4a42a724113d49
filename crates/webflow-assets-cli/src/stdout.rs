//! The one writer of standard output: every byte the command prints goes through here (the
//! crate denies `println!` and `print!`). Its reader may have gone: `sync DIR | head -1`
//! closes the pipe after one line, and `println!` panics then. Here the first broken pipe
//! stops all further output and nothing else: an upload or sync goes on to its end (files in
//! flight, the manifest), and its exit status still says how it went. The reader has all it
//! wanted.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once the reader of standard output has gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// `text` and a newline on standard output. Another failure than a closed pipe (a full
/// disk) is said once on standard error, and output stops there too.
pub fn line(text: &str) {
    let written = write_all(&[text.as_bytes(), b"\n"]);
    if let Err(e) = written {
        READER_GONE.store(true, Ordering::Relaxed);
        crate::stderr::line(&format!("error: writing to standard output: {e}"));
    }
}

/// Whether standard output is a terminal.
pub fn is_terminal() -> bool {
    #[allow(clippy::disallowed_methods, reason = "asks, writes nothing")]
    std::io::IsTerminal::is_terminal(&std::io::stdout())
}

/// `bytes` on standard output, as they are.
pub fn write(bytes: &[u8]) -> std::io::Result<()> {
    write_all(&[bytes])
}

fn write_all(parts: &[&[u8]]) -> std::io::Result<()> {
    if READER_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
    #[allow(clippy::disallowed_methods, reason = "the one writer")]
    let mut out = std::io::stdout().lock();
    let written = parts
        .iter()
        .try_for_each(|part| out.write_all(part))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            READER_GONE.store(true, Ordering::Relaxed);
            Ok(())
        }
        other => other,
    }
}
