//! A Get usage body decoded straight into [`Usage`], the per-call read a reseller's dashboard
//! polls most.
//!
//! The generated type (`raw::types::UsageResponse`) copies its two texts (`status`,
//! `expired_at`) and the envelope's `meta.message` into new `String`s that the conversion then
//! only reads. Here the texts are borrowed from the body (copied only when the JSON escapes
//! them), `meta` is skipped, and the conversion runs as the body is parsed: three allocations
//! and a pass fewer on every usage call. [`WireUsage`] has the generated `Usage`'s members, names
//! and types; a test holds it to them (`the_usage_mirror_reads_what_the_generated_type_reads`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::time::timestamp_str;
use super::{required, text};
use crate::error::Result;
use crate::models::*;

/// A Get usage body: its `data` converted (or the conversion's `Decode` error).
pub(crate) struct UsageBody(pub(crate) Result<Usage>);

impl<'de> Deserialize<'de> for UsageBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        /// The envelope: `data` is required, as in the generated `UsageResponse`; `meta`
        /// (`{"message": "api.succes"}`) is parsed, not kept.
        #[derive(Deserialize)]
        struct Envelope<'a> {
            #[serde(borrow)]
            data: WireUsage<'a>,
        }
        let Envelope { data } = Envelope::deserialize(deserializer)?;
        Ok(UsageBody(usage(data)))
    }
}

/// The usage object as the wire sends it: the generated `Usage`'s members, its texts borrowed.
/// Serialized only to quote it in a `Decode` error (absent members left out, as the generated
/// type leaves them out).
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct WireUsage<'a> {
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub(super) expired_at: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) is_unlimited: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) remaining: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) remaining_text: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) remaining_voice: Option<i64>,
    #[serde(borrow, skip_serializing_if = "Option::is_none")]
    pub(super) status: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) total: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) total_text: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) total_voice: Option<i64>,
}

/// A JSON string, borrowed from the body unless the JSON escapes it (then copied, unescaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Text<'a>(pub(super) Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text(Cow::Borrowed(s))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(
                self,
                s: &'de str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(s)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }

            fn visit_string<E: de::Error>(self, s: String) -> std::result::Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// The usage of one eSIM. A figure the response lacks is a `Decode` error quoting the object,
/// never a made-up zero.
pub(super) fn usage(u: WireUsage<'_>) -> Result<Usage> {
    let status = EsimStatus::from(required(text(&u.status), "usage status", &u)?);
    // `is_unlimited` is null on recycled eSIMs (api.md §4.4): null is "not unlimited", and the
    // data figures the response then sends are used as sent.
    let is_unlimited = u.is_unlimited.unwrap_or(false);
    let data_mb = if is_unlimited {
        // Unlimited packages read 0 here, to be ignored (api.md §5.7).
        None
    } else {
        Some(Remaining {
            remaining: required(u.remaining, "usage remaining", &u)?,
            total: required(u.total, "usage total", &u)?,
        })
    };
    let voice_minutes = Remaining {
        remaining: required(u.remaining_voice, "usage remaining_voice", &u)?,
        total: required(u.total_voice, "usage total_voice", &u)?,
    };
    let sms = Remaining {
        remaining: required(u.remaining_text, "usage remaining_text", &u)?,
        total: required(u.total_text, "usage total_text", &u)?,
    };
    Ok(Usage {
        status,
        data_mb,
        is_unlimited,
        voice_minutes,
        sms,
        expires_at: timestamp_str(u.expired_at.as_deref()),
    })
}

#[cfg(test)]
mod tests {
    use pressone_esim_testkit::fixtures::{fixture, fixture_names};
    use serde_json::{Value, json};

    use super::*;
    use crate::error::ErrorKind;
    use crate::raw::types as w;

    fn decode(body: &str) -> Result<Usage> {
        serde_json::from_str::<UsageBody>(body)
            .expect("the body is JSON with a data object")
            .0
    }

    #[test]
    fn the_usage_mirror_reads_what_the_generated_type_reads() {
        // Every member of the spec's `Usage`, each set: the mirror must name them all alike.
        let full = w::Usage {
            expired_at: Some("2023-02-27 14:09:55".into()),
            is_unlimited: Some(false),
            remaining: Some(1),
            remaining_text: Some(2),
            remaining_voice: Some(3),
            status: Some("ACTIVE".into()),
            total: Some(4),
            total_text: Some(5),
            total_voice: Some(6),
        };
        let body = serde_json::to_string(&full).unwrap();
        let mirror: WireUsage = serde_json::from_str(&body).unwrap();
        assert_eq!(
            serde_json::to_value(&mirror).unwrap(),
            serde_json::to_value(&full).unwrap()
        );
        // And every usage fixture: the mirror keeps what the generated type keeps.
        let names: Vec<_> = fixture_names()
            .into_iter()
            .filter(|n| n.contains("get-usage.200"))
            .collect();
        assert!(names.len() >= 2, "{names:?}");
        for name in names {
            let body = fixture(&name);
            let generated: w::UsageResponse = serde_json::from_str(&body).unwrap();
            let data = &serde_json::from_str::<Value>(&body).unwrap()["data"];
            let mirror = WireUsage::deserialize(data).unwrap();
            assert_eq!(
                serde_json::to_value(&mirror).unwrap(),
                serde_json::to_value(&generated.data).unwrap(),
                "{name}"
            );
            decode(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn texts_are_borrowed_unless_escaped() {
        let plain: WireUsage = serde_json::from_str(r#"{"status": "ACTIVE"}"#).unwrap();
        assert!(matches!(plain.status, Some(Text(Cow::Borrowed("ACTIVE")))));
        let escaped: WireUsage = serde_json::from_str(r#"{"status": "ACT\u0049VE"}"#).unwrap();
        assert!(matches!(escaped.status, Some(Text(Cow::Owned(ref s))) if s == "ACTIVE"));
        // A number where a text belongs is the JSON error the generated type gives.
        assert!(serde_json::from_str::<WireUsage>(r#"{"status": 1}"#).is_err());
    }

    #[test]
    fn a_body_without_data_or_with_a_missing_figure_is_an_error() {
        assert!(
            serde_json::from_str::<UsageBody>(r#"{"meta": {"message": "api.succes"}}"#).is_err()
        );
        let body = json!({"data": {"status": "ACTIVE", "remaining": 10, "total": 20,
            "remaining_voice": 0, "total_voice": 0, "remaining_text": 0}});
        let err = decode(&body.to_string()).unwrap_err();
        assert!(err.to_string().contains("has no usage total_text"), "{err}");
        let ErrorKind::Decode { excerpt } = err.kind() else {
            panic!("not a Decode error: {err:?}");
        };
        assert!(excerpt.contains(r#""status":"ACTIVE""#), "{excerpt}");
        assert!(!excerpt.contains("null"), "{excerpt}");
    }

    #[test]
    fn expiry_and_status_are_read_from_the_borrowed_texts() {
        let body = fixture("airalo.get-usage.200.json");
        let u = decode(&body).unwrap();
        let generated: w::UsageResponse = serde_json::from_str(&body).unwrap();
        assert_eq!(
            u.expires_at,
            crate::convert::timestamp(generated.data.expired_at.clone())
        );
        assert_eq!(
            u.status,
            EsimStatus::from(generated.data.status.as_deref().unwrap())
        );
    }
}
