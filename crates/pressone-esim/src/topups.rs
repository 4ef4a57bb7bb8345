//! Top-up orders.

use crate::bulk::{self, Journal, Reports, TopupLine};
use crate::client::Client;
use crate::error::{ErrorKind, Result};
use crate::models::Order;
use crate::raw::types::SubmitTopupRequest;
use crate::{convert, validate};
use pressone_esim_raw::OperationId;

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

    /// Buys many top-ups one after another, each recorded in `journal` before it is sent; a
    /// line that may exist is never sent again (see [`crate::bulk`]).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use pressone_esim::bulk::{FileJournal, TopupLine};
    /// let mut journal = FileJournal::open("topups.journal")?;
    /// let lines = vec![TopupLine::new("renewal-0001", "8944465400000267221", "change-7days-1gb")];
    /// let reports = client.topups().create_many(lines, &mut journal).await?;
    /// println!("{} lines reported", reports.len());
    /// # Ok(()) }
    /// ```
    pub async fn create_many(&self, lines: Vec<TopupLine>, journal: &mut dyn Journal) -> Reports {
        bulk::run(self.client, lines, journal).await
    }
}

crate::request! {
    /// The request of [`Topups::create`].
    CreateTopup => Order {
        iccid: String,
        package_id: String,
        description: Option<String>,
    }
}

impl CreateTopup {
    crate::setters! {
        /// Your free text for the order (the server's default is `Topup (<iccid>)`).
        description(description: impl Into<String>) => description = Some(description.into());
    }

    /// Sends the top-up order once.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let request = client.topups().create("8944465400000267221", "bonbon-mobile-30days-3gb-topup");
    /// let order = request.send().await?;
    /// println!("top-up order {}", order.id);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Order> {
        let history = &self.client.inner.history;
        self.client
            .run(OperationId::SubmitTopup, |call| async move {
                let body = SubmitTopupRequest {
                    iccid: validate::iccid(&self.iccid)?.to_string(),
                    package_id: validate::id("package_id", &self.package_id)?.to_string(),
                    description: validate::optional_text(
                        "description",
                        self.description.as_deref(),
                        crate::orders::MAX_DESCRIPTION,
                    )?,
                };
                let result = call
                    .send(|raw| raw.submit_topup().body(body.clone()).send())
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
                    history.remove(&body.iccid).await;
                }
                convert::order(result?.data)
            })
            .await
    }
}
