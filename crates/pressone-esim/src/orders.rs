//! Orders of new eSIMs, and the order history.

use chrono::NaiveDate;
use futures::TryStreamExt;

use crate::bulk::{self, Journal, OrderLine, Reports};
use crate::client::Client;
use crate::error::Result;
use crate::include::{self, OrderInclude};
use crate::list::{PagedBuilder, laravel_page};
use crate::models::{Order, OrderStatus, Page};
use crate::pagination::Maybe;
use crate::raw::types::GetOrderListFilterOrderStatus;
use crate::raw::wire::{SharingOption, SubmitOrderRequest, SubmitOrderType};
use crate::{convert, validate};
use pressone_esim_raw::OperationId;

/// The longest description the SDK sends (the API documents none; this keeps it sane).
pub(crate) const MAX_DESCRIPTION: usize = 255;

/// What the order list always embeds: the eSIMs and the status.
const LIST_INCLUDE: &[OrderInclude] = &[OrderInclude::Sims, OrderInclude::Status];

/// What the order read always embeds: the eSIMs, the user and the status.
const GET_INCLUDE: &[OrderInclude] =
    &[OrderInclude::Sims, OrderInclude::User, OrderInclude::Status];

/// Orders: `client.orders()`.
#[derive(Clone, Copy, Debug)]
pub struct Orders<'a> {
    client: &'a Client,
}

impl Client {
    /// Orders of new eSIMs and the order history (top-ups included).
    pub fn orders(&self) -> Orders<'_> {
        Orders { client: self }
    }
}

impl Orders<'_> {
    /// Orders `quantity` (1 to 50) eSIMs of a package. This spends the partner's credit.
    ///
    /// The SDK sends an order at most once: it is never retried once the request may have
    /// reached the server. Give each order a unique [`description`](CreateOrder::description)
    /// (your own order id) so that after an ambiguous failure
    /// ([`Error::may_have_reached_server`](crate::Error::may_have_reached_server)) you can
    /// look it up with [`find_by_description`](Self::find_by_description) before ordering
    /// again.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let order = client
    ///     .orders()
    ///     .create("kallur-digital-7days-1gb", 1)
    ///     .description("shop-order-1042")
    ///     .await?;
    /// for esim in &order.esims {
    ///     println!("{} {}", esim.iccid, esim.lpa.as_deref().unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, package_id: impl Into<String>, quantity: u32) -> CreateOrder {
        CreateOrder {
            client: self.client.clone(),
            package_id: package_id.into(),
            quantity,
            description: None,
            brand_settings_name: None,
            email: None,
            copy_to: Vec::new(),
        }
    }

    /// Lists orders, newest first, with filters.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use futures::TryStreamExt;
    /// let mut orders = client.orders().list().limit(25).stream();
    /// while let Some(order) = orders.try_next().await? {
    ///     println!("{} {:?}", order.id, order.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListOrders {
        ListOrders {
            client: self.client.clone(),
            filters: OrderFilters::default(),
            include: Vec::new(),
            limit: None,
            page: None,
        }
    }

    /// One order, with its eSIMs and status.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let order = client.orders().get("90215").await?;
    /// for esim in &order.esims {
    ///     println!("{}", esim.iccid);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, order_id: impl Into<String>) -> GetOrder {
        GetOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
            include: Vec::new(),
        }
    }

    /// Places many orders one after another, each recorded in `journal` before it is sent;
    /// a line that may exist is never sent again (see [`crate::bulk`]).
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use pressone_esim::bulk::{FileJournal, OrderLine};
    /// let mut journal = FileJournal::open("orders.journal")?;
    /// let lines = vec![OrderLine::new("shop-order-1043", "change-7days-1gb", 2)];
    /// let reports = client.orders().create_many(lines, &mut journal).await?;
    /// println!("{} lines reported", reports.len());
    /// # Ok(()) }
    /// ```
    pub async fn create_many(&self, lines: Vec<OrderLine>, journal: &mut dyn Journal) -> Reports {
        bulk::run(self.client, lines, journal).await
    }

    /// The orders whose description is exactly `description` (the API filters by substring;
    /// this keeps exact matches). Use it to reconcile after an order failed ambiguously.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let found = client.orders().find_by_description("shop-order-1042").await?;
    /// if found.is_empty() {
    ///     client.orders().create("change-7days-1gb", 1).description("shop-order-1042").await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn find_by_description(&self, description: &str) -> Result<Vec<Order>> {
        let wanted = description.trim().to_string();
        self.list()
            .description(wanted.clone())
            .stream()
            .try_filter(|o| {
                std::future::ready(o.description.as_deref().map(str::trim) == Some(wanted.as_str()))
            })
            .try_collect()
            .await
    }
}

