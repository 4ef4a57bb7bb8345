//! The GSMA SGP.22 activation code ("LPA string"): parsing, validation and building.

use std::fmt;
use std::str::FromStr;

mod check;
mod error;

pub(crate) use check::check_host;
use check::{check_oid, check_part, check_smdp_address};
pub use error::{ActivationCodeError, Field, HostError, OidError};

/// Longest LPA string accepted, in bytes (all valid LPA strings are ASCII, so bytes = characters).
///
/// SGP.22 does not give one overall maximum for the activation code. 255 is this crate's cap: it
/// bounds the work done on untrusted input, it is far above any real code (the SM-DP+ address of
/// a real code is a host name of a few dozen characters and matching IDs are typically 4 to 40
/// characters), and a 255-byte string still fits comfortably in a QR code at error-correction
/// level H. The cap applies to the whole string, `LPA:` prefix included, both when parsing and
/// when building.
pub const MAX_LEN: usize = 255;

/// The prefix SGP.22 §4.1 requires when an activation code is carried in a QR code.
pub const LPA_PREFIX: &str = "LPA:";

/// The only activation code format (`AC_Format`) defined by SGP.22.
pub const AC_FORMAT: &str = "1";

/// Fewest `$`-separated fields after the prefix: format, SM-DP+ address, matching ID.
pub(crate) const MIN_FIELDS: usize = 3;

/// Most `$`-separated fields after the prefix: the three mandatory ones, SM-DP+ OID,
/// confirmation code required flag, and the two optional fields SGP.22 v3 appends.
pub const MAX_FIELDS: usize = 7;

/// Longest host name accepted as SM-DP+ address (RFC 1035 text form, without trailing dot).
pub(crate) const MAX_HOST_LEN: usize = 253;

/// Longest single DNS label (RFC 1035).
pub(crate) const MAX_LABEL_LEN: usize = 63;

/// A validated GSMA SGP.22 activation code in its QR form, the "LPA string":
///
/// ```text
/// LPA:1$<SM-DP+ address>$<matching ID>[$<SM-DP+ OID>[$<confirmation code required flag>[$<field 6>[$<field 7>]]]]
/// ```
///
/// What is accepted (SGP.22 §4.1, applied conservatively):
///
/// * the `LPA:` prefix, in any letter case (`lpa:` is accepted; [`Display`](fmt::Display)
///   writes `LPA:`);
/// * `AC_Format` exactly `1`;
/// * SM-DP+ address: a fully qualified host name (two or more labels of ASCII letters, digits
///   and inner `-`; no scheme, port, path, trailing dot, IP address or underscore);
/// * matching ID (`AC_Token`): printable ASCII except `$`; may be empty;
/// * SM-DP+ OID (optional): dotted decimal, e.g. `1.3.6.1.4.1.31746`; an empty field 4 means
///   "absent" (needed to reach field 5, as in `LPA:1$smdp.example.com$ABC$$1`);
/// * confirmation code required flag (optional): `1`, or empty for "absent"; anything else,
///   `0` included, is rejected;
/// * fields 6 and 7 (optional, SGP.22 v3: CI public key indicator and delete notification for
///   device change): kept verbatim as opaque printable ASCII, empty meaning absent;
/// * at most [`MAX_LEN`] bytes in all; no whitespace, control or non-ASCII characters anywhere.
///
/// The exact input text is kept: [`as_str`](Self::as_str) returns it unchanged, and it is what
/// the QR code encodes, so a QR code decodes to exactly the string the API returned.
/// [`Display`](fmt::Display) writes the canonical form: upper-case `LPA:` and no trailing empty
/// optional fields. For codes from the API the two are the same.
///
/// Equality and hashing compare the fields, not the original text, so `lpa:1$a.b$X` equals
/// `LPA:1$a.b$X`.
///
/// ```
/// use pressone_esim_install::ActivationCode;
///
/// let code: ActivationCode = "LPA:1$rsp-eu.simlessly.com$ABCD-1234$$1".parse()?;
/// assert_eq!(code.smdp_address(), "rsp-eu.simlessly.com");
/// assert_eq!(code.matching_id(), "ABCD-1234");
/// assert_eq!(code.smdp_oid(), None);
/// assert!(code.confirmation_code_required());
///
/// let built = ActivationCode::new("rsp-eu.simlessly.com", "ABCD-1234")?
///     .with_confirmation_code_required(true)?;
/// assert_eq!(built, code);
/// assert_eq!(built.to_string(), "LPA:1$rsp-eu.simlessly.com$ABCD-1234$$1");
/// # Ok::<(), pressone_esim_install::ActivationCodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ActivationCode {
    raw: String,
    smdp_address: String,
    matching_id: String,
    smdp_oid: Option<String>,
    confirmation_code_required: bool,
    ci_public_key_indicator: Option<String>,
    delete_notification_for_device_change: Option<String>,
}

