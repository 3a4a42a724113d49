//! Writing to standard output when its reader may have gone: `ls --json | head -1` closes the
//! pipe after one line. `println!` panics then. Here the first broken pipe stops all further
//! output and nothing else: an upload or sync goes on to its end (files in flight, the
//! manifest), and its exit status still says how it went. The reader has all it wanted.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once the reader of standard output has gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// `text` and a newline on standard output.
pub fn line(text: &str) {
    let written = write_all(&[text.as_bytes(), b"\n"]);
    if let Err(e) = written {
        eprintln!("error: writing to standard output: {e}");
    }
}

/// `bytes` on standard output, as they are.
pub fn write(bytes: &[u8]) -> std::io::Result<()> {
    write_all(&[bytes])
}

fn write_all(parts: &[&[u8]]) -> std::io::Result<()> {
    if READER_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
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
