//! `cargo xtask man`: the command's man pages, rendered by the command itself from its clap
//! definition (a hidden `man DIR` subcommand), so there is one definition and no copy of it
//! here to drift.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, ensure};

/// Where the pages go when no `--out` is given: `man/` in the workspace's target directory.
pub fn default_dir(root: &Path) -> Result<PathBuf> {
    let output = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()
        .context("running cargo metadata")?;
    ensure!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let target = metadata["target_directory"]
        .as_str()
        .context("cargo metadata gave no target_directory")?;
    Ok(Path::new(target).join("man"))
}

/// Builds the command and has it write its pages into `dir`: `webflow-assets.1` and one
/// `webflow-assets-<subcommand>.1` per subcommand.
pub fn man(root: &Path, dir: &Path) -> Result<PathBuf> {
    let status = Command::new(cargo())
        .args([
            "run",
            "--quiet",
            "--locked",
            "-p",
            "webflow-assets-cli",
            "--",
            "man",
        ])
        .arg(dir)
        .current_dir(root)
        .status()
        .context("running cargo run")?;
    ensure!(status.success(), "`webflow-assets man` failed");
    let page = dir.join("webflow-assets.1");
    ensure!(page.is_file(), "{} was not written", page.display());
    Ok(page)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