crate::request! {
    /// The request of [`Orders::create`].
    CreateOrder => Order {
        package_id: String,
        quantity: u32,
        description: Option<String>,
        brand_settings_name: Option<String>,
        email: Option<EmailDelivery>,
        copy_to: Vec<String>,
    }
}

#[derive(Clone, Debug)]
struct EmailDelivery {
    to: String,
    sharing: Vec<SharingOption>,
}

impl CreateOrder {
    crate::setters! {
        /// Your free text for the order, e.g. your own order id; the order list can be filtered by
        /// it.
        description(description: impl Into<String>) => description = Some(description.into());

        /// A brand configured in the partner platform, used for sharing pages and e-mails.
        brand_settings_name(brand: impl Into<String>) => brand_settings_name = Some(brand.into());
    }

    /// Has the server e-mail the eSIM to the end user, shared as `sharing` (a link to the
    /// eSIMs Cloud page, a PDF, or both; at least one).
    pub fn email_to(mut self, to: impl Into<String>, sharing: &[SharingOption]) -> Self {
        self.email = Some(EmailDelivery {
            to: to.into(),
            sharing: sharing.to_vec(),
        });
        self
    }

    crate::setters! {
        /// Adds a CC address to the e-mail set with [`email_to`](Self::email_to). The order of
        /// the two calls does not matter; CC addresses without `email_to` are an
        /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error when the order is sent (nothing
        /// is sent), never silently dropped.
        copy_to(address: impl Into<String>) => copy_to.push(address.into());
    }

    /// Sends the order once.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// let request = client.orders().create("kallur-digital-7days-1gb", 2).description("shop-order-1044");
    /// let order = request.send().await?;
    /// println!("order {} with {} eSIMs", order.id, order.esims.len());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Order> {
        self.client
            .run(OperationId::SubmitOrder, |call| async move {
                let package_id = validate::id("package_id", &self.package_id)?.to_string();
                let quantity = validate::quantity(self.quantity)?;
                let text = |field, value: &Option<String>| {
                    validate::optional_text(field, value.as_deref(), MAX_DESCRIPTION)
                };
                let description = text("description", &self.description)?;
                let brand = text("brand_settings_name", &self.brand_settings_name)?;
                let (to_email, sharing_option, copy_address) = match &self.email {
                    None if !self.copy_to.is_empty() => {
                        return Err(crate::Error::invalid_input(
                            "copy_address",
                            "CC addresses need an e-mail: call email_to as well",
                        ));
                    }
                    None => (None, Vec::new(), Vec::new()),
                    Some(email) => {
                        let to = validate::email(&email.to)?.to_string();
                        if email.sharing.is_empty() {
                            return Err(crate::Error::invalid_input(
                                "sharing_option",
                                "an e-mailed eSIM needs a link, a PDF or both",
                            ));
                        }
                        let copies = self
                            .copy_to
                            .iter()
                            .map(|c| validate::email(c).map(str::to_string))
                            .collect::<Result<Vec<_>>>()?;
                        let mut sharing: Vec<SharingOption> = Vec::new();
                        for option in &email.sharing {
                            if !sharing.contains(option) {
                                sharing.push(*option);
                            }
                        }
                        (Some(to), sharing, copies)
                    }
                };
                let body = SubmitOrderRequest {
                    brand_settings_name: brand,
                    copy_address,
                    description,
                    package_id,
                    quantity,
                    sharing_option,
                    to_email,
                    type_: SubmitOrderType::Sim,
                };
                let response = call
                    .send(|raw| raw.submit_order().body(body.clone()).send())
                    .await?;
                convert::order(response.data)
            })
            .await
    }
}