impl ActivationCode {
    /// Builds `LPA:1$<smdp_address>$<matching_id>`, validating both parts.
    ///
    /// # Errors
    ///
    /// [`ActivationCodeError::EmptySmdpAddress`], [`ActivationCodeError::InvalidCharacter`]
    /// (whitespace, control or non-ASCII characters, or `$`),
    /// [`ActivationCodeError::InvalidSmdpAddress`] or [`ActivationCodeError::TooLong`].
    pub fn new(smdp_address: &str, matching_id: &str) -> Result<Self, ActivationCodeError> {
        check_part(Field::SmdpAddress, smdp_address)?;
        check_smdp_address(smdp_address)?;
        check_part(Field::MatchingId, matching_id)?;
        Self {
            raw: String::new(),
            smdp_address: smdp_address.to_owned(),
            matching_id: matching_id.to_owned(),
            smdp_oid: None,
            confirmation_code_required: false,
            ci_public_key_indicator: None,
            delete_notification_for_device_change: None,
        }
        .recanonicalize()
    }

    /// Sets the SM-DP+ OID (field 4), validating it.
    ///
    /// # Errors
    ///
    /// [`ActivationCodeError::InvalidCharacter`], [`ActivationCodeError::InvalidSmdpOid`] (an
    /// empty string included) or [`ActivationCodeError::TooLong`].
    pub fn with_smdp_oid(mut self, oid: &str) -> Result<Self, ActivationCodeError> {
        check_part(Field::SmdpOid, oid)?;
        check_oid(oid).map_err(|reason| ActivationCodeError::InvalidSmdpOid {
            oid: oid.to_owned(),
            reason,
        })?;
        self.smdp_oid = Some(oid.to_owned());
        self.recanonicalize()
    }

    /// Sets or clears the confirmation code required flag (field 5).
    ///
    /// # Errors
    ///
    /// [`ActivationCodeError::TooLong`] if setting the flag pushes the string over [`MAX_LEN`].
    pub fn with_confirmation_code_required(
        mut self,
        required: bool,
    ) -> Result<Self, ActivationCodeError> {
        self.confirmation_code_required = required;
        self.recanonicalize()
    }

    /// The LPA string exactly as it was parsed (or, for a built code, its canonical form).
    ///
    /// This is the text the QR code encodes.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The SM-DP+ address (field 2), e.g. `lpa.airalo.com`: the API's `lpa` field.
    pub fn smdp_address(&self) -> &str {
        &self.smdp_address
    }

    /// The matching ID (field 3, `AC_Token`): the API's `matching_id`, and what users type as
    /// "activation code" when installing manually. May be empty.
    pub fn matching_id(&self) -> &str {
        &self.matching_id
    }

    /// The SM-DP+ OID (field 4), if present.
    pub fn smdp_oid(&self) -> Option<&str> {
        self.smdp_oid.as_deref()
    }

    /// Whether the user must enter a confirmation code (field 5 is `1`).
    pub fn confirmation_code_required(&self) -> bool {
        self.confirmation_code_required
    }

