//! Balance and compatible devices.

use pressone_esim_raw::OperationId;

use crate::client::Client;
use crate::error::Result;
use crate::models::{Balance, Device};
use crate::{convert, raw};

crate::request! {
    /// The request of [`Client::balance`].
    GetBalance => Vec<Balance> {}
}

crate::request! {
    /// The request of [`Client::devices`].
    ListDevices => Vec<Device> {}
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
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let devices = client.devices().await?;
    /// for device in devices.iter().take(5) {
    ///     println!("{device:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn devices(&self) -> ListDevices {
        ListDevices {
            client: self.clone(),
        }
    }
}

impl GetBalance {
    /// Sends the request.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let balances = client.balance().send().await?;
    /// println!("{} balances", balances.len());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Vec<Balance>> {
        self.client
            .run(OperationId::GetBalance, |call| async move {
                // Documented as `text/plain` but JSON: the generated request hands the body over
                // as a stream, read with the client's body limit and decoded whatever its type.
                let stream = call.send(|raw| raw.get_balance().send()).await?;
                let parsed: raw::types::BalanceResponse = call.read_json(stream).await?;
                convert::balances(parsed)
            })
            .await
    }
}

impl ListDevices {
    /// Sends the request.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let devices = client.devices().send().await?;
    /// println!("{} compatible devices", devices.len());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Vec<Device>> {
        self.client
            .run(OperationId::GetCompatibleDevicesLite, |call| async move {
                let response = call
                    .send(|raw| raw.get_compatible_devices_lite().send())
                    .await?;
                crate::list::convert_all(response.data, convert::device)
            })
            .await
    }
}
