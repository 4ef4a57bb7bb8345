//! The GSMA SGP.22 activation code ("LPA string"): parsing, validation and building.

use std::fmt;
use std::str::FromStr;

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
const MIN_FIELDS: usize = 3;

/// Most `$`-separated fields after the prefix: the three mandatory ones, SM-DP+ OID,
/// confirmation code required flag, and the two optional fields SGP.22 v3 appends.
pub const MAX_FIELDS: usize = 7;

/// Longest host name accepted as SM-DP+ address (RFC 1035 text form, without trailing dot).
const MAX_HOST_LEN: usize = 253;

/// Longest single DNS label (RFC 1035).
const MAX_LABEL_LEN: usize = 63;

/// One of the `$`-separated fields of an activation code, used to say where an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// Field 1, `AC_Format` (always `1`).
    Format,
    /// Field 2, the SM-DP+ address (a fully qualified domain name).
    SmdpAddress,
    /// Field 3, `AC_Token`: the matching ID (may be empty).
    MatchingId,
    /// Field 4, the optional SM-DP+ OID.
    SmdpOid,
    /// Field 5, the optional confirmation code required flag (`1` when required).
    ConfirmationCodeRequiredFlag,
    /// Field 6, optional (SGP.22 v3): CI public key indicator.
    CiPublicKeyIndicator,
    /// Field 7, optional (SGP.22 v3): delete notification for device change.
    DeleteNotificationForDeviceChange,
}

impl Field {
    /// The field at `index` (0-based, after the `LPA:` prefix), if there is one.
    fn from_index(index: usize) -> Option<Self> {
        Some(match index {
            0 => Self::Format,
            1 => Self::SmdpAddress,
            2 => Self::MatchingId,
            3 => Self::SmdpOid,
            4 => Self::ConfirmationCodeRequiredFlag,
            5 => Self::CiPublicKeyIndicator,
            6 => Self::DeleteNotificationForDeviceChange,
            _ => return None,
        })
    }

    /// The 1-based field number as SGP.22 lists them.
    pub fn number(self) -> usize {
        match self {
            Self::Format => 1,
            Self::SmdpAddress => 2,
            Self::MatchingId => 3,
            Self::SmdpOid => 4,
            Self::ConfirmationCodeRequiredFlag => 5,
            Self::CiPublicKeyIndicator => 6,
            Self::DeleteNotificationForDeviceChange => 7,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::Format => "format, AC_Format",
            Self::SmdpAddress => "SM-DP+ address",
            Self::MatchingId => "matching ID, AC_Token",
            Self::SmdpOid => "SM-DP+ OID",
            Self::ConfirmationCodeRequiredFlag => "confirmation code required flag",
            Self::CiPublicKeyIndicator => "CI public key indicator",
            Self::DeleteNotificationForDeviceChange => "delete notification for device change",
        };
        write!(f, "field {} ({name})", self.number())
    }
}

/// Why an activation code (LPA string) or one of its parts was rejected.
///
/// Messages never repeat the matching ID: it is what lets anyone download the profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivationCodeError {
    /// The input is the empty string.
    #[error("activation code is empty")]
    Empty,
    /// The input is longer than [`MAX_LEN`] bytes.
    #[error("activation code is {len} bytes long; at most {max} are accepted")]
    TooLong {
        /// Length of the input (or of the code being built), in bytes.
        len: usize,
        /// The cap, [`MAX_LEN`].
        max: usize,
    },
    /// The input does not start with `LPA:` (in any letter case).
    #[error("activation code does not start with the `LPA:` prefix")]
    MissingPrefix,
    /// Fewer than 3 `$`-separated fields after the prefix.
    #[error(
        "activation code has {found} `$`-separated field(s) after `LPA:`; \
         at least 3 are required (format, SM-DP+ address, matching ID)"
    )]
    TooFewFields {
        /// Number of fields found.
        found: usize,
    },
    /// More than [`MAX_FIELDS`] `$`-separated fields after the prefix.
    #[error(
        "activation code has {found} `$`-separated fields after `LPA:`; at most {max} are defined"
    )]
    TooManyFields {
        /// Number of fields found.
        found: usize,
        /// The maximum, [`MAX_FIELDS`].
        max: usize,
    },
    /// A character that may not appear in an activation code: whitespace, a control character,
    /// anything outside printable ASCII, or a `$` inside a part given to the builder.
    #[error("invalid character {ch:?} in {field} at byte {position}")]
    InvalidCharacter {
        /// The field holding the character.
        field: Field,
        /// The character.
        ch: char,
        /// Byte offset of the character: in the whole LPA string when parsing, in the part
        /// passed in when building.
        position: usize,
    },
    /// `AC_Format` is not `1`.
    #[error("unsupported activation code format {found:?} in field 1; SGP.22 defines only \"1\"")]
    UnsupportedFormat {
        /// The format field as found.
        found: String,
    },
    /// The SM-DP+ address is empty.
    #[error("SM-DP+ address (field 2) is empty")]
    EmptySmdpAddress,
    /// The SM-DP+ address is not a fully qualified domain name.
    #[error("SM-DP+ address {address:?} (field 2) is not a valid FQDN: {reason}")]
    InvalidSmdpAddress {
        /// The address as found.
        address: String,
        /// What is wrong with it.
        reason: HostError,
    },
    /// The SM-DP+ OID is not a dotted-decimal object identifier.
    #[error("SM-DP+ OID {oid:?} (field 4) is not a valid object identifier: {reason}")]
    InvalidSmdpOid {
        /// The OID as found.
        oid: String,
        /// What is wrong with it.
        reason: OidError,
    },
    /// The confirmation code required flag is present but not `1`.
    #[error("confirmation code required flag (field 5) must be \"1\" or empty, found {found:?}")]
    InvalidConfirmationCodeFlag {
        /// The flag field as found.
        found: String,
    },
}

