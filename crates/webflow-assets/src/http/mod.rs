//! The wire: one client per token, its rate budget, retries, the address guard for URL
//! sources, downloads, and the S3 form. Nothing here knows what an asset is.

pub(crate) mod address;
pub(crate) mod budget;
pub(crate) mod client;
pub(crate) mod download;
pub(crate) mod form;
pub(crate) mod retry;
pub(crate) mod transport;
