//! Helpers over `httpmock` shared by the raw client's and the SDK's tests: the pairs of a
//! query or form as sorted owned pairs (what a request is compared with), and one assertion for
//! how many requests each mock answered.

use httpmock::Mock;
use httpmock::prelude::HttpMockRequest;

/// The fields of a request's urlencoded body, in order.
pub fn form_pairs(req: &HttpMockRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(req.body_ref())
        .into_owned()
        .collect()
}

/// The pairs, sorted (so that the order of a query or form does not matter).
pub fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

/// The pairs as owned strings, sorted.
pub fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    sorted(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// Checks how many requests each mock answered: `(mock, calls, what)`, where `what` names the
/// mock (and why that number) in the failure message.
pub async fn assert_calls(expected: &[(&Mock<'_>, usize, &str)]) {
    for (mock, calls, what) in expected {
        assert_eq!(mock.calls_async().await, *calls, "requests to {what}");
    }
}
