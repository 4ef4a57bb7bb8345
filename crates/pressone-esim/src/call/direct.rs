//! Requests the SDK builds itself, beside the generated client, where the generated code's
//! own cost shows: the catalogue (decoded straight into domain types) and the per-call usage
//! read (its URL extends the base URL parsed once, instead of a URL text formatted and parsed
//! again, host and IDNA included, on every call).

use pressone_esim_raw::OperationId;
use progenitor_client::{ClientHooks, ClientInfo, Error as RawError, OperationInfo, ResponseValue};
use reqwest::header::{ACCEPT, HeaderValue};
use serde::de::DeserializeOwned;

use crate::raw::{self, body};

/// A GET of `url` on `raw`'s HTTP client (its settings: timeouts, TLS, compression).
pub(crate) fn get(raw: &raw::Client, url: url::Url) -> reqwest::RequestBuilder {
    raw.client().get(url)
}

/// Sends `request` (built by the caller for `op`) as the generated client sends its requests:
/// `Accept: application/json`, the client hooks (credentials and settings, the call's context),
/// and the statuses of the operation table (so this and the generated request of the same
/// operation cannot disagree): the documented success body decoded as `T`, a documented error
/// status's body as the API's error type `E`, any other status an unexpected response.
pub(crate) async fn send<T: DeserializeOwned, E: DeserializeOwned>(
    raw: &raw::Client,
    op: OperationId,
    request: reqwest::RequestBuilder,
) -> Result<ResponseValue<T>, RawError<E>> {
    let mut request = request
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .build()?;
    let info = OperationInfo {
        operation_id: op.as_str(),
    };
    raw.pre(&mut request, &info).await?;
    let result = raw.exec(request, &info).await;
    raw.post(&result, &info).await?;
    let response = result?;
    let status = response.status().as_u16();
    if status == op.info().success_status {
        body::from_response(response).await
    } else if op.info().error_statuses.contains(&status) {
        Err(RawError::ErrorResponse(
            body::from_response(response).await?,
        ))
    } else {
        Err(RawError::UnexpectedResponse(response))
    }
}