/// Why an SM-DP+ address is not a valid fully qualified domain name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// It looks like a URL (`https://…`); SGP.22 wants the bare host name.
    #[error("it has a URL scheme; give the bare host name")]
    HasScheme,
    /// It contains a `:` (a port, or an IPv6 address).
    #[error("it contains `:`; ports and IPv6 addresses are not allowed")]
    HasPort,
    /// Longer than 253 bytes.
    #[error("it is {len} bytes long; a host name has at most 253")]
    TooLong {
        /// Length in bytes.
        len: usize,
    },
    /// An empty label: a leading, trailing or doubled `.`.
    #[error("label {index} is empty (leading, trailing or doubled `.`)")]
    EmptyLabel {
        /// 0-based index of the label.
        index: usize,
    },
    /// A label longer than 63 bytes.
    #[error("label {label:?} is {len} bytes long; a label has at most 63")]
    LabelTooLong {
        /// The label.
        label: String,
        /// Its length in bytes.
        len: usize,
    },
    /// A label holds something other than ASCII letters, digits and `-`.
    #[error("label {label:?} contains {ch:?}; only ASCII letters, digits and `-` are allowed")]
    InvalidLabelCharacter {
        /// The label.
        label: String,
        /// The offending character.
        ch: char,
    },
    /// A label starts or ends with `-`.
    #[error("label {label:?} starts or ends with `-`")]
    HyphenAtLabelEdge {
        /// The label.
        label: String,
    },
    /// Only one label (`localhost`): not fully qualified.
    #[error(
        "it has a single label; a fully qualified name has at least two (e.g. `smdp.example.com`)"
    )]
    SingleLabel,
    /// The last label is all digits, as in an IPv4 address.
    #[error("its last label {label:?} is all digits; IP addresses are not accepted")]
    NumericTopLevelLabel {
        /// The last label.
        label: String,
    },
}

/// Why an SM-DP+ OID is not a valid dotted-decimal object identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OidError {
    /// The OID is the empty string (only possible through the builder; when parsing, an empty
    /// field 4 means "no OID").
    #[error("it is empty")]
    Empty,
    /// Fewer than two arcs.
    #[error("it has a single arc; an OID has at least two (e.g. `1.3.6.1.4.1.31746`)")]
    TooFewArcs,
    /// An empty arc: a leading, trailing or doubled `.`.
    #[error("arc {index} is empty (leading, trailing or doubled `.`)")]
    EmptyArc {
        /// 0-based index of the arc.
        index: usize,
    },
    /// An arc that is not a decimal number.
    #[error("arc {index} ({arc:?}) is not a decimal number")]
    NonNumericArc {
        /// 0-based index of the arc.
        index: usize,
        /// The arc.
        arc: String,
    },
    /// An arc with a superfluous leading zero.
    #[error("arc {index} ({arc:?}) has a leading zero")]
    LeadingZero {
        /// 0-based index of the arc.
        index: usize,
        /// The arc.
        arc: String,
    },
    /// The first arc is not 0, 1 or 2.
    #[error("the first arc must be 0, 1 or 2, found {arc:?}")]
    InvalidFirstArc {
        /// The first arc.
        arc: String,
    },
    /// The first arc is 0 or 1 and the second is 40 or more (X.660).
    #[error("the second arc must be below 40 when the first is 0 or 1, found {arc:?}")]
    SecondArcOutOfRange {
        /// The second arc.
        arc: String,
    },
}

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

/// Rejects whitespace, control, non-ASCII characters and `$` in a part given to the builder.
fn check_part(field: Field, part: &str) -> Result<(), ActivationCodeError> {
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

fn check_smdp_address(address: &str) -> Result<(), ActivationCodeError> {
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
fn check_oid(oid: &str) -> Result<(), OidError> {
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
