//! The embedded S3: s3s over s3s-fs, accepting only the fake's own key pair, so every upload
//! is checked the way AWS checks it (SigV4 signature, policy conditions, expiry, size).

use std::path::Path;

use s3s::auth::SimpleAuth;
use s3s::service::{S3Service, S3ServiceBuilder};
use s3s_fs::FileSystem;

use crate::policy::Credentials;

/// Creates the bucket directory under `root` and an S3 service storing objects there.
pub(crate) fn service(root: &Path, bucket: &str, creds: &Credentials) -> anyhow::Result<S3Service> {
    std::fs::create_dir_all(root.join(bucket))?;
    let fs = FileSystem::new(root).map_err(|e| anyhow::anyhow!("s3s-fs: {e:?}"))?;
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(
        creds.access_key.clone(),
        creds.secret_key.clone(),
    ));
    Ok(builder.build())
}
