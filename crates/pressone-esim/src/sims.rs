//! eSIMs: details, installation, usage, top-up offers and package history.

use chrono::NaiveDate;
use pressone_esim_raw::OperationId;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Reached, Result};
use crate::include::{self, EsimInclude};
use crate::list::{PagedBuilder, convert_all, laravel_page};
use crate::models::{Esim, Instructions, Listing, Package, PackageHistoryEntry, Page, Usage};
use crate::pagination::Maybe;
use crate::raw::types as w;
use crate::{convert, validate};

/// What the eSIM reads always embed: the order and its status.
const DEFAULT_ESIM_INCLUDE: &[EsimInclude] = &[EsimInclude::Order, EsimInclude::OrderStatus];

/// The `meta.message` of the API's not-found answers.
const RESOURCE_NOT_FOUND: &str = "messages.resource_not_found";

/// eSIMs: `client.sims()`.
#[derive(Clone, Copy, Debug)]
pub struct Sims<'a> {
    client: &'a Client,
}

impl Client {
    /// eSIMs bought through the API.
    pub fn sims(&self) -> Sims<'_> {
        Sims { client: self }
    }
}

impl Sims<'_> {
    /// Lists eSIMs, newest first.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::TryStreamExt;
    /// let esims: Vec<_> = client.sims().list().limit(50).stream().try_collect().await?;
    /// println!("{} eSIMs", esims.len());
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListEsims {
        ListEsims {
            client: self.client.clone(),
            created: None,
            iccid: None,
            include: Vec::new(),
            limit: None,
            page: None,
        }
    }

    /// One eSIM with its order.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let esim = client.sims().get("8944465400000267221").await?;
    /// println!("{}", esim.iccid);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, iccid: impl Into<String>) -> GetEsim {
        GetEsim {
            client: self.client.clone(),
            iccid: iccid.into(),
            include: Vec::new(),
        }
    }

    /// Data, voice and SMS usage. The server caches it for 20 minutes and allows 100 requests
    /// per minute per ICCID.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let usage = client.sims().usage("8944465400000267221").await?;
    /// match usage.data_mb {
    ///     Some(data) => println!("{} of {} MB left", data.remaining, data.total),
    ///     None => println!("unlimited"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn usage(&self, iccid: impl Into<String>) -> GetUsage {
        GetUsage {
            client: self.client.clone(),
            iccid: iccid.into(),
        }
    }

    /// The usage of many eSIMs, in input order, a few requests at a time (see
    /// [`UsageMany`](crate::bulk::UsageMany)).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::StreamExt;
    /// let iccids = ["8944465400000267221", "8944465400000267239"];
    /// let mut usages = client.sims().usage_many(iccids).concurrency(2).stream();
    /// while let Some((iccid, usage)) = usages.next().await {
    ///     println!("{iccid}: {:?}", usage?.data_mb);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn usage_many<I: IntoIterator<Item = S>, S: Into<String>>(
        &self,
        iccids: I,
    ) -> crate::bulk::UsageMany {
        crate::bulk::UsageMany::new(self.client, iccids)
    }

    /// Installation instructions (QR, manual, network setup) for iOS and Android.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let instructions = client.sims().instructions("8944465400000267221").language("en").await?;
    /// println!("{instructions:?}");
    /// # Ok(()) }
    /// ```
    pub fn instructions(&self, iccid: impl Into<String>) -> GetInstructions {
        GetInstructions {
            client: self.client.clone(),
            iccid: iccid.into(),
            language: None,
        }
    }

    /// The top-up packages this eSIM can buy now. Never cached: query it right before a
    /// top-up order. Only active eSIMs have top-ups.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let topups = client.sims().topups("8944465400000267221").await?;
    /// for package in &topups {
    ///     println!("{} {:?}", package.id, package.price);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn topups(&self, iccid: impl Into<String>) -> ListTopups {
        ListTopups {
            client: self.client.clone(),
            iccid: iccid.into(),
        }
    }

    /// Every package the eSIM had: the original one and all top-ups. Cached per ICCID for 15
    /// minutes (the API allows one request per eSIM per 15 minutes); see
    /// [`ClientBuilder::package_history_cache`](crate::ClientBuilder::package_history_cache).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let history = client.sims().history("8944465400000267221").await?;
    /// println!("{} packages so far", history.len());
    /// # Ok(()) }
    /// ```
    pub fn history(&self, iccid: impl Into<String>) -> GetPackageHistory {
        GetPackageHistory {
            client: self.client.clone(),
            iccid: iccid.into(),
            fresh: false,
        }
    }
}

