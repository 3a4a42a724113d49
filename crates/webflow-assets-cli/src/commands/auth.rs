//! `auth status`, `auth login` and `auth logout`: where the token comes from, and the
//! stored login.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use webflow_assets::Client;

use crate::credentials::{self, Source};
use crate::lines::{Line, LogoutLine};
use crate::login;
use crate::output::Output;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: AuthCommand,
}

/// `webflow-assets auth ...`.
#[derive(clap::Subcommand)]
enum AuthCommand {
    /// Say where the token was read from (never the token), its scopes and its sites.
    Status,
    /// Check a token with Webflow and store it, readable only by you, for when no other
    /// source gives one. It is typed at a prompt that does not echo it, or read from
    /// standard input with --stdin; never taken as an argument (shell history keeps those).
    /// The file is under your config directory, or $WEBFLOW_ASSETS_CONFIG_DIR.
    Login {
        /// Read the token from standard input (one line), e.g. from a secret manager.
        #[arg(long)]
        stdin: bool,
        /// A token given as an argument, refused without repeating it (clap would echo it).
        #[arg(hide = true, num_args = 0..)]
        argument: Vec<String>,
    },
    /// Remove the stored token (nothing to remove is not an error).
    Logout,
}

pub async fn run(args: Args, ctx: &super::Context<'_>) -> Result<ExitCode> {
    let output = ctx.output;
    match args.command {
        AuthCommand::Login { argument, .. } if !argument.is_empty() => Ok(refuse_argument(output)),
        AuthCommand::Login { stdin, .. } => {
            let build = |token| ctx.client(token);
            login(stdin, build, ctx.login_file().as_deref(), output).await
        }
        AuthCommand::Logout => logout(ctx.login_file().as_deref(), ctx.json()),
        AuthCommand::Status => {
            let connected = ctx.connect()?;
            let info = connected.client.token_info().await?;
            output.auth_status(&connected.found.source.to_string(), &info);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `auth login`: reads the token (see [`login::read_token`]), checks it with one request
/// (token introspection, which needs no scope) through the client `build` makes, and only
/// then stores it at `file`.
async fn login(
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
    let winner = winner(file);
    output.auth_line(
        &Source::StoredLogin(file.to_path_buf()).to_string(),
        &info,
        winner.clone(),
    );
    match winner {
        Some(source) => crate::stderr::line(&format!(
            "warning: stored, but {source} gives a token too and comes first: commands use \
             that one until it is removed"
        )),
        None => output.note(
            "logged in: commands use this token when no --token-env, WEBFLOW_TOKEN, \
             WEBFLOW_API_TOKEN or .env gives one",
            None,
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// The source a command run here would take its token from instead of the stored login at
/// `file` (the lookup commands make, without `--token-env`, which is given per command).
fn winner(file: &Path) -> Option<String> {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            crate::stderr::line(&format!(
                "warning: cannot tell which token commands will use: {e}"
            ));
            return None;
        }
    };
    let local = credentials::Local::new(cwd);
    match credentials::token(None, &credentials::process_env, &local, Some(file)) {
        Ok(found) if found.source != Source::StoredLogin(file.to_path_buf()) => {
            Some(found.source.to_string())
        }
        Ok(_) => None,
        Err(e) => {
            crate::stderr::line(&format!(
                "warning: commands run here will not use the stored login: {e:#}"
            ));
            None
        }
    }
}

/// `auth login TOKEN`: refused, with the exit status of a usage error, and without the
/// argument, which clap's own error would repeat (into logs, and in full view).
fn refuse_argument(output: &Output) -> ExitCode {
    output.error(&crate::failure::Described {
        message: "auth login takes no token as an argument (shell history keeps those): type \
                  it at the prompt, or pipe it in with `auth login --stdin`"
            .into(),
        code: crate::failure::Code::Usage,
        kind: None,
        hint: None,
    });
    crate::exit::of_failure(crate::failure::Code::Usage)
}

/// `auth logout`: removes the stored token, if there is one.
fn logout(file: Option<&Path>, json: bool) -> Result<ExitCode> {
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
        crate::stdout::line(&format!("removed the stored login ({})", file.display()));
    } else {
        crate::stdout::line(&format!(
            "no stored login ({}): nothing to remove",
            file.display()
        ));
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
