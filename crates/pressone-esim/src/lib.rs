//! # pressone-esim
//!
//! The Rust client of the PressOne eSIM partner API: browse packages, order eSIMs, install
//! them, watch their usage, sell top-ups, and manage voice-only numbers.
//!
//! * **Credentials and tokens**: the token is fetched lazily, cached (in memory, or on disk
//!   with [`FileTokenStore`], or shared by a fleet of processes through Redis with
//!   `RedisTokenStore`, feature `redis`), refreshed before it expires or gets old, fetched by
//!   one request however many calls (and processes) need it at once, and refreshed once on a
//!   401.
//! * **One error type**: [`Error`] with a [`kind`](Error::kind) to match (validation with
//!   per-field messages, business codes, rate limits with `Retry-After`…), the HTTP status,
//!   the server's message, and whether the request may have reached the server.
//! * **Safe retries**: reads are retried with back-off and jitter; orders, top-ups and voice
//!   claims are never sent twice.
//! * **Clean types**: exact money ([`rust_decimal::Decimal`]), parsed timestamps, enums with
//!   an `Other` fallback, unlimited plans without meaningless zeros; lists as pages or streams.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use pressone_esim::{Client, PackageType};
//!
//! # async fn run() -> pressone_esim::Result<()> {
//! // PRESSONE_BASE_URL, PRESSONE_CLIENT_ID, PRESSONE_CLIENT_SECRET
//! let client = Client::from_env()?;
//!
//! let balance = client.balance().await?;
//! let entries: Vec<_> = client.packages().list().country("FR").stream().try_collect().await?;
//! let package = entries.iter().flat_map(|e| e.packages()).next().expect("a package");
//!
//! let order = client.orders().create(&package.id, 1).description("shop-order-1").await?;
//! let esim = &order.esims[0];
//! println!("install: {}", esim.install_links().expect("an activation code").apple);
//!
//! let usage = client.sims().usage(&esim.iccid).await?;
//! println!("{:?} {:?} MB left", usage.status, usage.remaining_mb());
//! # Ok(()) }
//! ```
//!
//! The base URL is configuration: PressOne does not publish its host. The crate's sandbox
//! (`pressone-esim-sandbox`) simulates the whole API locally.

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

// The README's library snippet, compiled as a doc test (it must compile as written).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// Implements `IntoFuture` for a request builder with a `send` method, so that awaiting the
/// builder sends it.
macro_rules! into_future {
    ($request:ident => $output:ty) => {
        impl ::std::future::IntoFuture for $request {
            type Output = $crate::Result<$output>;
            type IntoFuture = ::futures::future::BoxFuture<'static, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
pub(crate) use into_future;

/// Declares a request builder of the SDK: the struct (`Clone`, `Debug`, `#[must_use]`) holding
/// the client and these fields; with `=> Output`, awaiting the request sends it (`IntoFuture`
/// over its `send`). Paged requests get their `IntoFuture` from `list::paged_request!`.
macro_rules! request {
    ($(#[$attr:meta])* $name:ident $(=> $output:ty)? { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$attr])*
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct $name {
            client: $crate::Client,
            $($field: $ty,)*
        }

        $($crate::into_future!($name => $output);)?
    };
}
pub(crate) use request;

/// Builder setters: each `name(arg: Type, …) => field = value;` stores `value` (an expression
/// of the arguments) in `self.field`, and each `name(arg: Type) => field.push(value);` appends
/// it to the list `self.field`; both return the builder. Attributes (the doc) go before the
/// name.
macro_rules! setters {
    () => {};
    (
        $(#[$attr:meta])*
        $name:ident($($arg:ident: $ty:ty),+) => $($field:ident).+ = $value:expr;
        $($rest:tt)*
    ) => {
        $(#[$attr])*
        pub fn $name(mut self, $($arg: $ty),+) -> Self {
            self.$($field).+ = $value;
            self
        }
        $crate::setters!($($rest)*);
    };
    (
        $(#[$attr:meta])*
        $name:ident($($arg:ident: $ty:ty),+) => $field:ident.push($value:expr);
        $($rest:tt)*
    ) => {
        $(#[$attr])*
        pub fn $name(mut self, $($arg: $ty),+) -> Self {
            self.$field.push($value);
            self
        }
        $crate::setters!($($rest)*);
    };
}
pub(crate) use setters;

mod account;
mod base_url;
pub mod bulk;
mod cache;
mod call;
mod client;
mod convert;
#[doc(hidden)]
pub mod decode;
mod error;
mod esim_install;
mod flat;
mod include;
mod list;
mod models;
mod orders;
mod packages;
mod pagination;
pub mod pricing;
mod raw_call;
mod retry;
mod sims;
mod text;
mod token;
mod topups;
mod validate;
mod voice;

/// The date type of the date filters (e.g. [`ListOrders::created_between`]).
pub use chrono::NaiveDate;
/// The eSIM installation kit: activation codes, links, QR images.
pub use pressone_esim_install as install;
/// The generated raw client (wire types), for what this crate does not cover.
pub use pressone_esim_raw as raw;
pub use rust_decimal::Decimal;

/// What most programs need in scope: the client, its error, the date type of the filters and
/// the stream traits of the lists (`try_next`, `try_collect`, ...).
///
/// ```no_run
/// use pressone_esim::prelude::*;
///
/// # async fn run(client: Client) -> Result<()> {
/// let mut orders = client.orders().list().stream();
/// while let Some(order) = orders.try_next().await? {
///     println!("{}", order.id);
/// }
/// # Ok(()) }
/// ```
pub mod prelude {
    pub use crate::{Client, Error, ErrorKind, NaiveDate, Result};
    pub use futures::{StreamExt as _, TryStreamExt as _};
}

pub use account::{GetBalance, ListDevices};
pub use base_url::BaseUrl;
pub use cache::SharedCache;
pub use client::{Client, ClientBuilder, FormEncoding, HISTORY_CACHE_TTL};
pub use error::{BusinessCode, Error, ErrorKind, FieldError, Result};
pub use esim_install::EsimInstallLinks;
#[cfg(feature = "qr")]
pub use esim_install::QrFailure;
pub use flat::FlatPackage;
pub use include::{EsimInclude, OrderInclude};
pub use models::*;
pub use orders::{CreateOrder, GetOrder, ListOrders, Orders};
pub use packages::{ListPackages, PackageType, Packages};
pub use pressone_esim_raw::wire::SharingOption;
pub use pressone_esim_raw::{Api, Operation, OperationId, RateLimit, RateScope};
pub use retry::RetryPolicy;
pub use sims::{
    GetEsim, GetInstructions, GetPackageHistory, GetUsage, ListEsims, ListTopups, Sims,
};
#[cfg(feature = "redis")]
pub use token::RedisTokenStore;
pub use token::{
    FileTokenStore, Lease, MemoryTokenStore, Token, TokenKey, TokenPolicy, TokenStore,
};
pub use topups::{CreateTopup, Topups};
pub use voice::{ClaimNumber, ListAvailableNumbers, ListUsers, RenewNumber, Voice};
