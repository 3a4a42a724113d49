//! `webflow-assets completions SHELL`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete in.
    shell: clap_complete::Shell,
}

/// Prints the script for the command `command` describes.
pub fn run(args: Args, command: clap::Command) -> ExitCode {
    crate::shell::print_completions(args.shell, command)
}
