//! `auth login` and `auth logout`: the commands around the stored login.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use webflow_assets::Client;

use crate::credentials::Source;
use crate::lines::{Line, LogoutLine};
use crate::login;
use crate::output::Output;

/// `auth login`: reads the token (see [`login::read_token`]), checks it with one request
/// (token introspection, which needs no scope) through the client `build` makes, and only
/// then stores it at `file`.
pub async fn login(
    stdin: bool,
    build: impl FnOnce(String) -> Result<Client>,
    file: Option<&Path>,
    output: &Output,
) -> Result<ExitCode> {
    let file = needed(file)?;
    // Before the token is typed: a directory that will be refused refuses it now.
    if let Some(dir) = file.parent().filter(|dir| dir.is_dir()) {
        login::refuse_shared_dir(dir)?;
    }
    let token = login::read_token(stdin)?;
    let info = build(token.clone())?
        .token_info()
        .await
        .context("checking the token with Webflow; nothing was stored")?;
    login::store(file, &token)?;
    output.auth_status(&Source::StoredLogin(file.to_path_buf()).to_string(), &info);
    output.note(
        "logged in: commands use this token when no --token-env, WEBFLOW_TOKEN, \
         WEBFLOW_API_TOKEN or .env gives one",
        None,
    );
    Ok(ExitCode::SUCCESS)
}

/// `auth logout`: removes the stored token, if there is one.
pub fn logout(file: Option<&Path>, json: bool) -> Result<ExitCode> {
    let file = needed(file)?;
    let removed = login::remove(file)?;
    if json {
        crate::lines::print(&Line::Logout {
            logout: LogoutLine {
                file: file.display().to_string(),
                removed,
            },
        });
    } else if removed {
        println!("removed the stored login ({})", file.display());
    } else {
        println!("no stored login ({}): nothing to remove", file.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn needed(file: Option<&Path>) -> Result<&Path> {
    file.with_context(|| {
        format!(
            "no config directory on this system (no home directory): set {}",
            login::CONFIG_DIR_VAR
        )
    })
}
