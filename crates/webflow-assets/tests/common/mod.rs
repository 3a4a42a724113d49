#![allow(dead_code)]

use std::time::Duration;

use webflow_assets::bulk::Report;
use webflow_assets::sync::SyncOptions;
use webflow_assets::{AssetId, Client, ClientBuilder, FolderId, RetryPolicy, SiteId};
use webflow_fake::{FakeHandle, FakeWebflow, FakeWebflowBuilder, Side};

/// Retries quickly, so retry tests take milliseconds of backoff.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

/// A site id a test names or the fake minted.
pub fn site(id: &str) -> SiteId {
    id.parse().expect("a valid site id")
}

/// An asset id a test names or the fake minted.
pub fn asset(id: &str) -> AssetId {
    id.parse().expect("a valid asset id")
}

/// A folder id a test names or the fake minted.
pub fn folder(id: &str) -> FolderId {
    id.parse().expect("a valid folder id")
}

/// A client for the fake, with quick retries; adjust it before `build`.
pub fn builder(fake: &FakeHandle) -> ClientBuilder {
    Client::builder(fake.token())
        .base_url(fake.base_url())
        .retry_policy(fast_retries())
}

pub fn client(fake: &FakeHandle) -> Client {
    builder(fake).build().unwrap()
}

pub async fn start(builder: FakeWebflowBuilder) -> (FakeHandle, Client) {
    let fake = builder.start().await.unwrap();
    let client = client(&fake);
    (fake, client)
}

/// Syncs `dir` onto the fake's site and waits for the report.
pub async fn sync(
    client: &Client,
    fake: &FakeHandle,
    dir: &std::path::Path,
    options: SyncOptions,
) -> Report {
    client
        .sync_dir(&site(fake.site_id()), dir, options)
        .await
        .unwrap()
        .finish()
        .await
}

pub async fn fake() -> (FakeHandle, Client) {
    start(FakeWebflow::builder()).await
}

/// Requests the fake saw on one side for one method and path suffix.
pub fn count(fake: &FakeHandle, side: Side, method: &str, path_suffix: &str) -> usize {
    fake.requests()
        .iter()
        .filter(|r| {
            r.side == side
                && r.method == method
                && r.path.split('?').next().unwrap().ends_with(path_suffix)
        })
        .count()
}

/// A small valid PNG (1x1, transparent).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];
