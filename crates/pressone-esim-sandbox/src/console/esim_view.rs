//! The eSIMs section: one card per eSIM with its QR code (inline SVG drawn by the install
//! kit), install and sharing links, a usage bar, the package history and its controls.

use maud::{Markup, PreEscaped, html};
use pressone_esim_install::qr::QrOptions;
use pressone_esim_install::{ActivationCode, android_install_link, apple_install_link};

use super::model::{EsimView, PackageView};
use super::page::{listing, time};
use crate::esims::render::Usage;
use crate::web::ymd_hms;

/// The QR code as an SVG document, or why it could not be drawn.
fn qr_svg(code: &ActivationCode) -> Result<String, String> {
    code.qr(&QrOptions::new().module_size(4))
        .map(|qr| qr.to_svg())
        .map_err(|e| e.to_string())
}

pub(super) fn section(esims: &[EsimView], hidden: &Markup) -> Markup {
    let heading = html! { "eSIMs " span class="muted" { "(newest first)" } };
    let note = "No eSIM yet: each order creates its eSIMs here.";
    let cards = html! { div class="esims" { @for e in esims { (card(e, hidden)) } } };
    listing("esims", heading, esims.is_empty(), note, cards)
}

fn card(e: &EsimView, hidden: &Markup) -> Markup {
    let code = ActivationCode::parse(&e.lpa).map_err(|err| err.to_string());
    html! {
        article class="esim" id={ "esim-" (e.iccid) } data-iccid=(e.iccid) data-status=(e.status) {
            div {
                @match &code {
                    Ok(code) => {
                        @match qr_svg(code) {
                            Ok(svg) => figure class="qr" id={ "qr-" (e.iccid) } data-lpa=(e.lpa)
                                aria-label={ "QR code of " (e.lpa) } { (PreEscaped(svg)) },
                            Err(why) => p class="err" { "QR code unavailable: " (why) },
                        }
                    }
                    Err(why) => p class="err" { "Invalid activation code: " (why) },
                }
            }
            div {
                h3 { (e.iccid) }
                p {
                    span class={ "status " (e.status) } { (e.status) }
                    " " (e.package_title)
                    " · order " a href="#orders" { (e.order_id) }
                    " · created " (ymd_hms(e.created_at))
                    @if let Some(m) = &e.msisdn { " · MSISDN " (m) }
                }
                p { "LPA: " code class="lpa" { (e.lpa) } }
                @if let Ok(code) = &code {
                    p {
                        a class="apple" href=(apple_install_link(code)) rel="noreferrer" { "Install on iPhone" }
                        " · "
                        a class="android" href=(android_install_link(code)) rel="noreferrer" { "Install on Android" }
                        " · "
                        a class="sharing" href=(e.sharing_link) rel="noreferrer" { "Sharing page" }
                        " (access code " (e.sharing_code) ")"
                    }
                }
                (usage(&e.usage))
                (controls(e, hidden))
            }
            (history(&e.history))
        }
    }
}

fn usage(u: &Usage) -> Markup {
    let used = u.total.saturating_sub(u.remaining);
    html! {
        div class="usage" {
            @if u.is_unlimited == Some(true) {
                p { "Data: unlimited" }
            } @else {
                label {
                    "Data: " (used) " MB used of " (u.total) " MB, "
                    span class="remaining" { (u.remaining) } " MB remaining"
                    meter min="0" max=(u.total.max(1)) value=(used) { (used) " / " (u.total) }
                }
            }
            @if u.total_voice > 0 || u.total_text > 0 {
                p { "Voice: " (u.remaining_voice) " of " (u.total_voice) " min · SMS: "
                    (u.remaining_text) " of " (u.total_text) }
            }
            @if let Some(x) = &u.expired_at { p class="muted" { "Expires " (x) } }
        }
    }
}

fn controls(e: &EsimView, hidden: &Markup) -> Markup {
    let action = |name: &str| format!("/_sandbox/console/sims/{}/{name}", e.iccid);
    let recycled = e.status == "RECYCLED";
    html! {
        div class="controls" {
            @if e.status == "NOT_ACTIVE" {
                form method="post" action=(action("activate")) {
                    (hidden) button type="submit" class="activate" { "Activate" }
                }
            }
            @if e.status == "ACTIVE" {
                form method="post" action=(action("consume")) {
                    (hidden)
                    input type="number" name="data_mb" value="100" min="0" max="10000000" aria-label="MB";
                    " MB " button type="submit" class="consume" { "Consume" }
                }
            }
            @if !recycled {
                form method="post" action=(action("expire")) {
                    (hidden) button type="submit" class="expire" { "Expire" }
                }
                form method="post" action=(action("recycle")) {
                    (hidden) button type="submit" class="recycle" { "Recycle" }
                }
            }
        }
    }
}

fn history(h: &[PackageView]) -> Markup {
    html! {
        details class="history" open[h.len() > 1] {
            summary { "Package history (" (h.len()) ")" }
            table {
                thead { tr {
                    th { "Id" } th { "Package" } th { "Status" } th class="num" { "Remaining" }
                    th { "Activated" } th { "Expires / expired" } th { "Finished" }
                } }
                tbody {
                    @for PackageView { entry: p, package_id, title } in h {
                        tr {
                            td { (p.id) }
                            td { (package_id) br; span class="muted" { (title) } }
                            td { (p.status.as_str()) }
                            td class="num" { (p.remaining_mb) " MB" }
                            td { (time(p.activated_at)) }
                            td { (time(p.expired_at)) }
                            td { (time(p.finished_at)) }
                        }
                    }
                }
            }
        }
    }
}
