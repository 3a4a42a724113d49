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
    /// Import Webflow's full OpenAPI description: keep the operations in spec/selection.toml,
    /// write them into spec/ with their provenance, regenerate, and report what changed.
    SpecImport {
        /// The downloaded description (`openapi/v2.yml` of Webflow's openapi-spec repository).
        path: std::path::PathBuf,
        /// Where it was downloaded from (default: the file in Webflow's repository).
        #[arg(long)]
        source: Option<String>,
        /// Its date, YYYY-MM-DD (default: the recorded one for the same file, else today).
        #[arg(long)]
        date: Option<String>,
        /// Exit with status 2 when an upstream operation under a tracked tag or path is new
        /// since the last import (or may be: none recorded a fingerprint) and left out of
        /// spec/selection.toml. The import is still written; any other failure is status 1.
        #[arg(long)]
        strict: bool,
        /// The workspace whose spec/ is written (default: the one xtask is built in).
        #[arg(long, value_name = "DIR")]
        root: Option<std::path::PathBuf>,
    },
    /// Run every benchmark (hashing, upload overhead, rate budget, soak, first sync, pull, mcp); see BENCHMARKS.md.
    Bench,
    /// Package the command for npm, PyPI and release archives into target/dist: this machine's
    /// platform (its binary built with the release profile unless --binary names it), or
    /// with --binary-dir every platform (each must have its binary there, unless
    /// --allow-missing).
    Dist {
        /// Binaries built elsewhere, as DIR/<target>/webflow-assets (.exe on Windows).
        #[arg(long, value_name = "DIR", conflicts_with = "binary")]
        binary_dir: Option<std::path::PathBuf>,
        /// This machine's binary, already built with the release profile.
        #[arg(long, value_name = "FILE")]
        binary: Option<std::path::PathBuf>,
        /// Where the packages go (default: target/dist).
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
        /// Make no wheel (maturin is not needed then); --binary-dir makes none.
        #[arg(long)]
        no_wheel: bool,
        /// With --binary-dir: pack the platforms whose binary is there, and leave the others
        /// out of the main npm package's optionalDependencies (else a missing one fails).
        #[arg(long, requires = "binary_dir")]
        allow_missing: bool,
    },
    /// Write the command's man pages: webflow-assets.1 and one page per subcommand.
    Man {
        /// The directory (default: man/ in the target directory).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Regen { check } => xtask::regen(&xtask::workspace_root(), check),
        Task::SpecImport {
            path,
            source,
            date,
            strict,
            root,
        } => spec_import(
            &root.unwrap_or_else(xtask::workspace_root),
            &path,
            source,
            date,
            strict,
        ),
        Task::Bench => bench(),
        Task::Man { out } => man(out),
        Task::Dist {
            binary_dir,
            binary,
            out,
            no_wheel,
            allow_missing,
        } => dist(binary_dir, binary, out, !no_wheel, allow_missing),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.is::<xtask::upstream::StrictError>() {
                ExitCode::from(STRICT_FAILED)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// `spec-import --strict` found a new operation left out: the import itself succeeded and was
/// written, which a scheduled job tells apart from a failed import (1).
const STRICT_FAILED: u8 = 2;

fn spec_import(
    root: &std::path::Path,
    path: &std::path::Path,
    source: Option<String>,
    date: Option<String>,
    strict: bool,
) -> anyhow::Result<()> {
    let imported = xtask::import::import(root, path, xtask::import::Provenance { source, date })?;
    println!(
        "{} {}",
        if imported.changed {
            "wrote"
        } else {
            "unchanged:"
        },
        imported.written
    );
    let text = std::fs::read_to_string(&imported.report_path)?;
    print!("{text}");
    println!(
        "(report written to {}; paste its API changes into CHANGELOG.md)",
        imported.report_path.display()
    );
    if strict {
        imported.untracked.check_strict()?;
    }
    Ok(())
}

fn dist(
    binary_dir: Option<std::path::PathBuf>,
    binary: Option<std::path::PathBuf>,
    out: Option<std::path::PathBuf>,
    wheel: bool,
    allow_missing: bool,
) -> anyhow::Result<()> {
    let root = xtask::workspace_root();
    let out = match out {
        Some(out) => std::path::absolute(out)?,
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| root.join("target"))
            .join("dist"),
    };
    let options = xtask::dist::Options {
        out,
        binary_dir: binary_dir.map(std::path::absolute).transpose()?,
        binary: binary.map(std::path::absolute).transpose()?,
        wheel,
        allow_missing,
    };
    for file in xtask::dist::dist(&root, &options)? {
        println!("{}", file.display());
    }
    Ok(())
}

fn man(out: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let root = xtask::workspace_root();
    let dir = match out {
        Some(dir) => dir,
        None => xtask::man::default_dir(&root)?,
    };
    let page = xtask::man::man(&root, &std::path::absolute(dir)?)?;
    println!("read it with: man -l {}", page.display());
    Ok(())
}

/// The benchmarks, one after another so they do not compete for the machine.
fn bench() -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for args in [
        &["bench", "-p", "webflow-assets", "--bench", "hashing"][..],
        &["bench", "-p", "webflow-bench", "--bench", "upload_overhead"],
        &["bench", "-p", "webflow-bench", "--bench", "rate_budget"],
        &["bench", "-p", "webflow-bench", "--bench", "soak"],
        &["bench", "-p", "webflow-bench", "--bench", "first_sync"],
        &["bench", "-p", "webflow-bench", "--bench", "pull"],
        &["bench", "-p", "webflow-bench", "--bench", "woff2"],
        &["bench", "-p", "webflow-assets-cli", "--bench", "mcp"],
    ] {
        let status = std::process::Command::new(&cargo)
            .args(args)
            .current_dir(xtask::workspace_root())
            .status()?;
        anyhow::ensure!(status.success(), "`cargo {}` failed", args.join(" "));
    }
    Ok(())
}
