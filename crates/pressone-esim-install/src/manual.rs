//! The parts a user types in when installing an eSIM by hand.

use crate::ActivationCode;

/// What a user enters on the phone to install the eSIM manually (iOS: "Enter Details Manually";
/// Android: "Enter code instead"): the SM-DP+ address, the activation code (the matching ID) and,
/// for the plans that need one, a confirmation code.
///
/// ```
/// use pressone_esim_install::{ActivationCode, ManualInstallation};
///
/// let code: ActivationCode = "LPA:1$lpa.airalo.com$TEST".parse()?;
/// let manual = ManualInstallation::new(&code, Some("5751"));
/// assert_eq!(manual.smdp_address, "lpa.airalo.com");
/// assert_eq!(manual.activation_code, "TEST");
/// assert_eq!(manual.confirmation_code.as_deref(), Some("5751"));
/// # Ok::<(), pressone_esim_install::ActivationCodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ManualInstallation {
    /// The SM-DP+ address, e.g. `lpa.airalo.com` (the API's `lpa`).
    pub smdp_address: String,
    /// The activation code to type: the matching ID (the API's `matching_id`).
    pub activation_code: String,
    /// The confirmation code, when the API gave one (its `confirmation_code` field).
    pub confirmation_code: Option<String>,
}

impl ManualInstallation {
    /// The manual-entry parts of `code`, plus the API's `confirmation_code` if any.
    ///
    /// A confirmation code that is empty or only whitespace is treated as absent; otherwise it
    /// is kept with surrounding whitespace trimmed.
    pub fn new(code: &ActivationCode, confirmation_code: Option<&str>) -> Self {
        Self {
            smdp_address: code.smdp_address().to_owned(),
            activation_code: code.matching_id().to_owned(),
            confirmation_code: confirmation_code
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
        }
    }

    /// Whether `code` asks for a confirmation code that this value does not have.
    ///
    /// Useful to warn before showing instructions that cannot be completed.
    pub fn lacks_required_confirmation_code(&self, code: &ActivationCode) -> bool {
        code.confirmation_code_required() && self.confirmation_code.is_none()
    }
}

impl From<&ActivationCode> for ManualInstallation {
    /// Same as [`ManualInstallation::new`] without a confirmation code.
    fn from(code: &ActivationCode) -> Self {
        Self::new(code, None)
    }
}
