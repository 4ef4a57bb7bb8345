//! Many orders or top-ups, one after another, each recorded in a journal before it is sent.

use std::collections::HashMap;
use std::io;

use sha2::{Digest, Sha256};

use super::journal::{Journal, JournalRecord, LineState, latest};
use crate::error::{Error, ErrorKind};
use crate::models::Order;
use crate::{Client, SharingOption};

/// A stable description for a line of an input file: `bulk-` and the first 24 hex digits of
/// the SHA-256 of `source`, a zero byte, `line` in decimal, a zero byte, and `content`.
///
/// `source` names the input (the CLI uses the input file's canonical absolute path), `line`
/// is the line's number in it and `content` its text, so that the same line of the same file
/// gets the same description on every run, and any edit of the line gets a new one.
///
/// ```
/// use pressone_esim::bulk::generated_description;
///
/// let a = generated_description("/srv/orders.csv", 3, "kallur-digital-7days-1gb,2");
/// assert_eq!(a, generated_description("/srv/orders.csv", 3, "kallur-digital-7days-1gb,2"));
/// assert_ne!(a, generated_description("/srv/orders.csv", 4, "kallur-digital-7days-1gb,2"));
/// assert!(a.starts_with("bulk-") && a.len() == 29);
/// ```
pub fn generated_description(source: &str, line: u64, content: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(source.as_bytes());
    hash.update([0u8]);
    hash.update(line.to_string().as_bytes());
    hash.update([0u8]);
    hash.update(content.as_bytes());
    let digest = hash.finalize();
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("bulk-{hex}")
}

/// One order of a bulk run: a package, a quantity and a description unique in the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    description: String,
    package_id: String,
    quantity: u32,
    email: Option<(String, Vec<SharingOption>, Vec<String>)>,
    brand: Option<String>,
}

impl OrderLine {
    /// `quantity` eSIMs of a package, with a description unique in the run (yours, or
    /// [`generated_description`]).
    pub fn new(
        description: impl Into<String>,
        package_id: impl Into<String>,
        quantity: u32,
    ) -> Self {
        OrderLine {
            description: description.into(),
            package_id: package_id.into(),
            quantity,
            email: None,
            brand: None,
        }
    }

    /// E-mails the eSIMs (see [`CreateOrder::email_to`](crate::CreateOrder::email_to)).
    pub fn email_to(mut self, to: impl Into<String>, sharing: &[SharingOption]) -> Self {
        let copies = self.email.take().map(|e| e.2).unwrap_or_default();
        self.email = Some((to.into(), sharing.to_vec(), copies));
        self
    }

    /// Adds a CC address to the e-mail.
    pub fn copy_to(mut self, address: impl Into<String>) -> Self {
        if let Some(email) = &mut self.email {
            email.2.push(address.into());
        }
        self
    }

    /// The brand of the sharing pages and e-mail.
    pub fn brand_settings_name(mut self, brand: impl Into<String>) -> Self {
        self.brand = Some(brand.into());
        self
    }

    /// The line's description.
    pub fn description(&self) -> &str {
        &self.description
    }
}

/// One top-up of a bulk run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopupLine {
    description: String,
    iccid: String,
    package_id: String,
}

impl TopupLine {
    /// A top-up package for an eSIM, with a description unique in the run.
    pub fn new(
        description: impl Into<String>,
        iccid: impl Into<String>,
        package_id: impl Into<String>,
    ) -> Self {
        TopupLine {
            description: description.into(),
            iccid: iccid.into(),
            package_id: package_id.into(),
        }
    }

    /// The line's description.
    pub fn description(&self) -> &str {
        &self.description
    }
}

/// What happened to one line.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum LineOutcome {
    /// Placed by this run.
    Placed(Box<Order>),
    /// Placed by an earlier run (the journal says so); nothing was sent.
    AlreadyPlaced {
        /// The order's id, as recorded.
        order_id: Option<i64>,
        /// The order's code, as recorded.
        order_code: Option<String>,
    },
    /// An earlier run left it `sending` or `unclear`, and the order list has an order with its
    /// description: it was placed then; nothing was sent.
    Found(Box<Order>),
    /// The order may exist and this run could not find out: it was not sent (again). The
    /// error is the request's, or the failed look-up's.
    Unclear(Error),
    /// The order certainly does not exist: the server refused it or it was never sent. A new
    /// run sends it again.
    Failed(Error),
}

impl LineOutcome {
    /// Whether the line's order exists (placed now or before).
    pub fn is_placed(&self) -> bool {
        matches!(
            self,
            LineOutcome::Placed(_) | LineOutcome::AlreadyPlaced { .. } | LineOutcome::Found(_)
        )
    }

    /// The order's id, when known.
    pub fn order_id(&self) -> Option<i64> {
        match self {
            LineOutcome::Placed(o) | LineOutcome::Found(o) => Some(o.id),
            LineOutcome::AlreadyPlaced { order_id, .. } => *order_id,
            _ => None,
        }
    }

    /// The state word: `placed`, `already_placed`, `found`, `unclear` or `failed`.
    pub fn name(&self) -> &'static str {
        match self {
            LineOutcome::Placed(_) => "placed",
            LineOutcome::AlreadyPlaced { .. } => "already_placed",
            LineOutcome::Found(_) => "found",
            LineOutcome::Unclear(_) => "unclear",
            LineOutcome::Failed(_) => "failed",
        }
    }
}

/// One line's report.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LineReport {
    /// The line's position in the input (1-based).
    pub line: usize,
    /// Its description.
    pub description: String,
    /// What happened.
    pub outcome: LineOutcome,
}

