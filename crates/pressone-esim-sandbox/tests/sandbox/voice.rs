//! Provisional voice API (DRF style).

use std::time::Duration;

use crate::common::{env, env_with};
use pressone_esim_sandbox::SandboxConfig;
use serde_json::{Value, json};

const BASE: &str = "/api/third-party/partner";
const AVAILABLE: &str = "/api/third-party/partner/available-numbers/";
const CLAIM: &str = "/api/third-party/partner/claim-number/";
const RENEW: &str = "/api/third-party/partner/renew-number/";
const USER: &str = "/api/third-party/partner/user/";

#[tokio::test]
async fn available_numbers_pagination_and_filter() {
    let e = env_with(SandboxConfig::default().voice_numbers(30)).await;
    let r = e.get(AVAILABLE).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["count"], 30);
    assert!(r.body["previous"].is_null());
    assert!(
        r.body["next"]
            .as_str()
            .is_some_and(|n| n.contains("page=2"))
    );
    let results = r.body["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 20);
    assert!(
        results
            .iter()
            .all(|n| n["number"].as_str().is_some_and(|s| s.starts_with('+')))
    );

    let p2 = e.get_q(AVAILABLE, &[("page", "2")]).await;
    assert_eq!(p2.body["results"].as_array().map(Vec::len), Some(10));
    assert!(p2.body["next"].is_null());
    assert!(p2.body["previous"].is_string());

    let small = e
        .get_q(AVAILABLE, &[("page_size", "5"), ("page", "3")])
        .await;
    assert_eq!(small.body["results"].as_array().map(Vec::len), Some(5));

    let ng = e.get_q(AVAILABLE, &[("country", "ng")]).await;
    let ng_results = ng.body["results"].as_array().cloned().unwrap_or_default();
    assert!(!ng_results.is_empty());
    assert!(ng_results.iter().all(|n| n["country"] == "NG"));

    let bad = e.get_q(AVAILABLE, &[("page", "99")]).await;
    assert_eq!(bad.status, 404);
    assert_eq!(bad.body, json!({"detail": "Invalid page."}));
    // Present but empty is not a page number either (Schemathesis sent `page=`).
    for page in ["", "abc", "0"] {
        let bad = e.get_q(AVAILABLE, &[("page", page)]).await;
        assert_eq!(bad.status, 404, "page={page:?}");
        assert_eq!(bad.body, json!({"detail": "Invalid page."}));
    }
    let bad = e.get_q(AVAILABLE, &[("page", "abc")]).await;
    assert_eq!(bad.status, 404);

    // Without the trailing slash works too.
    assert_eq!(
        e.get(&format!("{BASE}/available-numbers")).await.status,
        200
    );
}

