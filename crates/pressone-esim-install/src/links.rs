//! One-tap ("direct") installation links for iOS and Android.
//!
//! Both links carry the LPA string in a `carddata` query parameter:
//!
//! * **Apple**: `https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=<LPA>`, a universal
//!   link that opens the iOS eSIM installer (iOS 17.4 and later). This is the API's
//!   `direct_apple_installation_url`; its examples leave `:` and `$` unescaped
//!   (`…?carddata=LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH`).
//! * **Android**: `https://esimsetup.android.com/esim_qrcode_provisioning?carddata=<LPA>`, the same
//!   shape on Google's host. The API does not return an Android link, and Google does not publish
//!   a reference for this URL that we could find: it is the form eSIM resellers use, handled by
//!   recent Android versions with up-to-date Google Play services (support varies by maker). The
//!   `LPA:` URI scheme on its own is *not* a registered Android deep link, so it is not offered.
//!   Always show the QR code and the manual-entry parts as well.
//!
//! Encoding of `carddata`: only what must be escaped is percent-encoded, so an ordinary code
//! (letters, digits, `-`, `.`) appears verbatim, as in the API's examples. Kept as is: ASCII
//! letters and digits and `-._~:$@/?!'()*,` (RFC 3986 allows them in a query). Escaped (`%XX`,
//! upper-case hex): `&`, `=` and `;` (query separators for many parsers), `+` (a space in form
//! decoding), `#`, `%`, and everything RFC 3986 forbids in a query (space, `"<>[\]^`{|}`, control
//! and non-ASCII bytes — none of which a valid [`ActivationCode`] contains).

use crate::ActivationCode;

/// Apple's direct-install endpoint; the link is this plus `?carddata=<LPA>`.
pub const APPLE_INSTALL_BASE: &str = "https://esimsetup.apple.com/esim_qrcode_provisioning";

/// Android's direct-install endpoint; the link is this plus `?carddata=<LPA>`.
pub const ANDROID_INSTALL_BASE: &str = "https://esimsetup.android.com/esim_qrcode_provisioning";

/// Why a link returned by the API was not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// The link is empty (or only whitespace).
    #[error("link is empty")]
    Empty,
    /// The link contains whitespace, a control character or a non-ASCII character.
    #[error("link contains {ch:?} at byte {position}")]
    InvalidCharacter {
        /// The character.
        ch: char,
        /// Its byte offset in the (trimmed) link.
        position: usize,
    },
    /// The link does not start with `https://`.
    #[error("link is not an https:// URL")]
    NotHttps,
    /// Nothing between `https://` and the path.
    #[error("link has no host")]
    MissingHost,
    /// The link has user information (`user@host`), which a direct-install link never needs.
    #[error("link has user information before the host")]
    HasUserInfo,
    /// The host is not a valid host name, or the port is not a number.
    #[error("link host {host:?} is not a valid host name")]
    InvalidHost {
        /// The authority part as found.
        host: String,
    },
}

/// Percent-encodes an LPA string for the `carddata` query parameter (see the
/// [module docs](self) for what is escaped).
///
/// ```
/// use pressone_esim_install::links::encode_carddata;
///
/// assert_eq!(encode_carddata("LPA:1$lpa.airalo.com$TEST"), "LPA:1$lpa.airalo.com$TEST");
/// assert_eq!(encode_carddata("LPA:1$a.example$A+B&C"), "LPA:1$a.example$A%2BB%26C");
/// ```
pub fn encode_carddata(lpa: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(lpa.len());
    for byte in lpa.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b':'
                    | b'$'
                    | b'@'
                    | b'/'
                    | b'?'
                    | b'!'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b','
            );
        if keep {
            out.push(char::from(byte));
        } else {
            out.push('%');
            for nibble in [byte >> 4, byte & 0x0f] {
                let digit = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
                out.push(char::from(digit));
            }
        }
    }
    out
}

