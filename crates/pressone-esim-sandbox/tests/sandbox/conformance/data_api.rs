//! The data API's scenario: every operation, its success variants and its errors.

use std::time::Duration;

use crate::common::{BALANCE, DEVICES, Env, ORDERS, PACKAGES, PKG, SIMS, order_path, sim};
use crate::support::{request_token, submit_order, submit_topup, token_for, topup_of};
use serde_json::Value;

use super::harness::Conformance;

pub(super) async fn data_api(e: &Env, c: &mut Conformance, discount: bool) {
    let tag = if discount { "discount" } else { "net" };
    let l = |s: &str| format!("[{tag}] {s}");

    // Token.
    let ok = request_token(
        e,
        &[
            ("client_id", e.sb.client_id()),
            ("client_secret", e.sb.client_secret()),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;
    c.check(
        &l("token 200"),
        "TokenResponse",
        &ok.body,
        decoder!(TokenResponse),
    );
    let bad_id = token_for(e, "x", "y").await;
    c.check(
        &l("token 422"),
        "ApiError",
        &bad_id.body,
        decoder!(ApiError),
    );
    let bad_secret = request_token(
        e,
        &[
            ("client_id", e.sb.client_id()),
            ("client_secret", "y"),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;
    c.check(
        &l("token 401"),
        "ApiError",
        &bad_secret.body,
        decoder!(ApiError),
    );

    // Balance, devices.
    c.check(
        &l("balance 200"),
        "BalanceResponse",
        &e.get(BALANCE).await.body,
        decoder!(BalanceResponse),
    );
    c.check(
        &l("balance 401"),
        "ApiError",
        &e.get_noauth(BALANCE, None).await.body,
        decoder!(ApiError),
    );
    c.check(
        &l("devices 200"),
        "DevicesResponse",
        &e.get(DEVICES).await.body,
        decoder!(DevicesResponse),
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
        c.check(
            &l(name),
            "PackagesResponse",
            &r.body,
            decoder!(PackagesResponse),
        );
    }
    let r = e.get_q(PACKAGES, &[("limit", "x")]).await;
    c.check(&l("packages 422"), "ApiError", &r.body, decoder!(ApiError));

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
        c.check(
            &l(name),
            "SubmitOrderResponse",
            &r.body,
            decoder!(SubmitOrderResponse),
        );
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
    c.check(
        &l("order multipart"),
        "SubmitOrderResponse",
        &multipart.body,
        decoder!(SubmitOrderResponse),
    );
    let invalid = submit_order(e, &[("package_id", "nope"), ("quantity", "51")]).await;
    c.check(
        &l("order 422 validation"),
        "ApiError",
        &invalid.body,
        decoder!(ApiError),
    );
    let code34 = submit_order(
        e,
        &[
            ("package_id", "test-out-of-stock-7days-1gb"),
            ("quantity", "1"),
        ],
    )
    .await;
    c.check(
        &l("order 422 code 34"),
        "ApiError",
        &code34.body,
        decoder!(ApiError),
    );

    let (data_iccid, voice_iccid, unlimited_iccid) = (&iccids[0], &iccids[1], &iccids[2]);

    // Usage (not active, active, unlimited, voice).
    let r = e.get(&sim(data_iccid, "/usage")).await;
    c.check(
        &l("usage not active"),
        "UsageResponse",
        &r.body,
        decoder!(UsageResponse),
    );
    for i in [data_iccid, voice_iccid, unlimited_iccid] {
        e.sb.activate(i).expect("activate");
    }
    e.sb.advance_clock(Duration::from_secs(3600));
    for (name, i) in [
        ("usage active", data_iccid),
        ("usage voice", voice_iccid),
        ("usage unlimited", unlimited_iccid),
    ] {
        let r = e.get(&sim(i, "/usage")).await;
        c.check(&l(name), "UsageResponse", &r.body, decoder!(UsageResponse));
    }

    // Top-ups.
    let r = e.get(&sim(voice_iccid, "/topups")).await;
    c.check(
        &l("topups list"),
        "TopupsResponse",
        &r.body,
        decoder!(TopupsResponse),
    );
    let topup_id = r.body["data"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = topup_of(e, &topup_id, voice_iccid).await;
    c.check(
        &l("topup submit"),
        "SubmitTopupResponse",
        &r.body,
        decoder!(SubmitTopupResponse),
    );
    let topup_order_id = r.body["data"]["id"].as_u64().unwrap_or_default();
    let r = submit_topup(e, &[]).await;
    c.check(&l("topup 422"), "ApiError", &r.body, decoder!(ApiError));

    // History (+ 429), eSIM, instructions.
    let r = e.get(&sim(voice_iccid, "/packages")).await;
    c.check(
        &l("history"),
        "PackageHistoryResponse",
        &r.body,
        decoder!(PackageHistoryResponse),
    );
    let r = e.get(&sim(voice_iccid, "/packages")).await;
    c.check(&l("history 429"), "ApiError", &r.body, decoder!(ApiError));
    for (name, i) in [("esim data", data_iccid), ("esim voice", voice_iccid)] {
        let r = e.get(&sim(i, "")).await;
        c.check(&l(name), "EsimResponse", &r.body, decoder!(EsimResponse));
    }
    let r = e
        .get_with(
            &sim(data_iccid, "/instructions"),
            &[("Accept-Language", "en")],
        )
        .await;
    c.check(
        &l("instructions"),
        "InstructionsResponse",
        &r.body,
        decoder!(InstructionsResponse),
    );
    let r = e.get(&sim("8900000000000000000", "")).await;
    c.check(&l("esim 404"), "ApiError", &r.body, decoder!(ApiError));

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
        c.check(
            &l(name),
            "OrderListResponse",
            &r.body,
            decoder!(OrderListResponse),
        );
    }
    let r = e.get_q(ORDERS, &[("limit", "a"), ("page", "b")]).await;
    c.check(&l("orders 422"), "ApiError", &r.body, decoder!(ApiError));
    for (name, q) in [
        ("esims", vec![]),
        ("esims page 2", vec![("limit", "2"), ("page", "2")]),
    ] {
        let r = e.get_q(SIMS, &q).await;
        c.check(
            &l(name),
            "EsimListResponse",
            &r.body,
            decoder!(EsimListResponse),
        );
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
        c.check(&l(name), "OrderResponse", &r.body, decoder!(OrderResponse));
    }
    let r = e.get("/customer/v2/orders/42").await;
    c.check(&l("order 404"), "ApiError", &r.body, decoder!(ApiError));

    // Finished, expired and recycled eSIMs.
    e.sb.consume(data_iccid, 10_000, 0, 0).expect("consume");
    e.sb.expire(unlimited_iccid).expect("expire");
    e.sb.recycle(voice_iccid).expect("recycle");
    for (name, iccid) in [
        ("usage finished", data_iccid),
        ("usage expired", unlimited_iccid),
        ("usage recycled", voice_iccid),
    ] {
        let r = e.get(&sim(iccid, "/usage")).await;
        c.check(&l(name), "UsageResponse", &r.body, decoder!(UsageResponse));
    }
    let r = e.get(&sim(voice_iccid, "")).await;
    c.check(
        &l("esim recycled"),
        "EsimResponse",
        &r.body,
        decoder!(EsimResponse),
    );
    let r = e.get(&sim(voice_iccid, "/topups")).await;
    c.check(
        &l("topups 422 code 73"),
        "ApiError",
        &r.body,
        decoder!(ApiError),
    );
    let not_active = e.esim(PKG).await;
    let r = e.get(&sim(&not_active, "/topups")).await;
    c.check(
        &l("topups empty"),
        "TopupsResponse",
        &r.body,
        decoder!(TopupsResponse),
    );

    // Rate limit on usage.
    for _ in 0..100 {
        e.get(&sim(&not_active, "/usage")).await;
    }
    let r = e.get(&sim(&not_active, "/usage")).await;
    c.check(&l("usage 429"), "ApiError", &r.body, decoder!(ApiError));
}
