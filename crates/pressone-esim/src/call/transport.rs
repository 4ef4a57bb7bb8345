//! What every call needs apart from the token: the raw clients (with their client-wide
//! settings), the retry policy and the credentials headers.

use std::sync::{Arc, Weak};

use arc_swap::ArcSwapOption;
use pressone_esim_raw::Api;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::raw;
use crate::retry::RetryPolicy;
use crate::token::Token;

/// The raw clients of both APIs, the retry policy and the voice API key.
pub(crate) struct Transport {
    data: raw::Client,
    voice: raw::Client,
    /// The body limit the raw clients' settings hold, for bodies read as streams.
    max_body: usize,
    retry: RetryPolicy,
    voice_api_key: Option<(HeaderName, HeaderValue)>,
    /// The `Authorization` value of the token in use, built once per token rather than once
    /// per call (see `Transport::bearer`).
    bearer: BearerCache,
}

impl Transport {
    /// `settings` apply to every request of both APIs.
    pub(crate) fn new(
        data: (&str, reqwest::Client),
        voice: (&str, reqwest::Client),
        settings: raw::hooks::Settings,
        retry: RetryPolicy,
        voice_api_key: Option<(HeaderName, HeaderValue)>,
    ) -> Self {
        let max_body = settings.max_body().unwrap_or(usize::MAX);
        Transport {
            data: raw::Client::new_with_client(data.0, data.1, settings.clone()),
            voice: raw::Client::new_with_client(voice.0, voice.1, settings),
            max_body,
            retry,
            voice_api_key,
            bearer: BearerCache::default(),
        }
    }

    pub(crate) fn raw(&self, api: Api) -> &raw::Client {
        match api {
            Api::Data => &self.data,
            Api::Voice => &self.voice,
        }
    }

    pub(crate) fn max_body(&self) -> usize {
        self.max_body
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Whether `api` is authenticated with the API key instead of the token.
    pub(crate) fn uses_api_key(&self, api: Api) -> bool {
        api == Api::Voice && self.voice_api_key.is_some()
    }

    /// The credentials header of a call to `api` with `token`.
    pub(crate) fn auth_header(
        &self,
        api: Api,
        token: Option<&Arc<Token>>,
    ) -> Option<(HeaderName, HeaderValue)> {
        if let (Api::Voice, Some((name, value))) = (api, &self.voice_api_key) {
            return Some((name.clone(), value.clone()));
        }
        self.bearer(token?).map(|v| (AUTHORIZATION, v))
    }

    /// Forgets the header of a token the server refused.
    pub(crate) fn forget_bearer(&self) {
        self.bearer.clear();
    }

    /// `Bearer <token>`, built (and marked sensitive) once per token, not once per call.
    fn bearer(&self, token: &Arc<Token>) -> Option<HeaderValue> {
        if let Some(value) = self.bearer.get(token) {
            return Some(value);
        }
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret())).ok()?;
        value.set_sensitive(true);
        self.bearer.set(token, &value);
        Some(value)
    }
}

/// The last token's `Bearer …` header value, keyed by the token's allocation.
///
/// The `Weak` keeps the allocation's address from being reused while the entry exists, so an
/// address match is the same token. A refused token's entry is cleared.
#[derive(Default)]
struct BearerCache(ArcSwapOption<(Weak<Token>, HeaderValue)>);

impl BearerCache {
    /// The cached value for `token`, if it is the cached one (a lock-free read).
    fn get(&self, token: &Arc<Token>) -> Option<HeaderValue> {
        let cache = self.0.load();
        let (cached, value) = cache.as_deref()?;
        std::ptr::eq(cached.as_ptr(), Arc::as_ptr(token)).then(|| value.clone())
    }

    /// Caches `value` as `token`'s header value.
    fn set(&self, token: &Arc<Token>, value: &HeaderValue) {
        self.0
            .store(Some(Arc::new((Arc::downgrade(token), value.clone()))));
    }

    /// Forgets the cached value (after the server refused its token).
    fn clear(&self) {
        self.0.store(None);
    }
}
