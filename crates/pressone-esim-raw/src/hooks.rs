//! Hand-written hooks of the generated client (never inside `generated.rs`).
//!
//! The generated `Client` calls [`ClientHooks::pre`] before sending and [`ClientHooks::exec`] to
//! send. Client-wide settings (form encoding, timeout, body limit, headers such as the
//! `User-Agent`) are a [`Settings`] given once to `Client::new_with_client`. Per-call values
//! reach the hooks through a task-local [`CallContext`] set with [`with_context`]: the
//! `Authorization` header to add (the caller, not the hook, obtains the token so that token
//! errors stay typed), and a slot where the hook records the HTTP status of the response
//! (progenitor drops it when a body fails to decode).

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};

use crate::Client;

/// How form bodies (token, submit order, submit top-up) are encoded on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FormEncoding {
    /// `application/x-www-form-urlencoded`, what the generated client sends.
    #[default]
    UrlEncoded,
    /// `multipart/form-data`, as the PressOne pages show; the hook re-encodes the body.
    Multipart,
}

/// The settings of a client, applied by the hooks to each of its requests.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    headers: Vec<(HeaderName, HeaderValue)>,
    form: FormEncoding,
    timeout: Option<Duration>,
    max_body: Option<usize>,
}

impl Settings {
    /// No extra header, URL-encoded forms, no timeout but the HTTP client's, no body limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets this header on every request that does not have it (e.g. `User-Agent`, or the
    /// `Accept` the generated code leaves out where the spec documents another media type):
    /// a request that has it (every other `Accept`) is left as it is, at the cost of a lookup.
    /// Not for credentials: they are per call ([`CallContext::with_auth`]).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Sets the total timeout of each request (connect, send and read of the whole body).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Refuses an answer whose body is longer than `bytes` (announced or received): see
    /// [`crate::body::from_response`].
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = Some(bytes);
        self
    }

    /// Sets how form bodies are encoded.
    pub fn with_form_encoding(mut self, form: FormEncoding) -> Self {
        self.form = form;
        self
    }

    /// The body limit ([`Settings::with_max_body`]).
    pub fn max_body(&self) -> Option<usize> {
        self.max_body
    }
}

/// The body limit of one response, put in its extensions by the hook that received it and read
/// by [`crate::body::from_response`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyLimit(pub usize);

/// Per-call values read by the hooks. Build one per call and run the call inside
/// [`with_context`]: its headers are moved into the first request sent in it.
#[derive(Default)]
pub struct CallContext {
    // Apart from the others: most calls add only it, and then the context allocates nothing.
    // Both are moved into the request, not cloned: a cached `Authorization` value is shared,
    // and a clone would touch its reference count (contended between threads) twice more.
    auth: Cell<Option<(HeaderName, HeaderValue)>>,
    headers: Cell<Vec<(HeaderName, HeaderValue)>>,
    status: Cell<Option<u16>>,
}

// By hand: the headers sit in cells (moved out when the request is built); their values,
// credentials among them, are not shown anyway.
impl std::fmt::Debug for CallContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallContext")
            .field("status", &self.status.get())
            .finish_non_exhaustive()
    }
}

impl CallContext {
    /// A context that adds nothing and records the response status.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds this credential header (normally `Authorization: Bearer …`) to the request,
    /// marked sensitive so `http` and `reqwest` keep it out of their `Debug` output.
    pub fn with_auth(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        value.set_sensitive(true);
        self.auth = Cell::new(Some((name, value)));
        self
    }

    /// Sets this header on the request, replacing any value the generated code set.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.get_mut().push((name, value));
        self
    }
}

tokio::task_local! {
    static CONTEXT: CallContext;
}

/// Runs `call` (a generated request's `send()`) with `context` visible to the hooks, and
/// returns its output together with the HTTP status of the response, if one arrived.
///
/// A plain function returning the scoped future (not an `async fn`), so `call` is stored once
/// in the returned future rather than also as an argument of an outer state machine.
pub fn with_context<F: Future>(
    context: CallContext,
    call: F,
) -> impl Future<Output = (F::Output, Option<u16>)> {
    CONTEXT.scope(context, async move {
        let out = call.await;
        let status = CONTEXT.try_with(|c| c.status.get()).ok().flatten();
        (out, status)
    })
}

