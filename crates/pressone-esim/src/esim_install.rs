//! Installing eSIMs: activation codes, QR images and one-tap links straight from the domain
//! types (see the `pressone-esim-install` crate, re-exported as [`crate::install`]).

use pressone_esim_install::{
    ActivationCode, ActivationCodeError, InstallLinks, ManualInstallation,
};

use crate::models::{Esim, InstallationSteps};

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

    /// One-tap installation links; the iOS link the API returned is preferred when it is a
    /// valid https link.
    pub fn install_links(&self) -> Result<InstallLinks, ActivationCodeError> {
        let code = self.activation_code()?;
        Ok(InstallLinks::with_api_apple_link(
            self.apple_install_url.as_deref(),
            &code,
        ))
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
