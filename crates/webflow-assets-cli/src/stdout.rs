//! Writing to standard output when its reader may have gone: `ls --json | head -1` closes the
//! pipe after one line. `println!` panics then; these end the process quietly instead, since
//! the reader has all it wanted.

use std::io::Write;

/// `text` and a newline on standard output.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!(
            "error: writing to standard output: {}",
            quiet_on_broken_pipe(e)
        );
    }
}

/// `bytes` on standard output, as they are.
pub fn write(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(quiet_on_broken_pipe)
}

/// Ends the process with status 0 when the reader closed the pipe; otherwise gives the error
/// back.
pub fn quiet_on_broken_pipe(error: std::io::Error) -> std::io::Error {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    error
}
