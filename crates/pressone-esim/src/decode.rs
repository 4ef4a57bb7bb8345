//! The response decoders of every operation behind one entry point, for fuzzing and property
//! tests (`fuzz/`, `tests/`). Not part of the public API.

use std::fmt::Debug;
use std::time::SystemTime;

use pressone_esim_raw::OperationId;
use serde::de::DeserializeOwned;

use crate::convert;
use crate::error::{Error, Result};
use crate::list::{convert_all, drf_page, laravel_page};
use crate::pagination::Paging;
use crate::raw::types as w;

/// The operations whose bodies [`response`] decodes (the spec's `operationId`s, every one, in
/// the order of [`OperationId::ALL`]).
pub const OPERATIONS: [&str; OperationId::ALL.len()] = {
    let mut names = [""; OperationId::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = OperationId::ALL[i].as_str();
        i += 1;
    }
    names
};

fn json<T: DeserializeOwned>(op: OperationId, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| crate::call::decode_error(None, body, Some(e), op))
}

fn boxed<T: Debug + 'static>(value: T) -> Box<dyn Debug> {
    Box::new(value)
}

/// Decodes `body`, answered with `status` to `operation`, the way the client does: a success
/// status into the domain type, an error status into the SDK's error. Never panics.
pub fn response(operation: &str, status: u16, body: &[u8]) -> Result<Box<dyn Debug>> {
    let Some(op) = OperationId::from_name(operation) else {
        return Err(Error::invalid_input(
            "operation",
            format!("{operation:?} is not an operation of the spec"),
        ));
    };
    if !(200..300).contains(&status) {
        let parsed = serde_json::from_slice::<serde_json::Value>(body).ok();
        return Err(crate::call::classify(status, None, parsed.as_ref()));
    }
    use OperationId as O;
    Ok(match op {
        O::RequestAccessToken => boxed(convert::token(json(op, body)?, SystemTime::now())?),
        O::GetBalance => boxed(convert::balances(json(op, body)?)?),
        O::GetCompatibleDevicesLite => {
            let r: w::DevicesResponse = json(op, body)?;
            boxed(convert_all(r.data, convert::device)?)
        }
        O::GetPackages => boxed(json::<convert::CatalogPage>(op, body)?.into_page(1)?),
        O::SubmitOrder => boxed(convert::order(
            json::<w::SubmitOrderResponse>(op, body)?.data,
        )?),
        O::GetEsim => boxed(convert::esim(json::<w::EsimResponse>(op, body)?.data)?),
        O::GetInstallationInstructions => boxed(convert::instructions(json(op, body)?)?),
        O::GetUsage => boxed(json::<convert::UsageBody>(op, body)?.0?),
        O::GetTopups => {
            let r: w::TopupsResponse = json(op, body)?;
            boxed(convert_all(r.data, convert::topup)?)
        }
        O::SubmitTopup => boxed(convert::order(
            json::<w::SubmitTopupResponse>(op, body)?.data,
        )?),
        O::GetOrderList => {
            let r: w::OrderListResponse = json(op, body)?;
            let page = laravel_page(&FIRST, r.data, convert::order, r.links, r.meta)?;
            boxed(page)
        }
        O::GetOrder => boxed(convert::order(json::<w::OrderResponse>(op, body)?.data)?),
        O::GetEsimsList => {
            let r: w::EsimListResponse = json(op, body)?;
            let page = laravel_page(&FIRST, r.data, convert::esim, r.links, r.meta)?;
            boxed(page)
        }
        O::GetEsimPackageHistory => {
            let r: w::PackageHistoryResponse = json(op, body)?;
            boxed(convert_all(r.data, convert::history_entry)?)
        }
        O::ListAvailableNumbers => {
            let r: w::AvailableNumberPage = json(op, body)?;
            let number = convert::available_number;
            boxed(drf_page(&FIRST, r.results, number, r.count, r.next))
        }
        O::ClaimNumber | O::RenewNumber => boxed(convert::voice_user(json(op, body)?)),
        O::ListUsers => {
            let r: w::VoiceUserPage = json(op, body)?;
            let user = |u| Some(convert::voice_user(u));
            boxed(drf_page(&FIRST, r.results, user, r.count, r.next))
        }
    })
}

/// The first page, the one the decoded answers are taken as (as the client makes its pages).
const FIRST: Paging = Paging {
    size: None,
    page: None,
    number: 1,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_decodes_its_fixture_shape_or_errors_cleanly() {
        for op in OPERATIONS {
            assert!(response(op, 200, b"not json").is_err(), "{op}");
            // Envelopes require `data` (or `results`); a voice user has no required field.
            let empty_is_valid = matches!(op, "claim_number" | "renew_number");
            // The token endpoint's body is never quoted.
            let err = response(op, 200, b"{\"access_token\": \"t0ken\"").unwrap_err();
            assert_eq!(
                format!("{err:?}").contains("t0ken"),
                op != "request_access_token"
            );
            assert_eq!(response(op, 200, b"{}").is_ok(), empty_is_valid, "{op}");
        }
        let usage = br#"{"data":{"remaining":767,"total":2048,"status":"ACTIVE","remaining_voice":0,"total_voice":0,"remaining_text":0,"total_text":0},"meta":{"message":"api.succes"}}"#;
        let decoded = response("get_usage", 200, usage).unwrap();
        assert!(format!("{decoded:?}").contains("remaining: 767"));
        let err = response("get_usage", 429, br#"{"message":"Too Many Attempts."}"#).unwrap_err();
        assert!(matches!(err.kind(), crate::ErrorKind::RateLimited { .. }));
        assert!(response("nope", 200, b"{}").is_err());
    }
}
