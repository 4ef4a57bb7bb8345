//! Conformance with the OpenAPI spec: for every operation, the sandbox's responses (successes
//! in their variants, and errors) decode into the progenitor-generated raw type and validate
//! against the spec's component schema (OpenAPI 3.0 converted to JSON Schema 2020-12, with
//! `nullable` honoured).

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use common::{Env, env_with};
use pressone_esim_raw::types;
use pressone_esim_sandbox::{Pricing, SandboxConfig};
use serde_json::{Map, Value, json};

fn spec_path() -> PathBuf {
    [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "openapi",
        "pressone-esim.yaml",
    ]
    .iter()
    .collect()
}

/// Converts an OpenAPI 3.0 schema object to JSON Schema 2020-12.
fn convert(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, val) in m {
                match k.as_str() {
                    "nullable" | "example" | "discriminator" | "xml" | "externalDocs" => {}
                    // Keys under `properties` are names, not keywords: convert values only.
                    "properties" | "patternProperties" => {
                        let mut props = Map::new();
                        for (name, s) in val.as_object().into_iter().flatten() {
                            props.insert(name.clone(), convert(s));
                        }
                        out.insert(k.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(k.clone(), convert(val));
                    }
                }
            }
            if m.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(t) = out.get("type").cloned() {
                    let mut types = match t {
                        Value::Array(a) => a,
                        other => vec![other],
                    };
                    types.push(json!("null"));
                    out.insert("type".into(), Value::Array(types));
                    if let Some(Value::Array(e)) = out.get_mut("enum") {
                        e.push(Value::Null);
                    }
                } else {
                    let description = out.remove("description");
                    let mut wrapped = Map::new();
                    wrapped.insert(
                        "anyOf".into(),
                        json!([Value::Object(out), {"type": "null"}]),
                    );
                    if let Some(d) = description {
                        wrapped.insert("description".into(), d);
                    }
                    return Value::Object(wrapped);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

struct Conformance {
    components: Value,
    validators: HashMap<String, jsonschema::Validator>,
    failures: Vec<String>,
    checked: usize,
}

impl Conformance {
    fn load() -> Conformance {
        let text = std::fs::read_to_string(spec_path()).expect("spec readable");
        let spec: Value = serde_yaml::from_str(&text).expect("spec is YAML");
        let schemas = convert(&spec["components"]["schemas"]);
        Conformance {
            components: json!({"schemas": schemas}),
            validators: HashMap::new(),
            failures: Vec::new(),
            checked: 0,
        }
    }

    fn validator(&mut self, schema: &str) -> &jsonschema::Validator {
        let components = self.components.clone();
        self.validators
            .entry(schema.to_string())
            .or_insert_with(|| {
                assert!(
                    components["schemas"].get(schema).is_some(),
                    "no component {schema}"
                );
                let root = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$ref": format!("#/components/schemas/{schema}"),
                    "components": components,
                });
                jsonschema::draft202012::new(&root).expect("schema compiles")
            })
    }

    fn check(
        &mut self,
        label: &str,
        schema: &str,
        body: &Value,
        decode: fn(&Value) -> Result<(), String>,
    ) {
        self.checked += 1;
        if body.is_null() {
            self.failures
                .push(format!("{label}: empty or non-JSON body"));
            return;
        }
        if let Err(e) = decode(body) {
            self.failures.push(format!(
                "{label}: does not decode into types::{schema}: {e}"
            ));
        }
        let errors: Vec<String> = self
            .validator(schema)
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .take(5)
            .collect();
        if !errors.is_empty() {
            self.failures.push(format!(
                "{label}: invalid against {schema}: {}",
                errors.join("; ")
            ));
        }
    }
}