impl Client {
    /// Prepares `request`, built outside the generated code, as the [`ClientHooks::pre`] hook
    /// prepares a generated one: the client's settings (headers it lacks, the timeout, the form
    /// encoding) and `context`'s headers, which are moved into it. A request prepared here and
    /// sent with `self.client().execute` needs no task-local context: its caller reads the
    /// status from the response and the body limit from [`Settings::max_body`].
    pub fn prepare(&self, request: &mut reqwest::Request, context: Option<&CallContext>) {
        // progenitor's `api-version` header is not generated at all (see
        // xtask/src/api_version.rs): this API does not know it.
        let settings = self.inner();
        for (name, value) in &settings.headers {
            if !request.headers().contains_key(name) {
                request.headers_mut().insert(name.clone(), value.clone());
            }
        }
        if let Some(timeout) = settings.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        if let Some(context) = context {
            // Taken: a context serves one request (the executor builds one per attempt).
            let auth = context.auth.take();
            for (name, value) in auth.into_iter().chain(context.headers.take()) {
                request.headers_mut().insert(name, value);
            }
        }
        if settings.form == FormEncoding::Multipart {
            to_multipart(request);
        }
    }
}

impl ClientHooks<Settings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // Without a context (the raw client used on its own) only the settings apply.
        if CONTEXT
            .try_with(|context| self.prepare(request, Some(context)))
            .is_err()
        {
            self.prepare(request, None);
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let result = self.client().execute(request).await;
        match result {
            Ok(response) => {
                let status = response.status().as_u16();
                let _ = CONTEXT.try_with(|ctx| ctx.status.set(Some(status)));
                let mut response = as_documented_success(response, info.operation_id);
                if let Some(limit) = self.inner().max_body {
                    response.extensions_mut().insert(BodyLimit(limit));
                }
                Ok(response)
            }
            Err(e) => Err(e),
        }
    }
}

/// A success answered with another 2xx status than the spec documents (an order answered 201,
/// a claim answered 200) is given the documented status, so its body is decoded instead of the
/// answer being lost as "unexpected". The recorded status stays the real one.
fn as_documented_success(response: reqwest::Response, operation_id: &str) -> reqwest::Response {
    let status = response.status();
    let documented = crate::OperationId::from_name(operation_id)
        .and_then(|op| reqwest::StatusCode::from_u16(op.info().success_status).ok());
    match documented {
        Some(documented) if status.is_success() && status != documented => {
            let mut response: http::Response<reqwest::Body> = response.into();
            *response.status_mut() = documented;
            reqwest::Response::from(response)
        }
        _ => response,
    }
}

/// Re-encodes an `application/x-www-form-urlencoded` body as `multipart/form-data`.
fn to_multipart(request: &mut reqwest::Request) {
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return;
    }
    let Some(bytes) = request.body().and_then(reqwest::Body::as_bytes) else {
        return;
    };
    let fields: Vec<(String, String)> = form_urlencoded::parse(bytes).into_owned().collect();
    let (content_type, body) = multipart_body(&fields);
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        request.headers_mut().insert(CONTENT_TYPE, value);
        *request.body_mut() = Some(reqwest::Body::from(body));
    }
}

/// Builds a `multipart/form-data` body of text fields; returns the content type and the body.
pub fn multipart_body(fields: &[(String, String)]) -> (String, Vec<u8>) {
    let boundary = boundary_for(fields);
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        // Quotes, CR and LF in a field name are percent-escaped as the HTML standard does.
        for ch in name.chars() {
            match ch {
                '"' => body.extend_from_slice(b"%22"),
                '\r' => body.extend_from_slice(b"%0D"),
                '\n' => body.extend_from_slice(b"%0A"),
                c => body.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
        body.extend_from_slice(b"\"\r\n\r\n");
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--");
    body.extend_from_slice(boundary.as_bytes());
    body.extend_from_slice(b"--\r\n");
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A boundary that occurs in no field: a fixed prefix and a counter, grown until unique.
fn boundary_for(fields: &[(String, String)]) -> String {
    let mut n: u64 = 0x5052_4553_534f_4e45; // "PRESSONE"
    loop {
        let candidate = format!("pressone-esim-{n:016x}");
        if fields
            .iter()
            .all(|(k, v)| !k.contains(&candidate) && !v.contains(&candidate))
        {
            return candidate;
        }
        n = n.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_body_has_every_field_and_a_unique_boundary() {
        let fields = vec![
            (
                "package_id".to_string(),
                "kallur-digital-7days-1gb".to_string(),
            ),
            ("quantity".to_string(), "2".to_string()),
            (
                "description".to_string(),
                "pressone-esim-5052455353534f4e45 inside".to_string(),
            ),
        ];
        let (ct, body) = multipart_body(&fields);
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains("name=\"package_id\"\r\n\r\nkallur-digital-7days-1gb\r\n"));
        assert!(text.contains("name=\"quantity\"\r\n\r\n2\r\n"));
        assert_eq!(text.matches(&format!("--{boundary}")).count(), 4);
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }
}
