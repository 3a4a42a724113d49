//! The command's integration tests, one module per subject, in one test binary: each binary
//! links the whole dependency tree (the fake, S3, the HTTP stack, the MCP client), so one
//! binary instead of one per file saves most of the test build's time.

#[path = "../common/mod.rs"]
mod common;

mod alt_text;
mod audit;
mod cli;
mod closed_pipe;
mod copy;
mod first_runs;
mod font_interrupts;
mod fonts;
mod github;
mod login;
mod mcp;
mod parity;
mod pull;
mod shell;
mod site;
