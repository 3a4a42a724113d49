//! `webflow-assets schema`: the JSON Schema of the lines `--json` prints.

use std::process::ExitCode;

use anyhow::Result;

pub fn run() -> Result<ExitCode> {
    crate::stdout::write(crate::lines::schema().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
