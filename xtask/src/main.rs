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
    /// Run every benchmark (hashing, upload overhead, rate budget, soak, pull); see BENCHMARKS.md.
    Bench,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Regen { check } => xtask::regen(&xtask::workspace_root(), check),
        Task::Bench => bench(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The benchmarks, one after another so they do not compete for the machine.
fn bench() -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for args in [
        &["bench", "-p", "webflow-assets", "--bench", "hashing"][..],
        &["bench", "-p", "webflow-bench", "--bench", "upload_overhead"],
        &["bench", "-p", "webflow-bench", "--bench", "rate_budget"],
        &["bench", "-p", "webflow-bench", "--bench", "soak"],
        &["bench", "-p", "webflow-bench", "--bench", "pull"],
    ] {
        let status = std::process::Command::new(&cargo)
            .args(args)
            .current_dir(xtask::workspace_root())
            .status()?;
        anyhow::ensure!(status.success(), "`cargo {}` failed", args.join(" "));
    }
    Ok(())
}
