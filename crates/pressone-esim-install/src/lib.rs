//! # pressone-esim-install
//!
//! The eSIM installation kit of the pressone-esim SDK: everything needed to get an eSIM ordered
//! through the PressOne eSIM API (a white-label of Airalo's partner API) onto a phone.
//!
//! * [`ActivationCode`]: the GSMA SGP.22 activation code in its QR form, the "LPA string"
//!   (`LPA:1$<SM-DP+ address>$<matching ID>…`, the API's `qrcode` / `qr_code_data` field),
//!   parsed and validated strictly, with typed errors ([`ActivationCodeError`]).
//! * [`ManualInstallation`]: the SM-DP+ address, activation code and optional confirmation code
//!   a user types in by hand.
//! * [`InstallLinks`], [`apple_install_link`], [`android_install_link`], [`prefer_api_link`]:
//!   one-tap install links (`https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=…`
//!   and its Android counterpart).
//! * `qr` module (feature `qr`, on by default): QR codes as SVG, PNG or terminal text.
//!
//! ## Features
//!
//! `Serialize`/`Deserialize` (serde) are always implemented: [`ActivationCode`] as its LPA
//! string, [`ManualInstallation`] and [`InstallLinks`] as structs.
//!
//! * `qr` (default): the `qr` module. Without it the crate has no image or QR dependencies.
//!
//! ## Example
//!
//! ```
//! use pressone_esim_install::{prefer_api_link, ActivationCode, InstallLinks, ManualInstallation};
//!
//! // The `qrcode` field of an eSIM returned by Submit order / Get eSIM.
//! let code: ActivationCode = "LPA:1$lpa.airalo.com$TEST".parse()?;
//! assert_eq!(code.smdp_address(), "lpa.airalo.com");
//! assert_eq!(code.matching_id(), "TEST");
//!
//! // Manual entry, with the API's `confirmation_code` (null for most plans).
//! let manual = ManualInstallation::new(&code, None);
//! assert_eq!(manual.activation_code, "TEST");
//!
//! // One-tap links; for iOS, prefer the API's `direct_apple_installation_url` when present.
//! let links = InstallLinks::new(&code);
//! assert_eq!(
//!     links.apple,
//!     "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$lpa.airalo.com$TEST",
//! );
//! let ios = prefer_api_link(None, &code);
//! assert_eq!(ios, links.apple);
//!
//! // Bad strings say what is wrong.
//! let err = "LPA:1$lpa.airalo.com".parse::<ActivationCode>().unwrap_err();
//! assert_eq!(err.to_string(), "activation code has 2 `$`-separated field(s) after `LPA:`; \
//!     at least 3 are required (format, SM-DP+ address, matching ID)");
//!
//! // QR code (feature `qr`).
//! # #[cfg(feature = "qr")]
//! # {
//! use pressone_esim_install::qr::QrOptions;
//! let qr = code.qr(&QrOptions::default())?;
//! let svg = qr.to_svg();
//! let png = qr.to_png()?;
//! print!("{}", qr.to_terminal());
//! # assert!(svg.starts_with("<svg") && !png.is_empty());
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod activation_code;
pub mod links;
mod manual;
#[cfg(feature = "qr")]
pub mod qr;

pub use activation_code::{ActivationCode, ActivationCodeError, Field, HostError, OidError};
pub use links::{
    InstallLinks, LinkError, android_install_link, apple_install_link, prefer_api_link,
    validate_api_link,
};
pub use manual::ManualInstallation;
