//! What every call needs apart from the token: the raw clients (with their client-wide
//! settings), the retry policy and the credentials headers.

use std::sync::Arc;

use pressone_esim_raw::{Api, OperationId};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use url::Url;

use crate::error::{Error, Result};

use crate::raw;
use crate::retry::RetryPolicy;
use crate::token::Token;

/// The raw clients of both APIs, the retry policy and the voice API key.
pub(crate) struct Transport {
    data: raw::Client,
    voice: raw::Client,
    /// Each operation's URL up to its first path parameter, on its API's base URL, and the
    /// rest of its path template (see [`Prefix`]), by operation: built once, so that the
    /// requests the SDK builds itself ([`Transport::url`]) extend them instead of parsing a URL
    /// text, or pushing every segment again, per call.
    prefixes: Vec<Prefix>,
    /// The base URLs of both APIs, parsed once.
    data_url: Url,
    voice_url: Url,
    /// The body limit the raw clients' settings hold, for bodies read as streams.
    max_body: usize,
    retry: RetryPolicy,
    voice_api_key: Option<(HeaderName, HeaderValue)>,
}

impl Transport {
    /// `settings` apply to every request of both APIs.
    pub(crate) fn new(
        data: (&str, reqwest::Client),
        voice: (&str, reqwest::Client),
        settings: raw::hooks::Settings,
        retry: RetryPolicy,
        voice_api_key: Option<(HeaderName, HeaderValue)>,
    ) -> Result<Self> {
        let max_body = settings.max_body().unwrap_or(usize::MAX);
        let parse = |base: &str| {
            Url::parse(base).map_err(|e| Error::config(format!("the base URL is not a URL: {e}")))
        };
        let (data_url, voice_url) = (parse(data.0)?, parse(voice.0)?);
        let prefixes = OperationId::ALL
            .iter()
            .map(|op| Prefix::new(*op, base_of(op.info().api, &data_url, &voice_url)))
            .collect();
        Ok(Transport {
            prefixes,
            data_url,
            voice_url,
            data: raw::Client::new_with_client(data.0, data.1, settings.clone()),
            voice: raw::Client::new_with_client(voice.0, voice.1, settings),
            max_body,
            retry,
            voice_api_key,
        })
    }

    /// The URL of `op` with its path parameters `args` in order (each percent-encoded as one
    /// path segment, as the generated client encodes them), on the parsed base URL of its API.
    pub(crate) fn url(&self, op: OperationId, args: &[&str]) -> Url {
        // `ALL` lists the operations in declaration order, so this is the operation's own entry.
        match self.prefixes.get(op as usize) {
            Some(prefix) if prefix.op == op => prefix.url(args),
            _ => {
                let base = base_of(op.info().api, &self.data_url, &self.voice_url);
                Prefix::new(op, base).url(args)
            }
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
        token?.bearer().map(|v| (AUTHORIZATION, v))
    }
}

/// An operation's URL up to its first path parameter (the whole URL for a path without one),
/// and the rest of its path template from that parameter on.
struct Prefix {
    op: OperationId,
    url: Url,
    rest: Option<&'static str>,
}

/// The base URL of `api`: `data` or `voice`.
fn base_of<'u>(api: Api, data: &'u Url, voice: &'u Url) -> &'u Url {
    match api {
        Api::Data => data,
        Api::Voice => voice,
    }
}

impl Prefix {
    /// The prefix of `op`'s path template (e.g. `/customer/v2/sims/{iccid}/usage`) on `base`.
    fn new(op: OperationId, base: &Url) -> Prefix {
        let path = op.info().path.trim_start_matches('/');
        // Up to the `/` before the first parameter (not pushed: the parameter is the next
        // segment), or the whole path, its trailing empty segment (`…/user/`) included.
        let (fixed, rest) = match path.find('{') {
            Some(at) => (path[..at].strip_suffix('/'), Some(&path[at..])),
            None => (Some(path), None),
        };
        let mut url = base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            if let Some(fixed) = fixed {
                segments.extend(fixed.split('/'));
            }
        }
        Prefix { op, url, rest }
    }

    /// The URL with the path parameters `args` in order, and the rest of the template.
    fn url(&self, args: &[&str]) -> Url {
        let mut url = self.url.clone();
        if let Some(rest) = self.rest
            && let Ok(mut segments) = url.path_segments_mut()
        {
            let mut args = args.iter();
            for segment in rest.split('/') {
                let filled = if segment.starts_with('{') {
                    args.next().copied().unwrap_or(segment)
                } else {
                    segment
                };
                segments.push(filled);
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(data: &str, voice: &str) -> Transport {
        let http = reqwest::Client::new();
        Transport::new(
            (data, http.clone()),
            (voice, http),
            raw::hooks::Settings::default(),
            RetryPolicy::default(),
            None,
        )
        .unwrap()
    }

    #[test]
    fn urls_extend_the_parsed_base_as_the_generated_client_formats_them() {
        let t = transport("https://gw.example.com/p", "https://voice.example.com");
        // A path parameter is one segment (its `/` and `?` encoded, not followed); the voice
        // API's paths keep their trailing slash; each API has its own base.
        let cases: [(OperationId, &[&str], &str); 4] = [
            (
                OperationId::GetUsage,
                &["894"],
                "gw.example.com/p/customer/v2/sims/894/usage",
            ),
            (
                OperationId::GetPackages,
                &[],
                "gw.example.com/p/customer/v2/packages",
            ),
            (
                OperationId::GetOrder,
                &["a/b?c"],
                "gw.example.com/p/customer/v2/orders/a%2Fb%3Fc",
            ),
            (
                OperationId::ListUsers,
                &[],
                "voice.example.com/api/third-party/partner/user/",
            ),
        ];
        for (op, args, expected) in cases {
            let url = t.url(op, args);
            assert_eq!(url.as_str(), format!("https://{expected}"), "{op}");
        }
    }

    /// Every operation's URL, from its prefix, is the one its whole template gives when every
    /// segment is pushed on the base (what the generated client formats), for bases with and
    /// without a path and a trailing slash.
    #[test]
    fn every_operation_url_from_its_prefix_is_its_whole_template() {
        for (data, voice) in [
            ("https://gw.example.com", "https://voice.example.com/"),
            ("https://gw.example.com/p/", "https://voice.example.com/v/x"),
        ] {
            let t = transport(data, voice);
            for op in OperationId::ALL {
                let args = ["89 4/1", "second"];
                let mut whole = Url::parse(match op.info().api {
                    Api::Data => data,
                    Api::Voice => voice,
                })
                .unwrap();
                {
                    let mut segments = whole.path_segments_mut().unwrap();
                    segments.pop_if_empty();
                    let mut args = args.iter();
                    for segment in op.info().path.trim_start_matches('/').split('/') {
                        if segment.starts_with('{') {
                            segments.push(args.next().unwrap());
                        } else {
                            segments.push(segment);
                        }
                    }
                }
                assert_eq!(t.url(op, &args), whole, "{op} on {data} / {voice}");
            }
        }
    }
}
