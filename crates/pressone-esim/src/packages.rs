//! The package catalogue.

use crate::client::Client;
use crate::error::Result;
use crate::list::PagedBuilder;
use crate::models::{CatalogEntry, Page};
use crate::pagination::Maybe;
use crate::raw::types::{GetPackagesFilterType, GetPackagesInclude};
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
        self.client
            .run(OperationId::GetPackages, |call| async move {
                let country = self.country.as_deref().map(validate::country).transpose()?;
                let paging = self.paging(page)?;
                let language = self
                    .language
                    .as_deref()
                    .map(|l| validate::id("language", l))
                    .transpose()?;
                let response = call
                    .send(|raw| {
                        let topups = self.include_topups.then_some(GetPackagesInclude::Topup);
                        raw.get_packages()
                            .maybe(self.package_type, |r, t| {
                                r.filter_type(match t {
                                    PackageType::Local => GetPackagesFilterType::Local,
                                    PackageType::Global => GetPackagesFilterType::Global,
                                })
                            })
                            .maybe(country.as_ref(), |r, c| r.filter_country(c.clone()))
                            .maybe(topups, |r, i| r.include(i))
                            .paging(&paging)
                            .maybe(language, |r, lang| r.accept_language(lang.to_string()))
                            .send()
                    })
                    .await?;
                let items = convert::catalog(response.data)?;
                let mut page = paging.laravel(items, response.links, response.meta);
                page.pricing = convert::list_pricing(response.pricing);
                Ok(page)
            })
            .await
    }
}

crate::list::paged_request!(
    ListPackages => CatalogEntry,
    limit: "Entries per page. Without a limit the server may send the whole catalogue at once.",
    "client.packages().list()"
);
