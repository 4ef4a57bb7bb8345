//! The console page (`GET /`, `GET /_sandbox/console`) after a scripted journey, its QR codes,
//! its control forms and their CSRF defences, over real HTTP.

#[path = "../common/console.rs"]
mod journey;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};

use self::journey::{HOSTILE_DESCRIPTION, csrf_token, journey};
use crate::common::{BALANCE, Env, PKG, env, sim};

/// A client that shows redirects instead of following them.
fn browser_like() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn page(e: &Env, path: &str) -> String {
    let r = browser_like()
        .get(e.url(path))
        .send()
        .await
        .expect("console");
    assert_eq!(r.status(), StatusCode::OK);
    let ct = r.headers().get(CONTENT_TYPE).cloned();
    assert!(ct.is_some_and(|c| c.as_bytes().starts_with(b"text/html")));
    r.text().await.expect("html")
}

async fn console(e: &Env) -> String {
    page(e, "/_sandbox/console").await
}

/// Posts a console form the way the page's own form does (same origin, with the token).
async fn post_form(e: &Env, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = csrf_token(&console(e).await);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    browser_like()
        .post(e.url(path))
        .header("origin", e.sb.base_url())
        .header("sec-fetch-site", "same-origin")
        .form(&all)
        .send()
        .await
        .expect("post")
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the console"))
}

/// The eSIM's status as the control endpoint reports it.
async fn sim_status(e: &Env, iccid: &str) -> String {
    let sims = e.control("GET", "/_sandbox/sims", None).await;
    let sims = sims.body["sims"].as_array().cloned().unwrap_or_default();
    let sim = sims.iter().find(|s| s["iccid"] == iccid).expect("the eSIM");
    sim["status"].as_str().expect("status").to_string()
}

#[tokio::test]
async fn console_shows_the_journey() {
    let e = env().await;
    let j = journey(&e).await;
    let html = console(&e).await;
    assert_eq!(
        page(&e, "/").await.len(),
        html.len(),
        "/ serves the console"
    );

    // Orders, newest first, with the hostile description shown as text.
    let [first, topup, second] = j.order_ids[..] else {
        panic!("three orders")
    };
    let at = |id: u64| position(&html, &format!("data-order-id=\"{id}\""));
    assert!(at(second) < at(topup) && at(topup) < at(first));
    assert!(html.contains("&lt;script&gt;alert("), "escaped description");
    assert!(!html.contains(HOSTILE_DESCRIPTION));
    assert!(!html.contains("<b>bold</b>"));
    assert!(!html.contains("<script>alert"));

    // Account: the balance and the spend of each order.
    let balance = format!("{:.2} USD", e.sb.balance());
    assert!(html.contains(&balance), "balance {balance}");
    assert!(html.contains("top-up"));

    // eSIMs with their status, usage and package history.
    let card = |iccid: &str| {
        let start = position(&html, &format!("id=\"esim-{iccid}\""));
        let end = html[start..].find("</article>").expect("card end") + start;
        html[start..end].to_string()
    };
    let active = card(&j.active_iccid);
    assert!(active.contains("data-status=\"ACTIVE\""));
    assert!(active.contains("300 MB used"), "{active}");
    assert!(active.contains("Package history (2)"));
    assert!(active.contains("<svg"));
    assert!(active.contains("esimsetup.apple.com"));
    assert!(active.contains("/_sandbox/esims-cloud/"));
    for iccid in &j.idle_iccids {
        let idle = card(iccid);
        assert!(idle.contains("data-status=\"NOT_ACTIVE\""));
        assert!(idle.contains("class=\"activate\""));
    }

    // Requests: the failed order with its business code; never the token nor the secret.
    let requests = &html[position(&html, "id=\"requests\"")..];
    assert!(requests.contains("submit_order"));
    assert!(requests.contains("<span class=\"err\">422</span>"));
    assert!(requests.contains("<td class=\"code\"><span class=\"err\">13</span></td>"));
    assert!(requests.contains("request_access_token"));
    assert!(!html.contains(&e.token));
    assert!(!html.contains(e.sb.client_secret()));
}

/// The `<svg>…</svg>` of the eSIM's QR figure.
fn qr_svg<'a>(html: &'a str, iccid: &str) -> &'a str {
    let figure = position(html, &format!("id=\"qr-{iccid}\""));
    let start = html[figure..].find("<svg").expect("svg") + figure;
    let end = html[start..].find("</svg>").expect("svg end") + start + "</svg>".len();
    &html[start..end]
}

/// Rasterizes the install kit's QR SVG (a `viewBox="0 0 N N"`, one unit per module, dark
/// modules as `M{x} {y}h{run}v1h-{run}z` runs) and decodes it with a real QR decoder.
fn decode_qr_svg(svg: &str) -> String {
    let vb = &svg[position(svg, "viewBox=\"0 0 ") + "viewBox=\"0 0 ".len()..];
    let n: usize = vb[..vb.find(' ').expect("viewBox")]
        .parse()
        .expect("viewBox size");
    let d = &svg[position(svg, " d=\"") + 4..];
    let d = &d[..d.find('"').expect("path end")];
    let mut dark = vec![false; n * n];
    for run in d.split('M').filter(|r| !r.is_empty()) {
        let (x, rest) = run.split_once(' ').expect("x y");
        let (y, rest) = rest.split_once('h').expect("y h");
        let len = &rest[..rest.find('v').expect("v")];
        let (x, y, len): (usize, usize, usize) = (
            x.parse().expect("x"),
            y.parse().expect("y"),
            len.parse().expect("run"),
        );
        for cell in &mut dark[y * n + x..y * n + x + len] {
            *cell = true;
        }
    }
    let scale = 4;
    let side = n * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        if dark[(y / scale) * n + x / scale] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("decodes").1
}

