//! Top-up orders.

use crate::call::Op;
use crate::client::{Api, Client};
use crate::error::{ErrorKind, Result};
use crate::models::Order;
use crate::raw::types::SubmitTopupRequest;
use crate::{convert, validate};

/// Top-ups: `client.topups()`.
#[derive(Clone, Copy, Debug)]
pub struct Topups<'a> {
    client: &'a Client,
}

impl Client {
    /// Top-up orders for existing eSIMs.
    pub fn topups(&self) -> Topups<'_> {
        Topups { client: self }
    }
}

impl Topups<'_> {
    /// Buys a top-up package (from [`Sims::topups`](crate::Sims::topups), queried right
    /// before) for an active eSIM. This spends the partner's credit and, like orders, is sent
    /// at most once.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let iccid = "8944465400000267221";
    /// let offers = client.sims().topups(iccid).await?;
    /// if let Some(offer) = offers.first() {
    ///     let order = client.topups().create(iccid, &offer.id).description("shop-topup-77").await?;
    ///     println!("top-up order {}", order.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, iccid: impl Into<String>, package_id: impl Into<String>) -> CreateTopup {
        CreateTopup {
            client: self.client.clone(),
            iccid: iccid.into(),
            package_id: package_id.into(),
            description: None,
        }
    }
}

/// The request of [`Topups::create`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CreateTopup {
    client: Client,
    iccid: String,
    package_id: String,
    description: Option<String>,
}

impl CreateTopup {
    /// Your free text for the order (the server's default is `Topup (<iccid>)`).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sends the top-up order once.
    pub async fn send(self) -> Result<Order> {
        const OP: Op = Op::write("submit_topup", Api::Data);
        let err = |e: crate::Error| e.with_operation(OP.name);
        let body = SubmitTopupRequest {
            iccid: validate::iccid(&self.iccid).map_err(err)?.to_string(),
            package_id: validate::id("package_id", &self.package_id)
                .map_err(err)?
                .to_string(),
            description: self
                .description
                .as_deref()
                .map(|d| validate::text("description", d, crate::orders::MAX_DESCRIPTION))
                .transpose()
                .map_err(err)?
                .map(str::to_string),
        };
        let result = self
            .client
            .inner
            .call(OP, |raw| raw.submit_topup().body(body.clone()).send())
            .await;
        // The history changes with the top-up, and may have changed when the answer was lost.
        let may_have_applied = match &result {
            Ok(_) => true,
            Err(e) => {
                e.may_have_reached_server()
                    && matches!(
                        e.kind(),
                        ErrorKind::Server
                            | ErrorKind::Timeout
                            | ErrorKind::Transport
                            | ErrorKind::Decode { .. }
                            | ErrorKind::UnexpectedStatus
                    )
            }
        };
        if may_have_applied {
            self.client.inner.history.remove(&body.iccid).await;
        }
        convert::order(result?.data).map_err(|e| e.with_operation(OP.name))
    }
}

crate::into_future!(CreateTopup => Order);
