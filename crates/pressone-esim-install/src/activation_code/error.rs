//! What can be wrong with an activation code, and where.

use std::fmt;

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
    pub(super) fn from_index(index: usize) -> Option<Self> {
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
    /// The input is longer than [`MAX_LEN`](super::MAX_LEN) bytes.
    #[error("activation code is {len} bytes long; at most {max} are accepted")]
    TooLong {
        /// Length of the input (or of the code being built), in bytes.
        len: usize,
        /// The cap, [`MAX_LEN`](super::MAX_LEN).
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
    /// More than [`MAX_FIELDS`](super::MAX_FIELDS) `$`-separated fields after the prefix.
    #[error(
        "activation code has {found} `$`-separated fields after `LPA:`; at most {max} are defined"
    )]
    TooManyFields {
        /// Number of fields found.
        found: usize,
        /// The maximum, [`MAX_FIELDS`](super::MAX_FIELDS).
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
