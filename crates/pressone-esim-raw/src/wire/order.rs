//! The Submit order form, whose list fields travel as repeated keys.

use serde::{Deserialize, Serialize, Serializer};

/// The form body of Submit order.
///
/// Hand-written (the spec's `SubmitOrderRequest` component is replaced by this type) because
/// its list fields travel as repeated keys, `sharing_option[]=link&sharing_option[]=pdf`,
/// which the generated form encoding cannot produce. It serializes as a list of key/value
/// pairs, in the field order below; absent and empty fields are left out.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SubmitOrderRequest {
    /// Number of eSIMs, 1 to 50.
    pub quantity: std::num::NonZeroU64,
    /// Package `id` from Get packages.
    pub package_id: String,
    /// Order type; only `sim`.
    #[serde(rename = "type", default)]
    pub type_: SubmitOrderType,
    /// Free text, e.g. your internal order id; filterable with `filter[description]`.
    #[serde(default)]
    pub description: Option<String>,
    /// Brand configured in the partner platform; absent = default brand.
    #[serde(default)]
    pub brand_settings_name: Option<String>,
    /// E-mail the eSIM to this end-user address; needs `sharing_option`.
    #[serde(default)]
    pub to_email: Option<String>,
    /// How the eSIM is shared when `to_email` is set.
    #[serde(rename = "sharing_option[]", default)]
    pub sharing_option: Vec<SharingOption>,
    /// CC addresses when `to_email` is set.
    #[serde(rename = "copy_address[]", default)]
    pub copy_address: Vec<String>,
}

impl SubmitOrderRequest {
    /// An order of `quantity` eSIMs of `package_id` with no optional field set; set those with
    /// struct update syntax (`SubmitOrderRequest { description, ..SubmitOrderRequest::new(…) }`).
    pub fn new(package_id: impl Into<String>, quantity: std::num::NonZeroU64) -> Self {
        SubmitOrderRequest {
            quantity,
            package_id: package_id.into(),
            type_: SubmitOrderType::Sim,
            description: None,
            brand_settings_name: None,
            to_email: None,
            sharing_option: Vec::new(),
            copy_address: Vec::new(),
        }
    }
}

/// The order type of Submit order: only `sim`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubmitOrderType {
    /// A new eSIM.
    #[default]
    #[serde(rename = "sim")]
    Sim,
}

/// How an e-mailed eSIM is shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SharingOption {
    /// A link to the eSIMs Cloud page.
    #[serde(rename = "link")]
    Link,
    /// A PDF attachment.
    #[serde(rename = "pdf")]
    Pdf,
}

impl SharingOption {
    /// The value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            SharingOption::Link => "link",
            SharingOption::Pdf => "pdf",
        }
    }
}

impl Serialize for SubmitOrderRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let quantity = self.quantity.to_string();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("quantity", quantity.as_str()),
            ("package_id", self.package_id.as_str()),
            ("type", "sim"),
        ];
        let optional = [
            ("description", &self.description),
            ("brand_settings_name", &self.brand_settings_name),
            ("to_email", &self.to_email),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                pairs.push((key, value.as_str()));
            }
        }
        for option in &self.sharing_option {
            pairs.push(("sharing_option[]", option.as_str()));
        }
        for address in &self.copy_address {
            pairs.push(("copy_address[]", address.as_str()));
        }
        let mut seq = serializer.serialize_seq(Some(pairs.len()))?;
        for pair in pairs {
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}
