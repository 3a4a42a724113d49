//! Runs the fake Webflow standalone, for curl or the official Node and Python SDKs.

use std::time::Duration;

use clap::Parser;
use webflow_fake::{FakeWebflow, Limits};

/// A fake Webflow Assets API on 127.0.0.1, with an embedded S3 that checks uploads.
#[derive(Parser)]
#[command(
    name = "webflow-fake",
    after_help = "Example:\n  cargo run -p webflow-fake -- --port 4010 --rate-limit 120\n  \
                  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:4010/v2/sites/$SITE/asset_folders"
)]
struct Args {
    /// Port of the Webflow API (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Port of the S3 endpoint (0: any free port).
    #[arg(long, default_value_t = 0)]
    s3_port: u16,
    /// Requests allowed per token per window.
    #[arg(long, default_value_t = 60)]
    rate_limit: u32,
    /// Length of the rate-limit window in seconds.
    #[arg(long, default_value_t = 60)]
    rate_window: u64,
    /// Seconds an upload policy stays valid.
    #[arg(long, default_value_t = 900)]
    policy_lifetime: u64,
    /// Largest image in bytes.
    #[arg(long, default_value_t = Limits::default().image)]
    image_limit: u64,
    /// Largest document or Lottie file in bytes.
    #[arg(long, default_value_t = Limits::default().document)]
    document_limit: u64,
    /// Token to accept (default: a random one, printed at start).
    #[arg(long)]
    token: Option<String>,
    /// Id of the seeded site (default: a fresh one, printed at start).
    #[arg(long)]
    site_id: Option<String>,
    /// Extra uploadDetails field NAME=VALUE, pinned in the policy (repeatable).
    #[arg(long = "extra-upload-field", value_name = "NAME=VALUE")]
    extra: Vec<String>,
    /// Answer 404 from the CDN for hosted files whose name contains this (repeatable), as a
    /// CDN does for an object it lost.
    #[arg(long = "hide-hosted", value_name = "PART")]
    hide_hosted: Vec<String>,
    /// Stop when standard input closes, so a script's fake dies with the script however it
    /// ends (even on SIGKILL, which leaves no chance to clean up).
    #[arg(long)]
    exit_on_eof: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut builder = FakeWebflow::builder()
        .port(args.port)
        .s3_port(args.s3_port)
        .rate_limit(args.rate_limit, Duration::from_secs(args.rate_window))
        .policy_lifetime(Duration::from_secs(args.policy_lifetime))
        .limits(Limits {
            image: args.image_limit,
            document: args.document_limit,
            lottie: args.document_limit,
        });
    if let Some(token) = args.token {
        builder = builder.token(token);
    }
    if let Some(site) = args.site_id {
        builder = builder.site_id(site);
    }
    for field in &args.extra {
        let Some((name, value)) = field.split_once('=') else {
            anyhow::bail!("--extra-upload-field takes NAME=VALUE, got {field:?}");
        };
        builder = builder.extra_upload_field(name, value);
    }
    let fake = builder.start().await?;
    for part in args.hide_hosted {
        fake.faults().hide_hosted(part);
    }
    let mut interrupted = ctrl_c()?;
    println!("base url: {}", fake.base_url());
    println!("token:    {}", fake.token());
    println!("site id:  {}", fake.site_id());
    println!("s3:       {}", fake.s3_url());
    println!(
        "Ctrl-C{} stops it.",
        if args.exit_on_eof {
            " or closing standard input"
        } else {
            ""
        }
    );
    let (mut stdin, mut sink) = (tokio::io::stdin(), tokio::io::sink());
    let end_of_input = async {
        match args.exit_on_eof {
            true => tokio::io::copy(&mut stdin, &mut sink).await.map(drop),
            false => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = interrupted.recv() => {}
        drained = end_of_input => drained?,
    }
    // The stdin reader is a blocking thread that the runtime would wait for on the way out,
    // forever if input is still open: clean up, then leave without waiting.
    drop(fake);
    std::process::exit(0);
}

/// Listens for Ctrl-C from before the banner is printed: a script that signals as soon as it
/// has read the banner must reach the handler (which removes the stored files), not the
/// default action that kills the process on the spot.
#[cfg(unix)]
fn ctrl_c() -> std::io::Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
}

#[cfg(not(unix))]
fn ctrl_c() -> std::io::Result<tokio::signal::windows::CtrlC> {
    tokio::signal::windows::ctrl_c()
}
