//! The body reader of every JSON answer (hand-written; `cargo xtask gen` points the generated
//! code here instead of at progenitor's `ResponseValue::from_response`).
//!
//! It does what progenitor's reader does (read the whole body, decode it as JSON, keep the
//! status and headers, and report a body that does not decode with its bytes) with less work
//! per call:
//!
//! * the headers are moved into the [`ResponseValue`], not cloned (a clone costs two
//!   allocations and a reference count per header);
//! * a body that arrives in one piece (every small answer) is decoded from that piece, with
//!   no copy;
//! * a body in many pieces is copied once into a buffer sized from `Content-Length`, and each
//!   piece is freed as it is copied: the peak is the body and one piece, not every piece plus
//!   a contiguous copy of them all (twice the body: a 6 MB catalogue held 12 MB);
//! * its future is about half the size of progenitor's (under 500 bytes, not 944), which
//!   keeps every generated request's future within the allocator's fast size classes.

use bytes::Bytes;
use std::future::Future;

use futures::StreamExt;
use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

use crate::hooks::BodyLimit;

/// The most a `Content-Length` may reserve up front. The header is the server's claim: a
/// larger one is believed only as the body arrives.
const MAX_RESERVATION: usize = 16 * 1024 * 1024;

/// Why a body could not be read whole.
#[derive(Debug)]
pub enum ReadError {
    /// The body stopped arriving (connection reset, cut short, timeout).
    Body(reqwest::Error),
    /// The body is longer than the limit (announced or received); it was not read further.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Body(e) => write!(f, "the response body could not be read: {e}"),
            ReadError::TooLarge { limit } => write!(
                f,
                "the response body is longer than the limit of {limit} bytes"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Body(e) => Some(e),
            ReadError::TooLarge { .. } => None,
        }
    }
}

/// The body limit the client's hooks attached to `response` ([`crate::hooks::Settings::with_max_body`]).
pub fn limit_of(response: &reqwest::Response) -> Option<usize> {
    response.extensions().get::<BodyLimit>().map(|l| l.0)
}

/// Where the pieces of a body come from: a response, or a stream of pieces (`ByteStream`).
pub trait Pieces {
    /// The next piece, `None` at the end.
    fn next_piece(&mut self) -> impl Future<Output = Option<reqwest::Result<Bytes>>>;
}

impl Pieces for reqwest::Response {
    // `chunk` (not a stream adapter): the smallest future.
    async fn next_piece(&mut self) -> Option<reqwest::Result<Bytes>> {
        self.chunk().await.transpose()
    }
}

impl Pieces for crate::ByteStream {
    fn next_piece(&mut self) -> impl Future<Output = Option<reqwest::Result<Bytes>>> {
        let stream: &mut std::pin::Pin<Box<_>> = self;
        stream.next()
    }
}

/// Reads a whole body from its pieces, refusing one longer than `limit` (announced by
/// `announced`, the `Content-Length`, or received). The one body reader of the workspace: JSON
/// answers ([`from_response`]), error bodies and streamed bodies (`ByteStream`) all go through
/// it.
pub async fn read<P: Pieces>(
    pieces: &mut P,
    announced: Option<u64>,
    limit: Option<usize>,
) -> Result<Bytes, ReadError> {
    if let (Some(limit), Some(announced)) = (limit, announced)
        && announced > limit as u64
    {
        return Err(ReadError::TooLarge { limit });
    }
    let mut body = Body::Empty;
    while let Some(chunk) = pieces.next_piece().await {
        body = body.push(chunk.map_err(ReadError::Body)?, announced);
        if let Some(limit) = limit
            && body.len() > limit
        {
            return Err(ReadError::TooLarge { limit });
        }
    }
    Ok(body.into_bytes())
}

/// Reads `response`'s whole body ([`read`], with the limit its client attached) and decodes it
/// as JSON into `T`.
///
/// A body that fails to arrive is [`Error::ResponseBodyError`]; one that does not decode is
/// [`Error::InvalidResponsePayload`] with the bytes received, as progenitor reports them. A
/// body longer than the limit is [`Error::InvalidResponsePayload`] with no bytes.
///
/// This and [`answer`] are plain functions returning an `async move` block, not `async fn`s: an
/// `async fn` keeps its arguments twice in its future (as passed, and moved into its body), and
/// the response is 136 bytes of every request's future.
#[allow(clippy::manual_async_fn)] // On purpose: see above.
pub fn from_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    let limit = limit_of(&response);
    async move {
        // Before any read: the body's size hint is what remains to be read, so it shrinks as
        // the pieces arrive.
        let announced = response.content_length();
        let read = read(&mut response, announced, limit).await;
        decode(response, read)
    }
}