crate::list::paged_request! {
    /// The request of [`Sims::list`].
    ListEsims => Esim {
        created: Option<(NaiveDate, NaiveDate)>,
        iccid: Option<String>,
        include: Vec<EsimInclude>,
    },
    limit: "eSIMs per page.",
    "client.sims().list()"
}

impl ListEsims {
    crate::setters! {
        /// eSIMs created between these dates, both included.
        created_between(from: NaiveDate, to: NaiveDate) => created = Some((from, to));

        /// eSIMs whose ICCID contains this text.
        iccid(iccid: impl Into<String>) => iccid = Some(iccid.into());

        /// Also embeds `relation` (`include`), e.g. [`EsimInclude::OrderUser`]; the SDK always
        /// asks for the order and its status.
        include(relation: EsimInclude) => include.push(relation);
    }

    async fn fetch(&self, page: Option<u32>) -> Result<Page<Esim>> {
        self.client
            .run(OperationId::GetEsimsList, |call| async move {
                let paging = self.paging(page)?;
                let created = self.created.map(crate::pagination::created_range);
                let response = call
                    .send(|raw| {
                        raw.get_esims_list()
                            .include(include::value(DEFAULT_ESIM_INCLUDE, &self.include))
                            .maybe(created.as_ref(), |r, c| r.filter_created_at(c.clone()))
                            .maybe(self.iccid.as_ref(), |r, i| r.filter_iccid(i.clone()))
                            .paging(&paging)
                            .send()
                    })
                    .await?;
                let (data, links, meta) = (response.data, response.links, response.meta);
                laravel_page(&paging, data, convert::esim, links, meta)
            })
            .await
    }
}

crate::request! {
    /// The request of [`Sims::get`].
    GetEsim => Esim {
        iccid: String,
        include: Vec<EsimInclude>,
    }
}

impl GetEsim {
    crate::setters! {
        /// Also embeds `relation` (`include`), e.g. [`EsimInclude::OrderUser`]; the SDK always
        /// asks for the order and its status.
        include(relation: EsimInclude) => include.push(relation);
    }

    /// Sends the request.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use pressone_esim::EsimInclude;
    /// let esim = client.sims().get("8944465400000267221").include(EsimInclude::OrderUser).send().await?;
    /// println!("{:?}", esim.install_links());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Esim> {
        self.client
            .run(OperationId::GetEsim, |call| async move {
                let iccid = validate::iccid(&self.iccid)?;
                let response = call
                    .send(|raw| {
                        raw.get_esim()
                            .iccid(iccid)
                            .include(include::value(DEFAULT_ESIM_INCLUDE, &self.include))
                            .send()
                    })
                    .await?;
                convert::esim(response.data)
            })
            .await
    }
}

crate::request! {
    /// The request of [`Sims::usage`].
    GetUsage => Usage {
        iccid: String,
    }
}

impl GetUsage {
    /// Sends the request.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let usage = client.sims().usage("8944465400000267221").send().await?;
    /// println!("{:?} {:?} MB left", usage.status, usage.remaining_mb());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Usage> {
        self.client
            .run(OperationId::GetUsage, |call| async move {
                let iccid = validate::iccid(&self.iccid)?;
                // The per-call read: built on the parsed base URL (see `call::direct`), the
                // ICCID borrowed into it, not copied into the generated builder.
                // The body is decoded straight into `Usage` (`convert::UsageBody`).
                call.get::<convert::UsageBody, w::ApiError, 1>([iccid])
                    .await?
                    .0
            })
            .await
    }
}

crate::request! {
    /// The request of [`Sims::instructions`].
    GetInstructions => Instructions {
        iccid: String,
        language: Option<String>,
    }
}

impl GetInstructions {
    crate::setters! {
        /// The language of the texts (`Accept-Language`; default `en`).
        language(language: impl Into<String>) => language = Some(language.into());
    }

