//! The data API's scenario: every operation, its success variants and its errors.

use std::time::Duration;

use crate::common::{BALANCE, DEVICES, Env, ORDERS, PACKAGES, PKG, SIMS, order_path, sim};
use crate::support::{submit_order, submit_topup, token_for, topup_of};
use serde_json::Value;

use super::harness::Conformance;

/// Checks Get usage of each `(label, iccid)` against `UsageResponse`.
async fn check_usages(e: &Env, c: &mut Conformance, cases: &[(String, &String)]) {
    for (label, iccid) in cases {
        let r = e.get(&sim(iccid, "/usage")).await;
        check!(c, label, UsageResponse, &r.body);
    }
}

pub(super) async fn data_api(e: &Env, c: &mut Conformance, discount: bool) {
    let tag = if discount { "discount" } else { "net" };
    let l = |s: &str| format!("[{tag}] {s}");

    // Token.
    let ok = token_for(e, e.sb.client_id(), e.sb.client_secret()).await;
    check!(c, &l("token 200"), TokenResponse, &ok.body);
    let bad_id = token_for(e, "x", "y").await;
    check!(c, &l("token 422"), ApiError, &bad_id.body);
    let bad_secret = token_for(e, e.sb.client_id(), "y").await;
    check!(c, &l("token 401"), ApiError, &bad_secret.body);

    // Balance, devices.
    let r = e.get(BALANCE).await;
    check!(c, &l("balance 200"), BalanceResponse, &r.body);
    let r = e.get_noauth(BALANCE, None).await;
    check!(c, &l("balance 401"), ApiError, &r.body);
    check!(
        c,
        &l("devices 200"),
        DevicesResponse,
        &e.get(DEVICES).await.body
    );

    // Packages.
    for (name, q) in [
        ("packages all", vec![]),
        ("packages page 1", vec![("limit", "4"), ("page", "1")]),
        (
            "packages page 2 (index-keyed)",
            vec![("limit", "4"), ("page", "2")],
        ),
        (
            "packages include=topup",
            vec![("include", "topup"), ("filter[country]", "GB")],
        ),
        ("packages global", vec![("filter[type]", "global")]),
        ("packages empty page", vec![("limit", "4"), ("page", "999")]),
    ] {
        let r = e.get_q(PACKAGES, &q).await;
        check!(c, &l(name), PackagesResponse, &r.body);
    }
    let r = e.get_q(PACKAGES, &[("limit", "x")]).await;
    check!(c, &l("packages 422"), ApiError, &r.body);

    // Orders.
    let mut iccids = Vec::new();
    for (name, pkg, qty) in [
        ("order data", PKG, "2"),
        ("order voice", "uki-mobile-15days-2gb", "1"),
        ("order unlimited", "change-7days-unlimited", "1"),
    ] {
        let r = submit_order(
            e,
            &[
                ("package_id", pkg),
                ("quantity", qty),
                ("description", name),
                ("brand_settings_name", "our perfect brand"),
            ],
        )
        .await;
        check!(c, &l(name), SubmitOrderResponse, &r.body);
        iccids.push(
            r.body["data"]["sims"][0]["iccid"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let multipart = e
        .post_multipart(
            ORDERS,
            &[("package_id", "elan-7days-1gb"), ("quantity", "1")],
            true,
        )
        .await;
    check!(
        c,
        &l("order multipart"),
        SubmitOrderResponse,
        &multipart.body
    );
    let invalid = submit_order(e, &[("package_id", "nope"), ("quantity", "51")]).await;
    check!(c, &l("order 422 validation"), ApiError, &invalid.body);
    let code34 = submit_order(
        e,
        &[
            ("package_id", "test-out-of-stock-7days-1gb"),
            ("quantity", "1"),
        ],
    )
    .await;
    check!(c, &l("order 422 code 34"), ApiError, &code34.body);

    let (data_iccid, voice_iccid, unlimited_iccid) = (&iccids[0], &iccids[1], &iccids[2]);

    // Usage (not active, active, unlimited, voice).
    let r = e.get(&sim(data_iccid, "/usage")).await;
    check!(c, &l("usage not active"), UsageResponse, &r.body);
    for i in [data_iccid, voice_iccid, unlimited_iccid] {
        e.sb.activate(i).expect("activate");
    }
    e.sb.advance_clock(Duration::from_secs(3600));
    let active = [
        (l("usage active"), data_iccid),
        (l("usage voice"), voice_iccid),
        (l("usage unlimited"), unlimited_iccid),
    ];
    check_usages(e, c, &active).await;

    // Top-ups.
    let r = e.get(&sim(voice_iccid, "/topups")).await;
    check!(c, &l("topups list"), TopupsResponse, &r.body);
    let topup_id = r.body["data"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = topup_of(e, &topup_id, voice_iccid).await;
    check!(c, &l("topup submit"), SubmitTopupResponse, &r.body);
    let topup_order_id = r.body["data"]["id"].as_u64().unwrap_or_default();
    let r = submit_topup(e, &[]).await;
    check!(c, &l("topup 422"), ApiError, &r.body);

    // History (+ 429), eSIM, instructions.
    let r = e.get(&sim(voice_iccid, "/packages")).await;
    check!(c, &l("history"), PackageHistoryResponse, &r.body);
    let r = e.get(&sim(voice_iccid, "/packages")).await;
    check!(c, &l("history 429"), ApiError, &r.body);
    for (name, i) in [("esim data", data_iccid), ("esim voice", voice_iccid)] {
        let r = e.get(&sim(i, "")).await;
        check!(c, &l(name), EsimResponse, &r.body);
    }
    let r = e
        .get_with(
            &sim(data_iccid, "/instructions"),
            &[("Accept-Language", "en")],
        )
        .await;
    check!(c, &l("instructions"), InstructionsResponse, &r.body);
    let r = e.get(&sim("8900000000000000000", "")).await;
    check!(c, &l("esim 404"), ApiError, &r.body);

    // Lists.
    for (name, q) in [
        ("orders include all", vec![("include", "sims,user,status")]),
        ("orders plain", vec![]),
        (
            "orders page 2",
            vec![("limit", "2"), ("page", "2"), ("include", "sims")],
        ),
        (
            "orders empty",
            vec![("filter[description]", "no such order")],
        ),
    ] {
        let r = e.get_q(ORDERS, &q).await;
        check!(c, &l(name), OrderListResponse, &r.body);
    }
    let r = e.get_q(ORDERS, &[("limit", "a"), ("page", "b")]).await;
    check!(c, &l("orders 422"), ApiError, &r.body);
    for (name, q) in [
        ("esims", vec![]),
        ("esims page 2", vec![("limit", "2"), ("page", "2")]),
    ] {
        let r = e.get_q(SIMS, &q).await;
        check!(c, &l(name), EsimListResponse, &r.body);
    }
    let list = e.get(ORDERS).await;
    let first_order = list.body["data"]
        .as_array()
        .and_then(|a| a.last())
        .map(|o| o["id"].clone());
    let first_order = first_order.and_then(|v| v.as_u64()).unwrap_or_default();
    for (name, id) in [("order sim", first_order), ("order topup", topup_order_id)] {
        let r = e
            .get_q(&order_path(id), &[("include", "sims,user,status")])
            .await;
        check!(c, &l(name), OrderResponse, &r.body);
    }
    let r = e.get("/customer/v2/orders/42").await;
    check!(c, &l("order 404"), ApiError, &r.body);

    // Finished, expired and recycled eSIMs.
    e.sb.consume(data_iccid, 10_000, 0, 0).expect("consume");
    e.sb.expire(unlimited_iccid).expect("expire");
    e.sb.recycle(voice_iccid).expect("recycle");
    let ended = [
        (l("usage finished"), data_iccid),
        (l("usage expired"), unlimited_iccid),
        (l("usage recycled"), voice_iccid),
    ];
    check_usages(e, c, &ended).await;
    let r = e.get(&sim(voice_iccid, "")).await;
    check!(c, &l("esim recycled"), EsimResponse, &r.body);
    let r = e.get(&sim(voice_iccid, "/topups")).await;
    check!(c, &l("topups 422 code 73"), ApiError, &r.body);
    let not_active = e.esim(PKG).await;
    let r = e.get(&sim(&not_active, "/topups")).await;
    check!(c, &l("topups empty"), TopupsResponse, &r.body);

    // Rate limit on usage.
    for _ in 0..100 {
        e.get(&sim(&not_active, "/usage")).await;
    }
    let r = e.get(&sim(&not_active, "/usage")).await;
    check!(c, &l("usage 429"), ApiError, &r.body);
}
