//! The escape hatch: any request of the generated client, run through the SDK's pipeline.

use std::future::Future;

use progenitor_client::{Error as RawError, ResponseValue};
use serde::Serialize;

use crate::OperationId;
use crate::client::Client;
use crate::error::Result;

impl Client {
    /// Runs a request of the generated client ([`crate::raw`]) through this client's
    /// pipeline: the access token, one refresh on a 401, the retry rule of `operation`
    /// (reads are retried, writes never), error normalization into [`crate::Error`] and
    /// tracing. Returns the raw typed body.
    ///
    /// Use it for what the SDK does not model yet: a new field, a query parameter, an
    /// operation without a method here. `operation` must be the operation `send` calls: it
    /// decides whether a failed attempt may be sent again ([`crate::Operation::retry_safe`]),
    /// so naming a read for a write would let the write be retried. `send` is called once
    /// per attempt.
    ///
    /// ```no_run
    /// use pressone_esim::OperationId;
    ///
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let esim = client
    ///     .raw(OperationId::GetEsim, |raw| {
    ///         raw.get_esim()
    ///             .iccid("8944465400000267221")
    ///             .include("order,order.user,share")
    ///             .send()
    ///     })
    ///     .await?;
    /// println!("{:?}", esim.data.voucher_code);
    /// # Ok(()) }
    /// ```
    pub async fn raw<'c, T, E, F, Fut>(&'c self, operation: OperationId, send: F) -> Result<T>
    where
        T: 'c,
        E: Serialize + 'c,
        F: Fn(&'c crate::raw::Client) -> Fut + 'c,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, RawError<E>>> + 'c,
    {
        let call = self.inner.operation(operation);
        call.run(call.send(send)).await
    }
}
