//! Checks of arguments before anything is sent.

use crate::error::{Error, Result};

/// An ICCID: 16 to 22 ASCII digits (the vendor's examples have 17 to 20; the range leaves room).
pub(crate) fn iccid(value: &str) -> Result<&str> {
    // The usual case, checked without the Unicode-aware trim.
    if (16..=22).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(value);
    }
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid_input("iccid", "is empty"));
    }
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_input("iccid", "must contain digits only"));
    }
    if !(16..=22).contains(&v.len()) {
        return Err(Error::invalid_input(
            "iccid",
            format!("must be 16 to 22 digits long, not {}", v.len()),
        ));
    }
    Ok(v)
}

/// A non-empty identifier such as a package id or order id.
pub(crate) fn id<'a>(field: &'static str, value: &'a str) -> Result<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid_input(field, "is empty"));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::invalid_input(field, "contains control characters"));
    }
    Ok(v)
}

/// An order quantity: 1 to 50.
pub(crate) fn quantity(value: u32) -> Result<std::num::NonZeroU64> {
    if !(1..=50).contains(&value) {
        return Err(Error::invalid_input(
            "quantity",
            format!("must be between 1 and 50, not {value}"),
        ));
    }
    std::num::NonZeroU64::new(u64::from(value))
        .ok_or_else(|| Error::invalid_input("quantity", "must not be 0"))
}

/// An optional page number or page size: at least 1 when given.
pub(crate) fn positive(
    field: &'static str,
    value: Option<u32>,
) -> Result<Option<std::num::NonZeroU64>> {
    value
        .map(|v| {
            std::num::NonZeroU64::new(u64::from(v))
                .ok_or_else(|| Error::invalid_input(field, "must be at least 1"))
        })
        .transpose()
}

/// A free text the server stores (description): no control characters but tabs, bounded.
pub(crate) fn text<'a>(field: &'static str, value: &'a str, max: usize) -> Result<&'a str> {
    if value.chars().count() > max {
        return Err(Error::invalid_input(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::invalid_input(field, "contains control characters"));
    }
    Ok(value)
}

/// An optional free text (see [`text`]), owned for a request body.
pub(crate) fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>> {
    value
        .map(|v| text(field, v, max).map(str::to_string))
        .transpose()
}

/// An e-mail address, checked loosely (one `@`, something on both sides, no spaces).
pub(crate) fn email(value: &str) -> Result<&str> {
    let v = value.trim();
    let ok = v.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty()
            && host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !host.contains('@')
    }) && !v.chars().any(char::is_whitespace);
    if ok {
        Ok(v)
    } else {
        Err(Error::invalid_input("email", "is not an e-mail address"))
    }
}

/// A two-letter country code, upper-cased.
pub(crate) fn country(value: &str) -> Result<String> {
    let v = value.trim();
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(Error::invalid_input(
            "country",
            "must be a two-letter ISO 3166-1 code",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iccids() {
        assert_eq!(
            iccid(" 8944465400000267221 ").unwrap(),
            "8944465400000267221"
        );
        assert!(iccid("891000000000009125").is_ok());
        assert!(iccid("89340000000000872").is_ok());
        // Both ends of the length range, with and without the trim.
        assert_eq!(iccid(&"1".repeat(16)).unwrap().len(), 16);
        assert_eq!(iccid(&"1".repeat(22)).unwrap().len(), 22);
        assert_eq!(
            iccid("\u{a0}8944465400000267221\n").unwrap(),
            "8944465400000267221"
        );
        for bad in [
            "",
            "89444654000002672a1",
            "123",
            "8944465400000267221000000",
            &"1".repeat(15),
            &"1".repeat(23),
            "８９４４４６５４０００００２６７２２１",
        ] {
            assert!(iccid(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quantities() {
        assert!(quantity(0).is_err());
        assert!(quantity(51).is_err());
        assert_eq!(quantity(50).unwrap().get(), 50);
    }

    #[test]
    fn emails_and_countries() {
        assert!(email("a@b.co").is_ok());
        for bad in ["", "a@", "@b.co", "a b@c.de", "a@b", "a@@b.co"] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(country("ng").unwrap(), "NG");
        assert!(country("NGA").is_err());
    }
}
