//! The one path every generated request takes: headers added here, then a pluggable
//! [`Transport`] sends it. This is the only hand-written code of the crate; it exists because
//! progenitor's `ClientHooks` must be implemented in the crate that defines `Client`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use progenitor_client::{ClientHooks, Error, OperationInfo};
use reqwest::header::HeaderMap;

/// A boxed, sendable future, as [`Transport::send`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one API request on behalf of the generated client: the place for rate limiting,
/// retries and logging. It returns the final response, whatever its status; the generated code
/// turns it into the operation's result.
pub trait Transport: Send + Sync {
    /// Sends `request` (whose headers are already set) with `http`. `operation` is the
    /// operationId, such as `create_asset`.
    fn send<'a>(
        &'a self,
        http: &'a reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> BoxFuture<'a, reqwest::Result<reqwest::Response>>;
}

/// What the generated client carries besides its base URL and `reqwest::Client`: headers for
/// every API request (the bearer token, the user agent) and the transport that sends them.
#[derive(Clone, Default)]
pub struct Hooks {
    headers: HeaderMap,
    transport: Option<Arc<dyn Transport>>,
}

impl Hooks {
    /// Adds `headers` to every API request and sends each with `reqwest::Client::execute`.
    pub fn new(headers: HeaderMap) -> Self {
        Self {
            headers,
            transport: None,
        }
    }

    /// Sends every request through `transport` instead.
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }
}

impl fmt::Debug for Hooks {
    /// Header names only: their values include the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("transport", &self.transport.is_some())
            .finish()
    }
}

impl ClientHooks<Hooks> for crate::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        for (name, value) in &self.inner.headers {
            request.headers_mut().insert(name, value.clone());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match &self.inner.transport {
            Some(transport) => {
                transport
                    .send(&self.client, request, info.operation_id)
                    .await
            }
            None => self.client.execute(request).await,
        }
    }
}
