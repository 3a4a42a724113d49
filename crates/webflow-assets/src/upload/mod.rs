//! One call to put a file on a site: validate, hash, create, post the S3 form, confirm.
//!
//! The source (`source`), the builder and the sequence it runs (`builder`), reading and
//! hashing the source (`load`), the requests (`put`) and what comes back (`result`).

mod builder;
mod load;
pub(crate) mod plan;
mod put;
mod result;
mod source;

pub use builder::UploadBuilder;
#[cfg(feature = "fonts")]
pub(crate) use load::load;
pub use result::UploadedAsset;
pub use source::UploadSource;
