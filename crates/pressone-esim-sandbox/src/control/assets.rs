//! The small static assets API responses point to: QR codes, images, the installation guide,
//! the eSIM sharing page.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use super::error;
use crate::esims::render::{apple_url, lpa_string};
use crate::web::{App, base_url};

fn content(content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .build(),
    )
}

pub(super) async fn qr(State(app): State<App>, Path(file): Path<String>) -> Response {
    let iccid = file.strip_suffix(".svg").unwrap_or(&file);
    let ctx = app.ctx(String::new());
    let lpa = {
        let st = app.lock();
        st.sim_idx(iccid).map(|i| lpa_string(&ctx, &st.sims[i]))
    };
    match lpa.and_then(|l| qr_svg(&l)) {
        Some(svg) => content("image/svg+xml", svg),
        None => error(StatusCode::NOT_FOUND, "unknown iccid"),
    }
}

pub(super) async fn image(Path(file): Path<String>) -> Response {
    let name = file.strip_suffix(".svg").unwrap_or(&file);
    if name.is_empty()
        || name.len() > 64
        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return error(StatusCode::NOT_FOUND, "unknown image");
    }
    let label: String = name
        .chars()
        .take(14)
        .collect::<String>()
        .to_ascii_uppercase();
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"132\" height=\"99\" viewBox=\"0 0 132 99\"><rect width=\"132\" height=\"99\" rx=\"8\" fill=\"#0f4c81\"/><text x=\"66\" y=\"55\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#ffffff\" text-anchor=\"middle\">{label}</text></svg>"
    );
    content("image/svg+xml", svg)
}

pub(super) async fn guide() -> Response {
    content(
        "text/html; charset=utf-8",
        "<!doctype html><html><head><title>eSIM installation guide (sandbox)</title></head><body><h1>Installing an eSIM</h1><ol><li>Make sure the device is eSIM compatible and carrier-unlocked.</li><li>Scan the QR code (Settings &gt; Cellular &gt; Add eSIM), or enter the SM-DP+ address and activation code manually.</li><li>Turn on the new line and data roaming when you arrive.</li></ol><p>This page is served by the PressOne eSIM sandbox.</p></body></html>",
    )
}

pub(super) async fn cloud(
    State(app): State<App>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let base = base_url(&headers);
    let ctx = app.ctx(base.clone());
    let found = {
        let st = app.lock();
        st.sims
            .iter()
            .find(|s| s.sharing_slug == slug)
            .map(|s| (s.iccid.clone(), lpa_string(&ctx, s), apple_url(&ctx, s)))
    };
    let Some((iccid, lpa, apple)) = found else {
        return error(StatusCode::NOT_FOUND, "unknown link");
    };
    content(
        "text/html; charset=utf-8",
        format!(
            "<!doctype html><html><head><title>Your eSIM</title></head><body><h1>Your eSIM</h1><p>ICCID: {iccid}</p><p><img alt=\"QR code\" src=\"{base}/_sandbox/qr/{iccid}.svg\"></p><p>Activation string: <code>{lpa}</code></p><p><a href=\"{apple}\">Install on iPhone (iOS 17.4+)</a></p></body></html>"
        ),
    )
}
