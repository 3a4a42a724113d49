//! Gathering the evidence a plan asks for: MD5s of local files (read on blocking threads) and
//! of hosted assets (downloaded from the CDN without the token, which draws nothing from the
//! API budget). A check that cannot be made is recorded as failed, never guessed.

use futures::StreamExt;

use crate::error::{Error, IoOperation};
use crate::http::client::Client;
use crate::inventory::{Checks, Evidence, LocalInventory, RemoteInventory};
use crate::validate::check_file_name;

/// Downloads of hosted assets at once: the CDN is not the API, but a sync should not flood it.
const DOWNLOADS_AT_ONCE: usize = 4;

/// Computes what `checks` asks for.
pub(crate) async fn gather(
    client: &Client,
    local: &LocalInventory,
    remote: &RemoteInventory,
    checks: &Checks,
) -> Evidence {
    let paths = checks
        .local
        .iter()
        .map(|&i| local.files[i].disk.clone())
        .collect();
    let hashes = crate::hash::md5_files(paths).await;
    let local = checks
        .local
        .iter()
        .zip(hashes)
        .map(|(&i, hash)| {
            let hash = hash.map_err(|source| Error::Io {
                operation: IoOperation::Reading,
                path: local.files[i].disk.clone(),
                source,
            });
            (i, hash)
        })
        .collect();
    // Indices by value: a closure over `&usize` makes the future's `Send` depend on a
    // higher-ranked lifetime the compiler cannot prove, and the plan could not be awaited
    // inside a spawned task.
    let hosted = futures::stream::iter(
        checks
            .hosted
            .clone()
            .into_iter()
            .map(move |i| async move { (i, hosted_md5(client, remote, i).await) }),
    )
    .buffer_unordered(DOWNLOADS_AT_ONCE)
    .collect()
    .await;
    Evidence { local, hosted }
}

/// The MD5 of one hosted asset, read no further than its kind's size limit, retried by the
/// client's policy when the failure is transient.
async fn hosted_md5(
    client: &Client,
    remote: &RemoteInventory,
    index: usize,
) -> Result<String, Error> {
    let asset = &remote.assets[index];
    let Some(url) = &asset.hosted_url else {
        return Err(Error::UnexpectedResponse {
            file: None,
            status: None,
            body: format!("asset {} has no hosted URL", asset.id),
        });
    };
    let limits = client.limits();
    let limit = asset
        .path
        .as_ref()
        .and_then(|p| check_file_name(p.name()).ok())
        .map_or(
            limits.image.max(limits.document).max(limits.lottie),
            |(kind, _)| limits.for_kind(kind),
        );
    client.hosted_md5_within(url, limit).await
}