    /// Field 6 (SGP.22 v3, CI public key indicator), verbatim, if present.
    pub fn ci_public_key_indicator(&self) -> Option<&str> {
        self.ci_public_key_indicator.as_deref()
    }

    /// Field 7 (SGP.22 v3, delete notification for device change), verbatim, if present.
    pub fn delete_notification_for_device_change(&self) -> Option<&str> {
        self.delete_notification_for_device_change.as_deref()
    }

    /// The canonical LPA string (same as [`to_string`](ToString::to_string)).
    pub fn to_canonical_string(&self) -> String {
        let mut out = String::with_capacity(self.raw.len().max(16));
        out.push_str(LPA_PREFIX);
        out.push_str(AC_FORMAT);
        out.push('$');
        out.push_str(&self.smdp_address);
        out.push('$');
        out.push_str(&self.matching_id);
        let tail = [
            self.smdp_oid.as_deref(),
            self.confirmation_code_required.then_some("1"),
            self.ci_public_key_indicator.as_deref(),
            self.delete_notification_for_device_change.as_deref(),
        ];
        if let Some(last) = tail.iter().rposition(Option::is_some) {
            for field in tail.iter().take(last + 1) {
                out.push('$');
                out.push_str(field.unwrap_or(""));
            }
        }
        out
    }

    /// Whether [`as_str`](Self::as_str) is already the canonical form.
    pub fn is_canonical(&self) -> bool {
        self.raw == self.to_canonical_string()
    }

    /// Replaces the kept text by the canonical form and checks the length cap.
    fn recanonicalize(mut self) -> Result<Self, ActivationCodeError> {
        let canonical = self.to_canonical_string();
        if canonical.len() > MAX_LEN {
            return Err(ActivationCodeError::TooLong {
                len: canonical.len(),
                max: MAX_LEN,
            });
        }
        self.raw = canonical;
        Ok(self)
    }

    /// Parses and validates an LPA string. Same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// Any [`ActivationCodeError`], the first problem found, checked in this order: empty, too
    /// long, prefix, number of fields, characters, format, SM-DP+ address, OID, flag.
    pub fn parse(input: &str) -> Result<Self, ActivationCodeError> {
        if input.is_empty() {
            return Err(ActivationCodeError::Empty);
        }
        if input.len() > MAX_LEN {
            return Err(ActivationCodeError::TooLong {
                len: input.len(),
                max: MAX_LEN,
            });
        }
        let body = match (input.get(..LPA_PREFIX.len()), input.get(LPA_PREFIX.len()..)) {
            (Some(prefix), Some(body)) if prefix.eq_ignore_ascii_case(LPA_PREFIX) => body,
            _ => return Err(ActivationCodeError::MissingPrefix),
        };

        let fields: Vec<&str> = body.split('$').collect();
        if fields.len() < MIN_FIELDS {
            return Err(ActivationCodeError::TooFewFields {
                found: fields.len(),
            });
        }
        if fields.len() > MAX_FIELDS {
            return Err(ActivationCodeError::TooManyFields {
                found: fields.len(),
                max: MAX_FIELDS,
            });
        }

        // Characters, field by field, reporting the byte offset in the whole input.
        let mut offset = LPA_PREFIX.len();
        for (index, text) in fields.iter().enumerate() {
            if let Some((at, ch)) = text.char_indices().find(|&(_, ch)| !ch.is_ascii_graphic()) {
                return Err(ActivationCodeError::InvalidCharacter {
                    field: Field::from_index(index).unwrap_or(Field::Format),
                    ch,
                    position: offset + at,
                });
            }
            offset += text.len() + 1;
        }

        let mut fields = fields.into_iter();
        let format = fields.next().unwrap_or("");
        let smdp_address = fields.next().unwrap_or("");
        let matching_id = fields.next().unwrap_or("");
        let oid = fields.next().filter(|f| !f.is_empty());
        let flag = fields.next().unwrap_or("");
        let ci = fields.next().filter(|f| !f.is_empty());
        let delete_notification = fields.next().filter(|f| !f.is_empty());

        if format != AC_FORMAT {
            return Err(ActivationCodeError::UnsupportedFormat {
                found: format.to_owned(),
            });
        }
        check_smdp_address(smdp_address)?;
        if let Some(oid) = oid {
            check_oid(oid).map_err(|reason| ActivationCodeError::InvalidSmdpOid {
                oid: oid.to_owned(),
                reason,
            })?;
        }
        let confirmation_code_required = match flag {
            "" => false,
            "1" => true,
            other => {
                return Err(ActivationCodeError::InvalidConfirmationCodeFlag {
                    found: other.to_owned(),
                });
            }
        };

        Ok(Self {
            raw: input.to_owned(),
            smdp_address: smdp_address.to_owned(),
            matching_id: matching_id.to_owned(),
            smdp_oid: oid.map(str::to_owned),
            confirmation_code_required,
            ci_public_key_indicator: ci.map(str::to_owned),
            delete_notification_for_device_change: delete_notification.map(str::to_owned),
        })
    }

