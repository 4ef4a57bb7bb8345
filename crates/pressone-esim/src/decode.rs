//! The response decoders of every operation behind one entry point, for fuzzing and property
//! tests (`fuzz/`, `tests/`). Not part of the public API.

use std::fmt::Debug;
use std::time::SystemTime;

use serde::de::DeserializeOwned;

use crate::convert;
use crate::error::{Error, ErrorKind, Reached, Result};
use crate::raw::types as w;

/// The operations whose bodies [`response`] decodes (the spec's `operationId`s).
pub const OPERATIONS: [&str; 18] = [
    "request_access_token",
    "get_balance",
    "get_compatible_devices_lite",
    "get_packages",
    "submit_order",
    "get_esim",
    "get_installation_instructions",
    "get_usage",
    "get_topups",
    "submit_topup",
    "get_order_list",
    "get_order",
    "get_esims_list",
    "get_esim_package_history",
    "list_available_numbers",
    "claim_number",
    "renew_number",
    "list_users",
];

fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::Decode {
                excerpt: String::new(),
            },
            Reached::Yes,
        )
        .with_source(e)
    })
}

fn boxed<T: Debug + 'static>(value: T) -> Box<dyn Debug> {
    Box::new(value)
}

/// Decodes `body`, answered with `status` to `operation`, the way the client does: a success
/// status into the domain type, an error status into the SDK's error. Never panics.
pub fn response(operation: &str, status: u16, body: &[u8]) -> Result<Box<dyn Debug>> {
    if !(200..300).contains(&status) {
        let parsed = serde_json::from_slice::<serde_json::Value>(body).ok();
        return Err(crate::call::classify(status, None, parsed.as_ref()));
    }
    Ok(match operation {
        "request_access_token" => boxed(convert::token(json(body)?, SystemTime::now())?),
        "get_balance" => boxed(convert::balances(json(body)?)?),
        "get_compatible_devices_lite" => {
            let r: w::DevicesResponse = json(body)?;
            boxed(
                r.data
                    .into_iter()
                    .map(convert::device)
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        "get_packages" => {
            let r: w::PackagesResponse = json(body)?;
            boxed(convert::laravel_page(
                convert::catalog(r.data)?,
                1,
                r.links,
                r.meta,
            ))
        }
        "submit_order" => boxed(convert::order(json::<w::SubmitOrderResponse>(body)?.data)?),
        "get_esim" => boxed(convert::esim(json::<w::EsimResponse>(body)?.data)?),
        "get_installation_instructions" => boxed(convert::instructions(json(body)?)?),
        "get_usage" => boxed(convert::usage(json::<w::UsageResponse>(body)?.data)?),
        "get_topups" => {
            let r: w::TopupsResponse = json(body)?;
            boxed(
                r.data
                    .into_iter()
                    .map(convert::topup)
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        "submit_topup" => boxed(convert::order(json::<w::SubmitTopupResponse>(body)?.data)?),
        "get_order_list" => {
            let r: w::OrderListResponse = json(body)?;
            let items = r
                .data
                .into_iter()
                .map(convert::order)
                .collect::<Result<_>>()?;
            boxed(convert::laravel_page::<crate::Order>(
                items, 1, r.links, r.meta,
            ))
        }
        "get_order" => boxed(convert::order(json::<w::OrderResponse>(body)?.data)?),
        "get_esims_list" => {
            let r: w::EsimListResponse = json(body)?;
            let items = r
                .data
                .into_iter()
                .map(convert::esim)
                .collect::<Result<_>>()?;
            boxed(convert::laravel_page::<crate::Esim>(
                items, 1, r.links, r.meta,
            ))
        }
        "get_esim_package_history" => {
            let r: w::PackageHistoryResponse = json(body)?;
            boxed(
                r.data
                    .into_iter()
                    .map(convert::history_entry)
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        "list_available_numbers" => {
            let r: w::AvailableNumberPage = json(body)?;
            let items = r
                .results
                .into_iter()
                .filter_map(convert::available_number)
                .collect();
            boxed(convert::drf_page::<crate::AvailableNumber>(
                items, 1, r.count, r.next,
            ))
        }
        "claim_number" | "renew_number" => boxed(convert::voice_user(json(body)?)),
        "list_users" => {
            let r: w::VoiceUserPage = json(body)?;
            let items = r.results.into_iter().map(convert::voice_user).collect();
            boxed(convert::drf_page::<crate::VoiceUser>(
                items, 1, r.count, r.next,
            ))
        }
        other => {
            return Err(Error::invalid_input(
                "operation",
                format!("{other:?} is not an operation of the spec"),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_decodes_its_fixture_shape_or_errors_cleanly() {
        for op in OPERATIONS {
            assert!(response(op, 200, b"not json").is_err(), "{op}");
            // Envelopes require `data` (or `results`); a voice user has no required field.
            let empty_is_valid = matches!(op, "claim_number" | "renew_number");
            assert_eq!(response(op, 200, b"{}").is_ok(), empty_is_valid, "{op}");
        }
        let usage = br#"{"data":{"remaining":767,"total":2048,"status":"ACTIVE","remaining_voice":0,"total_voice":0,"remaining_text":0,"total_text":0},"meta":{"message":"api.succes"}}"#;
        let decoded = response("get_usage", 200, usage).unwrap();
        assert!(format!("{decoded:?}").contains("remaining: 767"));
        let err = response("get_usage", 429, br#"{"message":"Too Many Attempts."}"#).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::RateLimited { .. }));
        assert!(response("nope", 200, b"{}").is_err());
    }
}
