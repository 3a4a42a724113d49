//! What both servers received, for tests to assert on.

use std::sync::Mutex;

/// Which server saw a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The Webflow API (`/v2/...`).
    Webflow,
    /// The hosted-file route that serves uploaded bytes (`/cdn/...`).
    Hosted,
    /// The embedded S3.
    S3,
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    /// Which server received it.
    pub side: Side,
    /// HTTP method.
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    /// Every header, name lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    /// Size of the body in bytes.
    pub body_size: usize,
    /// The status answered, or `None` when the connection was dropped.
    pub status: Option<u16>,
}

impl LoggedRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether any header value contains `needle` (for example a token).
    pub fn mentions(&self, needle: &str) -> bool {
        self.headers.iter().any(|(_, v)| v.contains(needle)) || self.path.contains(needle)
    }
}

/// The shared log.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<Vec<LoggedRequest>>,
}

impl RequestLog {
    pub(crate) fn push(&self, entry: LoggedRequest) {
        self.entries.lock().expect("request log").push(entry);
    }

    /// A copy of everything logged so far.
    pub fn all(&self) -> Vec<LoggedRequest> {
        self.entries.lock().expect("request log").clone()
    }

    /// Forgets everything logged so far.
    pub fn clear(&self) {
        self.entries.lock().expect("request log").clear();
    }
}
