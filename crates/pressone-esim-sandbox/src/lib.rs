//! A stateful local simulator of the PressOne eSIM partner API.
//!
//! PressOne's eSIM API is a white-label of Airalo's Partner API v2: the data API lives under
//! `/customer/v2/...`, the (provisional) voice API under `/api/third-party/partner/...`.
//! PressOne publishes no sandbox; this crate is one. It answers every documented operation with
//! the documented wire shapes (including their quirks: `quantity` as the string `"1"` in submit
//! order, `validity`/`price` strings in lists, `meta.per_page` as a string, `"api.succes"`, the
//! index-keyed `data` object on packages page ≥ 2, …), keeps state in memory (balance, orders,
//! eSIMs, usage, top-ups, voice users), is deterministic from a seed, has a controllable clock,
//! and injects faults on demand.
//!
//! # Example
//!
//! ```
//! use pressone_esim_sandbox::{Sandbox, SandboxConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start(SandboxConfig::default().seed(7)).await?;
//! // Point the SDK (or any HTTP client) at the base URL:
//! let base = sandbox.base_url(); // e.g. "http://127.0.0.1:41234"
//! assert!(base.starts_with("http://127.0.0.1:"));
//! // Credentials accepted by POST /customer/v2/token:
//! assert_eq!(sandbox.client_id(), "sandbox-client-id");
//! assert_eq!(sandbox.client_secret(), "sandbox-client-secret");
//! assert_eq!(sandbox.balance().to_string(), "1000.00");
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Operations
//!
//! Each operation is named by the spec's `operationId` ([`Operation`]), in statistics, fault
//! selection and the control endpoints.
//!
//! | Operation (`operationId`) | Method and path |
//! |---|---|
//! | `request_access_token` | `POST /customer/v2/token` (form-urlencoded, multipart or JSON; 3/min, [`SandboxConfig::token_rate_limit`]) |
//! | `get_balance` | `GET /customer/v2/balance` (Content-Type `text/plain`, JSON body) |
//! | `get_compatible_devices_lite` | `GET /customer/v2/compatible-devices-lite` |
//! | `get_packages` | `GET /customer/v2/packages` (`filter[type]`, `filter[country]`, `limit`, `page`, `include=topup`) |
//! | `submit_order` | `POST /customer/v2/orders` |
//! | `get_esim` | `GET /customer/v2/sims/{iccid}` |
//! | `get_installation_instructions` | `GET /customer/v2/sims/{iccid}/instructions` |
//! | `get_usage` | `GET /customer/v2/sims/{iccid}/usage` (100/min per ICCID; figures cached 20 min, [`SandboxConfig::usage_cache`]) |
//! | `get_topups` | `GET /customer/v2/sims/{iccid}/topups` |
//! | `submit_topup` | `POST /customer/v2/orders/topups` |
//! | `get_order_list` | `GET /customer/v2/orders` |
//! | `get_order` | `GET /customer/v2/orders/{order_id}` |
//! | `get_esims_list` | `GET /customer/v2/sims` |
//! | `get_esim_package_history` | `GET /customer/v2/sims/{iccid}/packages` (1 per eSIM per 15 min) |
//! | `list_available_numbers` | `GET /api/third-party/partner/available-numbers/` |
//! | `claim_number` | `POST /api/third-party/partner/claim-number/` |
//! | `renew_number` | `POST /api/third-party/partner/renew-number/` (403 for a cancelled subscription) |
//! | `list_users` | `GET /api/third-party/partner/user/` (`mobile` is the user's own mobile, never the claimed number) |
//!
//! All of them but the token need `Authorization: Bearer <token>` (the voice API uses the same
//! token). Errors: 401 `{"data":[],"meta":{"message":"Unauthenticated."}}`; 422 validation
//! `{"data":{field:msg},"meta":{"message":"the parameter is invalid"}}`; 422 business
//! `{"code":n,"reason":"…"}`; 404 `{"data":[],"meta":{"message":"messages.resource_not_found"}}`;
//! 429 `{"message":"Too Many Attempts."}` with `Retry-After`, `X-RateLimit-Limit`,
//! `X-RateLimit-Remaining`; 413 for bodies over 64 KiB; 405 with a JSON body. The voice API uses
//! Django REST Framework shapes (`{"detail": …}`, `{"field": ["…"]}`, 400 for validation).
//!
//! Business codes: 11 insufficient credit (balance below `net_price × quantity`, or package
//! `test-insufficient-balance-7days-1gb`), 13 (`test-maintenance-mode-7days-1gb`), 23 on top-up
//! of an eSIM ordered with `test-disabled-top-up-7days-1gb`, 33 (`test-not-enough-7days-1gb`),
//! 34 (`test-out-of-stock-7days-1gb`), 43 top-up of an eSIM that was never activated (or package
//! `test-bad-request-7days-1gb`), 53 (`test-unexpected-error-7days-1gb`), 73 top-up (or top-up
//! list) of a recycled eSIM. The test packages are orderable but not listed.
//!
//! Validation follows the API: Get order list answers its validation errors with 400 (PressOne),
//! the other data operations with 422; `include` is checked and honoured; `copy_address[]`,
//! `sharing_option[]` and a present `to_email` are validated, and the e-mail fields are recorded
//! on the order. Without a balance account ([`SandboxConfig::balance_account`]) Get balance
//! answers `balances: []`.
//!
//! # eSIM lifecycle
//!
//! An ordered eSIM is `NOT_ACTIVE`. It becomes `ACTIVE` through the control endpoint (or after
//! [`SandboxConfig::auto_activate_after`]); from then on it consumes
//! [`SandboxConfig::consumption_mb_per_hour`] of data per hour of sandbox time (unlimited
//! packages never run out), and packages end `FINISHED` (data exhausted) or `EXPIRED` (validity
//! over). A top-up (allowed for `ACTIVE`, `FINISHED` and `EXPIRED` eSIMs) adds an `ACTIVE`
//! package that appears in the package history. A recycled eSIM reports `RECYCLED`.
//!
//! # Control endpoints (no auth, never faulted)
//!
//! | Endpoint | Effect |
//! |---|---|
//! | `GET /_sandbox/state` | balance, counts, clock, stats, faults ([`Snapshot`]) |
//! | `GET/PUT/POST/DELETE /_sandbox/faults` | read / replace / clear the [`FaultConfig`] (JSON) |
//! | `POST /_sandbox/clock/advance` | `{"seconds":n}` (or `minutes`, `hours`, `days`) |
//! | `GET/PUT/POST /_sandbox/balance` | read / set: `{"amount":"123.45"}` |
//! | `POST /_sandbox/tokens/revoke` | invalidate every token |
//! | `GET /_sandbox/sims` | every ICCID with its status |
//! | `POST /_sandbox/sims/{iccid}/activate` | NOT_ACTIVE → ACTIVE |
//! | `POST /_sandbox/sims/{iccid}/expire` | expire every package now |
//! | `POST /_sandbox/sims/{iccid}/recycle` | recycle the eSIM |
//! | `POST /_sandbox/sims/{iccid}/consume` | `{"data_mb":n,"voice_minutes":n,"text":n}` |
//! | `GET /_sandbox/voice/users` | every voice user with its subscription ([`VoiceUserSnapshot`]) |
//! | `POST /_sandbox/voice/users/{email}/cancel` | cancel the user's subscription (renew then fails) |
//! | `GET /_sandbox/orders` | every order with its status and recorded e-mail fields |
//! | `POST /_sandbox/orders/{id}/status` | `{"status":"failed"}` (or `completed`, `partially_refunded`, `refunded`); refunds credit the balance |
//!
//! Control errors are `{"error":"…"}` with 400, 404 or 409.
//!
//! # Console
//!
//! `GET /` and `GET /_sandbox/console` ([`SandboxHandle::console_url`]) serve an HTML page with
//! the balance and its spends, the orders, the eSIMs (QR code, install and sharing links, usage,
//! package history), the last 200 API requests (method, path, status, latency, business code;
//! never a token, a secret or a query string) and forms for the control actions above plus a
//! fault for the next API request. It answers only on a loopback `Host`, and its forms require
//! the page's CSRF token and a same-origin post.
//!
//! # Fault injection
//!
//! Configure a [`FaultConfig`] at start ([`SandboxConfig::faults`]), at run time
//! ([`SandboxHandle::set_faults`], `PUT /_sandbox/faults`), or per request with the
//! `X-Sandbox-Fault` header, whose directives are separated by `;`:
//!
//! * `status=503` — answer 503 (any 400–599) without processing;
//! * `status=429;retry_after=2` — answer 429 with `Retry-After: 2`;
//! * `latency_ms=300` — delay the response (the delay is reported in [`LATENCY_HEADER`]);
//! * `drop` — close the connection without a response;
//! * `after` — with `status=…` or `drop`: process the request first (the order IS created),
//!   then fail — the ambiguous case retry logic must handle;
//! * `none` — ignore the configured faults for this request.
//!
//! Configured faults are drawn from a PRNG seeded by [`SandboxConfig::seed`], restricted to
//! [`FaultConfig::operations`] when given. [`SandboxHandle::stats`] counts the requests each
//! operation received, faulted or not.
//!
//! # Determinism
//!
//! Tokens, ICCIDs, activation codes, MSISDNs, QR signatures, voice numbers and fault draws come
//! from ChaCha PRNGs seeded by [`SandboxConfig::seed`] (faults use their own stream, so turning
//! faults on does not change the ICCIDs). Order and eSIM ids are sequential. Timestamps follow
//! the sandbox clock: real time plus the offset moved by `advance_clock`; with
//! [`SandboxConfig::start_time`] and [`SandboxConfig::frozen_clock`] they are reproducible too,
//! and the same request sequence then yields byte-identical responses (up to the host:port in
//! URLs, which the sandbox takes from the `Host` header).
#![deny(missing_docs)]
#![forbid(unsafe_code)]
// Handlers return `Result<_, Response>` for early exits; boxing every response would only add
// noise.
#![allow(clippy::result_large_err)]

mod auth;
mod body;
mod catalogue;
mod config;
mod console;
mod control;
mod esims;
mod faults;
pub mod iccid;
mod operation;
mod orders;
mod server;
mod state;
mod topups;
mod voice;
mod web;

pub use config::{FaultConfig, Pricing, SandboxConfig, parse_duration};
pub use control::{Snapshot, VoiceUserSnapshot};
pub use faults::{FAULT_HEADER, LATENCY_HEADER};
pub use operation::Operation;
pub use server::{Sandbox, SandboxError, SandboxHandle, router};
pub use state::Stats;

/// Re-export of the decimal type used for money.
pub use rust_decimal::Decimal;
