//! Requests the SDK builds itself, beside the generated client, where the generated code's
//! own cost shows: the catalogue (decoded straight into domain types) and the per-call usage
//! read (its URL extends the base URL parsed once, instead of a URL text formatted and parsed
//! again, host and IDNA included, on every call).
//!
//! They are sent without the task-local context the generated requests need: the call's
//! headers are put on the request here ([`crate::raw::Client::prepare`], the same code as the
//! hook), and the status is read from the response.

use std::future::Future;

use pressone_esim_raw::OperationId;
use progenitor_client::{ClientInfo, Error as RawError, ResponseValue};
use reqwest::header::{ACCEPT, HeaderValue};
use serde::de::DeserializeOwned;

use crate::raw::hooks::CallContext;
use crate::raw::{self, body};

/// What one attempt of a request gives the executor: the answer, and the HTTP status of the
/// response if one arrived (also when its body could not be read or decoded).
pub(crate) type Attempt<T, E> = (Result<ResponseValue<T>, RawError<E>>, Option<u16>);

/// A GET of `url` on `raw`'s HTTP client (its settings: timeouts, TLS, compression).
pub(crate) fn get(raw: &raw::Client, url: url::Url) -> reqwest::RequestBuilder {
    raw.client().get(url)
}

/// Sends `request` (built by the caller for `op`) as the generated client sends its requests:
/// `Accept: application/json`, the client's settings and the call's `context` (credentials),
/// and the statuses of the operation table (so this and the generated request of the same
/// operation cannot disagree): a success body decoded as `T` (any 2xx, as the hooks read an
/// undocumented success status), a documented error status's body as the API's error type
/// `E`, any other status an unexpected response.
///
/// The request is built, prepared and handed to the HTTP client before the returned future
/// starts: that future holds the HTTP client's own (boxed) future, not the request and its
/// builder, so it is a few hundred bytes, and every move of it (into the span, the executor's
/// loop, the caller's future) copies that much.
pub(crate) fn send<'r, T: DeserializeOwned, E: DeserializeOwned>(
    raw: &'r raw::Client,
    op: OperationId,
    request: reqwest::RequestBuilder,
    context: CallContext,
) -> impl Future<Output = Attempt<T, E>> + 'r {
    let pending = request
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .build()
        .map(|mut request| {
            raw.prepare(&mut request, Some(&context));
            raw.client().execute(request)
        });
    drop(context);
    let limit = raw.inner().max_body();
    async move {
        // Each answer is matched in the statement that receives it, so no temporary of it is
        // kept in this future while the body is read.
        let response = match pending {
            Ok(pending) => match pending.await {
                Ok(response) => response,
                Err(e) => return (Err(RawError::from(e)), None),
            },
            Err(e) => return (Err(RawError::from(e)), None),
        };
        let (answer, status) = body::answer(response, limit, op.info().error_statuses).await;
        (answer, Some(status))
    }
}
