//! The package catalogue.

use std::num::NonZeroU64;
use std::sync::{Arc, Mutex, PoisonError};

use progenitor_client::{Error as RawError, QueryParam};
use reqwest::header::HeaderValue;
use tokio::task::JoinHandle;

use crate::call::direct;
use crate::client::Client;
use crate::error::Result;
use crate::models::{CatalogEntry, Page};
use crate::raw::hooks::CallContext;
use crate::raw::types::{self as w, GetPackagesFilterType, GetPackagesInclude};
use crate::{convert, validate};
use pressone_esim_raw::OperationId;

/// Which packages to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PackageType {
    /// Packages of one country (combine with a country).
    Local,
    /// Regional and worldwide packages.
    Global,
}

/// The package catalogue: `client.packages()`.
#[derive(Clone, Copy, Debug)]
pub struct Packages<'a> {
    client: &'a Client,
}

impl Client {
    /// The package catalogue.
    pub fn packages(&self) -> Packages<'_> {
        Packages { client: self }
    }
}

impl Packages<'_> {
    /// Lists catalogue entries (countries, regions, global), each with its operators and
    /// packages.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::TryStreamExt;
    /// use pressone_esim::PackageType;
    ///
    /// // One page:
    /// let page = client.packages().list().country("NG").limit(50).send().await?;
    /// // Every page, as a stream of entries:
    /// let all: Vec<_> = client.packages().list().package_type(PackageType::Global).stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListPackages {
        ListPackages {
            client: self.client.clone(),
            package_type: None,
            country: None,
            include_topups: false,
            limit: None,
            page: None,
            language: None,
            ahead: None,
        }
    }
}

/// The request of [`Packages::list`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct ListPackages {
    client: Client,
    package_type: Option<PackageType>,
    country: Option<String>,
    include_topups: bool,
    limit: Option<u32>,
    page: Option<u32>,
    language: Option<String>,
    /// Set by [`prefetch`](ListPackages::prefetch): shared by the stream's requests.
    ahead: Option<Arc<Mutex<Ahead>>>,
}

impl ListPackages {
    /// Only local, or only regional and global packages.
    pub fn package_type(mut self, package_type: PackageType) -> Self {
        self.package_type = Some(package_type);
        self
    }

    /// Only packages of this country (ISO 3166-1 alpha-2, e.g. `NG`).
    pub fn country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }

    /// Also list top-up packages.
    pub fn include_topups(mut self, include: bool) -> Self {
        self.include_topups = include;
        self
    }

    /// The language of texts (`Accept-Language`, e.g. `en`, `fr`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// With `true`, a [`stream`](Self::stream) (and [`flat`](Self::flat),
    /// [`collect_all`](Self::collect_all)) fetches the next page while this one is being
    /// fetched and decoded, once a page has said how many there are (`meta.last_page`): page 1
    /// alone, then pages 2 and 3 together, then 4 while 3 is read, and so on. Each page is
    /// still fetched once, and the entries come in order.
    ///
    /// Off by default: without it no page is fetched before it is needed, so a stream that is
    /// dropped early, or that fails on a page, sends no request for the pages after it. With
    /// it, one page ahead may have been requested (its task is cancelled when the stream is
    /// dropped), and up to two pages are held in memory at once. For reading the whole
    /// catalogue on a multi-threaded runtime: the decode of one page runs beside the transfer
    /// and decode of the next (see docs/benchmarks.md for the figures). A single
    /// [`send`](Self::send) never fetches ahead.
    pub fn prefetch(mut self, prefetch: bool) -> Self {
        self.ahead = prefetch.then(Arc::default);
        self
    }

    /// Every package of every page, one row each with its country or region and operator
    /// (see [`FlatPackage`](crate::FlatPackage)).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::TryStreamExt;
    /// let rows: Vec<_> = client.packages().list().country("FR").flat().try_collect().await?;
    /// for row in &rows {
    ///     println!("{row:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn flat(self) -> futures::stream::BoxStream<'static, Result<crate::FlatPackage>> {
        crate::flat::flatten(self.stream())
    }

    async fn fetch(&self, page: Option<u32>) -> Result<Page<CatalogEntry>> {
        let Some(ahead) = &self.ahead else {
            return self.fetch_now(page).await;
        };
        let number = page.unwrap_or(1);
        let fetched = {
            let mut ahead = ahead.lock().unwrap_or_else(PoisonError::into_inner);
            let fetched = match ahead.next.take() {
                Some((n, task)) if n == number => Some(task),
                Some((_, task)) => {
                    task.abort();
                    None
                }
                None => None,
            };
            if let Some(after) = number.checked_add(1)
                && ahead.last_page.is_some_and(|last| after <= last)
            {
                // Its own request, without `ahead`: the task holds no reference that would
                // keep the shared state (and so the task) alive after the stream is dropped.
                let request = ListPackages {
                    ahead: None,
                    ..self.clone()
                };
                let task = tokio::spawn(async move { request.fetch_now(Some(after)).await });
                ahead.next = Some((after, task));
            }
            fetched
        };
        let page = match fetched {
            // A task that did not finish (it cannot panic) is fetched again here.
            Some(task) => match task.await {
                Ok(page) => page?,
                Err(_) => self.fetch_now(page).await?,
            },
            None => self.fetch_now(page).await?,
        };
        if let Some(last) = page.last_page {
            ahead
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .last_page = Some(last);
        }
        Ok(page)
    }

    async fn fetch_now(&self, page: Option<u32>) -> Result<Page<CatalogEntry>> {
        self.client
            .run(OperationId::GetPackages, |call| async move {
                let query = self.query(page)?;
                // Each attempt builds its URL and moves it into its request (see `Call::get`).
                let body = call
                    .send_direct(|raw, context| query.send(raw, call.url(&[]), context))
                    .await?;
                body.into_page(query.number)
            })
            .await
    }

    /// The request's checked parameters.
    fn query(&self, page: Option<u32>) -> Result<Query> {
        let paging = self.paging(page)?;
        Ok(Query {
            country: self.country.as_deref().map(validate::country).transpose()?,
            package_type: self.package_type.map(|t| match t {
                PackageType::Local => GetPackagesFilterType::Local,
                PackageType::Global => GetPackagesFilterType::Global,
            }),
            include: self.include_topups.then_some(GetPackagesInclude::Topup),
            language: self
                .language
                .as_deref()
                .map(|l| validate::id("language", l).map(str::to_owned))
                .transpose()?,
            limit: paging.size,
            page: paging.page,
            number: paging.number,
        })
    }
}

