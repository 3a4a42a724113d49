//! Upload files to Webflow.
//!
//! With no environment set, this starts a fake Webflow (and its S3) on 127.0.0.1, uploads a
//! PNG, an SVG and a PDF it generates into the folder `quickstart/2026`, prints where each is
//! hosted, then downloads one and checks its MD5.
//!
//! With `WEBFLOW_TOKEN` and `WEBFLOW_SITE_ID` set, it uploads the files named on the command
//! line to that site instead (into `WEBFLOW_FOLDER` when set):
//!
//! ```text
//! cargo run -p webflow-assets --example quickstart
//! WEBFLOW_TOKEN=... WEBFLOW_SITE_ID=... cargo run -p webflow-assets --example quickstart -- logo.png terms.pdf
//! ```

use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};
use webflow_assets::{Client, UploadSource, UploadedAsset};

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    match (
        std::env::var("WEBFLOW_TOKEN"),
        std::env::var("WEBFLOW_SITE_ID"),
    ) {
        (Ok(token), Ok(site)) => upload_to_real_site(token, site).await,
        _ => demo_against_the_fake().await,
    }
}

async fn upload_to_real_site(token: String, site: String) -> Result<()> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        bail!(
            "name the files to upload: cargo run -p webflow-assets --example quickstart -- FILE..."
        );
    }
    let client = Client::new(token)?;
    let folder: Option<webflow_assets::FolderPath> = match std::env::var("WEBFLOW_FOLDER") {
        Ok(path) => Some(path.parse()?),
        Err(_) => None,
    };
    let mut failed = 0;
    for path in paths {
        let mut upload = client.upload(
            &site.parse::<webflow_assets::SiteId>().unwrap(),
            path.as_path(),
        );
        if let Some(folder) = &folder {
            upload = upload.folder(folder.clone());
        }
        match upload.send().await {
            Ok(asset) => print(&asset),
            Err(err) => {
                failed += 1;
                eprintln!("failed: {}: {err}", path.display());
            }
        }
    }
    ensure!(failed == 0, "{failed} file(s) failed");
    Ok(())
}

async fn demo_against_the_fake() -> Result<()> {
    let fake = webflow_fake::FakeWebflow::builder().start().await?;
    println!(
        "No WEBFLOW_TOKEN/WEBFLOW_SITE_ID: using a fake Webflow at {}",
        fake.base_url()
    );
    let client = Client::builder(fake.token())
        .base_url(fake.base_url())
        .build()?;
    let files = [
        UploadSource::bytes("quickstart.png", png()?),
        UploadSource::bytes("quickstart.svg", svg()),
        UploadSource::bytes("quickstart.pdf", pdf()),
    ];
    let mut uploaded = Vec::new();
    for file in files {
        let asset = client
            .upload(
                &fake.site_id().parse::<webflow_assets::SiteId>().unwrap(),
                file,
            )
            .folder("quickstart/2026".parse()?)
            .send()
            .await?;
        print(&asset);
        uploaded.push(asset);
    }
    let png = &uploaded[0];
    let served = reqwest::get(&png.hosted_url)
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let md5 = webflow_assets::hash::md5_bytes(&served);
    ensure!(md5 == png.md5, "downloaded {md5}, uploaded {}", png.md5);
    println!(
        "Downloaded {} back: {} bytes, MD5 {md5} matches.",
        png.file_name,
        served.len()
    );
    Ok(())
}

fn print(asset: &UploadedAsset) {
    println!(
        "uploaded {:<16} {:>7} bytes  {}",
        asset.file_name, asset.size, asset.hosted_url
    );
}

/// A 64x64 gradient.
fn png() -> Result<Vec<u8>> {
    let (width, height) = (64u32, 64u32);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("PNG header")?;
    let pixels: Vec<u8> = (0..height)
        .flat_map(|y| (0..width).flat_map(move |x| [(x * 4) as u8, (y * 4) as u8, 160]))
        .collect();
    writer.write_image_data(&pixels).context("PNG data")?;
    writer.finish().context("PNG end")?;
    Ok(out)
}

fn svg() -> Vec<u8> {
    br##"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><circle cx="32" cy="32" r="28" fill="#4353ff"/></svg>"##.to_vec()
}

/// A one-page PDF saying hello, with a correct cross-reference table.
fn pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        {
            let text = "BT /F1 18 Tf 20 45 Td (Hello, Webflow) Tj ET";
            format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len())
        },
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}
