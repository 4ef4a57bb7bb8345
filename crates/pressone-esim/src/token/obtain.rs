//! One flight of the token manager: the stored token, or a new one fetched by the holder of
//! the store's fetch lease while the other processes sharing the store wait for it.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::{FetchToken, Token, TokenKey, TokenPolicy, TokenStore, usable};
use crate::error::{Error, Result};

/// How long a fetch lease lasts: longer than a token request with its retries usually takes,
/// short enough that a holder that died does not stall the others for long.
pub(super) const LEASE_TTL: Duration = Duration::from_secs(20);

/// How long a process waits for another's token before fetching one itself.
pub(super) const LEASE_WAIT: Duration = Duration::from_secs(10);

/// How often a waiting process looks for the token another one is fetching.
const LEASE_POLL: Duration = Duration::from_millis(50);

/// What one flight needs; owned, because the flight is shared by callers that come and go.
pub(super) struct Obtain {
    pub(super) key: TokenKey,
    pub(super) store: Arc<dyn TokenStore>,
    pub(super) policy: TokenPolicy,
    pub(super) fetch: FetchToken,
    /// The token the server last refused: never used again, and dropped from the store.
    pub(super) refused: Option<Token>,
}

impl Obtain {
    /// A usable token: the stored one, the one another process fetched while this one waited
    /// (at most [`LEASE_WAIT`]), or a new one fetched and saved here.
    pub(super) async fn run(self) -> Result<Token> {
        let deadline = Instant::now() + LEASE_WAIT;
        loop {
            if let Some(token) = self.stored().await {
                return Ok(token);
            }
            if let Some(lease) = self.store.try_lease(&self.key, LEASE_TTL).await {
                // Another process may have saved its token between the look and the lease.
                let result = match self.stored().await {
                    Some(token) => Ok(token),
                    None => self.fetch_and_save().await,
                };
                self.store.release(&self.key, lease).await;
                return result;
            }
            if Instant::now() >= deadline {
                tracing::warn!(
                    client_id = %self.key.client_id,
                    "another process has been fetching the access token for too long; fetching one here"
                );
                return self.fetch_and_save().await;
            }
            tokio::time::sleep(LEASE_POLL).await;
        }
    }

    /// The stored token if it is usable; a stored token the server refused is cleared.
    async fn stored(&self) -> Option<Token> {
        let token = self.store.load(&self.key).await?;
        if self
            .refused
            .as_ref()
            .is_some_and(|refused| refused.secret() == token.secret())
        {
            self.store.clear(&self.key).await;
            return None;
        }
        usable(&self.policy, &token).then_some(token)
    }

    async fn fetch_and_save(&self) -> Result<Token> {
        if let Err(wait) = self.store.count_token_request(&self.key).await {
            tracing::warn!(
                client_id = %self.key.client_id,
                retry_after_ms = wait.as_millis() as u64,
                "the shared token-request budget is used up; no token request sent"
            );
            return Err(Error::token_budget_spent(wait));
        }
        let token = (self.fetch)().await?;
        self.store.save(&self.key, &token).await;
        Ok(token)
    }
}
