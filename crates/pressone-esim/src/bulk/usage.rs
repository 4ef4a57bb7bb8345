//! Usage of many eSIMs at once, with a concurrency cap and one shared back-off for 429s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::time::Instant;

use crate::Client;
use crate::error::{ErrorKind, Result};
use crate::models::Usage;

/// The default number of usage requests in flight.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// The request of [`Sims::usage_many`](crate::Sims::usage_many).
///
/// Results come **in input order** (one per ICCID, repeated ICCIDs included), while up to
/// [`concurrency`](Self::concurrency) requests run at once. A failure is that ICCID's result
/// and never stops the others.
///
/// Rate limits: when a request is still answered 429 after the client's own retries, the whole
/// batch pauses (for the server's `Retry-After`, at least the back-off, which doubles with each
/// 429 of that ICCID up to one minute) and the ICCID is asked again, up to
/// [`rate_limit_retries`](Self::rate_limit_retries) times; only then is `RateLimited` its
/// result.
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is streamed"]
pub struct UsageMany {
    client: Client,
    iccids: Vec<String>,
    concurrency: usize,
    backoff: Duration,
    retries: u32,
}

impl UsageMany {
    pub(crate) fn new<I, S>(client: &Client, iccids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        UsageMany {
            client: client.clone(),
            iccids: iccids.into_iter().map(Into::into).collect(),
            concurrency: DEFAULT_CONCURRENCY,
            backoff: Duration::from_secs(1),
            retries: 8,
        }
    }

    crate::setters! {
        /// How many requests may be in flight at once (default 8; at least 1).
        concurrency(concurrency: usize) => concurrency = concurrency.max(1);

        /// The first pause of the batch after a 429 without `Retry-After` (default 1 s).
        rate_limit_backoff(backoff: Duration) => backoff = backoff;

        /// How many times one ICCID is asked again after a 429 (default 8).
        rate_limit_retries(retries: u32) => retries = retries;
    }

    /// The results, `(iccid, usage or error)`, in input order.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::StreamExt;
    /// let mut results = client.sims().usage_many(["8944465400000267221"]).stream();
    /// while let Some((iccid, usage)) = results.next().await {
    ///     println!("{iccid}: {:?}", usage.map(|u| u.remaining_mb()));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> BoxStream<'static, (String, Result<Usage>)> {
        let gate = Arc::new(Mutex::new(None::<Instant>));
        let UsageMany {
            client,
            iccids,
            concurrency,
            backoff,
            retries,
        } = self;
        futures::stream::iter(iccids)
            .map(move |iccid| {
                let client = client.clone();
                let gate = gate.clone();
                async move {
                    let result = one(&client, &iccid, &gate, backoff, retries).await;
                    (iccid, result)
                }
            })
            .buffered(concurrency)
            .boxed()
    }
}

/// One ICCID: waits while the batch is paused; a 429 pauses the batch and asks again.
async fn one(
    client: &Client,
    iccid: &str,
    gate: &Mutex<Option<Instant>>,
    backoff: Duration,
    retries: u32,
) -> Result<Usage> {
    let mut attempt = 0u32;
    loop {
        let paused_until = gate.lock().map(|g| *g).unwrap_or(None);
        if let Some(until) = paused_until {
            tokio::time::sleep_until(until).await;
        }
        let result = client.sims().usage(iccid).await;
        match &result {
            Err(err)
                if matches!(err.kind(), ErrorKind::RateLimited { .. }) && attempt < retries =>
            {
                let doubled = backoff
                    .saturating_mul(1u32 << attempt.min(16))
                    .min(Duration::from_secs(60));
                let wait = err.retry_after().unwrap_or_default().max(doubled);
                attempt += 1;
                let until = Instant::now() + wait;
                if let Ok(mut g) = gate.lock() {
                    *g = Some(g.map_or(until, |current| current.max(until)));
                }
            }
            _ => return result,
        }
    }
}
