//! Installing eSIMs: activation codes, QR images and one-tap links straight from the domain
//! types (see the `pressone-esim-install` crate, re-exported as [`crate::install`]).

use pressone_esim_install::{
    ActivationCode, ActivationCodeError, InstallLinks, ManualInstallation,
};

use crate::models::{Esim, InstallationSteps, SharingPage};

/// The link-based ways to install an eSIM: the one-tap links built from its activation code,
/// and the eSIMs Cloud sharing page of its order when the order was shared.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct EsimInstallLinks {
    /// iOS 17.4+ universal link (`https://esimsetup.apple.com/…`).
    pub apple: String,
    /// Android link (`https://esimsetup.android.com/…`).
    pub android: String,
    /// The eSIMs Cloud sharing page with its access code, when the API sent one
    /// ([`Esim::sharing`]); `None` otherwise.
    pub sharing: Option<SharingPage>,
}

impl Esim {
    /// The eSIM's activation code: the API's `qrcode` string when present, else built from
    /// the SM-DP+ address and matching id.
    ///
    /// ```
    /// # fn run(esim: &pressone_esim::Esim) -> Result<(), pressone_esim::install::ActivationCodeError> {
    /// let code = esim.activation_code()?;
    /// println!("SM-DP+ {} code {}", code.smdp_address(), code.matching_id());
    /// # Ok(()) }
    /// ```
    pub fn activation_code(&self) -> Result<ActivationCode, ActivationCodeError> {
        match (&self.lpa, &self.smdp_address, &self.matching_id) {
            (Some(lpa), _, _) => lpa.parse(),
            (None, Some(smdp), Some(matching_id)) => ActivationCode::new(smdp, matching_id),
            // Let the parser say what is missing.
            (None, _, _) => "".parse(),
        }
    }

    /// What the user types for a manual installation.
    pub fn manual_installation(&self) -> Result<ManualInstallation, ActivationCodeError> {
        let code = self.activation_code()?;
        Ok(ManualInstallation::new(
            &code,
            self.confirmation_code.as_deref(),
        ))
    }

    /// One-tap installation links (the iOS link the API returned is preferred when it is a
    /// valid https link) and the eSIMs Cloud sharing page when the order was shared.
    pub fn install_links(&self) -> Result<EsimInstallLinks, ActivationCodeError> {
        let code = self.activation_code()?;
        let links = InstallLinks::with_api_apple_link(self.apple_install_url.as_deref(), &code);
        Ok(EsimInstallLinks {
            apple: links.apple,
            android: links.android,
            sharing: self.sharing.clone(),
        })
    }

    /// The activation code as a QR code, ready for SVG, PNG or the terminal.
    #[cfg(feature = "qr")]
    pub fn qr(
        &self,
        options: &crate::install::qr::QrOptions,
    ) -> Result<crate::install::qr::EsimQr, QrFailure> {
        let code = self.activation_code().map_err(QrFailure::Code)?;
        code.qr(options).map_err(QrFailure::Render)
    }
}

impl InstallationSteps {
    /// The activation code given with these instructions (`qr_code_data`).
    pub fn activation_code(&self) -> Option<Result<ActivationCode, ActivationCodeError>> {
        self.qr_code_data.as_deref().map(str::parse)
    }
}

/// Why a QR code could not be made.
#[cfg(feature = "qr")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrFailure {
    /// The eSIM has no valid activation code.
    #[error("no valid activation code: {0}")]
    Code(#[source] ActivationCodeError),
    /// The code could not be drawn.
    #[error("the QR code could not be drawn: {0}")]
    Render(#[source] crate::install::qr::QrError),
}

/// So `?` works from the installation helpers in a function returning [`crate::Result`]: a
/// value that is not a valid activation code, link or QR code is an
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) error (nothing was sent), with the
/// install kit's error as its source.
macro_rules! install_error_into_error {
    ($($(#[$attr:meta])* $ty:ty => $field:literal),* $(,)?) => {$(
        $(#[$attr])*
        impl From<$ty> for crate::Error {
            fn from(err: $ty) -> Self {
                crate::Error::invalid_input($field, err.to_string()).with_source(err)
            }
        }
    )*};
}

install_error_into_error! {
    ActivationCodeError => "activation_code",
    crate::install::LinkError => "link",
    #[cfg(feature = "qr")]
    crate::install::qr::QrError => "qr",
    #[cfg(feature = "qr")]
    QrFailure => "qr",
}