async fn first_number(e: &crate::common::Env) -> String {
    let r = e.get(AVAILABLE).await;
    r.body["results"][0]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn claim_renew_and_list_users() {
    let e = env_with(
        SandboxConfig::default()
            .voice_periods(7, 30)
            .token_ttl(Duration::from_secs(400 * 86_400)),
    )
    .await;
    let number = first_number(&e).await;
    let claim = json!({"number": number, "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"});
    let r = e.post_json(CLAIM, &claim).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let user = r.body.clone();
    for key in [
        "id",
        "email",
        "mobile",
        "first_name",
        "last_name",
        "number",
        "date_joined",
        "subscription",
    ] {
        assert!(user.get(key).is_some(), "{key}");
    }
    assert_eq!(user["number"], number.as_str());
    let sub = &user["subscription"];
    assert_eq!(sub["status"], "trial");
    assert_eq!(sub["is_trial"], true);
    for key in ["plan", "start_date", "end_date"] {
        assert!(sub[key].is_string(), "{key}");
    }
    assert!(
        user["date_joined"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z') && d.contains('T'))
    );

    // The number is no longer available; claiming again fails.
    let avail = e.get_q(AVAILABLE, &[("page_size", "100")]).await;
    assert!(
        !avail.body["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .any(|n| n["number"] == number.as_str())
    );
    let again = json!({"number": number, "email": "bob@example.com", "first_name": "Bob", "last_name": "B"});
    let r = e.post_json(CLAIM, &again).await;
    assert_eq!(r.status, 400);
    assert!(r.body["number"].is_array());

    // Renew: trial -> active.
    let r = e
        .post_json(RENEW, &json!({"email": "ada@example.com"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["subscription"]["status"], "active");
    assert_eq!(r.body["subscription"]["is_trial"], false);

    // List users with filters.
    let all = e.get(USER).await;
    assert_eq!(all.body["count"], 1);
    assert_eq!(all.body["results"][0]["email"], "ada@example.com");
    let by_email = e.get_q(USER, &[("email", "ADA@example.com")]).await;
    assert_eq!(by_email.body["count"], 1);
    let mobile = user["mobile"].as_str().unwrap_or_default();
    let by_mobile = e
        .get_q(USER, &[("mobile", mobile.trim_start_matches('+'))])
        .await;
    assert_eq!(by_mobile.body["count"], 1);
    let none = e.get_q(USER, &[("email", "nobody@example.com")]).await;
    assert_eq!(
        none.body,
        json!({"count": 0, "next": null, "previous": null, "results": []})
    );

    // The subscription expires on the sandbox clock.
    e.sb.advance_clock(Duration::from_secs(31 * 86_400));
    let r = e.get(USER).await;
    assert_eq!(r.body["results"][0]["subscription"]["status"], "expired");
    let r = e
        .post_json(RENEW, &json!({"email": "ada@example.com"}))
        .await;
    assert_eq!(r.body["subscription"]["status"], "active");
}

#[tokio::test]
async fn voice_validation_errors() {
    let e = env().await;
    let r = e.post_json(CLAIM, &json!({})).await;
    assert_eq!(r.status, 400);
    for key in ["number", "email"] {
        assert_eq!(r.body[key], json!(["This field is required."]), "{key}");
    }
    for optional in ["first_name", "last_name"] {
        assert!(r.body.get(optional).is_none(), "{optional} is optional");
    }
    let number = first_number(&e).await;
    let r = e
        .post_json(
            CLAIM,
            &json!({"number": number, "email": "not-an-email", "first_name": "A", "last_name": "B"}),
        )
        .await;
    assert_eq!(r.body["email"], json!(["Enter a valid email address."]));
    let r = e
        .post_json(
            CLAIM,
            &json!({"number": "+10000000000", "email": "a@example.com", "first_name": "A", "last_name": "B"}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body["number"].is_array());

    let r = e
        .post_raw(CLAIM, "application/json", b"{oops".to_vec())
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("JSON parse error"))
    );
    let r = e.post_raw(RENEW, "text/csv", b"email".to_vec()).await;
    assert_eq!(r.status, 415);
    let r = e
        .post_json(RENEW, &json!({"email": "ghost@example.com"}))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body, json!({"detail": "Not found."}));
    let r = e.post_json(RENEW, &json!({})).await;
    assert_eq!(r.body, json!({"email": ["This field is required."]}));
    let big: Value = json!({"email": "x".repeat(70 * 1024)});
    let r = e.post_json(RENEW, &big).await;
    assert_eq!(r.status, 413);
}

#[tokio::test]
async fn user_mobile_is_not_the_claimed_number() {
    let e = env().await;
    let number = first_number(&e).await;
    let r = e
        .post_json(
            CLAIM,
            &json!({"number": number, "email": "ada@example.com"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let mobile = r.body["mobile"].as_str().unwrap_or_default().to_string();
    assert!(mobile.starts_with('+'), "{mobile:?}");
    assert_ne!(
        mobile, number,
        "the user's own mobile is not the claimed number"
    );
    // `mobile` filters on the user's mobile, never on the claimed number.
    let by_mobile = e.get_q(USER, &[("mobile", mobile.as_str())]).await;
    assert_eq!(by_mobile.body["count"], 1);
    assert_eq!(by_mobile.body["results"][0]["number"], number.as_str());
    let by_number = e.get_q(USER, &[("mobile", number.as_str())]).await;
    assert_eq!(by_number.body["count"], 0);
}

#[tokio::test]
async fn renew_refuses_a_cancelled_subscription() {
    let e = env().await;
    let number = first_number(&e).await;
    let claim = json!({"number": number, "email": "ada@example.com"});
    let r = e.post_json(CLAIM, &claim).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let cancel = e
        .control("POST", "/_sandbox/voice/users/ada@example.com/cancel", None)
        .await;
    assert_eq!(cancel.status, 200, "{}", cancel.text);
    assert_eq!(cancel.body["users"][0]["status"], "cancelled");
    let unknown = e
        .control(
            "POST",
            "/_sandbox/voice/users/ghost@example.com/cancel",
            None,
        )
        .await;
    assert_eq!(unknown.status, 404);

    let renew = json!({"email": "ada@example.com"});
    let r = e.post_json(RENEW, &renew).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(
        r.body,
        json!({"detail": "The subscription was cancelled; a cancelled subscription cannot be renewed."})
    );
    let users = e.get(USER).await;
    let sub = &users.body["results"][0]["subscription"];
    assert_eq!(sub["status"], "cancelled");
    assert_eq!(sub["is_trial"], true, "the refused renewal changed nothing");
    assert_eq!(e.sb.voice_users()[0].status, "cancelled");
}
