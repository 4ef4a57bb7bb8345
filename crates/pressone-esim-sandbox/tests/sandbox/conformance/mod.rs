//! Conformance with the OpenAPI spec: for every operation, the sandbox's responses (successes
//! in their variants, and errors) decode into the progenitor-generated raw type and validate
//! against the spec's component schema (OpenAPI 3.0 converted to JSON Schema 2020-12, with
//! `nullable` honoured).

use std::time::Duration;

use crate::common::{Env, env_with};
use pressone_esim_sandbox::{Pricing, SandboxConfig};
use serde_json::{Value, json};

macro_rules! decoder {
    ($ty:ident) => {
        |v: &Value| {
            serde_json::from_value::<pressone_esim_raw::types::$ty>(v.clone())
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    };
}

/// Checks `body` against the spec's component `$ty` and that it decodes into the generated
/// type of the same name (the name written once).
macro_rules! check {
    ($c:expr, $label:expr, $ty:ident, $body:expr) => {
        $c.check($label, stringify!($ty), $body, decoder!($ty))
    };
}

mod data_api;
mod harness;

use data_api::data_api;
use harness::Conformance;

async fn voice_api(e: &Env, c: &mut Conformance) {
    let base = "/api/third-party/partner";
    let r = e.get(&format!("{base}/available-numbers/")).await;
    check!(c, "available numbers", AvailableNumberPage, &r.body);
    let number = r.body["results"][0]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = e
        .get_q(
            &format!("{base}/available-numbers/"),
            &[("page", "2"), ("page_size", "5")],
        )
        .await;
    check!(c, "available numbers page 2", AvailableNumberPage, &r.body);
    let r = e
        .post_json(
            &format!("{base}/claim-number/"),
            &json!({"number": number, "email": "c@example.com", "first_name": "C", "last_name": "D"}),
        )
        .await;
    check!(c, "claim", VoiceUser, &r.body);
    let r = e
        .post_json(&format!("{base}/claim-number/"), &json!({}))
        .await;
    check!(c, "claim 400", VoiceError, &r.body);
    let renew = format!("{base}/renew-number/");
    let r = e
        .post_json(&renew, &json!({"email": "c@example.com"}))
        .await;
    check!(c, "renew", VoiceUser, &r.body);
    let r = e
        .post_json(&renew, &json!({"email": "zz@example.com"}))
        .await;
    check!(c, "renew 404", VoiceError, &r.body);
    for q in [
        vec![],
        vec![("email", "c@example.com")],
        vec![("mobile", "000")],
    ] {
        let r = e.get_q(&format!("{base}/user/"), &q).await;
        check!(c, "users", VoiceUserPage, &r.body);
    }
    let r = e.get_noauth(&format!("{base}/user/"), None).await;
    check!(c, "users 401", VoiceError, &r.body);
}

#[test]
fn the_harness_rejects_wrong_shapes() {
    let Some(mut c) = Conformance::load() else {
        return;
    };
    let wrong =
        json!({"data": {"remaining": "lots", "status": 3}, "meta": {"message": "api.succes"}});
    check!(c, "wrong usage", UsageResponse, &wrong);
    assert_eq!(c.failures.len(), 2, "{:?}", c.failures);
    assert!(c.failures[0].contains("does not decode"));
    assert!(c.failures[1].contains("invalid against"));
    let Some(mut c) = Conformance::load() else {
        return;
    };
    let nullable_ok = json!({"data": {"remaining": 1, "total": 1, "expired_at": null, "is_unlimited": null, "status": "RECYCLED"}});
    check!(c, "nulls", UsageResponse, &nullable_ok);
    assert!(c.failures.is_empty(), "{:?}", c.failures);
    let Some(mut c) = Conformance::load() else {
        return;
    };
    let bad_page = json!({"count": 1, "next": 5, "previous": null, "results": [{"number": 1}]});
    check!(c, "bad page", AvailableNumberPage, &bad_page);
    assert_eq!(c.failures.len(), 2, "{:?}", c.failures);
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let Some(mut c) = Conformance::load() else {
        return;
    };
    let long = Duration::from_secs(400 * 86_400);
    let e = env_with(SandboxConfig::default().token_ttl(long)).await;
    data_api(&e, &mut c, false).await;
    voice_api(&e, &mut c).await;
    let d = env_with(
        SandboxConfig::default()
            .token_ttl(long)
            .pricing(Pricing::Discount(10)),
    )
    .await;
    data_api(&d, &mut c, true).await;
    assert!(c.checked > 100, "{} checks", c.checked);
    assert!(
        c.failures.is_empty(),
        "{} failures:\n{}",
        c.failures.len(),
        c.failures.join("\n")
    );
}