/// The whole answer of an operation to a request sent without the generated code, read as the
/// generated code reads it, and the response's status: a success (any 2xx) decoded as `T`, an
/// error status of `error_statuses` (the operation's documented ones) decoded as the API's error
/// type `E` ([`Error::ErrorResponse`]), any other status [`Error::UnexpectedResponse`]. The
/// body is read with `limit` ([`read`]).
///
/// One reader for all three cases: its future is the only one a request's future holds while
/// the body arrives.
#[allow(clippy::manual_async_fn)] // On purpose: see [`from_response`].
pub fn answer<'s, T: DeserializeOwned, E: DeserializeOwned>(
    mut response: reqwest::Response,
    limit: Option<usize>,
    error_statuses: &'s [u16],
) -> impl Future<Output = (Result<ResponseValue<T>, Error<E>>, u16)> + 's {
    async move {
        let status = response.status();
        if !status.is_success() && !error_statuses.contains(&status.as_u16()) {
            return (Err(Error::UnexpectedResponse(response)), status.as_u16());
        }
        let announced = response.content_length();
        let read = read(&mut response, announced, limit).await;
        let answer = if status.is_success() {
            decode(response, read)
        } else {
            match decode::<E, E>(response, read) {
                Ok(body) => Err(Error::ErrorResponse(body)),
                Err(e) => Err(e),
            }
        };
        (answer, status.as_u16())
    }
}

/// Decodes the body `read` from `response` (its status and headers are moved into the value).
///
/// A body that fails to arrive is [`Error::ResponseBodyError`]; one that does not decode is
/// [`Error::InvalidResponsePayload`] with the bytes received; one over the limit is
/// [`Error::InvalidResponsePayload`] with no bytes.
// The error is progenitor's, as the generated code returns it.
#[allow(clippy::result_large_err)]
fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
    read: Result<Bytes, ReadError>,
) -> Result<ResponseValue<T>, Error<E>> {
    // Read after the body, so that they are not held across its reads: a smaller future.
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let full = match read {
        Ok(full) => full,
        Err(ReadError::Body(e)) => return Err(Error::ResponseBodyError(e)),
        Err(e @ ReadError::TooLarge { .. }) => {
            // Reported as a payload that could not be decoded (the answer arrived, and was
            // not read), with no bytes.
            return Err(Error::InvalidResponsePayload(
                Bytes::new(),
                <serde_json::Error as serde::de::Error>::custom(e.to_string()),
            ));
        }
    };
    match serde_json::from_slice(&full) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => Err(Error::InvalidResponsePayload(full, e)),
    }
}

/// A body being read.
enum Body {
    Empty,
    /// One piece so far: kept as received.
    One(Bytes),
    /// More: copied into one buffer.
    Many(Vec<u8>),
}

impl Body {
    fn len(&self) -> usize {
        match self {
            Body::Empty => 0,
            Body::One(bytes) => bytes.len(),
            Body::Many(buffer) => buffer.len(),
        }
    }

    fn push(self, chunk: Bytes, content_length: Option<u64>) -> Body {
        match self {
            Body::Empty => Body::One(chunk),
            Body::One(first) => {
                let mut buffer = Vec::with_capacity(reservation(
                    content_length,
                    first.len().saturating_add(chunk.len()),
                ));
                buffer.extend_from_slice(&first);
                buffer.extend_from_slice(&chunk);
                Body::Many(buffer)
            }
            Body::Many(mut buffer) => {
                buffer.extend_from_slice(&chunk);
                Body::Many(buffer)
            }
        }
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Body::Empty => Bytes::new(),
            Body::One(bytes) => bytes,
            // `Bytes` keeps a `Vec`'s spare capacity: give back what a body of unknown or
            // wrong length left (a large block shrinks in place).
            Body::Many(mut buffer) => {
                buffer.shrink_to_fit();
                Bytes::from(buffer)
            }
        }
    }
}

