//! Running the built command against the fake, for the test files of the bulk commands.
#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

use webflow_fake::FakeHandle;

pub const BIN: &str = env!("CARGO_BIN_EXE_webflow-assets");

/// The command aimed at the fake's site, with nothing from the environment but its token.
/// The fake's CDN is on loopback, which the command downloads from (pull, copy, audit's
/// checksums) only when private addresses are allowed.
pub fn command(fake: &FakeHandle, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_clear()
        .env("WEBFLOW_TOKEN", fake.token())
        .env("WEBFLOW_SITE_ID", fake.site_id())
        .args(["--base-url", &fake.base_url(), "--allow-private-urls"])
        .args(args)
        .stdin(Stdio::null());
    // Windows' sockets do not start in a process without SystemRoot.
    #[cfg(windows)]
    if let Some(root) = std::env::var_os("SystemRoot") {
        command.env("SystemRoot", root);
    }
    command
}

/// Runs a command off the runtime's threads, so the in-process fake keeps serving.
pub async fn output(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Runs the command with `args` against the fake.
pub async fn run(fake: &FakeHandle, args: &[&str]) -> Output {
    output(command(fake, args)).await
}

/// Standard output, then standard error.
pub fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// Every line of standard output, as JSON.
pub fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is JSON"))
        .collect()
}
