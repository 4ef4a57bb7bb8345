//! Request body reading (size-limited) and form parsing: urlencoded, multipart and JSON.

use axum::body::Body;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;

pub(crate) enum BodyError {
    TooLarge,
    Unreadable,
}

/// Reads the whole body, failing when it is larger than `limit`.
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, BodyError> {
    use http_body_util::BodyExt;
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(BodyError::TooLarge),
        Err(_) => Err(BodyError::Unreadable),
    }
}

/// Decoded form fields, in order; repeated keys keep every value.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// First value of `key`, trimmed; empty strings count as absent (Laravel's
    /// `ConvertEmptyStringsToNull`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// First value of `key`, trimmed, even when empty (a present empty field is null after
    /// `ConvertEmptyStringsToNull`, and rules that do not allow null reject it).
    pub fn sent(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
    }

    /// Every value of `key`, trimmed, empty ones included (an empty array item is validated:
    /// it is null after `ConvertEmptyStringsToNull`, and null is not an e-mail address).
    pub fn all_sent(&self, key: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .collect()
    }
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Parses a form body (urlencoded, multipart or JSON object). The error text says why the body
/// could not be read.
pub(crate) async fn parse_form(headers: &HeaderMap, bytes: Bytes) -> Result<Form, String> {
    let ct = content_type(headers);
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if bytes.is_empty() {
        return Ok(Form::default());
    }
    match essence.as_str() {
        "" | "application/x-www-form-urlencoded" => {
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .map(|pairs| Form { pairs })
                .map_err(|_| {
                    "The request body is not valid application/x-www-form-urlencoded.".to_string()
                })
        }
        "multipart/form-data" => parse_multipart(&ct, bytes).await,
        "application/json" => parse_json_form(&bytes),
        other => Err(format!("Unsupported content type {other}.")),
    }
}

async fn parse_multipart(ct: &str, bytes: Bytes) -> Result<Form, String> {
    const BAD: &str = "The request body is not valid multipart/form-data.";
    let boundary = multer::parse_boundary(ct).map_err(|_| BAD.to_string())?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut pairs = Vec::new();
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let value = field.text().await.map_err(|_| BAD.to_string())?;
                if pairs.len() >= 1000 {
                    return Err(BAD.to_string());
                }
                pairs.push((name, value));
            }
            Ok(None) => break,
            Err(_) => return Err(BAD.to_string()),
        }
    }
    Ok(Form { pairs })
}

fn parse_json_form(bytes: &[u8]) -> Result<Form, String> {
    const BAD: &str = "The request body is not a valid JSON object.";
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| BAD.to_string())?;
    let serde_json::Value::Object(map) = value else {
        return Err(BAD.to_string());
    };
    let mut pairs = Vec::new();
    for (k, v) in map {
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => pairs.push((k, s)),
            serde_json::Value::Array(items) => {
                let key = if k.ends_with("[]") {
                    k
                } else {
                    format!("{k}[]")
                };
                for item in items {
                    match item {
                        serde_json::Value::String(s) => pairs.push((key.clone(), s)),
                        other => pairs.push((key.clone(), other.to_string())),
                    }
                }
            }
            other => pairs.push((k, other.to_string())),
        }
    }
    Ok(Form { pairs })
}

/// Parses a raw query string into pairs (lenient: undecodable input yields no pairs).
pub(crate) fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
}
