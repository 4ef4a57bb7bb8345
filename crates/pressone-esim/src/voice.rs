//! The voice-only API (provisional: PressOne has not published its paths, bodies or auth; see
//! the spec's `x-provisional` operations and the reference's `decisions.md`).

use crate::client::Client;
use crate::error::Result;
use crate::list::{PagedBuilder, drf_page};
use crate::models::{AvailableNumber, Page, VoiceUser};
use crate::pagination::Maybe;
use std::future::Future;

use progenitor_client::{Error as RawError, ResponseValue};

use crate::raw::types::{self, ClaimNumberRequest, RenewNumberRequest};
use crate::{convert, validate};
use pressone_esim_raw::OperationId;

/// The voice-only API: `client.voice()`.
#[derive(Clone, Copy, Debug)]
pub struct Voice<'a> {
    client: &'a Client,
}

impl Client {
    /// The voice-only API (numbers and their users), on its own base URL.
    pub fn voice(&self) -> Voice<'_> {
        Voice { client: self }
    }
}

impl Voice<'_> {
    /// Numbers that can be claimed.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut numbers = client.voice().available_numbers().country("NG").stream();
    /// while let Some(number) = numbers.try_next().await? {
    ///     println!("{number:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn available_numbers(&self) -> ListAvailableNumbers {
        ListAvailableNumbers {
            client: self.client.clone(),
            country: None,
            page: None,
            page_size: None,
        }
    }

    /// Claims `number` for the user with this e-mail. Changes state: sent at most once.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let user = client.voice().claim("+2348012345678", "ada@example.com").first_name("Ada").await?;
    /// println!("{:?}", user.subscription);
    /// # Ok(()) }
    /// ```
    pub fn claim(&self, number: impl Into<String>, email: impl Into<String>) -> ClaimNumber {
        ClaimNumber {
            client: self.client.clone(),
            number: number.into(),
            email: email.into(),
            first_name: None,
            last_name: None,
        }
    }

    /// Renews the subscription of the user who claimed a number with this e-mail (a trial
    /// becomes paid). Changes state: sent at most once.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let user = client.voice().renew("ada@example.com").await?;
    /// println!("{:?}", user.subscription);
    /// # Ok(()) }
    /// ```
    pub fn renew(&self, email: impl Into<String>) -> RenewNumber {
        RenewNumber {
            client: self.client.clone(),
            email: email.into(),
        }
    }

    /// Users who signed up through the partner.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::TryStreamExt;
    /// let users: Vec<_> = client.voice().users().email("ada@example.com").stream().try_collect().await?;
    /// println!("{} users", users.len());
    /// # Ok(()) }
    /// ```
    pub fn users(&self) -> ListUsers {
        ListUsers {
            client: self.client.clone(),
            mobile: None,
            email: None,
            page: None,
            page_size: None,
        }
    }
}

crate::list::paged_request! {
    /// The request of [`Voice::available_numbers`].
    ListAvailableNumbers => AvailableNumber {
        country: Option<String>,
    },
    page_size: "Numbers per page.",
    "client.voice().available_numbers()"
}

impl ListAvailableNumbers {
    crate::setters! {
        /// Only numbers of this country (ISO 3166-1 alpha-2).
        country(country: impl Into<String>) => country = Some(country.into());
    }

    async fn fetch(&self, page: Option<u32>) -> Result<Page<AvailableNumber>> {
        self.client
            .run(OperationId::ListAvailableNumbers, |call| async move {
                let country = self.country.as_deref().map(validate::country).transpose()?;
                let paging = self.paging(page)?;
                let response = call
                    .send(|raw| {
                        raw.list_available_numbers()
                            .maybe(country.as_ref(), |r, c| r.country(c.clone()))
                            .paging(&paging)
                            .send()
                    })
                    .await?;
                let (count, next) = (response.count, response.next);
                Ok(drf_page(
                    &paging,
                    response.results,
                    convert::available_number,
                    count,
                    next,
                ))
            })
            .await
    }
}

