//! Orders of new eSIMs, and the order history.

use chrono::NaiveDate;
use futures::TryStreamExt;

use crate::call::Op;
use crate::client::{Api, Client};
use crate::error::Result;
use crate::models::{Order, OrderStatus, Page};
use crate::raw::types::GetOrderListFilterOrderStatus;
use crate::raw::wire::{SharingOption, SubmitOrderRequest, SubmitOrderType};
use crate::{convert, validate};

/// The longest description the SDK sends (the API documents none; this keeps it sane).
pub(crate) const MAX_DESCRIPTION: usize = 255;

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
        }
    }

    /// Lists orders, newest first, with filters.
    pub fn list(&self) -> ListOrders {
        ListOrders {
            client: self.client.clone(),
            filters: OrderFilters::default(),
            limit: None,
            page: None,
        }
    }

    /// One order, with its eSIMs and status.
    pub fn get(&self, order_id: impl Into<String>) -> GetOrder {
        GetOrder {
            client: self.client.clone(),
            order_id: order_id.into(),
        }
    }

    /// The orders whose description is exactly `description` (the API filters by substring;
    /// this keeps exact matches). Use it to reconcile after an order failed ambiguously.
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

/// The request of [`Orders::create`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct CreateOrder {
    client: Client,
    package_id: String,
    quantity: u32,
    description: Option<String>,
    brand_settings_name: Option<String>,
    email: Option<EmailDelivery>,
}

#[derive(Clone, Debug)]
struct EmailDelivery {
    to: String,
    sharing: Vec<SharingOption>,
    copy_to: Vec<String>,
}

impl CreateOrder {
    /// Your free text for the order, e.g. your own order id; the order list can be filtered by
    /// it.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A brand configured in the partner platform, used for sharing pages and e-mails.
    pub fn brand_settings_name(mut self, brand: impl Into<String>) -> Self {
        self.brand_settings_name = Some(brand.into());
        self
    }

    /// Has the server e-mail the eSIM to the end user, shared as `sharing` (a link to the
    /// eSIMs Cloud page, a PDF, or both; at least one).
    pub fn email_to(mut self, to: impl Into<String>, sharing: &[SharingOption]) -> Self {
        let copy_to = self.email.take().map(|e| e.copy_to).unwrap_or_default();
        self.email = Some(EmailDelivery {
            to: to.into(),
            sharing: sharing.to_vec(),
            copy_to,
        });
        self
    }

    /// Adds a CC address to the e-mail set with [`email_to`](Self::email_to).
    pub fn copy_to(mut self, address: impl Into<String>) -> Self {
        if let Some(email) = &mut self.email {
            email.copy_to.push(address.into());
        }
        self
    }