/// What a prefetching list knows and has in flight ([`ListPackages::prefetch`]).
#[derive(Debug, Default)]
struct Ahead {
    /// The last page, once a page has said it.
    last_page: Option<u32>,
    /// The page being fetched ahead, and its task.
    next: Option<(u32, JoinHandle<Result<Page<CatalogEntry>>>)>,
}

impl Drop for Ahead {
    /// The page fetched ahead of a stream that is gone is not needed.
    fn drop(&mut self) {
        if let Some((_, task)) = self.next.take() {
            task.abort();
        }
    }
}

/// A checked Get packages request.
///
/// Sent as the generated `get_packages` sends it (same URL, query, headers and client hooks,
/// so the pipeline's token, retries and error statuses apply alike), but its body is decoded
/// straight into domain types ([`convert::CatalogPage`]) instead of the raw types and a
/// conversion pass after them: the catalogue is the one large answer, and the pass cost as
/// much as a tenth of its decode. The raw client's `get_packages` still gives the raw types.
struct Query {
    country: Option<String>,
    package_type: Option<GetPackagesFilterType>,
    include: Option<GetPackagesInclude>,
    language: Option<String>,
    limit: Option<NonZeroU64>,
    page: Option<NonZeroU64>,
    /// The page number asked for.
    number: u32,
}

impl Query {
    async fn send(
        &self,
        raw: &crate::raw::Client,
        url: url::Url,
        context: CallContext,
    ) -> direct::Attempt<convert::CatalogPage, w::ApiError> {
        let mut request = direct::get(raw, url)
            .query(&QueryParam::new("filter[country]", &self.country))
            .query(&QueryParam::new("filter[type]", &self.package_type))
            .query(&QueryParam::new("include", &self.include))
            .query(&QueryParam::new("limit", &self.limit))
            .query(&QueryParam::new("page", &self.page));
        if let Some(language) = &self.language {
            match HeaderValue::try_from(language) {
                Ok(language) => request = request.header("Accept-Language", language),
                Err(e) => return (Err(RawError::from(e)), None),
            }
        }
        direct::send(raw, OperationId::GetPackages, request, context).await
    }
}

crate::list::paged_request!(
    ListPackages => CatalogEntry,
    limit: "Entries per page. Without a limit the server may send the whole catalogue at once.",
    "client.packages().list()"
);