crate::request! {
    /// The request of [`Voice::claim`].
    ClaimNumber => VoiceUser {
        number: String,
        email: String,
        first_name: Option<String>,
        last_name: Option<String>,
    }
}

impl ClaimNumber {
    crate::setters! {
        /// The user's first name.
        first_name(name: impl Into<String>) => first_name = Some(name.into());

        /// The user's last name.
        last_name(name: impl Into<String>) => last_name = Some(name.into());
    }

    /// Sends the claim once.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let claim = client.voice().claim("+2348012345678", "ada@example.com").last_name("Lovelace");
    /// let user = claim.send().await?;
    /// println!("{:?} {:?}", user.number, user.subscription);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<VoiceUser> {
        let name =
            |field, value: &Option<String>| validate::optional_text(field, value.as_deref(), 150);
        let body = || {
            Ok(ClaimNumberRequest {
                number: validate::id("number", &self.number)?.to_string(),
                email: validate::email(&self.email)?.to_string(),
                first_name: name("first_name", &self.first_name)?,
                last_name: name("last_name", &self.last_name)?,
            })
        };
        write_user(&self.client, OperationId::ClaimNumber, body, |raw, b| {
            raw.claim_number().body(b).send()
        })
        .await
    }
}

crate::request! {
    /// The request of [`Voice::renew`].
    RenewNumber => VoiceUser {
        email: String,
    }
}

impl RenewNumber {
    /// Sends the renewal once.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let user = client.voice().renew("ada@example.com").send().await?;
    /// println!("{:?}", user.subscription);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<VoiceUser> {
        let body = || {
            Ok(RenewNumberRequest {
                email: validate::email(&self.email)?.to_string(),
            })
        };
        write_user(&self.client, OperationId::RenewNumber, body, |raw, b| {
            raw.renew_number().body(b).send()
        })
        .await
    }
}

/// A voice write (claim or renewal), sent at most once: `body` checks the input (nothing is
/// sent when it fails), `send` sends it; the answer is the user.
async fn write_user<'c, B, E, Fut>(
    client: &'c Client,
    operation: OperationId,
    body: impl FnOnce() -> Result<B>,
    send: impl Fn(&'c crate::raw::Client, B) -> Fut + 'c,
) -> Result<VoiceUser>
where
    B: Clone + 'c,
    E: serde::Serialize + 'c,
    Fut: Future<Output = std::result::Result<ResponseValue<types::VoiceUser>, RawError<E>>> + 'c,
{
    client
        .run(operation, |call| async move {
            let body = body()?;
            let user = call.send(move |raw| send(raw, body.clone())).await?;
            Ok(convert::voice_user(user))
        })
        .await
}

crate::list::paged_request! {
    /// The request of [`Voice::users`].
    ListUsers => VoiceUser {
        mobile: Option<String>,
        email: Option<String>,
    },
    page_size: "Users per page.",
    "client.voice().users()"
}

impl ListUsers {
    crate::setters! {
        /// Only the user with this mobile number.
        mobile(mobile: impl Into<String>) => mobile = Some(mobile.into());

        /// Only the user with this e-mail.
        email(email: impl Into<String>) => email = Some(email.into());
    }

    async fn fetch(&self, page: Option<u32>) -> Result<Page<VoiceUser>> {
        self.client
            .run(OperationId::ListUsers, |call| async move {
                let paging = self.paging(page)?;
                let response = call
                    .send(|raw| {
                        raw.list_users()
                            .maybe(self.mobile.as_ref(), |r, m| r.mobile(m.clone()))
                            .maybe(self.email.as_ref(), |r, e| r.email(e.clone()))
                            .paging(&paging)
                            .send()
                    })
                    .await?;
                let users = response.results;
                let user = |u| Some(convert::voice_user(u));
                Ok(drf_page(
                    &paging,
                    users,
                    user,
                    response.count,
                    response.next,
                ))
            })
            .await
    }
}
