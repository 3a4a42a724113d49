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

/// Kills `child` with SIGKILL (no handler runs, nothing is flushed) as soon as `reached`
/// holds, then reaps it. Fails if the child ends first, as its kill would then prove nothing;
/// the 20 s limit only bounds a failure.
pub async fn kill_when(
    mut child: std::process::Child,
    what: &str,
    reached: impl Fn() -> bool,
) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !reached() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before {what}");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {what} within 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    child.kill().unwrap();
    tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap()
}
