//! Validation of the parts of an activation code: builder parts, the SM-DP+ address (a host
//! name or IP address) and the SM-DP+ OID.

use super::*;

/// Rejects whitespace, control, non-ASCII characters and `$` in a part given to the builder.
pub(super) fn check_part(field: Field, part: &str) -> Result<(), ActivationCodeError> {
    match part
        .char_indices()
        .find(|&(_, ch)| !ch.is_ascii_graphic() || ch == '$')
    {
        Some((position, ch)) => Err(ActivationCodeError::InvalidCharacter {
            field,
            ch,
            position,
        }),
        None => Ok(()),
    }
}

pub(super) fn check_smdp_address(address: &str) -> Result<(), ActivationCodeError> {
    if address.is_empty() {
        return Err(ActivationCodeError::EmptySmdpAddress);
    }
    check_host(address).map_err(|reason| ActivationCodeError::InvalidSmdpAddress {
        address: address.to_owned(),
        reason,
    })
}

/// Validates a fully qualified host name (RFC 1035/1123 letters-digits-hyphen labels).
pub(crate) fn check_host(host: &str) -> Result<(), HostError> {
    if host.contains("://") {
        return Err(HostError::HasScheme);
    }
    if host.contains(':') {
        return Err(HostError::HasPort);
    }
    if host.len() > MAX_HOST_LEN {
        return Err(HostError::TooLong { len: host.len() });
    }
    let mut count = 0;
    let mut last = "";
    for (index, label) in host.split('.').enumerate() {
        if label.is_empty() {
            return Err(HostError::EmptyLabel { index });
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(HostError::LabelTooLong {
                label: label.to_owned(),
                len: label.len(),
            });
        }
        if let Some(ch) = label
            .chars()
            .find(|&ch| !(ch.is_ascii_alphanumeric() || ch == '-'))
        {
            return Err(HostError::InvalidLabelCharacter {
                label: label.to_owned(),
                ch,
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(HostError::HyphenAtLabelEdge {
                label: label.to_owned(),
            });
        }
        count += 1;
        last = label;
    }
    if count < 2 {
        return Err(HostError::SingleLabel);
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HostError::NumericTopLevelLabel {
            label: last.to_owned(),
        });
    }
    Ok(())
}

/// Validates a dotted-decimal object identifier (ITU-T X.660 arcs).
pub(super) fn check_oid(oid: &str) -> Result<(), OidError> {
    if oid.is_empty() {
        return Err(OidError::Empty);
    }
    let arcs: Vec<&str> = oid.split('.').collect();
    for (index, arc) in arcs.iter().enumerate() {
        if arc.is_empty() {
            return Err(OidError::EmptyArc { index });
        }
        if !arc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(OidError::NonNumericArc {
                index,
                arc: (*arc).to_owned(),
            });
        }
        if arc.len() > 1 && arc.starts_with('0') {
            return Err(OidError::LeadingZero {
                index,
                arc: (*arc).to_owned(),
            });
        }
    }
    let (first, second) = match arcs.as_slice() {
        [first, second, ..] => (*first, *second),
        _ => return Err(OidError::TooFewArcs),
    };
    if !matches!(first, "0" | "1" | "2") {
        return Err(OidError::InvalidFirstArc {
            arc: first.to_owned(),
        });
    }
    // No leading zeros, so anything of three digits or more is >= 100.
    let second_too_big = second.len() > 2 || second.parse::<u8>().map_or(true, |v| v >= 40);
    if first != "2" && second_too_big {
        return Err(OidError::SecondArcOutOfRange {
            arc: second.to_owned(),
        });
    }
    Ok(())
}
