//! The sandbox console in a real browser: headless Chromium (the Debian package `chromium`)
//! loads it after a scripted journey, takes a screenshot (into `target/tmp/`, never the
//! repository), reads the DOM, decodes the QR code from Chromium's own pixels, clicks a
//! control button and sees the eSIM's status change, and reloads itself.
//!
//! Fails with a clear message when Chromium is missing or cannot start.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/console.rs"]
mod journey;

mod cdp;

use std::io::Cursor;
use std::path::PathBuf;

use serde_json::{Value, json};

use self::cdp::Browser;
use self::common::env;
use self::journey::{HOSTILE_DESCRIPTION, journey};

/// Decodes the one QR code of a PNG with rqrr.
fn decode_png_qr(png_bytes: &[u8]) -> String {
    let mut decoder = png::Decoder::new(Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("PNG size")];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb | png::ColorType::Indexed => 3,
        png::ColorType::Rgba => 4,
    };
    let (w, h) = (info.width as usize, info.height as usize);
    let grey: Vec<u8> = buf[..info.buffer_size()]
        .chunks(info.line_size)
        .flat_map(|line| line.chunks(channels).take(w).map(|px| px[0]))
        .collect();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the screenshot");
    grids[0].decode().expect("the QR code decodes").1
}

/// `document.querySelector(selector)` as a JavaScript expression (selector quoted by JSON).
fn query(selector: &str) -> String {
    format!("document.querySelector({})", json!(selector))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_in_headless_chromium() {
    let e = env().await;
    let j = journey(&e).await;
    let mut b = Browser::start(1280, 1800).await;
    let base = e.sb.base_url();
    b.navigate(&format!("{base}/_sandbox/console?refresh=0"))
        .await;

    let png = b.screenshot(None).await;
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sandbox-console.png");
    std::fs::write(&shot, &png).expect("write the screenshot");
    eprintln!("console screenshot: {}", shot.display());
    assert!(png.starts_with(b"\x89PNG"));

    // Every eSIM's ICCID is visible, next to its QR code.
    let all: Vec<&String> = std::iter::once(&j.active_iccid)
        .chain(&j.idle_iccids)
        .collect();
    for iccid in &all {
        let h3 = query(&format!("#esim-{iccid} h3"));
        let visible = b
            .eval(&format!(
                "(() => {{ const h = {h3}; if (!h) return 'missing'; const r = h.getBoundingClientRect(); \
                 return h.checkVisibility() && r.width > 0 && r.height > 0 ? h.innerText.trim() : 'hidden'; }})()"
            ))
            .await;
        assert_eq!(visible, json!(iccid), "ICCID {iccid} visible");
        let qr = query(&format!("#qr-{iccid} svg path"));
        assert_eq!(b.eval(&format!("{qr} !== null")).await, json!(true));
    }

    // The QR code as Chromium drew it decodes to the eSIM's LPA string.
    let rect = b
        .eval(&format!(
            "JSON.stringify({}.getBoundingClientRect())",
            query(&format!("#qr-{} svg", j.active_iccid))
        ))
        .await;
    let rect: Value = serde_json::from_str(rect.as_str().expect("rect")).expect("rect JSON");
    let scroll_y = b.eval("window.scrollY").await;
    let clip = json!({
        "x": rect["x"], "y": rect["y"].as_f64().unwrap_or(0.0) + scroll_y.as_f64().unwrap_or(0.0),
        "width": rect["width"], "height": rect["height"], "scale": 2,
    });
    let qr_png = b.screenshot(Some(clip)).await;
    let api = e
        .get(&format!("/customer/v2/sims/{}", j.active_iccid))
        .await;
    assert_eq!(
        decode_png_qr(&qr_png),
        api.body["data"]["qrcode"].as_str().expect("LPA")
    );

    // The hostile description is text: shown as typed, never run.
    let description = query(&format!(
        "tr[data-order-id=\"{}\"] td.description",
        j.order_ids[2]
    ));
    assert_eq!(
        b.eval(&format!("{description}.textContent")).await,
        json!(HOSTILE_DESCRIPTION)
    );
    assert!(!b.saw_event("Page.javascriptDialogOpening"), "no alert ran");

    // Clicking a control button changes the eSIM's status.
    let idle = &j.idle_iccids[0];
    let card = query(&format!("#esim-{idle}"));
    assert_eq!(
        b.eval(&format!("{card}.dataset.status")).await,
        json!("NOT_ACTIVE")
    );
    b.clear_events();
    b.eval(&format!(
        "{}.click(); true",
        query(&format!("#esim-{idle} button.activate"))
    ))
    .await;
    b.wait_event("Page.loadEventFired").await;
    let here = b
        .eval("location.pathname + ': ' + document.body.innerText.slice(0, 200)")
        .await;
    assert!(
        here.as_str()
            .is_some_and(|h| h.starts_with("/_sandbox/console:")),
        "the form post did not lead back to the console: {here}"
    );
    assert_eq!(
        b.eval(&format!("{card}.dataset.status")).await,
        json!("ACTIVE")
    );
    let note = b.eval(&format!("{}.innerText", query("#note"))).await;
    assert!(note.as_str().is_some_and(|n| n.contains("activate: done")));
    let status = e.control("GET", "/_sandbox/sims", None).await;
    let sims = status.body["sims"].as_array().cloned().unwrap_or_default();
    assert!(
        sims.iter()
            .any(|s| s["iccid"] == idle.as_str() && s["status"] == "ACTIVE")
    );

    // The page reloads itself (its inline script passes the page's CSP): a change made
    // behind its back shows up without any click.
    let other = &j.idle_iccids[1];
    b.navigate(&format!("{base}/_sandbox/console?refresh=1"))
        .await;
    e.sb.recycle(other).expect("recycle");
    let card = query(&format!("#esim-{other}"));
    let mut reloads = 0;
    loop {
        b.wait_event("Page.loadEventFired").await;
        reloads += 1;
        if b.eval(&format!("{card}.dataset.status")).await == json!("RECYCLED") {
            break;
        }
        assert!(
            reloads < 5,
            "the page does not show the change after {reloads} reloads"
        );
    }
    b.close().await;
}
