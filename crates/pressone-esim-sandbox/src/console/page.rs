//! The page: layout, Account, Orders, Requests and the global Controls (the eSIM cards are in
//! `esim_view`). maud escapes every interpolated value.

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use rust_decimal::Decimal;

use super::Note;
use super::esim_view;
use super::model::{OrderView, View};
use super::requests::{NextFault, RequestRecord};
use crate::orders::OrderKind;
use crate::web::{money2, ymd_hms};

pub(super) struct PageInput<'a> {
    pub view: &'a View,
    pub csrf: &'a str,
    pub nonce: &'a str,
    pub refresh: u32,
    pub note: Option<&'a Note>,
}

const STYLE: &str = "
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0}
main{padding:12px 20px;max-width:1200px}
section{background:#fff;border:1px solid #dde1e8;border-radius:6px;margin:12px 0;padding:8px 14px}
h2{font-size:16px;margin:6px 0 10px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
th{font-weight:600;color:#555}
.num{text-align:right;font-variant-numeric:tabular-nums}
.note{padding:8px 14px;border-radius:6px;margin:12px 0}
.note.ok{background:#e4f6e7}.note.err{background:#fde8e8}
.err{color:#a0161b}.muted{color:#777}
.esims{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:12px}
.esim{border:1px solid #dde1e8;border-radius:6px;padding:10px;display:grid;grid-template-columns:170px minmax(0,1fr);gap:10px}
.history{grid-column:1/-1}.history table{font-size:12px}
.esim h3{margin:0 0 4px;font-size:15px;font-family:monospace}
.qr{margin:0}.qr svg{width:160px;height:160px}
.status{font-weight:600;padding:1px 6px;border-radius:4px;background:#eceef2}
.status.ACTIVE{background:#d9f2dc}.status.NOT_ACTIVE{background:#fff2cc}
.status.RECYCLED,.status.EXPIRED,.status.FINISHED{background:#f3d9d9}
meter{width:100%;height:14px}
form{display:inline-block;margin:2px 4px 2px 0}
code{font-size:12px;word-break:break-all}
";

/// The refresh script: reloads unless the user is filling in a form.
fn refresh_script(secs: u32) -> String {
    format!(
        "setInterval(function(){{var a=document.activeElement;\
         if(!a||!a.form)location.reload();}},{});",
        u64::from(secs) * 1000
    )
}

pub(super) fn render(input: &PageInput<'_>) -> Markup {
    let v = input.view;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "PressOne eSIM sandbox console" }
                style { (PreEscaped(STYLE)) }
                @if input.refresh > 0 {
                    script nonce=(input.nonce) { (PreEscaped(refresh_script(input.refresh))) }
                }
            }
            body {
                header {
                    h1 { "PressOne eSIM sandbox console" }
                    span id="clock" { "sandbox time " (ymd_hms(v.snapshot.now)) " UTC" }
                    @if v.snapshot.clock_offset_secs > 0 {
                        span { "(advanced by " (duration(v.snapshot.clock_offset_secs)) ")" }
                    }
                    span { (v.snapshot.active_tokens) " active token(s)" }
                    span class="muted" {
                        @if input.refresh > 0 { "refreshes every " (input.refresh) " s" }
                        @else { "automatic refresh off" }
                    }
                }
                main {
                    @if let Some(note) = input.note {
                        p id="note" class={ "note " (if note.ok { "ok" } else { "err" }) } { (note.text) }
                    }
                    (account(v))
                    (orders(&v.orders))
                    (esim_view::section(&v.esims, &hidden(input)))
                    (requests(&v.requests))
                    (controls(v, &hidden(input)))
                }
            }
        }
    }
}

/// The hidden fields every control form carries: the CSRF token and the refresh interval.
fn hidden(input: &PageInput<'_>) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(input.csrf);
        input type="hidden" name="refresh" value=(input.refresh);
    }
}

fn duration(secs: u64) -> String {
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

pub(super) fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(ymd_hms).unwrap_or_else(|| "—".into())
}

fn usd(d: Decimal) -> String {
    format!("{} USD", money2(d))
}

fn account(v: &View) -> Markup {
    html! {
        section id="account" {
            h2 { "Account" }
            p {
                "Balance: " strong id="balance" { (usd(v.snapshot.balance)) }
                " — spent by the orders below: " (usd(v.spent()))
            }
            @if v.orders.is_empty() {
                p class="muted" { "Nothing spent yet." }
            } @else {
                table {
                    thead { tr { th { "Time" } th { "What" } th { "Order" } th class="num" { "Spent" } } }
                    tbody {
                        @for o in &v.orders {
                            tr {
                                td { (ymd_hms(o.order.created_at)) }
                                td {
                                    @if o.order.kind() == OrderKind::Topup { "top-up " (o.package_id) " on " (o.iccids.join(", ")) }
                                    @else { (o.order.placed.quantity) " × " (o.package_id) }
                                }
                                td { (o.order.code()) }
                                td class="num" { "−" (usd(o.order.charge.charged)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A section of the console: its heading, then `note` when it lists nothing, else `items`.
pub(super) fn listing(id: &str, heading: Markup, empty: bool, note: &str, items: Markup) -> Markup {
    html! {
        section id=(id) {
            h2 { (heading) }
            @if empty { p class="muted" { (note) } } @else { (items) }
        }
    }
}

fn orders(orders: &[OrderView]) -> Markup {
    let heading = html! { "Orders " span class="muted" { "(newest first)" } };
    let note = "No order yet: submit one with POST /customer/v2/orders.";
    listing(
        "orders",
        heading,
        orders.is_empty(),
        note,
        html! {
                    table {
                        thead { tr {
                            th { "Time" } th { "Id / code" } th { "Type" } th { "Package" }
                            th class="num" { "Qty" } th { "Description" } th { "Status" }
                            th class="num" { "Unit price" } th class="num" { "Net" }
                            th class="num" { "Charged" } th { "eSIMs" }
                        } }
                        tbody {
                            @for OrderView { order: o, package_id, package_title, iccids } in orders {
                                tr class="order" data-order-id=(o.id) {
                                    td { (ymd_hms(o.created_at)) }
                                    td { (o.id) br; span class="muted" { (o.code()) } }
                                    td { @if o.kind() == OrderKind::Topup { "top-up" } @else { "sim" } }
                                    td { (package_id) br; span class="muted" { (package_title) } }
                                    td class="num" { (o.placed.quantity) }
                                    td class="description" {
                                        @match &o.placed.description { Some(d) => (d), None => span class="muted" { "—" } }
                                    }
                                    td { "completed" }
                                    td class="num" { (usd(o.charge.price)) }
                                    td class="num" { (usd(o.charge.net_price)) }
                                    td class="num" { (usd(o.charge.charged)) }
                                    td { @for i in iccids { a href={ "#esim-" (i) } { code { (i) } } br; } }
                                }
                            }
                        }
                    }
        },
    )
}

fn status_text(r: &RequestRecord) -> Markup {
    html! {
        @match r.status {
            Some(s) if s >= 400 => span class="err" { (s) },
            Some(s) => (s),
            None => span class="err" { "dropped" },
        }
        @if r.fault_injected { " " span class="muted" { "(injected)" } }
    }
}

fn requests(records: &[RequestRecord]) -> Markup {
    let heading = html! {
        "Requests " span class="muted" {
            "(last " (super::REQUEST_LOG_CAPACITY) ", newest first; no tokens, secrets or query strings are kept)"
        }
    };
    listing(
        "requests",
        heading,
        records.is_empty(),
        "No API request yet.",
        html! {
                    table {
                        thead { tr {
                            th { "Time" } th { "Method" } th { "Path" } th { "Operation" }
                            th { "Status" } th class="num" { "Latency" } th { "Code" } th { "Message" }
                        } }
                        tbody {
                            @for r in records {
                                tr class="request" {
                                    td { (ymd_hms(r.at)) }
                                    td { (r.method) }
                                    td { code { (r.path) @if r.had_query { span class="muted" { "?…" } } } }
                                    td { @match r.operation { Some(op) => (op.as_str()), None => span class="muted" { "unknown route" } } }
                                    td { (status_text(r)) }
                                    td class="num" { (r.latency_ms) " ms" }
                                    td class="code" { @if let Some(c) = r.business_code { span class="err" { (c) } } }
                                    td { @if let Some(m) = &r.message { (m) } }
                                }
                            }
                        }
                    }
        },
    )
}

fn controls(v: &View, hidden: &Markup) -> Markup {
    html! {
        section id="controls" {
            h2 { "Controls" }
            p class="muted" { "eSIM controls (activate, consume, expire, recycle) are on each eSIM above." }
            form method="post" action="/_sandbox/console/clock" {
                (hidden)
                label { "Advance the clock by " }
                select name="amount" {
                    option value="1h" { "1 hour" }
                    option value="1d" { "1 day" }
                    option value="7d" { "7 days" }
                    option value="30d" { "30 days" }
                }
                " " button type="submit" id="advance-clock" { "Advance clock" }
            }
            form method="post" action="/_sandbox/console/tokens/revoke" {
                (hidden)
                button type="submit" id="revoke-tokens" { "Revoke every token" }
            }
            form method="post" action="/_sandbox/console/fault" {
                (hidden)
                label { "Next API request: " }
                select name="fault" {
                    @for f in NextFault::ALL { option value=(f.key()) { (f.label()) } }
                }
                " " button type="submit" id="inject-fault" { "Inject fault" }
            }
            @if let Some(f) = v.armed {
                form method="post" action="/_sandbox/console/fault" {
                    (hidden)
                    input type="hidden" name="fault" value="none";
                    span id="armed-fault" class="err" { "Armed for the next API request: " (f.label()) " " }
                    button type="submit" id="disarm-fault" { "Disarm" }
                }
            }
            @if v.snapshot.faults.is_active() {
                p class="err" { "Configured faults are active (GET /_sandbox/faults)." }
            }
        }
    }
}
