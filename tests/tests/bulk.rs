//! The SDK's bulk work (`pressone_esim::bulk`) against the real simulator
//! (`pressone-esim-sandbox` on loopback): orders and top-ups recorded in a journal and never
//! placed twice (a dropped answer, a crash between record and answer, a failed look-up), the
//! usage of 50 eSIMs with a bad ICCID and 429s, and the flat catalogue.

use std::io::Write;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use pressone_esim::bulk::{
    BulkError, FileJournal, Journal, JournalRecord, LineOutcome, LineReport, LineState, OrderLine,
    TopupLine, generated_description,
};
use pressone_esim::{Client, ErrorKind, Order, RetryPolicy};
use pressone_esim_sandbox::{FaultConfig, Operation, Sandbox, SandboxConfig, SandboxHandle};

const ID: &str = "bulk-test-client";
const SECRET: &str = "bulk-test-secret";

async fn sandbox() -> SandboxHandle {
    Sandbox::start(
        SandboxConfig::default()
            .seed(7)
            .client_id(ID)
            .client_secret(SECRET),
    )
    .await
    .expect("the sandbox starts")
}

fn client(sb: &SandboxHandle, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(sb.base_url())
        .credentials(ID, SECRET)
        .request_timeout(Duration::from_secs(10))
        .retry_policy(retry)
        .build()
        .expect("the client builds")
}

/// The first package of the catalogue.
async fn a_package(client: &Client) -> String {
    let mut rows = client.packages().list().flat();
    let first = rows.try_next().await.expect("the catalogue");
    first.expect("a package").id
}

/// The sandbox, a client of it with this retry policy, and a package to order.
async fn setup(retry: RetryPolicy) -> (SandboxHandle, Client, String) {
    let sb = sandbox().await;
    let client = client(&sb, retry);
    let package = a_package(&client).await;
    (sb, client, package)
}

/// An order of `quantity` eSIMs of `package` with this description, placed once.
async fn place(client: &Client, package: &str, quantity: u32, description: &str) -> Order {
    let request = client.orders().create(package, quantity);
    request.description(description).await.expect("placed")
}

/// Runs `create_many` of `lines` over `journal` to its end; the reports.
async fn run(client: &Client, lines: Vec<OrderLine>, journal: &mut dyn Journal) -> Vec<LineReport> {
    let reports = client.orders().create_many(lines, journal).await;
    reports.expect("the run finishes")
}

/// Runs `create_many` of `lines` again over the journal at `path`; the journal and the
/// reports.
async fn rerun(
    client: &Client,
    path: &std::path::Path,
    lines: Vec<OrderLine>,
) -> (FileJournal, Vec<LineReport>) {
    let mut journal = FileJournal::open(path).expect("the journal opens");
    let reports = run(client, lines, &mut journal).await;
    (journal, reports)
}

/// The outcome name of each line.
fn names(reports: &[LineReport]) -> Vec<&'static str> {
    reports.iter().map(|r| r.outcome.name()).collect()
}

fn lines(package: &str, n: usize, prefix: &str) -> Vec<OrderLine> {
    (1..=n)
        .map(|i| OrderLine::new(format!("{prefix}-{i}"), package, 1))
        .collect()
}

/// A file journal that, while line `drop_line` is being sent, has the sandbox drop the
/// order's connection after placing it (the answer is lost; the order exists).
struct DropOnLine<'a> {
    inner: FileJournal,
    sandbox: &'a SandboxHandle,
    drop_line: usize,
}

