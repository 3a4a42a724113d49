//! Reading a source whole, checked and hashed, before the first request.

use std::path::PathBuf;

use bytes::Bytes;
use tokio::io::AsyncReadExt;

use crate::error::Error;
use crate::hash;
use crate::http::client::Client;
use crate::upload::UploadSource;
use crate::upload::source::Source;
use crate::validate::{Kind, Rule, check_file_name, check_size};

/// A file read whole, checked and hashed.
pub(super) struct Checked {
    pub(super) content_type: &'static str,
    pub(super) bytes: Bytes,
    pub(super) md5: String,
}

/// Checks the file's name, reads it (refusing it as soon as it is known to be too large),
/// checks its size and hashes it: everything an upload does before its first request.
pub(super) async fn read_checked(
    client: &Client,
    source: UploadSource,
    name: &str,
) -> Result<Checked, Error> {
    let (kind, content_type) = check_file_name(name)?;
    let bytes = load(client, source, kind).await?;
    check_size(kind, bytes.len() as u64, client.limits())?;
    tracing::Span::current().record("size", bytes.len());
    let md5 = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || hash::md5_bytes(&bytes))
            .await
            .map_err(|e| Error::Io {
                operation: crate::IoOperation::Reading,
                path: name.into(),
                source: std::io::Error::other(e),
            })?
    };
    Ok(Checked {
        content_type,
        bytes,
        md5,
    })
}

/// Reads the whole source once (the bytes hashed are the bytes sent), refusing a source larger
/// than its kind allows before reading it.
pub(crate) async fn load(
    client: &Client,
    source: UploadSource,
    kind: Kind,
) -> Result<Bytes, Error> {
    crate::runtime::current()?;
    let limits = client.limits();
    let too_large = |size: u64| check_size(kind, size, limits).map_err(Error::from);
    match source.0 {
        Source::Bytes { bytes, .. } => Ok(bytes),
        Source::Path(path) => {
            let io = |source| Error::Io {
                operation: crate::IoOperation::Reading,
                path: path.clone(),
                source,
            };
            too_large(tokio::fs::metadata(&path).await.map_err(io)?.len().max(1))?;
            let read_path = path.clone();
            let bytes = tokio::task::spawn_blocking(move || std::fs::read(read_path))
                .await
                .map_err(|e| io(std::io::Error::other(e)))?
                .map_err(io)?;
            Ok(Bytes::from(bytes))
        }
        Source::Reader {
            file_name,
            length,
            mut reader,
        } => {
            too_large(length.max(1))?;
            let mut bytes = Vec::with_capacity(length as usize);
            (&mut reader)
                .take(length + 1)
                .read_to_end(&mut bytes)
                .await
                .map_err(|source| Error::Io {
                    operation: crate::IoOperation::Reading,
                    path: PathBuf::from(&file_name),
                    source,
                })?;
            if bytes.len() as u64 != length {
                let actual = bytes.len() as u64;
                return Err(Rule::LengthMismatch {
                    declared: length,
                    actual,
                }
                .into());
            }
            Ok(Bytes::from(bytes))
        }
        Source::Url(url, purpose) => {
            let (response, _) =
                crate::http::download::open(client.fetcher(), &url, purpose).await?;
            crate::http::download::read(response, too_large).await
        }
        Source::Response { response, .. } => crate::http::download::read(response, too_large).await,
    }
}