    /// Field values compared by `PartialEq` and `Hash`.
    #[allow(clippy::type_complexity)]
    fn key(&self) -> (&str, &str, Option<&str>, bool, Option<&str>, Option<&str>) {
        (
            &self.smdp_address,
            &self.matching_id,
            self.smdp_oid.as_deref(),
            self.confirmation_code_required,
            self.ci_public_key_indicator.as_deref(),
            self.delete_notification_for_device_change.as_deref(),
        )
    }
}

impl FromStr for ActivationCode {
    type Err = ActivationCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for ActivationCode {
    type Error = ActivationCodeError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl TryFrom<String> for ActivationCode {
    type Error = ActivationCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl fmt::Display for ActivationCode {
    /// Writes the canonical LPA string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical_string())
    }
}

impl AsRef<str> for ActivationCode {
    /// The text as parsed, see [`ActivationCode::as_str`].
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for ActivationCode {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for ActivationCode {}

impl std::hash::Hash for ActivationCode {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

mod serde_impl {
    use super::ActivationCode;
    use serde::de::{self, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::fmt;

    impl Serialize for ActivationCode {
        /// Serializes as the LPA string exactly as parsed ([`ActivationCode::as_str`]).
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }

    struct LpaVisitor;

    impl Visitor<'_> for LpaVisitor {
        type Value = ActivationCode;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an LPA string such as \"LPA:1$smdp.example.com$MATCHINGID\"")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            ActivationCode::parse(v).map_err(E::custom)
        }
    }

    impl<'de> Deserialize<'de> for ActivationCode {
        /// Deserializes from a string, validated like [`ActivationCode::parse`].
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_str(LpaVisitor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_numbers_match_indices() {
        for index in 0..MAX_FIELDS {
            let field = Field::from_index(index);
            assert_eq!(field.map(Field::number), Some(index + 1));
        }
        assert_eq!(Field::from_index(MAX_FIELDS), None);
    }

    #[test]
    fn oid_rules() {
        assert_eq!(check_oid("1.3.6.1.4.1.31746"), Ok(()));
        assert_eq!(check_oid("2.999"), Ok(()));
        assert_eq!(check_oid("0.39"), Ok(()));
        assert!(matches!(
            check_oid("1.40"),
            Err(OidError::SecondArcOutOfRange { .. })
        ));
        assert!(matches!(
            check_oid("1.400"),
            Err(OidError::SecondArcOutOfRange { .. })
        ));
    }

    #[test]
    fn fqdn_rules() {
        assert_eq!(check_host("RSP-3088.IDEMIA.IO"), Ok(()));
        assert_eq!(check_host("a.b"), Ok(()));
        assert_eq!(
            check_host("1.2.3.4"),
            Err(HostError::NumericTopLevelLabel { label: "4".into() })
        );
        assert_eq!(
            check_host("smdp.example.com/"),
            Err(HostError::InvalidLabelCharacter {
                label: "com/".into(),
                ch: '/'
            })
        );
    }
}
