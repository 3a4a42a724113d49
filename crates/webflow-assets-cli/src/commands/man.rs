//! `webflow-assets man DIR` (hidden; `cargo xtask man` runs it).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The directory.
    dir: PathBuf,
}

/// Writes the pages of the command `command` describes.
pub fn run(args: Args, command: clap::Command) -> ExitCode {
    crate::shell::write_man_pages(command, &args.dir)
}
