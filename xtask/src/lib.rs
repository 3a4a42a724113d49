//! `cargo xtask regen`: spec/ -> merge -> normalise -> progenitor -> `generated.rs`.
//!
//! Also a library, so the workspace tests can run the same pipeline on edited copies of the spec
//! and snapshot what it produces.

pub mod generate;
pub mod normalise;
pub mod spec;
pub mod surface;

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde_json::Value;

pub use spec::SpecFile;

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Reads `spec/` under `root`.
pub fn read_spec(root: &Path) -> Result<Vec<SpecFile>> {
    spec::read_dir(root, &root.join("spec"))
}

/// Merges and normalises the given inputs into the document progenitor reads.
pub fn normalised(inputs: &[SpecFile]) -> Result<Value> {
    let docs = inputs
        .iter()
        .map(|f| Ok((f.name.clone(), spec::parse_yaml(&f.name, &f.text)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut doc = spec::merge(docs)?;
    normalise::normalise(&mut doc)?;
    Ok(doc)
}

/// The full pipeline: the contents `generated.rs` should have for these inputs.
pub fn render(inputs: &[SpecFile]) -> Result<String> {
    generate::generate(&normalised(inputs)?, inputs)
}

/// Regenerates the client under `root`; with `check`, writes nothing and fails with a unified
/// diff when the checked-in file differs from what the spec gives.
pub fn regen(root: &Path, check: bool) -> Result<()> {
    let inputs = read_spec(root)?;
    let fresh = render(&inputs)?;
    let path = root.join(generate::OUTPUT);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if check {
        if current != fresh {
            let diff = similar::TextDiff::from_lines(&current, &fresh)
                .unified_diff()
                .context_radius(3)
                .header(generate::OUTPUT, "regenerated from spec/")
                .to_string();
            bail!(
                "{} is stale; run `cargo xtask regen` and commit the result.\n{diff}",
                generate::OUTPUT
            );
        }
        println!("{} is up to date", generate::OUTPUT);
    } else if current == fresh {
        println!("{} is up to date", generate::OUTPUT);
    } else {
        std::fs::write(&path, fresh)?;
        println!("wrote {}", generate::OUTPUT);
    }
    Ok(())
}
