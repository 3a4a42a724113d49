//! `webflow-assets`: put files on a Webflow site and keep them organised.
//!
//! This file parses and dispatches. The commands are listed in `cli.rs` and the flags every
//! command takes in `global.rs`; each command is in its own file under `commands/`, and
//! Ctrl-C and the exit status are in `exit.rs`.

// Every byte goes through `stdout` and `stderr`, which a reader that went away cannot panic.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;
mod credentials;
mod dry_run;
mod exit;
mod failure;
mod font_lines;
mod github;
mod global;
mod lines;
mod listing;
mod login;
mod mcp;
mod output;
mod panics;
mod shell;
mod site;
mod stderr;
mod stdout;
mod usage;

use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::Result;
use clap::CommandFactory;

use cli::{AsyncCommand, Cli, Command};
use commands::Context;
use output::Output;

fn main() -> ExitCode {
    panics::install();
    let cli: Cli = usage::parse();
    github::init(cli.global.no_github);
    let command = match cli.command {
        Command::Completions(args) => return commands::completions::run(args, Cli::command()),
        Command::Man(args) => return commands::man::run(args, Cli::command()),
        Command::Async(command) => command,
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            stderr::line(&format!("error: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let (needs, target) = (command.needs(), command.has_target_token());
    let output = Output::new(command.prints_json(cli.global.json)).verb(command.verb());
    // Where the token was found, for the hint of a refused one.
    let source = OnceLock::new();
    let context = Context::new(&cli.global, &output, &source);
    match runtime.block_on(run(command, &context)) {
        Ok(code) => code,
        Err(e) => {
            let mut described = failure::describe(&e, needs);
            credentials::explain_refused(&mut described, source.get(), target);
            output.error(&described);
            exit::of_failure(described.code)
        }
    }
}

/// Runs the command on the runtime.
async fn run(command: AsyncCommand, ctx: &Context<'_>) -> Result<ExitCode> {
    use commands::{
        alt, audit, auth, copy, folders, fonts, info, ls, mcp, pull, rename, rm, schema, sites,
        sync, upload,
    };
    match command {
        AsyncCommand::Upload(args) => upload::run(args, ctx).await,
        AsyncCommand::Sync(args) => sync::run(args, ctx).await,
        AsyncCommand::Pull(args) => pull::run(args, ctx).await,
        AsyncCommand::Copy(args) => copy::run(args, ctx).await,
        AsyncCommand::Ls(args) => ls::run(args, ctx).await,
        AsyncCommand::Folders(args) => folders::run(args, ctx).await,
        AsyncCommand::Info(args) => info::run(args, ctx).await,
        AsyncCommand::Alt(args) => alt::run(args, ctx).await,
        AsyncCommand::Rename(args) => rename::run(args, ctx).await,
        AsyncCommand::Rm(args) => rm::run(args, ctx).await,
        AsyncCommand::Sites => sites::run(ctx).await,
        AsyncCommand::Fonts(args) => fonts::run(args, ctx).await,
        AsyncCommand::Audit(args) => audit::run(args, ctx).await,
        AsyncCommand::Mcp(args) => mcp::run(args, ctx).await,
        AsyncCommand::Schema => schema::run(),
        AsyncCommand::Auth(args) => auth::run(args, ctx).await,
    }
}