macro_rules! decoder {
    ($ty:ident) => {
        |v: &Value| {
            serde_json::from_value::<types::$ty>(v.clone())
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    };
}

async fn data_api(e: &Env, c: &mut Conformance, discount: bool) {
    let tag = if discount { "discount" } else { "net" };
    let l = |s: &str| format!("[{tag}] {s}");

    // Token.
    let ok = e
        .post_form_noauth(
            "/customer/v2/token",
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
    let bad_id = e
        .post_form_noauth(
            "/customer/v2/token",
            &[
                ("client_id", "x"),
                ("client_secret", "y"),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    c.check(
        &l("token 422"),
        "ApiError",
        &bad_id.body,
        decoder!(ApiError),
    );
    let bad_secret = e
        .post_form_noauth(
            "/customer/v2/token",
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
        &e.get("/customer/v2/balance").await.body,
        decoder!(BalanceResponse),
    );
    c.check(
        &l("balance 401"),
        "ApiError",
        &e.get_noauth("/customer/v2/balance", None).await.body,
        decoder!(ApiError),
    );
    c.check(
        &l("devices 200"),
        "DevicesResponse",
        &e.get("/customer/v2/compatible-devices-lite").await.body,
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
        let r = e.get_q("/customer/v2/packages", &q).await;
        c.check(
            &l(name),
            "PackagesResponse",
            &r.body,
            decoder!(PackagesResponse),
        );
    }
    let r = e.get_q("/customer/v2/packages", &[("limit", "x")]).await;
    c.check(&l("packages 422"), "ApiError", &r.body, decoder!(ApiError));

    // Orders.
    let mut iccids = Vec::new();
    for (name, pkg, qty) in [
        ("order data", "change-7days-1gb", "2"),
        ("order voice", "uki-mobile-15days-2gb", "1"),
        ("order unlimited", "change-7days-unlimited", "1"),
    ] {
        let r = e
            .post_form(
                "/customer/v2/orders",
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
            "/customer/v2/orders",
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
    let invalid = e
        .post_form(
            "/customer/v2/orders",
            &[("package_id", "nope"), ("quantity", "51")],
        )
        .await;
    c.check(
        &l("order 422 validation"),
        "ApiError",
        &invalid.body,
        decoder!(ApiError),
    );
    let code34 = e
        .post_form(
            "/customer/v2/orders",
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
    let sim_path = |i: &str, suffix: &str| format!("/customer/v2/sims/{i}{suffix}");

    // Usage (not active, active, unlimited, voice).
    let r = e.get(&sim_path(data_iccid, "/usage")).await;
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
        let r = e.get(&sim_path(i, "/usage")).await;
        c.check(&l(name), "UsageResponse", &r.body, decoder!(UsageResponse));
    }

    // Top-ups.
    let r = e.get(&sim_path(voice_iccid, "/topups")).await;
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
    let r = e
        .post_form(
            "/customer/v2/orders/topups",
            &[("package_id", &topup_id), ("iccid", voice_iccid)],
        )
        .await;
    c.check(
        &l("topup submit"),
        "SubmitTopupResponse",
        &r.body,
        decoder!(SubmitTopupResponse),
    );
    let topup_order_id = r.body["data"]["id"].as_u64().unwrap_or_default();
    let r = e.post_form("/customer/v2/orders/topups", &[]).await;
    c.check(&l("topup 422"), "ApiError", &r.body, decoder!(ApiError));

    // History (+ 429), eSIM, instructions.
    let r = e.get(&sim_path(voice_iccid, "/packages")).await;
    c.check(
        &l("history"),
        "PackageHistoryResponse",
        &r.body,
        decoder!(PackageHistoryResponse),
    );
    let r = e.get(&sim_path(voice_iccid, "/packages")).await;
    c.check(&l("history 429"), "ApiError", &r.body, decoder!(ApiError));
    for (name, i) in [("esim data", data_iccid), ("esim voice", voice_iccid)] {
        let r = e.get(&sim_path(i, "")).await;
        c.check(&l(name), "EsimResponse", &r.body, decoder!(EsimResponse));
    }
    let r = e
        .get_with(
            &sim_path(data_iccid, "/instructions"),
            &[("Accept-Language", "en")],
        )
        .await;
    c.check(
        &l("instructions"),
        "InstructionsResponse",
        &r.body,
        decoder!(InstructionsResponse),
    );
    let r = e.get(&sim_path("8900000000000000000", "")).await;
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
        let r = e.get_q("/customer/v2/orders", &q).await;
        c.check(
            &l(name),
            "OrderListResponse",
            &r.body,
            decoder!(OrderListResponse),
        );
    }
    let r = e
        .get_q("/customer/v2/orders", &[("limit", "a"), ("page", "b")])
        .await;
    c.check(&l("orders 422"), "ApiError", &r.body, decoder!(ApiError));
    for (name, q) in [
        ("esims", vec![]),
        ("esims page 2", vec![("limit", "2"), ("page", "2")]),
    ] {
        let r = e.get_q("/customer/v2/sims", &q).await;
        c.check(
            &l(name),
            "EsimListResponse",
            &r.body,
            decoder!(EsimListResponse),
        );
    }
    let list = e.get("/customer/v2/orders").await;
    let first_order = list.body["data"]
        .as_array()
        .and_then(|a| a.last())
        .map(|o| o["id"].clone());
    let first_order = first_order.and_then(|v| v.as_u64()).unwrap_or_default();
    for (name, id) in [("order sim", first_order), ("order topup", topup_order_id)] {
        let r = e
            .get_q(
                &format!("/customer/v2/orders/{id}"),
                &[("include", "sims,user,status")],
            )
            .await;
        c.check(&l(name), "OrderResponse", &r.body, decoder!(OrderResponse));
    }
    let r = e.get("/customer/v2/orders/42").await;
    c.check(&l("order 404"), "ApiError", &r.body, decoder!(ApiError));

    // Finished, expired and recycled eSIMs.
    e.sb.consume(data_iccid, 10_000, 0, 0).expect("consume");
    let r = e.get(&sim_path(data_iccid, "/usage")).await;
    c.check(
        &l("usage finished"),
        "UsageResponse",
        &r.body,
        decoder!(UsageResponse),
    );
    e.sb.expire(unlimited_iccid).expect("expire");
    let r = e.get(&sim_path(unlimited_iccid, "/usage")).await;
    c.check(
        &l("usage expired"),
        "UsageResponse",
        &r.body,
        decoder!(UsageResponse),
    );
    e.sb.recycle(voice_iccid).expect("recycle");
    let r = e.get(&sim_path(voice_iccid, "/usage")).await;
    c.check(
        &l("usage recycled"),
        "UsageResponse",
        &r.body,
        decoder!(UsageResponse),
    );
    let r = e.get(&sim_path(voice_iccid, "")).await;
    c.check(
        &l("esim recycled"),
        "EsimResponse",
        &r.body,
        decoder!(EsimResponse),
    );
    let r = e.get(&sim_path(voice_iccid, "/topups")).await;
    c.check(
        &l("topups 422 code 73"),
        "ApiError",
        &r.body,
        decoder!(ApiError),
    );
    let not_active = e.esim("change-7days-1gb").await;
    let r = e.get(&sim_path(&not_active, "/topups")).await;
    c.check(
        &l("topups empty"),
        "TopupsResponse",
        &r.body,
        decoder!(TopupsResponse),
    );

    // Rate limit on usage.
    for _ in 0..100 {
        e.get(&sim_path(&not_active, "/usage")).await;
    }
    let r = e.get(&sim_path(&not_active, "/usage")).await;
    c.check(&l("usage 429"), "ApiError", &r.body, decoder!(ApiError));
}

async fn voice_api(e: &Env, c: &mut Conformance) {
    let base = "/api/third-party/partner";
    let r = e.get(&format!("{base}/available-numbers/")).await;
    c.check(
        "available numbers",
        "AvailableNumberPage",
        &r.body,
        decoder!(AvailableNumberPage),
    );
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
    c.check(
        "available numbers page 2",
        "AvailableNumberPage",
        &r.body,
        decoder!(AvailableNumberPage),
    );
    let r = e
        .post_json(
            &format!("{base}/claim-number/"),
            &json!({"number": number, "email": "c@example.com", "first_name": "C", "last_name": "D"}),
        )
        .await;
    c.check("claim", "VoiceUser", &r.body, decoder!(VoiceUser));
    let r = e
        .post_json(&format!("{base}/claim-number/"), &json!({}))
        .await;
    c.check("claim 400", "VoiceError", &r.body, decoder!(VoiceError));
    let r = e
        .post_json(
            &format!("{base}/renew-number/"),
            &json!({"email": "c@example.com"}),
        )
        .await;
    c.check("renew", "VoiceUser", &r.body, decoder!(VoiceUser));
    let r = e
        .post_json(
            &format!("{base}/renew-number/"),
            &json!({"email": "zz@example.com"}),
        )
        .await;
    c.check("renew 404", "VoiceError", &r.body, decoder!(VoiceError));
    for q in [
        vec![],
        vec![("email", "c@example.com")],
        vec![("mobile", "000")],
    ] {
        let r = e.get_q(&format!("{base}/user/"), &q).await;
        c.check("users", "VoiceUserPage", &r.body, decoder!(VoiceUserPage));
    }
    let r = e.get_noauth(&format!("{base}/user/"), None).await;
    c.check("users 401", "VoiceError", &r.body, decoder!(VoiceError));
}

#[test]
fn the_harness_rejects_wrong_shapes() {
    let mut c = Conformance::load();
    let wrong =
        json!({"data": {"remaining": "lots", "status": 3}, "meta": {"message": "api.succes"}});
    c.check(
        "wrong usage",
        "UsageResponse",
        &wrong,
        decoder!(UsageResponse),
    );
    assert_eq!(c.failures.len(), 2, "{:?}", c.failures);
    assert!(c.failures[0].contains("does not decode"));
    assert!(c.failures[1].contains("invalid against"));
    let mut c = Conformance::load();
    let nullable_ok = json!({"data": {"remaining": 1, "total": 1, "expired_at": null, "is_unlimited": null, "status": "RECYCLED"}});
    c.check(
        "nulls",
        "UsageResponse",
        &nullable_ok,
        decoder!(UsageResponse),
    );
    assert!(c.failures.is_empty(), "{:?}", c.failures);
    let mut c = Conformance::load();
    let bad_page = json!({"count": 1, "next": 5, "previous": null, "results": [{"number": 1}]});
    c.check(
        "bad page",
        "AvailableNumberPage",
        &bad_page,
        decoder!(AvailableNumberPage),
    );
    assert_eq!(c.failures.len(), 2, "{:?}", c.failures);
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    let mut c = Conformance::load();
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
