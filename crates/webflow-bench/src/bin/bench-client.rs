//! One benchmark client process: uploads every file given through the SDK or through a
//! minimal client, then prints what it measured of itself as JSON.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use futures::StreamExt;
use md5::{Digest, Md5};
use webflow_assets::bulk::{BulkFile, BulkOptions};
use webflow_assets::{Client, RateLimit};
use webflow_bench::{ClientStats, own_usage};

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    /// `Client::upload_many`: validation, budget, retries, typed errors.
    Sdk,
    /// The same create + form POST with plain reqwest: no validation, no retries.
    Minimal,
}

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum)]
    mode: Mode,
    #[arg(long)]
    concurrency: usize,
    #[arg(long)]
    base_url: String,
    #[arg(long)]
    token: String,
    #[arg(long)]
    site: String,
    files: Vec<PathBuf>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let bytes = match args.mode {
        Mode::Sdk => sdk(&args).await?,
        Mode::Minimal => minimal(&args).await?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let usage = own_usage();
    let stats = ClientStats {
        files: args.files.len(),
        bytes,
        seconds,
        cpu_seconds: usage.map(|(cpu, _)| cpu),
        peak_rss: usage.map(|(_, rss)| rss),
    };
    println!("{}", serde_json::to_string(&stats)?);
    Ok(())
}

async fn sdk(args: &Args) -> Result<u64> {
    let client = Client::builder(&args.token)
        .base_url(&args.base_url)
        .rate_limit(RateLimit::per_minute(1_000_000))
        .build()?;
    let files = args.files.iter().map(BulkFile::path);
    let options = BulkOptions::default()
        .concurrency(args.concurrency)
        .confirm(false);
    let mut run = client.upload_many(
        &args.site.parse::<webflow_assets::SiteId>()?,
        files,
        options,
    )?;
    let mut bytes = 0;
    while let Some(file) = run.next().await {
        match file.outcome {
            webflow_assets::bulk::Outcome::Uploaded(asset) => bytes += asset.size,
            other => bail!("{}: {other:?}", file.label),
        }
    }
    Ok(bytes)
}

/// The floor: what any client must do, and nothing more.
async fn minimal(args: &Args) -> Result<u64> {
    let http = reqwest::Client::new();
    let uploads = args.files.iter().map(|path| {
        let http = http.clone();
        async move {
            let data = tokio::fs::read(path).await?;
            let hash: String = Md5::digest(&data)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let name = path
                .file_name()
                .context("file name")?
                .to_string_lossy()
                .into_owned();
            let created: serde_json::Value = http
                .post(format!("{}/sites/{}/assets", args.base_url, args.site))
                .bearer_auth(&args.token)
                .json(&serde_json::json!({ "fileName": name, "fileHash": hash }))
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            let mut form = reqwest::multipart::Form::new();
            for (key, value) in created["uploadDetails"]
                .as_object()
                .context("uploadDetails")?
            {
                form = form.text(key.clone(), value.as_str().unwrap_or_default().to_string());
            }
            let size = data.len() as u64;
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(data).file_name(name),
            );
            let url = created["uploadUrl"].as_str().context("uploadUrl")?;
            http.post(url)
                .multipart(form)
                .send()
                .await?
                .error_for_status()?;
            anyhow::Ok(size)
        }
    });
    let mut uploads = futures::stream::iter(uploads).buffer_unordered(args.concurrency.max(1));
    let mut bytes = 0;
    while let Some(size) = uploads.next().await {
        bytes += size?;
    }
    Ok(bytes)
}
