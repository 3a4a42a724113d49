//! Whether the caller runs inside a Tokio runtime. Every request, blocking job, `tokio::fs`
//! call and spawned run needs one, and outside one Tokio panics; each of those mechanisms
//! (not each public method above them) asks here first, so a call from outside a runtime is
//! [`Error::NoRuntime`] with nothing done.

use crate::error::Error;

/// The current Tokio runtime, or [`Error::NoRuntime`] outside one.
pub(crate) fn current() -> Result<tokio::runtime::Handle, Error> {
    tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)
}