#[derive(Clone, Debug, Default)]
struct OrderFilters {
    created: Option<(NaiveDate, NaiveDate)>,
    code: Option<String>,
    status: Option<OrderStatus>,
    iccid: Option<String>,
    description: Option<String>,
}

crate::list::paged_request! {
    /// The request of [`Orders::list`].
    ListOrders => Order {
        filters: OrderFilters,
        include: Vec<OrderInclude>,
    },
    limit: "Orders per page.",
    "client.orders().list()"
}

impl ListOrders {
    crate::setters! {
        /// Also embeds `relation` (`include`), e.g. [`OrderInclude::User`]; the SDK always asks
        /// for the eSIMs and the status.
        include(relation: OrderInclude) => include.push(relation);

        /// Orders created between these dates, both included.
        created_between(from: NaiveDate, to: NaiveDate) => filters.created = Some((from, to));

        /// Orders whose code contains this text.
        code(code: impl Into<String>) => filters.code = Some(code.into());

        /// Orders with this status.
        status(status: OrderStatus) => filters.status = Some(status);

        /// Orders of eSIMs whose ICCID contains this text.
        iccid(iccid: impl Into<String>) => filters.iccid = Some(iccid.into());

        /// Orders whose description contains this text.
        description(description: impl Into<String>) =>
            filters.description = Some(description.into());
    }

    async fn fetch(&self, page: Option<u32>) -> Result<Page<Order>> {
        self.client
            .run(OperationId::GetOrderList, |call| async move {
                let paging = self.paging(page)?;
                let status = match &self.filters.status {
                    None => None,
                    Some(OrderStatus::Completed) => Some(GetOrderListFilterOrderStatus::Completed),
                    Some(OrderStatus::Failed) => Some(GetOrderListFilterOrderStatus::Failed),
                    Some(OrderStatus::PartiallyRefunded) => {
                        Some(GetOrderListFilterOrderStatus::PartiallyRefunded)
                    }
                    Some(OrderStatus::Refunded) => Some(GetOrderListFilterOrderStatus::Refunded),
                    Some(OrderStatus::Other(other)) => {
                        return Err(crate::Error::invalid_input(
                            "status",
                            format!("{other:?} is not a status the order list can filter by"),
                        ));
                    }
                };
                let f = &self.filters;
                let created = f.created.map(crate::pagination::created_range);
                let response = call
                    .send(|raw| {
                        raw.get_order_list()
                            .include(include::value(LIST_INCLUDE, &self.include))
                            .maybe(created.as_ref(), |r, c| r.filter_created_at(c.clone()))
                            .maybe(f.code.as_ref(), |r, c| r.filter_code(c.clone()))
                            .maybe(status, |r, s| r.filter_order_status(s))
                            .maybe(f.iccid.as_ref(), |r, i| r.filter_iccid(i.clone()))
                            .maybe(f.description.as_ref(), |r, d| {
                                r.filter_description(d.clone())
                            })
                            .paging(&paging)
                            .send()
                    })
                    .await?;
                let (data, links, meta) = (response.data, response.links, response.meta);
                laravel_page(&paging, data, convert::order, links, meta)
            })
            .await
    }
}

crate::request! {
    /// The request of [`Orders::get`].
    GetOrder => Order {
        order_id: String,
        include: Vec<OrderInclude>,
    }
}

impl GetOrder {
    crate::setters! {
        /// Also embeds `relation` (`include`); the SDK always asks for the eSIMs, the user and
        /// the status.
        include(relation: OrderInclude) => include.push(relation);
    }

    /// Sends the request.
    ///
    /// ```no_run
    /// # async fn run(client: pressone_esim::Client) -> pressone_esim::Result<()> {
    /// use pressone_esim::OrderInclude;
    /// let order = client.orders().get("90215").include(OrderInclude::User).send().await?;
    /// println!("{:?} {:?}", order.status, order.user);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Order> {
        self.client
            .run(OperationId::GetOrder, |call| async move {
                let id = validate::id("order_id", &self.order_id)?.to_string();
                let response = call
                    .send(|raw| {
                        raw.get_order()
                            .order_id(id.clone())
                            .include(include::value(GET_INCLUDE, &self.include))
                            .send()
                    })
                    .await?;
                convert::order(response.data)
            })
            .await
    }
}
