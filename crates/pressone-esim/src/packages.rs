//! The package catalogue.

use crate::call::Op;
use crate::client::{Api, Client};
use crate::error::Result;
use crate::models::{CatalogEntry, Page};
use crate::raw::types::{GetPackagesFilterType, GetPackagesInclude};
use crate::{convert, validate};

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

    /// Entries per page. Without a limit the server may send the whole catalogue at once.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page to fetch with [`send`](Self::send), or to start from with
    /// [`stream`](Self::stream) (1-based).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// The language of texts (`Accept-Language`, e.g. `en`, `fr`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    async fn fetch(&self, page: Option<u32>) -> Result<Page<CatalogEntry>> {
        const OP: Op = Op::read("get_packages", Api::Data);
        let err = |e: crate::Error| e.with_operation(OP.name);
        let country = self
            .country
            .as_deref()
            .map(validate::country)
            .transpose()
            .map_err(err)?;
        let limit = validate::positive("limit", self.limit).map_err(err)?;
        let page_no = validate::positive("page", page).map_err(err)?;
        let language = self
            .language
            .as_deref()
            .map(|l| validate::id("language", l))
            .transpose()
            .map_err(err)?;
        let response = self
            .client
            .inner
            .call(OP, |raw| {
                let mut request = raw.get_packages();
                if let Some(t) = self.package_type {
                    request = request.filter_type(match t {
                        PackageType::Local => GetPackagesFilterType::Local,
                        PackageType::Global => GetPackagesFilterType::Global,
                    });
                }
                if let Some(c) = &country {
                    request = request.filter_country(c.clone());
                }
                if self.include_topups {
                    request = request.include(GetPackagesInclude::Topup);
                }
                if let Some(l) = limit {
                    request = request.limit(l);
                }
                if let Some(p) = page_no {
                    request = request.page(p);
                }
                if let Some(lang) = language {
                    request = request.accept_language(lang.to_string());
                }
                request.send()
            })
            .await?;
        let items = convert::catalog(response.data).map_err(|e| e.with_operation(OP.name))?;
        Ok(convert::laravel_page(
            items,
            page.unwrap_or(1),
            response.links,
            response.meta,
        ))
    }
}

crate::pagination::paged_request!(ListPackages => CatalogEntry);
