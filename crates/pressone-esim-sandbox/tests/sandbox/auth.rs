//! Token endpoint, bearer auth, token expiry on the sandbox clock.

use std::time::Duration;

use crate::common::{
    BALANCE, DEVICES, ORDERS, PACKAGES, SIMS, TOKEN, assert_shape, credentials, env, env_with,
    fixture,
};
use crate::support::{request_token, token_for};
use pressone_esim_sandbox::SandboxConfig;
use serde_json::json;

#[tokio::test]
async fn token_urlencoded_success_shape() {
    let e = env().await;
    let r = token_for(&e, "sandbox-client-id", "sandbox-client-secret").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_shape("airalo.request-access-token.200.json", &r.body);
    assert_eq!(r.body["data"]["token_type"], "Bearer");
    assert_eq!(r.body["data"]["expires_in"], 86_400);
    assert_eq!(r.body["meta"]["message"], "success");
}

#[tokio::test]
async fn token_multipart_and_json_accepted() {
    let e = env().await;
    let fields = credentials("sandbox-client-id", "sandbox-client-secret");
    let r = e.post_multipart(TOKEN, &fields, false).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = r.body["data"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!token.is_empty());
    let bal = e.get_noauth(BALANCE, Some(&token)).await;
    assert_eq!(bal.status, 200);

    let r = e
        .post_json(
            TOKEN,
            &json!({"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret", "grant_type": "client_credentials"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn token_errors() {
    let e = env_with(
        SandboxConfig::default()
            .client_id("id-1")
            .client_secret("secret-1")
            .token_rate_limit(None),
    )
    .await;
    let wrong_id = token_for(&e, "nope", "secret-1").await;
    assert_eq!(wrong_id.status, 422);
    assert_eq!(
        wrong_id.body,
        fixture("airalo.request-access-token.422-invalid-client-id.json")
    );

    let wrong_secret = token_for(&e, "id-1", "nope").await;
    assert_eq!(wrong_secret.status, 401);
    assert_eq!(
        wrong_secret.body,
        fixture("airalo.request-access-token.401-client-authentication-failed.json")
    );

    let missing = request_token(&e, &[]).await;
    assert_eq!(missing.body["meta"]["message"], "the parameter is invalid");
    missing.assert_invalid(
        422,
        &[
            ("client_id", "The client id field is required."),
            ("grant_type", "The grant type field is required."),
        ],
    );

    let password = [
        ("client_id", "id-1"),
        ("client_secret", "secret-1"),
        ("grant_type", "password"),
    ];
    let bad_grant = request_token(&e, &password).await;
    bad_grant.assert_invalid(
        422,
        &[("grant_type", "The selected grant type is invalid.")],
    );
}

#[tokio::test]
async fn missing_wrong_and_expired_tokens_are_401() {
    let e = env_with(SandboxConfig::default().token_ttl(Duration::from_secs(3600))).await;
    let unauth = json!({"data": [], "meta": {"message": "Unauthenticated."}});
    for path in [
        BALANCE,
        PACKAGES,
        ORDERS,
        SIMS,
        DEVICES,
        "/customer/v2/sims/8923410000000000000/usage",
        "/customer/v2/orders/1001",
    ] {
        let r = e.get_noauth(path, None).await;
        assert_eq!(r.status, 401, "{path}");
        assert_eq!(r.body, unauth, "{path}");
        let r = e.get_noauth(path, Some("not-a-token")).await;
        assert_eq!(r.status, 401, "{path}");
        assert_eq!(r.body, unauth);
    }
    // POSTs too.
    let r = e
        .http
        .post(e.url(ORDERS))
        .form(&[("quantity", "1")])
        .send()
        .await;
    assert_eq!(r.map(|r| r.status().as_u16()).ok(), Some(401));

    // Valid now, expired after the sandbox clock passes the TTL.
    assert_eq!(e.get(BALANCE).await.status, 200);
    e.sb.advance_clock(Duration::from_secs(3599));
    assert_eq!(e.get(BALANCE).await.status, 200);
    e.sb.advance_clock(Duration::from_secs(2));
    let r = e.get(BALANCE).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body, unauth);
    // A fresh token works again.
    let fresh = e.fetch_token().await;
    assert_eq!(e.get_noauth(BALANCE, Some(&fresh)).await.status, 200);
}

#[tokio::test]
async fn expires_in_reports_configured_ttl_and_revocation_works() {
    let e = env_with(SandboxConfig::default().token_ttl(Duration::from_secs(31_622_400))).await;
    let r = token_for(&e, "sandbox-client-id", "sandbox-client-secret").await;
    assert_eq!(r.body["data"]["expires_in"], 31_622_400);
    let revoked = e.control("POST", "/_sandbox/tokens/revoke", None).await;
    assert_eq!(revoked.status, 200);
    assert_eq!(e.get(BALANCE).await.status, 401);
}

#[tokio::test]
async fn voice_api_uses_the_same_token_with_drf_errors() {
    let e = env().await;
    e.get_expect("/api/third-party/partner/available-numbers/", 200)
        .await;
    let none = e.get_noauth("/api/third-party/partner/user/", None).await;
    assert_eq!(none.status, 401);
    assert_eq!(
        none.body,
        json!({"detail": "Authentication credentials were not provided."})
    );
    let bad = e
        .get_noauth("/api/third-party/partner/user/", Some("bad"))
        .await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.body, json!({"detail": "Invalid token."}));
}