    /// Sends the request.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let instructions = client.sims().instructions("8944465400000267221").language("fr").send().await?;
    /// for steps in &instructions.ios {
    ///     println!("{:?}: {} QR steps", steps.version, steps.qr_steps.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Instructions> {
        self.client
            .run(
                OperationId::GetInstallationInstructions,
                |call| async move {
                    let iccid = validate::iccid(&self.iccid)?;
                    let language =
                        validate::id("language", self.language.as_deref().unwrap_or("en"))?;
                    let response = call
                        .send(|raw| {
                            raw.get_installation_instructions()
                                .iccid(iccid)
                                .accept_language(language.to_string())
                                .send()
                        })
                        .await?;
                    convert::instructions(response)
                },
            )
            .await
    }
}

crate::request! {
    /// The request of [`Sims::topups`].
    ListTopups => Vec<Package> {
        iccid: String,
    }
}

impl ListTopups {
    /// Sends the request; the top-up packages alone (see [`listing`](Self::listing) for the
    /// pricing sent with them).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let offers = client.sims().topups("8944465400000267221").send().await?;
    /// println!("{} top-ups", offers.len());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Vec<Package>> {
        Ok(self.listing().await?.items)
    }

    /// Sends the request; the top-up packages with the pricing the server sent with them.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let listing = client.sims().topups("8944465400000267221").listing().await?;
    /// println!("{} top-ups, pricing {:?}", listing.items.len(), listing.pricing);
    /// # Ok(()) }
    /// ```
    pub async fn listing(self) -> Result<Listing<Package>> {
        self.client
            .run(OperationId::GetTopups, |call| async move {
                let iccid = validate::iccid(&self.iccid)?;
                let response = call
                    .send(|raw| raw.get_topups().iccid(iccid).send())
                    .await?;
                // An unknown ICCID may be answered 200 with the 404 body (Airalo files it under
                // 200): it is not "no top-ups", which is a bare `{"data": []}`.
                if let Some(message) = response
                    .meta
                    .as_ref()
                    .and_then(|meta| meta.message.as_deref())
                    .filter(|m| *m == RESOURCE_NOT_FOUND)
                {
                    return Err(Error::new(ErrorKind::NotFound, Reached::Yes)
                        .with_status(200)
                        .with_message(Some(message.to_string())));
                }
                Ok(Listing {
                    items: convert_all(response.data, convert::topup)?,
                    pricing: convert::list_pricing(response.pricing),
                })
            })
            .await
    }
}

crate::request! {
    /// The request of [`Sims::history`].
    GetPackageHistory => Vec<PackageHistoryEntry> {
        iccid: String,
        fresh: bool,
    }
}

impl GetPackageHistory {
    /// Skips the cache and asks the server (which allows one request per eSIM per 15 minutes).
    pub fn fresh(mut self) -> Self {
        self.fresh = true;
        self
    }

    /// Sends the request, or answers from the cache; the entries alone (see
    /// [`listing`](Self::listing) for the pricing sent with them).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let history = client.sims().history("8944465400000267221").fresh().send().await?;
    /// println!("{} packages", history.len());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Vec<PackageHistoryEntry>> {
        Ok(self.listing().await?.items)
    }

    /// Sends the request, or answers from the cache; the entries with the pricing the server
    /// sent with them.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let listing = client.sims().history("8944465400000267221").listing().await?;
    /// println!("{} packages, pricing {:?}", listing.items.len(), listing.pricing);
    /// # Ok(()) }
    /// ```
    pub async fn listing(self) -> Result<Listing<PackageHistoryEntry>> {
        let cache = &self.client.inner.history;
        self.client
            .run(OperationId::GetEsimPackageHistory, |call| async move {
                let iccid = validate::iccid(&self.iccid)?.to_string();
                if !self.fresh
                    && let Some(cached) = cache.get(&iccid).await
                {
                    return Ok(cached);
                }
                let response = call
                    .send(|raw| raw.get_esim_package_history().iccid(iccid.as_str()).send())
                    .await?;
                let entries = Listing {
                    items: convert_all(response.data, convert::history_entry)?,
                    pricing: convert::list_pricing(response.pricing),
                };
                cache.insert(iccid, &entries).await;
                Ok(entries)
            })
            .await
    }
}
