//! Timestamps in every format the vendor sends.

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::models::Timestamp;

/// Parses the vendor's `YYYY-MM-DD HH:MM:SS` (UTC), RFC 3339, or a bare date.
pub(crate) fn timestamp(s: Option<String>) -> Option<Timestamp> {
    timestamp_str(s.as_deref())
}

/// [`timestamp`] of a borrowed text.
pub(crate) fn timestamp_str(s: Option<&str>) -> Option<Timestamp> {
    let s = s?;
    // The vendor's own format, as nearly every timestamp comes, is read before any trimming.
    if let Some(t) = vendor_timestamp(s) {
        return Some(t);
    }
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // The vendor's own format first, without chrono's format-string parser (which reads the
    // format text on every call and was most of a usage call's conversion time).
    if let Some(t) = vendor_timestamp(s) {
        return Some(t);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Utc.from_utc_datetime(&t))
}

/// Exactly `YYYY-MM-DD HH:MM:SS` (all digits, seconds below 60) as UTC; `None` for anything
/// else, which [`timestamp`] then gives to chrono's parsers. Accepts a subset of what
/// `%Y-%m-%d %H:%M:%S` accepts and yields the same instant for it (no RFC 3339 text has this
/// form: it lacks an offset).
pub(super) fn vendor_timestamp(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)?;
    let time = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(Utc.from_utc_datetime(&time))
}