    /// Sends the order once.
    pub async fn send(self) -> Result<Order> {
        const OP: Op = Op::write("submit_order", Api::Data);
        let err = |e: crate::Error| e.with_operation(OP.name);
        let package_id = validate::id("package_id", &self.package_id)
            .map_err(err)?
            .to_string();
        let quantity = validate::quantity(self.quantity).map_err(err)?;
        let description = self
            .description
            .as_deref()
            .map(|d| validate::text("description", d, MAX_DESCRIPTION))
            .transpose()
            .map_err(err)?
            .map(str::to_string);
        let brand = self
            .brand_settings_name
            .as_deref()
            .map(|b| validate::text("brand_settings_name", b, MAX_DESCRIPTION))
            .transpose()
            .map_err(err)?
            .map(str::to_string);
        let (to_email, sharing_option, copy_address) = match &self.email {
            None => (None, Vec::new(), Vec::new()),
            Some(email) => {
                let to = validate::email(&email.to).map_err(err)?.to_string();
                if email.sharing.is_empty() {
                    return Err(err(crate::Error::invalid_input(
                        "sharing_option",
                        "an e-mailed eSIM needs a link, a PDF or both",
                    )));
                }
                let copies = email
                    .copy_to
                    .iter()
                    .map(|c| validate::email(c).map(str::to_string))
                    .collect::<Result<Vec<_>>>()
                    .map_err(err)?;
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
        let response = self
            .client
            .inner
            .call(OP, |raw| raw.submit_order().body(body.clone()).send())
            .await?;
        convert::order(response.data).map_err(|e| e.with_operation(OP.name))
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

/// The request of [`Orders::list`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct ListOrders {
    client: Client,
    filters: OrderFilters,
    limit: Option<u32>,
    page: Option<u32>,
}

impl ListOrders {
    /// Orders created between these dates, both included.
    pub fn created_between(mut self, from: NaiveDate, to: NaiveDate) -> Self {
        self.filters.created = Some((from, to));
        self
    }

    /// Orders whose code contains this text.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.filters.code = Some(code.into());
        self
    }

    /// Orders with this status.
    pub fn status(mut self, status: OrderStatus) -> Self {
        self.filters.status = Some(status);
        self
    }

    /// Orders of eSIMs whose ICCID contains this text.
    pub fn iccid(mut self, iccid: impl Into<String>) -> Self {
        self.filters.iccid = Some(iccid.into());
        self
    }

    /// Orders whose description contains this text.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.filters.description = Some(description.into());
        self
    }

    /// Orders per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page to fetch with [`send`](Self::send), or to start from with
    /// [`stream`](Self::stream).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    async fn fetch(&self, page: Option<u32>) -> Result<Page<Order>> {
        const OP: Op = Op::read("get_order_list", Api::Data);
        let err = |e: crate::Error| e.with_operation(OP.name);
        let limit = validate::positive("limit", self.limit).map_err(err)?;
        let page_no = validate::positive("page", page).map_err(err)?;
        let status = match &self.filters.status {
            None => None,
            Some(OrderStatus::Completed) => Some(GetOrderListFilterOrderStatus::Completed),
            Some(OrderStatus::Failed) => Some(GetOrderListFilterOrderStatus::Failed),
            Some(OrderStatus::PartiallyRefunded) => {
                Some(GetOrderListFilterOrderStatus::PartiallyRefunded)
            }
            Some(OrderStatus::Refunded) => Some(GetOrderListFilterOrderStatus::Refunded),
            Some(OrderStatus::Other(other)) => {
                return Err(err(crate::Error::invalid_input(
                    "status",
                    format!("{other:?} is not a status the order list can filter by"),
                )));
            }
        };
        let f = &self.filters;
        let created = f
            .created
            .map(|(from, to)| format!("{} - {}", from.format("%Y-%m-%d"), to.format("%Y-%m-%d")));
        let response = self
            .client
            .inner
            .call(OP, |raw| {
                let mut request = raw.get_order_list().include("sims,status".to_string());
                if let Some(c) = &created {
                    request = request.filter_created_at(c.clone());
                }
                if let Some(c) = &f.code {
                    request = request.filter_code(c.clone());
                }
                if let Some(s) = status {
                    request = request.filter_order_status(s);
                }
                if let Some(i) = &f.iccid {
                    request = request.filter_iccid(i.clone());
                }
                if let Some(d) = &f.description {
                    request = request.filter_description(d.clone());
                }
                if let Some(l) = limit {
                    request = request.limit(l);
                }
                if let Some(p) = page_no {
                    request = request.page(p);
                }
                request.send()
            })
            .await?;
        let items = response
            .data
            .into_iter()
            .map(convert::order)
            .collect::<Result<_>>()
            .map_err(|e| e.with_operation(OP.name))?;
        Ok(convert::laravel_page(
            items,
            page.unwrap_or(1),
            response.links,
            response.meta,
        ))
    }
}

/// The request of [`Orders::get`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetOrder {
    client: Client,
    order_id: String,
}

impl GetOrder {
    /// Sends the request.
    pub async fn send(self) -> Result<Order> {
        const OP: Op = Op::read("get_order", Api::Data);
        let id = validate::id("order_id", &self.order_id)
            .map_err(|e| e.with_operation(OP.name))?
            .to_string();
        let response = self
            .client
            .inner
            .call(OP, |raw| {
                raw.get_order()
                    .order_id(id.clone())
                    .include("sims,user,status".to_string())
                    .send()
            })
            .await?;
        convert::order(response.data).map_err(|e| e.with_operation(OP.name))
    }
}

crate::into_future!(CreateOrder => Order);
crate::pagination::paged_request!(ListOrders => Order);
crate::into_future!(GetOrder => Order);
