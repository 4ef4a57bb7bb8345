//! ICCID helpers (Luhn check digit, ITU-T E.118).

/// Computes the Luhn check digit of a string of ASCII digits (non-digits are ignored).
pub fn luhn_check_digit(payload: &str) -> u8 {
    let mut sum = 0u32;
    // Walk from the right; the digit next to the (future) check digit is doubled.
    for (i, d) in payload
        .bytes()
        .rev()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .enumerate()
    {
        let v = if i % 2 == 0 {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
        sum += v;
    }
    ((10 - (sum % 10)) % 10) as u8
}

/// Appends the Luhn check digit to `payload`.
pub fn with_check_digit(payload: &str) -> String {
    format!("{payload}{}", luhn_check_digit(payload))
}

/// Whether `iccid` looks like a valid ICCID: 19 or 20 digits, starting with `89`, with a
/// correct Luhn check digit.
pub fn is_valid_iccid(iccid: &str) -> bool {
    if !(19..=20).contains(&iccid.len()) || !iccid.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if !iccid.starts_with("89") {
        return false;
    }
    let (payload, check) = iccid.split_at(iccid.len() - 1);
    check.as_bytes().first().map(|b| b - b'0') == Some(luhn_check_digit(payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Classic Luhn example: 7992739871 -> 3
        assert_eq!(luhn_check_digit("7992739871"), 3);
        assert!(is_valid_iccid(&with_check_digit("892341012345678901")));
        assert!(!is_valid_iccid("8923410123456789010"));
        assert!(!is_valid_iccid("12"));
    }
}