/// Why a bulk run stopped (every line before it is reported in the journal).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BulkError {
    /// Two lines have the same description (after trimming) or one has none: nothing was sent.
    #[error("line {line}: {message}")]
    Input {
        /// The line (1-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The journal could not be read or written.
    #[error("journal (line {line}): {source}")]
    Journal {
        /// The line being handled (0 when reading the journal).
        line: usize,
        /// Whether that line's request had been sent: its order may exist (a new run finds it).
        sent: bool,
        /// The I/O error.
        source: io::Error,
    },
}

pub(crate) enum Line {
    Order(OrderLine),
    Topup(TopupLine),
}

impl From<OrderLine> for Line {
    fn from(line: OrderLine) -> Self {
        Line::Order(line)
    }
}

impl From<TopupLine> for Line {
    fn from(line: TopupLine) -> Self {
        Line::Topup(line)
    }
}

/// What a bulk run answers: a report per line, or the error that stopped the run.
pub(crate) type Reports = Result<Vec<LineReport>, BulkError>;

impl Line {
    fn description(&self) -> &str {
        match self {
            Line::Order(l) => &l.description,
            Line::Topup(l) => &l.description,
        }
    }

    async fn send(&self, client: &Client) -> crate::Result<Order> {
        match self {
            Line::Order(l) => {
                let mut request = client
                    .orders()
                    .create(&l.package_id, l.quantity)
                    .description(l.description.trim());
                if let Some((to, sharing, copies)) = &l.email {
                    request = request.email_to(to, sharing);
                    for copy in copies {
                        request = request.copy_to(copy);
                    }
                }
                if let Some(brand) = &l.brand {
                    request = request.brand_settings_name(brand);
                }
                request.await
            }
            Line::Topup(l) => {
                client
                    .topups()
                    .create(&l.iccid, &l.package_id)
                    .description(l.description.trim())
                    .await
            }
        }
    }
}

/// Whether a failed write may have been carried out: it may have reached the server and no
/// answer refused it (timeout, dropped connection, 5xx, an answer that could not be read).
pub fn may_exist(err: &Error) -> bool {
    err.may_have_reached_server()
        && match err.kind() {
            ErrorKind::Server
            | ErrorKind::Transport
            | ErrorKind::Timeout
            | ErrorKind::Decode { .. } => true,
            ErrorKind::UnexpectedStatus => !matches!(err.status(), Some(400..=499)),
            _ => false,
        }
}

fn check_descriptions(lines: &[Line]) -> Result<(), BulkError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        let description = line.description().trim();
        if description.is_empty() {
            return Err(BulkError::Input {
                line: i + 1,
                message: "the description is empty".into(),
            });
        }
        if let Some(first) = seen.insert(description, i + 1) {
            return Err(BulkError::Input {
                line: i + 1,
                message: format!("the description {description:?} is also line {first}'s"),
            });
        }
    }
    Ok(())
}

/// The engine of `create_many`: see the module documentation.
pub(crate) async fn run(
    client: &Client,
    lines: Vec<impl Into<Line>>,
    journal: &mut dyn Journal,
) -> Reports {
    let lines: Vec<Line> = lines.into_iter().map(Into::into).collect();
    check_descriptions(&lines)?;
    let journal_error = |line, sent| move |source| BulkError::Journal { line, sent, source };
    let previous = latest(journal.records().map_err(journal_error(0, false))?);
    let mut reports = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let description = line.description().trim().to_string();
        let report = |outcome| LineReport {
            line: number,
            description: description.clone(),
            outcome,
        };
        match previous.get(&description) {
            Some(done) if done.state == LineState::Placed => {
                reports.push(report(LineOutcome::AlreadyPlaced {
                    order_id: done.order_id,
                    order_code: done.order_code.clone(),
                }));
                continue;
            }
            Some(maybe) if matches!(maybe.state, LineState::Sending | LineState::Unclear) => {
                match client.orders().find_by_description(&description).await {
                    Ok(found) if !found.is_empty() => {
                        let Some(order) = newest(found) else { continue };
                        let record = JournalRecord::new(&description, number, LineState::Placed)
                            .with_order(order.id, order.code.clone());
                        journal
                            .record(&record)
                            .map_err(journal_error(number, true))?;
                        reports.push(report(LineOutcome::Found(Box::new(order))));
                        continue;
                    }
                    // The order list has no order with this description: it was never placed.
                    Ok(_) => {}
                    Err(err) => {
                        reports.push(report(LineOutcome::Unclear(err)));
                        continue;
                    }
                }
            }
            _ => {}
        }
        let sending = JournalRecord::new(&description, number, LineState::Sending);
        journal
            .record(&sending)
            .map_err(journal_error(number, false))?;
        let (record, outcome) = match line.send(client).await {
            Ok(order) => (
                JournalRecord::new(&description, number, LineState::Placed)
                    .with_order(order.id, order.code.clone()),
                LineOutcome::Placed(Box::new(order)),
            ),
            Err(err) if may_exist(&err) => (
                JournalRecord::new(&description, number, LineState::Unclear)
                    .with_error(err.to_string()),
                LineOutcome::Unclear(err),
            ),
            Err(err) => (
                JournalRecord::new(&description, number, LineState::Failed)
                    .with_error(err.to_string()),
                LineOutcome::Failed(err),
            ),
        };
        journal
            .record(&record)
            .map_err(journal_error(number, true))?;
        reports.push(report(outcome));
    }
    Ok(reports)
}

/// The newest of the orders found (by creation time, then id).
fn newest(orders: Vec<Order>) -> Option<Order> {
    orders.into_iter().max_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    })
}