/// The capacity to reserve when a second piece arrives: the announced length, if it is at
/// least what has arrived and at most [`MAX_RESERVATION`]; otherwise what has arrived.
fn reservation(content_length: Option<u64>, received: usize) -> usize {
    content_length
        .and_then(|n| usize::try_from(n).ok())
        .map_or(received, |n| {
            n.clamp(received, MAX_RESERVATION.max(received))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `response` as the client's hooks hand it over with a body limit.
    fn limited(mut response: reqwest::Response, limit: usize) -> reqwest::Response {
        response.extensions_mut().insert(BodyLimit(limit));
        response
    }

    /// A response whose body arrives in these pieces, with no announced length.
    fn streamed(pieces: &[&'static str]) -> reqwest::Response {
        let pieces: Vec<Result<Bytes, std::io::Error>> = pieces
            .iter()
            .map(|p| Ok(Bytes::from_static(p.as_bytes())))
            .collect();
        let body = reqwest::Body::wrap_stream(futures::stream::iter(pieces));
        reqwest::Response::from(http::Response::new(body))
    }

    fn is_too_large<T: std::fmt::Debug>(
        result: Result<ResponseValue<T>, Error<()>>,
        limit: usize,
    ) -> bool {
        match result {
            Err(Error::InvalidResponsePayload(bytes, e)) => {
                bytes.is_empty()
                    && e.to_string()
                        .contains(&format!("longer than the limit of {limit} bytes"))
            }
            _ => false,
        }
    }

    #[tokio::test]
    async fn a_body_of_unknown_length_is_read_whole_from_its_pieces() {
        let response = streamed(&["{\"a\": [1,", " 2, 3", "], \"b\"", ": \"x\"}"]);
        assert_eq!(response.content_length(), None);
        let value = from_response::<serde_json::Value, ()>(response)
            .await
            .unwrap()
            .into_inner();
        assert_eq!(value, serde_json::json!({"a": [1, 2, 3], "b": "x"}));
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_refused_announced_or_received() {
        // Received: no length announced, the third piece crosses the limit.
        let response = streamed(&["[1,2,3,", "4,5,6,", "7,8,9]"]);
        let result = from_response::<serde_json::Value, ()>(limited(response, 13)).await;
        assert!(is_too_large(result, 13));

        // Announced: refused before reading.
        let response = reqwest::Response::from(http::Response::new(reqwest::Body::from(
            "[1,2,3,4,5,6,7,8,9]",
        )));
        assert_eq!(response.content_length(), Some(19));
        let result = from_response::<serde_json::Value, ()>(limited(response, 18)).await;
        assert!(is_too_large(result, 18));

        // At the limit: read.
        let response = streamed(&["[1,2,3,", "4,5,6,", "7,8,9]"]);
        let result = from_response::<Vec<u8>, ()>(limited(response, 19)).await;
        assert_eq!(result.unwrap().into_inner(), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn the_reservation_believes_content_length_only_within_bounds() {
        // What the server announced.
        assert_eq!(reservation(Some(6_000_000), 32_768), 6_000_000);
        // No announcement (chunked): what has arrived, then the buffer grows.
        assert_eq!(reservation(None, 32_768), 32_768);
        // An announcement below what already arrived is wrong: what arrived.
        assert_eq!(reservation(Some(10), 32_768), 32_768);
        // A huge announcement is capped (believed only as the body arrives).
        assert_eq!(reservation(Some(u64::MAX), 32_768), MAX_RESERVATION);
        assert_eq!(reservation(Some(1 << 40), 32_768), MAX_RESERVATION);
        // ... but never below what arrived.
        assert_eq!(
            reservation(Some(u64::MAX), MAX_RESERVATION + 1),
            MAX_RESERVATION + 1
        );
    }

    #[test]
    fn a_body_of_unknown_length_keeps_no_spare_capacity() {
        let mut body = Body::Empty;
        for _ in 0..5 {
            body = body.push(Bytes::from(vec![b' '; 1000]), None);
        }
        let Body::Many(buffer) = &body else {
            panic!("five pieces are many")
        };
        assert!(buffer.capacity() > buffer.len(), "grown by doubling");
        let bytes = body.into_bytes();
        assert_eq!(bytes.len(), 5000);
        // Converted back, the buffer is exactly the body.
        let back: Vec<u8> = bytes.into();
        assert_eq!(back.capacity(), 5000);
    }

    #[test]
    fn pieces_are_joined_in_order_and_one_piece_is_not_copied() {
        let one = Bytes::from_static(b"{\"a\":1}");
        let body = Body::Empty.push(one.clone(), Some(7));
        let bytes = body.into_bytes();
        assert_eq!(bytes, one);
        // The same allocation: no copy.
        assert_eq!(bytes.as_ptr(), one.as_ptr());

        let mut body = Body::Empty;
        for piece in [&b"{\"a\":"[..], b"[1,", b"2]", b"}"] {
            body = body.push(Bytes::copy_from_slice(piece), Some(11));
        }
        assert_eq!(&body.into_bytes()[..], b"{\"a\":[1,2]}");

        assert!(Body::Empty.into_bytes().is_empty());
    }
}
