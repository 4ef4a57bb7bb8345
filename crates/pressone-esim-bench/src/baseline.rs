//! The baseline: what a partner would write by hand with `reqwest` and `serde_json`, with the
//! same HTTP client settings as the SDK's default client (so the same connection reuse).
//!
//! It sends the same headers as the SDK (`Authorization: Bearer`, `Accept`, `User-Agent`),
//! checks the status, reads the body and decodes it with `serde_json::from_slice` into
//! structs of the body's shape: the generated client's raw types, which declare each body
//! field for field (the catalogue floor of issue 20 has its own plain structs, `floor`). It
//! has no retries, token refresh, error classification or domain conversion: that is the
//! SDK's cost being measured.

use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderValue, USER_AGENT};

/// A `reqwest::Client` configured as the SDK configures its own (timeouts, idle pool, no
/// redirects).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .pool_idle_timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the HTTP client builds")
}

/// A hand-written client: base URL, token, one shared `reqwest::Client`.
#[derive(Clone, Debug)]
pub struct Baseline {
    http: reqwest::Client,
    base_url: String,
    token: String,
    user_agent: HeaderValue,
}

/// A failed baseline call.
pub type BaselineError = Box<dyn std::error::Error + Send + Sync>;

impl Baseline {
    /// A client of the server at `base_url` that already holds `token`.
    pub fn new(base_url: &str, token: &str) -> Baseline {
        Baseline {
            http: http_client(),
            base_url: base_url.trim_end_matches('/').to_string(),
            token: token.to_string(),
            user_agent: HeaderValue::from_static(concat!(
                "pressone-esim-bench/",
                env!("CARGO_PKG_VERSION")
            )),
        }
    }

    /// `GET path` with the SDK's headers: the status checked, the whole body.
    pub async fn get(&self, path: &str) -> Result<bytes::Bytes, BaselineError> {
        let response = self
            .http
            .get(format!("{}{path}", self.base_url))
            .bearer_auth(&self.token)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone())
            .send()
            .await?
            .error_for_status()?;
        Ok(response.bytes().await?)
    }

    /// `GET /customer/v2/sims/{iccid}/usage`, decoded into the raw (wire) types: structs of
    /// the body's shape, field for field (`airalo.get-usage.200.json`).
    pub async fn usage(
        &self,
        iccid: &str,
    ) -> Result<pressone_esim::raw::types::UsageResponse, BaselineError> {
        let body = self
            .get(&format!("/customer/v2/sims/{iccid}/usage"))
            .await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// `GET /customer/v2/packages`, decoded into the raw (wire) types of the generated client.
    pub async fn packages(
        &self,
    ) -> Result<pressone_esim::raw::types::PackagesResponse, BaselineError> {
        let body = self.get("/customer/v2/packages").await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// One page of `GET /customer/v2/orders`, decoded into the raw (wire) types.
    pub async fn orders_page(
        &self,
        limit: u32,
        page: u32,
    ) -> Result<pressone_esim::raw::types::OrderListResponse, BaselineError> {
        let body = self
            .get(&format!(
                "/customer/v2/orders?include=sims,status&limit={limit}&page={page}"
            ))
            .await?;
        Ok(serde_json::from_slice(&body)?)
    }
}