#[tokio::test]
async fn qr_codes_decode_to_the_esims_lpa_strings() {
    let e = env().await;
    let j = journey(&e).await;
    let html = console(&e).await;
    for iccid in std::iter::once(&j.active_iccid).chain(&j.idle_iccids) {
        let api = e.get(&sim(iccid, "")).await;
        let lpa = api.body["data"]["qrcode"].as_str().expect("LPA string");
        assert!(lpa.starts_with("LPA:1$"));
        assert_eq!(decode_qr_svg(qr_svg(&html, iccid)), lpa, "{iccid}");
    }
}

#[tokio::test]
async fn cross_site_and_tokenless_posts_are_refused() {
    let e = env().await;
    let iccid = e.esim(PKG).await;
    let token = csrf_token(&console(&e).await);
    let path = format!("/_sandbox/console/sims/{iccid}/activate");
    let http = browser_like();
    let post = |fields: Vec<(&'static str, String)>| http.post(e.url(&path)).form(&fields);
    let with_token = || vec![("csrf", token.clone())];

    // What a page on another site can make a browser send: its own Origin and
    // Sec-Fetch-Site: cross-site (even were it to know the token).
    let refused = [
        post(with_token()).header("origin", "http://evil.example"),
        post(with_token()).header("origin", "null"),
        post(with_token()).header("sec-fetch-site", "cross-site"),
        post(with_token()).header("sec-fetch-site", "same-site"),
        // A DNS-rebinding page: same origin for the browser, but a foreign Host.
        post(with_token()).header("host", "evil.example"),
        post(vec![]),
        post(vec![("csrf", "0".repeat(token.len()))]),
    ];
    for req in refused {
        let r = req.send().await.expect("post");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(sim_status(&e, &iccid).await, "NOT_ACTIVE");
    let r = http
        .get(e.url("/_sandbox/console"))
        .header("host", "rebound.evil.example:80")
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "no page (nor token) for a foreign Host"
    );

    // The page's own form: same origin, with the token.
    let r = post(with_token())
        .header("origin", e.sb.base_url())
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers().get(LOCATION).and_then(|l| l.to_str().ok()),
        Some("/_sandbox/console?refresh=5")
    );
    assert_eq!(sim_status(&e, &iccid).await, "ACTIVE");
    let html = console(&e).await;
    assert!(html.contains(&format!("activate: done on {iccid}")));
}

#[tokio::test]
async fn control_forms_steer_the_sandbox() {
    let e = env().await;
    let iccid = e.active_esim(PKG).await;

    let r = post_form(
        &e,
        &format!("/_sandbox/console/sims/{iccid}/consume"),
        &[("data_mb", "250"), ("refresh", "0")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers().get(LOCATION).and_then(|l| l.to_str().ok()),
        Some("/_sandbox/console?refresh=0")
    );
    let usage = e.get(&sim(&iccid, "/usage")).await;
    assert_eq!(usage.body["data"]["remaining"], 1024 - 250);
    let html = page(&e, "/_sandbox/console?refresh=0").await;
    assert!(html.contains("automatic refresh off") && !html.contains("<script"));

    // A refused action is reported on the page, not applied.
    post_form(
        &e,
        "/_sandbox/console/sims/89000000000000000000/activate",
        &[],
    )
    .await;
    assert!(
        console(&e)
            .await
            .contains("unknown ICCID 89000000000000000000")
    );

    // The armed fault hits the next API request only, and the log shows it.
    post_form(&e, "/_sandbox/console/fault", &[("fault", "503")]).await;
    assert!(console(&e).await.contains("id=\"armed-fault\""));
    let r = e.get(BALANCE).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.header("x-sandbox-fault-injected"), Some("true"));
    assert_eq!(e.get(BALANCE).await.status, 200);
    let html = console(&e).await;
    assert!(!html.contains("id=\"armed-fault\""));
    assert!(
        html.contains("<span class=\"err\">503</span> <span class=\"muted\">(injected)</span>")
    );

    post_form(&e, "/_sandbox/console/fault", &[("fault", "drop")]).await;
    post_form(&e, "/_sandbox/console/fault", &[("fault", "none")]).await;
    assert_eq!(e.get(BALANCE).await.status, 200, "disarmed");

    post_form(&e, &format!("/_sandbox/console/sims/{iccid}/expire"), &[]).await;
    assert_eq!(sim_status(&e, &iccid).await, "EXPIRED");
    post_form(&e, &format!("/_sandbox/console/sims/{iccid}/recycle"), &[]).await;
    assert_eq!(sim_status(&e, &iccid).await, "RECYCLED");

    // A day later (the token has expired by then too).
    let before = e.sb.now();
    post_form(&e, "/_sandbox/console/clock", &[("amount", "1d")]).await;
    assert!((e.sb.now() - before).num_seconds() >= 86_400);

    e.sb.issue_token();
    assert_eq!(e.sb.snapshot().active_tokens, 1);
    post_form(&e, "/_sandbox/console/tokens/revoke", &[]).await;
    assert_eq!(e.sb.snapshot().active_tokens, 0);
}

#[tokio::test]
async fn the_request_log_keeps_the_last_200() {
    let e = env().await;
    for _ in 0..205 {
        assert_eq!(e.get(BALANCE).await.status, 200);
    }
    let html = console(&e).await;
    assert_eq!(html.matches("<tr class=\"request\">").count(), 200);
    assert!(
        !html.contains("request_access_token"),
        "the oldest went first"
    );
}