/// Apple's one-tap install link for `code` (iOS 17.4+), built from its canonical LPA string.
///
/// ```
/// use pressone_esim_install::{apple_install_link, ActivationCode};
///
/// let code: ActivationCode = "LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH".parse()?;
/// assert_eq!(
///     apple_install_link(&code),
///     "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH",
/// );
/// # Ok::<(), pressone_esim_install::ActivationCodeError>(())
/// ```
pub fn apple_install_link(code: &ActivationCode) -> String {
    build_link(APPLE_INSTALL_BASE, code)
}

/// Android's one-tap install link for `code`, built from its canonical LPA string (see the
/// [module docs](self) for how far Android supports it).
pub fn android_install_link(code: &ActivationCode) -> String {
    build_link(ANDROID_INSTALL_BASE, code)
}

fn build_link(base: &str, code: &ActivationCode) -> String {
    format!(
        "{base}?carddata={}",
        encode_carddata(&code.to_canonical_string())
    )
}

/// Checks that a link returned by the API (e.g. `direct_apple_installation_url`) is a usable
/// `https://` URL, and returns it with surrounding whitespace trimmed.
///
/// The check is syntactic: `https://` scheme (any letter case), a valid host name with an
/// optional numeric port, no user information, and only printable ASCII. It does not require a
/// particular host, so a branded link from the API is accepted.
///
/// # Errors
///
/// A [`LinkError`] saying what is wrong.
pub fn validate_api_link(link: &str) -> Result<&str, LinkError> {
    let link = link.trim();
    if link.is_empty() {
        return Err(LinkError::Empty);
    }
    if let Some((position, ch)) = link.char_indices().find(|&(_, ch)| !ch.is_ascii_graphic()) {
        return Err(LinkError::InvalidCharacter { ch, position });
    }
    const SCHEME: &str = "https://";
    let rest = match (link.get(..SCHEME.len()), link.get(SCHEME.len()..)) {
        (Some(scheme), Some(rest)) if scheme.eq_ignore_ascii_case(SCHEME) => rest,
        _ => return Err(LinkError::NotHttps),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(LinkError::MissingHost);
    }
    if authority.contains('@') {
        return Err(LinkError::HasUserInfo);
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    if !port_ok || crate::activation_code::check_host(host).is_err() {
        return Err(LinkError::InvalidHost {
            host: authority.to_owned(),
        });
    }
    Ok(link)
}

/// The iOS install link to show: the API's own link when it returned a valid `https://` URL
/// (see [`validate_api_link`]), otherwise the one built by [`apple_install_link`].
///
/// The API returns only an Apple link (`direct_apple_installation_url`); for Android use
/// [`android_install_link`] or [`InstallLinks`].
///
/// The API's link is trusted as is: it is not compared with `code` (in Airalo's sandbox
/// examples it even points at a different code than the eSIM's `qrcode`).
pub fn prefer_api_link(api: Option<&str>, code: &ActivationCode) -> String {
    api.and_then(|link| validate_api_link(link).ok())
        .map_or_else(|| apple_install_link(code), str::to_owned)
}

/// Both one-tap install links for an eSIM.
///
/// ```
/// use pressone_esim_install::{ActivationCode, InstallLinks};
///
/// let code: ActivationCode = "LPA:1$lpa.airalo.com$TEST".parse()?;
/// let links = InstallLinks::new(&code);
/// assert_eq!(links.apple, "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$lpa.airalo.com$TEST");
/// assert_eq!(links.android, "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=LPA:1$lpa.airalo.com$TEST");
/// # Ok::<(), pressone_esim_install::ActivationCodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct InstallLinks {
    /// iOS 17.4+ universal link (`https://esimsetup.apple.com/…`).
    pub apple: String,
    /// Android link (`https://esimsetup.android.com/…`).
    pub android: String,
}

impl InstallLinks {
    /// Both links built from `code`.
    pub fn new(code: &ActivationCode) -> Self {
        Self {
            apple: apple_install_link(code),
            android: android_install_link(code),
        }
    }

    /// Both links, the Apple one taken from the API when valid (see [`prefer_api_link`]).
    pub fn with_api_apple_link(api_apple_link: Option<&str>, code: &ActivationCode) -> Self {
        Self {
            apple: prefer_api_link(api_apple_link, code),
            android: android_install_link(code),
        }
    }
}
