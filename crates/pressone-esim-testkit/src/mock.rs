//! Helpers over `httpmock` shared by the raw client's and the SDK's tests: the pairs of a
//! query or form as sorted owned pairs (what a request is compared with), and the number of
//! requests each mock answered.

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

/// How many requests each mock answered, in order: one assertion checks them all
/// (`assert_eq!(calls(&[&token, &usage]).await, [1, 3])`, whose failure shows every count).
pub async fn calls(mocks: &[&Mock<'_>]) -> Vec<usize> {
    let mut counts = Vec::with_capacity(mocks.len());
    for mock in mocks {
        counts.push(mock.calls_async().await);
    }
    counts
}
