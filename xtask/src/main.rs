use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Development tasks for the webflow-assets workspace.
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate crates/webflow-assets-raw/src/generated.rs from spec/.
    Regen {
        /// Write nothing; fail with a diff if the checked-in file is stale.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Regen { check } => xtask::regen(&xtask::workspace_root(), check),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
