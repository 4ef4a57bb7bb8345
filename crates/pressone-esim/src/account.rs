//! Balance and compatible devices.

use futures::StreamExt;

use crate::call::Op;
use crate::client::{Api, Client};
use crate::error::{Error, ErrorKind, Reached, Result};
use crate::models::{Balance, Device};
use crate::{convert, raw};

/// The request of [`Client::balance`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetBalance {
    client: Client,
}

/// The request of [`Client::devices`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct ListDevices {
    client: Client,
}

impl Client {
    /// The partner's account balances (empty when the partner has no account).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// for balance in client.balance().await? {
    ///     println!("{}: {} {}", balance.name.unwrap_or_default(), balance.amount, balance.currency.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn balance(&self) -> GetBalance {
        GetBalance {
            client: self.clone(),
        }
    }

    /// Devices that support eSIMs (the "lite" list: brand, name, OS).
    pub fn devices(&self) -> ListDevices {
        ListDevices {
            client: self.clone(),
        }
    }
}

/// The balance body is documented as `text/plain` but is JSON: read it (at most 1 MiB) and
/// decode it whatever its content type.
async fn read_body(stream: raw::ByteStream) -> Result<Vec<u8>> {
    const MAX: usize = 1024 * 1024;
    let mut body = Vec::new();
    let mut stream = stream.into_inner();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| crate::call::from_reqwest(e, true))?;
        if body.len() + chunk.len() > MAX {
            return Err(Error::new(
                ErrorKind::Decode {
                    excerpt: "the balance body is larger than 1 MiB".into(),
                },
                Reached::Yes,
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl GetBalance {
    /// Sends the request.
    pub async fn send(self) -> Result<Vec<Balance>> {
        // Every answer of this API is JSON, the balance's too: it is documented as text, so
        // the generated request has no `Accept`.
        const OP: Op = Op::read("get_balance", Api::Data).accepting_json();
        let stream = self
            .client
            .inner
            .call(OP, |raw| raw.get_balance().send())
            .await?;
        let body = read_body(stream)
            .await
            .map_err(|e| e.with_operation(OP.name))?;
        let parsed: raw::types::BalanceResponse = serde_json::from_slice(&body).map_err(|e| {
            let excerpt: String = String::from_utf8_lossy(&body[..body.len().min(120)])
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            Error::new(ErrorKind::Decode { excerpt }, Reached::Yes)
                .with_status(200)
                .with_operation(OP.name)
                .with_source(e)
        })?;
        convert::balances(parsed).map_err(|e| e.with_operation(OP.name))
    }
}

impl ListDevices {
    /// Sends the request.
    pub async fn send(self) -> Result<Vec<Device>> {
        const OP: Op = Op::read("get_compatible_devices_lite", Api::Data);
        let response = self
            .client
            .inner
            .call(OP, |raw| raw.get_compatible_devices_lite().send())
            .await?;
        response
            .data
            .into_iter()
            .map(convert::device)
            .collect::<Result<_>>()
            .map_err(|e| e.with_operation(OP.name))
    }
}

crate::into_future!(GetBalance => Vec<Balance>);
crate::into_future!(ListDevices => Vec<Device>);