impl Journal for DropOnLine<'_> {
    fn records(&mut self) -> std::io::Result<Vec<JournalRecord>> {
        self.inner.records()
    }

    fn record(&mut self, record: &JournalRecord) -> std::io::Result<()> {
        self.inner.record(record)?;
        if record.line == self.drop_line && record.state == LineState::Sending {
            let drop_after = FaultConfig::none()
                .drops(1.0)
                .after_processing(true)
                .only([Operation::SubmitOrder]);
            self.sandbox.set_faults(drop_after).expect("valid faults");
        } else {
            self.sandbox.clear_faults();
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_answer_is_found_by_description_and_every_line_is_ordered_once() {
    let (sb, client, package) = setup(RetryPolicy::default()).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("orders.journal.jsonl");

    let mut journal = DropOnLine {
        inner: FileJournal::open(&path).expect("the journal opens"),
        sandbox: &sb,
        drop_line: 3,
    };
    let first = run(&client, lines(&package, 5, "drop"), &mut journal).await;
    assert_eq!(
        names(&first),
        ["placed", "placed", "unclear", "placed", "placed"]
    );
    // The server placed the third order although its answer was lost.
    assert_eq!(sb.order_count(), 5);

    let (_, second) = rerun(&client, &path, lines(&package, 5, "drop")).await;
    assert_eq!(
        names(&second),
        [
            "already_placed",
            "already_placed",
            "found",
            "already_placed",
            "already_placed"
        ]
    );
    assert_eq!(sb.order_count(), 5, "no line was ordered twice");
    assert_eq!(sb.request_count(Operation::SubmitOrder), 5);
    for i in 1..=5 {
        let description = format!("drop-{i}");
        let orders = client
            .orders()
            .find_by_description(&description)
            .await
            .expect("the look-up");
        assert_eq!(orders.len(), 1, "{description} is ordered exactly once");
    }
    let third = client
        .orders()
        .find_by_description("drop-3")
        .await
        .expect("the look-up");
    assert_eq!(second[2].outcome.order_id(), Some(third[0].id));
    // The journal now says placed for every line: a third run sends nothing.
    let latest: std::collections::HashMap<_, _> = journal
        .records()
        .expect("the records")
        .into_iter()
        .map(|r| (r.description.clone(), r.state))
        .collect();
    assert!(
        latest.values().all(|s| *s == LineState::Placed),
        "{latest:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_record_and_answer_never_orders_twice() {
    let (sb, client, package) = setup(RetryPolicy::default()).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("j.jsonl");
    // What a process killed mid-run leaves: line 1 recorded `sending` and placed on the server
    // (the answer never came back), line 2 recorded `sending` but never sent, and a torn line.
    let placed = place(&client, &package, 1, "crash-1").await;
    {
        let mut journal = FileJournal::open(&path).expect("opens");
        journal
            .record(&JournalRecord::new("crash-1", 1, LineState::Sending))
            .expect("recorded");
        journal
            .record(&JournalRecord::new("crash-2", 2, LineState::Sending))
            .expect("recorded");
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("appends");
    file.write_all(br#"{"description":"crash-3","li"#)
        .expect("torn");
    drop(file);

    let (mut journal, reports) = rerun(&client, &path, lines(&package, 3, "crash")).await;
    assert_eq!(names(&reports), ["found", "placed", "placed"]);
    assert_eq!(reports[0].outcome.order_id(), Some(placed.id));
    assert_eq!(sb.order_count(), 3, "one order per line");
    // The torn line was removed; every record reads back.
    assert_eq!(journal.records().expect("readable").len(), 2 + 1 + 4);
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .ends_with("}\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_that_may_exist_is_not_sent_when_the_look_up_fails() {
    let (sb, client, package) = setup(RetryPolicy::disabled()).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("j.jsonl");
    let mut journal = FileJournal::open(&path).expect("opens");
    journal
        .record(&JournalRecord::new("maybe-1", 1, LineState::Unclear))
        .expect("recorded");
    sb.set_faults(
        FaultConfig::none()
            .server_errors(1.0, 503)
            .only([Operation::GetOrderList]),
    )
    .expect("valid faults");
    let reports = run(&client, lines(&package, 1, "maybe"), &mut journal).await;
    assert!(
        matches!(&reports[0].outcome, LineOutcome::Unclear(e) if *e.kind() == ErrorKind::Server),
        "{reports:?}"
    );
    assert_eq!(sb.request_count(Operation::SubmitOrder), 0, "nothing sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_descriptions_stop_the_run_before_anything_is_sent() {
    let sb = sandbox().await;
    let client = client(&sb, RetryPolicy::default());
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut journal = FileJournal::open(dir.path().join("j.jsonl")).expect("opens");
    let lines = vec![
        OrderLine::new("same", "p", 1),
        OrderLine::new("other", "p", 1),
        OrderLine::new(" same ", "p", 1),
    ];
    let err = client
        .orders()
        .create_many(lines, &mut journal)
        .await
        .expect_err("refused");
    assert!(matches!(err, BulkError::Input { line: 3, .. }), "{err}");
    assert_eq!(sb.request_count(Operation::SubmitOrder), 0);
    assert!(journal.records().expect("readable").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_ups_rerun_without_duplicates() {
    let (sb, client, package) = setup(RetryPolicy::default()).await;
    let order = place(&client, &package, 2, "for-topups").await;
    let mut lines = Vec::new();
    for (i, esim) in order.esims.iter().enumerate() {
        sb.activate(&esim.iccid).expect("activates");
        let offer = client.sims().topups(&esim.iccid).await.expect("offers");
        let offer = offer.first().expect("a top-up offer");
        let source = format!("{},{}", esim.iccid, offer.id);
        let description = generated_description("topups.csv", i as u64 + 2, &source);
        lines.push(TopupLine::new(description, &esim.iccid, &offer.id));
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("t.jsonl");
    let mut journal = FileJournal::open(&path).expect("opens");
    let first = client
        .topups()
        .create_many(lines.clone(), &mut journal)
        .await
        .expect("runs");
    assert!(first.iter().all(|r| r.outcome.is_placed()), "{first:?}");
    let mut journal = FileJournal::open(&path).expect("opens");
    let second = client
        .topups()
        .create_many(lines, &mut journal)
        .await
        .expect("runs");
    assert!(second.iter().all(|r| r.outcome.name() == "already_placed"));
    assert_eq!(sb.topup_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_of_fifty_esims_with_a_bad_iccid_and_rate_limits() {
    // No retries in the client: every 429 reaches the batch, which must slow down, not fail.
    let (sb, client, package) = setup(RetryPolicy::disabled()).await;
    let order = place(&client, &package, 49, "usage-50").await;
    let mut iccids: Vec<String> = order.esims.iter().map(|e| e.iccid.clone()).collect();
    let bad = "8999000000000000017".to_string();
    iccids.insert(17, bad.clone());
    assert_eq!(iccids.len(), 50);
    sb.set_faults(
        FaultConfig::none()
            .rate_limits(0.3, Duration::ZERO)
            .only([Operation::GetUsage]),
    )
    .expect("valid faults");

    let results: Vec<_> = client
        .sims()
        .usage_many(iccids.clone())
        .concurrency(4)
        .rate_limit_backoff(Duration::from_millis(5))
        .rate_limit_retries(30)
        .stream()
        .collect()
        .await;

    let order: Vec<_> = results.iter().map(|(iccid, _)| iccid.clone()).collect();
    assert_eq!(order, iccids, "one result per ICCID, in input order");
    for (iccid, result) in &results {
        if *iccid == bad {
            let err = result.as_ref().expect_err("the bad ICCID fails");
            assert_eq!(*err.kind(), ErrorKind::NotFound, "{err}");
        } else {
            assert!(result.is_ok(), "{iccid}: {result:?}");
        }
    }
    let asked = sb.request_count(Operation::GetUsage);
    assert!(asked > 50, "the server answered 429s ({asked} requests)");
}

#[test]
fn a_journal_that_is_not_one_is_refused() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("j.jsonl");
    std::fs::write(&path, "not json\n{}\n").expect("written");
    let mut journal = FileJournal::open(&path).expect("opens");
    let err = journal.records().expect_err("refused");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flat_catalogue_has_one_row_per_package_with_its_context() {
    let sb = sandbox().await;
    let client = client(&sb, RetryPolicy::default());
    // The same query, as entries and as flat rows.
    let query = || client.packages().list().limit(3);
    let entries: Vec<_> = query().stream().try_collect().await.expect("the catalogue");
    let rows: Vec<_> = query()
        .flat()
        .try_collect()
        .await
        .expect("the flat catalogue");
    let packages: Vec<_> = entries
        .iter()
        .flat_map(|e| {
            e.operators
                .iter()
                .flat_map(move |o| o.packages.iter().map(move |p| (e, o, p)))
        })
        .collect();
    assert_eq!(
        rows.len(),
        packages.len(),
        "one row per package, every page"
    );
    for (row, (entry, operator, package)) in rows.iter().zip(&packages) {
        assert_eq!(row.id, package.id);
        assert_eq!(row.country, entry.title);
        assert_eq!(row.country_code, entry.country_code);
        assert_eq!(row.operator, operator.title);
        assert_eq!(
            row.net("USD"),
            package.prices.net("USD").or(package.net_price)
        );
        assert_eq!(
            row.recommended_retail("USD"),
            package.prices.retail("USD").or(package.price)
        );
        for price in package.prices.iter() {
            assert_eq!(
                row.prices.get(price.currency),
                Some(price),
                "every currency"
            );
        }
        assert_eq!(row.unlimited, row.data_mb.is_none());
    }
}

mod support;

/// A loopback server that holds each usage request until `cap` requests are unanswered at
/// once (or every expected request has arrived), then answers all of them; it records the
/// most unanswered at once.
struct GateServer {
    url: String,
    gate: std::sync::Arc<(std::sync::Mutex<Gate>, std::sync::Condvar)>,
}

#[derive(Default)]
struct Gate {
    unanswered: usize,
    most: usize,
    arrived: usize,
    /// Requests up to this arrival number are answered.
    released: usize,
}

impl GateServer {
    fn start(cap: usize, expected: usize) -> Self {
        use std::io::{BufRead, BufReader, Read};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let gate = std::sync::Arc::new((
            std::sync::Mutex::new(Gate::default()),
            std::sync::Condvar::new(),
        ));
        let shared = gate.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let gate = shared.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().expect("a clone"));
                    let mut head = String::new();
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if line.trim().is_empty() {
                            break;
                        }
                        head.push_str(&line);
                    }
                    let mut body = vec![0; length];
                    let _ = reader.read_exact(&mut body);
                    let answer = if head.contains(support::TOKEN_PATH) {
                        support::token_body(support::TOKEN)
                    } else {
                        let (lock, wake) = &*gate;
                        let mut g = lock.lock().expect("the gate");
                        g.unanswered += 1;
                        g.arrived += 1;
                        g.most = g.most.max(g.unanswered);
                        let ticket = g.arrived;
                        if g.unanswered >= cap || g.arrived >= expected {
                            // A client over its cap shows itself by sending more meanwhile
                            // (no time is asserted: a client within its cap passes anyway).
                            g = wake
                                .wait_timeout_while(g, Duration::from_millis(200), |g| {
                                    g.arrived == ticket && g.arrived < expected
                                })
                                .expect("the gate")
                                .0;
                            g.released = g.released.max(ticket);
                            wake.notify_all();
                        }
                        let (mut g, _) = wake
                            .wait_timeout_while(g, Duration::from_secs(5), |g| ticket > g.released)
                            .expect("the gate");
                        // Counted as answered before the answer leaves: a client that keeps
                        // its cap can never have more than `cap` unanswered requests.
                        g.unanswered -= 1;
                        support::fixture("airalo.get-usage.200.json")
                    };
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                        answer.len()
                    );
                });
            }
        });
        GateServer { url, gate }
    }

    fn most_at_once(&self) -> usize {
        self.gate.0.lock().expect("the gate").most
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_many_keeps_its_concurrency_cap() {
    for (cap, configured) in [(8, None), (3, Some(3))] {
        let iccids: Vec<String> = (0..20)
            .map(|i| format!("89444654000002672{i:02}"))
            .collect();
        let server = GateServer::start(cap, iccids.len());
        let client = support::builder_for(&server.url, Duration::from_secs(10))
            .build()
            .expect("the client builds");
        let mut request = client.sims().usage_many(iccids.clone());
        if let Some(n) = configured {
            request = request.concurrency(n);
        }
        let results: Vec<_> = request.stream().collect().await;
        assert!(results.iter().all(|(_, r)| r.is_ok()), "{results:?}");
        let order: Vec<_> = results.into_iter().map(|(iccid, _)| iccid).collect();
        assert_eq!(order, iccids);
        assert_eq!(
            server.most_at_once(),
            cap,
            "at most {cap} requests at once, and that many"
        );
    }
}
