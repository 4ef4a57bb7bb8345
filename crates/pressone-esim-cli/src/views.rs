//! What the CLI prints: serializable views of the SDK's models (money as exact strings,
//! timestamps in RFC 3339), each with its table form.

use pressone_esim::{
    AvailableNumber, Balance, CatalogEntry, DataAllowance, Device, Esim, InstallationSteps,
    Instructions, Order, Package, PackageHistoryEntry, Usage, VoiceUser,
};
use serde::Serialize;

use crate::output::{Fields, Row, cell, money, money_opt, short_time, timestamp_opt};

/// One account balance.
#[derive(Debug, Serialize)]
pub struct BalanceView {
    /// The account's name.
    pub name: Option<String>,
    /// The amount, exact.
    pub amount: String,
    /// The currency.
    pub currency: Option<String>,
}

impl From<&Balance> for BalanceView {
    fn from(b: &Balance) -> Self {
        BalanceView {
            name: b.name.clone(),
            amount: money(b.amount),
            currency: b.currency.clone(),
        }
    }
}

impl Row for BalanceView {
    fn headers() -> &'static [&'static str] {
        &["Account", "Amount", "Currency"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.name.as_deref()),
            self.amount.clone(),
            cell(self.currency.as_deref()),
        ]
    }
}

/// A device that supports eSIMs.
#[derive(Debug, Serialize)]
pub struct DeviceView {
    /// `ios` or `android`.
    pub os: String,
    /// The brand.
    pub brand: String,
    /// The model name.
    pub name: String,
    /// The model code.
    pub model: Option<String>,
}

impl From<&Device> for DeviceView {
    fn from(d: &Device) -> Self {
        DeviceView {
            os: d.os.to_string(),
            brand: d.brand.clone(),
            name: d.name.clone(),
            model: d.model.clone(),
        }
    }
}

impl Row for DeviceView {
    fn headers() -> &'static [&'static str] {
        &["OS", "Brand", "Name", "Model"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.os.clone(),
            self.brand.clone(),
            self.name.clone(),
            cell(self.model.as_deref()),
        ]
    }
}

fn data_mb(data: DataAllowance) -> (Option<i64>, bool) {
    match data {
        DataAllowance::Unlimited => (None, true),
        DataAllowance::Limited { mb } => (Some(mb), false),
    }
}

/// A package of the catalogue, with where it comes from.
#[derive(Debug, Serialize)]
pub struct PackageView {
    /// The id to order with.
    pub id: String,
    /// `sim` or `topup`.
    pub kind: String,
    /// The title.
    pub title: String,
    /// The allowance as worded by the vendor.
    pub data: String,
    /// Megabytes (`null` when unlimited).
    pub data_mb: Option<i64>,
    /// Whether data is unlimited.
    pub unlimited: bool,
    /// Validity in days.
    pub validity_days: i64,
    /// Voice minutes.
    pub voice_minutes: Option<i64>,
    /// SMS.
    pub sms: Option<i64>,
    /// Suggested retail price (USD).
    pub price: Option<String>,
    /// What the partner pays (USD).
    pub net_price: Option<String>,
    /// The catalogue entry's slug (country or region).
    pub entry: String,
    /// The entry's title.
    pub entry_title: String,
    /// The country code of local entries.
    pub country_code: Option<String>,
    /// The operator.
    pub operator: String,
    /// `local` or `global`.
    pub operator_kind: String,
    /// `data` or `voice-text`.
    pub plan_type: String,
    /// Whether its eSIMs can be topped up.
    pub rechargeable: bool,
}

impl PackageView {
    /// Every package of the entries, in catalogue order.
    pub fn from_entries(entries: &[CatalogEntry]) -> Vec<PackageView> {
        let mut out = Vec::new();
        for entry in entries {
            for op in &entry.operators {
                for p in &op.packages {
                    let (data_mb, unlimited) = data_mb(p.data);
                    out.push(PackageView {
                        id: p.id.clone(),
                        kind: p.kind.to_string(),
                        title: p.title.clone(),
                        data: p.data_label.clone(),
                        data_mb,
                        unlimited,
                        validity_days: p.validity_days,
                        voice_minutes: p.voice_minutes,
                        sms: p.sms,
                        price: money_opt(p.price),
                        net_price: money_opt(p.net_price),
                        entry: entry.slug.clone(),
                        entry_title: entry.title.clone(),
                        country_code: entry.country_code.clone(),
                        operator: op.title.clone(),
                        operator_kind: op.kind.to_string(),
                        plan_type: op.plan_type.to_string(),
                        rechargeable: op.rechargeable,
                    });
                }
            }
        }
        out
    }
}

impl Row for PackageView {
    fn headers() -> &'static [&'static str] {
        &[
            "Package", "Where", "Operator", "Type", "Data", "Days", "Price", "Net",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.entry_title.clone(),
            self.operator.clone(),
            self.kind.clone(),
            self.data.clone(),
            self.validity_days.to_string(),
            cell(self.price.as_deref()),
            cell(self.net_price.as_deref()),
        ]
    }
}

/// A top-up package offered for an eSIM.
#[derive(Debug, Serialize)]
pub struct TopupView {
    /// The id to order with.
    pub id: String,
    /// The title.
    pub title: String,
    /// The allowance as worded by the vendor.
    pub data: String,
    /// Megabytes (`null` when unlimited).
    pub data_mb: Option<i64>,
    /// Whether data is unlimited.
    pub unlimited: bool,
    /// Validity in days.
    pub validity_days: i64,
    /// Voice minutes.
    pub voice_minutes: Option<i64>,
    /// SMS.
    pub sms: Option<i64>,
    /// Suggested retail price (USD).
    pub price: Option<String>,
    /// What the partner pays (USD).
    pub net_price: Option<String>,
}

impl From<&Package> for TopupView {
    fn from(p: &Package) -> Self {
        let (data_mb, unlimited) = data_mb(p.data);
        TopupView {
            id: p.id.clone(),
            title: p.title.clone(),
            data: p.data_label.clone(),
            data_mb,
            unlimited,
            validity_days: p.validity_days,
            voice_minutes: p.voice_minutes,
            sms: p.sms,
            price: money_opt(p.price),
            net_price: money_opt(p.net_price),
        }
    }
}

impl Row for TopupView {
    fn headers() -> &'static [&'static str] {
        &["Package", "Title", "Data", "Days", "Price", "Net"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.title.clone(),
            self.data.clone(),
            self.validity_days.to_string(),
            cell(self.price.as_deref()),
            cell(self.net_price.as_deref()),
        ]
    }
}

/// The order an eSIM belongs to, in short.
#[derive(Debug, Serialize)]
pub struct OrderRef {
    /// The order id.
    pub id: i64,
    /// The order code.
    pub code: Option<String>,
    /// The package.
    pub package_id: String,
    /// The order status.
    pub status: Option<String>,
}

/// An eSIM.
#[derive(Debug, Serialize)]
pub struct EsimView {
    /// The ICCID.
    pub iccid: String,
    /// The internal id.
    pub id: Option<i64>,
    /// When it was created.
    pub created_at: Option<String>,
    /// The SM-DP+ address.
    pub smdp_address: Option<String>,
    /// The matching id (activation code for manual entry).
    pub matching_id: Option<String>,
    /// The full activation code (`LPA:1$…`).
    pub lpa: Option<String>,
    /// A hosted QR image.
    pub qrcode_url: Option<String>,
    /// The iOS one-tap installation link.
    pub apple_install_url: Option<String>,
    /// A confirmation code, when needed.
    pub confirmation_code: Option<String>,
    /// `automatic` or `manual`.
    pub apn_type: Option<String>,
    /// The APN to enter when manual.
    pub apn_value: Option<String>,
    /// Whether data roaming must be on.
    pub is_roaming: Option<bool>,
    /// The phone number of voice plans.
    pub msisdn: Option<String>,
    /// Whether the profile was recycled.
    pub recycled: bool,
    /// When it was recycled.
    pub recycled_at: Option<String>,
    /// Its order, when the response included it.
    pub order: Option<OrderRef>,
}

impl From<&Esim> for EsimView {
    fn from(e: &Esim) -> Self {
        EsimView {
            iccid: e.iccid.clone(),
            id: e.id,
            created_at: timestamp_opt(e.created_at.as_ref()),
            smdp_address: e.smdp_address.clone(),
            matching_id: e.matching_id.clone(),
            lpa: e.lpa.clone(),
            qrcode_url: e.qrcode_url.clone(),
            apple_install_url: e.apple_install_url.clone(),
            confirmation_code: e.confirmation_code.clone(),
            apn_type: e.apn.apn_type.as_ref().map(ToString::to_string),
            apn_value: e.apn.apn_value.clone(),
            is_roaming: e.is_roaming,
            msisdn: e.msisdn.clone(),
            recycled: e.recycled,
            recycled_at: timestamp_opt(e.recycled_at.as_ref()),
            order: e.order.as_deref().map(|o| OrderRef {
                id: o.id,
                code: o.code.clone(),
                package_id: o.package_id.clone(),
                status: o.status.as_ref().map(ToString::to_string),
            }),
        }
    }
}

impl Row for EsimView {
    fn headers() -> &'static [&'static str] {
        &["ICCID", "Created", "Package", "Order", "Recycled"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.iccid.clone(),
            short_time(self.created_at.as_deref()),
            cell(self.order.as_ref().map(|o| o.package_id.as_str())),
            cell(self.order.as_ref().map(|o| o.id)),
            yes_no(self.recycled),
        ]
    }
}

impl Fields for EsimView {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("ICCID", self.iccid.clone()),
            ("Created", opt(&self.created_at)),
            (
                "Order",
                self.order
                    .as_ref()
                    .map(|o| match &o.code {
                        Some(code) => format!("{} ({code})", o.id),
                        None => o.id.to_string(),
                    })
                    .unwrap_or_default(),
            ),
            (
                "Package",
                self.order
                    .as_ref()
                    .map(|o| o.package_id.clone())
                    .unwrap_or_default(),
            ),
            ("SM-DP+ address", opt(&self.smdp_address)),
            ("Matching id", opt(&self.matching_id)),
            ("Activation code", opt(&self.lpa)),
            ("Confirmation code", opt(&self.confirmation_code)),
            ("APN", apn(&self.apn_type, &self.apn_value)),
            ("Roaming", self.is_roaming.map(yes_no).unwrap_or_default()),
            ("Phone number", opt(&self.msisdn)),
            ("Recycled", yes_no(self.recycled)),
        ]
    }
}

fn apn(kind: &Option<String>, value: &Option<String>) -> String {
    match (kind, value) {
        (Some(k), Some(v)) => format!("{k} ({v})"),
        (Some(k), None) => k.clone(),
        (None, Some(v)) => v.clone(),
        (None, None) => String::new(),
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// An order (of eSIMs or a top-up).
#[derive(Debug, Serialize)]
pub struct OrderView {
    /// The id.
    pub id: i64,
    /// The order code.
    pub code: Option<String>,
    /// `sim` or `topup`.
    pub kind: String,
    /// The status.
    pub status: Option<String>,
    /// The package ordered.
    pub package_id: String,
    /// The package's name.
    pub package_name: Option<String>,
    /// How many eSIMs.
    pub quantity: i64,
    /// The partner's reference.
    pub description: Option<String>,
    /// The price.
    pub price: Option<String>,
    /// What the partner paid per unit.
    pub net_price: Option<String>,
    /// The currency.
    pub currency: Option<String>,
    /// The pricing model.
    pub pricing_model: Option<String>,
    /// Validity in days.
    pub validity_days: Option<i64>,
    /// The allowance as worded by the vendor.
    pub data: Option<String>,
    /// When it was placed.
    pub created_at: Option<String>,
    /// The eSIMs.
    pub esims: Vec<EsimView>,
}

impl From<&Order> for OrderView {
    fn from(o: &Order) -> Self {
        OrderView {
            id: o.id,
            code: o.code.clone(),
            kind: o.kind.to_string(),
            status: o.status.as_ref().map(ToString::to_string),
            package_id: o.package_id.clone(),
            package_name: o.package_name.clone(),
            quantity: o.quantity,
            description: o.description.clone(),
            price: money_opt(o.price),
            net_price: money_opt(o.net_price),
            currency: o.currency.clone(),
            pricing_model: o.pricing_model.as_ref().map(ToString::to_string),
            validity_days: o.validity_days,
            data: o.data_label.clone(),
            created_at: timestamp_opt(o.created_at.as_ref()),
            esims: o.esims.iter().map(EsimView::from).collect(),
        }
    }
}

impl Row for OrderView {
    fn headers() -> &'static [&'static str] {
        &[
            "ID", "Code", "Type", "Status", "Package", "Qty", "Price", "Created",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            cell(self.code.as_deref()),
            self.kind.clone(),
            cell(self.status.as_deref()),
            self.package_id.clone(),
            self.quantity.to_string(),
            price_with_currency(&self.price, &self.currency),
            short_time(self.created_at.as_deref()),
        ]
    }
}

impl Fields for OrderView {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut fields = vec![
            ("Order", self.id.to_string()),
            ("Code", opt(&self.code)),
            ("Type", self.kind.clone()),
            ("Status", opt(&self.status)),
            ("Package", self.package_id.clone()),
            ("Package name", opt(&self.package_name)),
            ("Quantity", self.quantity.to_string()),
            ("Price", price_with_currency(&self.price, &self.currency)),
            (
                "Net price",
                price_with_currency(&self.net_price, &self.currency),
            ),
            ("Description", opt(&self.description)),
            ("Created", opt(&self.created_at)),
        ];
        let iccids: Vec<&str> = self.esims.iter().map(|e| e.iccid.as_str()).collect();
        fields.push(("eSIMs", iccids.join(", ")));
        fields
    }
}

fn price_with_currency(price: &Option<String>, currency: &Option<String>) -> String {
    match (price, currency) {
        (Some(p), Some(c)) => format!("{p} {c}"),
        (Some(p), None) => p.clone(),
        _ => "-".to_string(),
    }
}

/// An eSIM's usage.
#[derive(Debug, Serialize)]
pub struct UsageView {
    /// The ICCID.
    pub iccid: String,
    /// The status (`NOT_ACTIVE`, `ACTIVE`, …).
    pub status: String,
    /// Whether data is unlimited.
    pub unlimited: bool,
    /// Megabytes left (`null` when unlimited).
    pub data_remaining_mb: Option<i64>,
    /// Megabytes in all (`null` when unlimited).
    pub data_total_mb: Option<i64>,
    /// Voice minutes left.
    pub voice_remaining_minutes: i64,
    /// Voice minutes in all.
    pub voice_total_minutes: i64,
    /// SMS left.
    pub sms_remaining: i64,
    /// SMS in all.
    pub sms_total: i64,
    /// When the package expires.
    pub expires_at: Option<String>,
}

impl UsageView {
    /// The view of `usage` for `iccid`.
    pub fn new(iccid: &str, u: &Usage) -> Self {
        UsageView {
            iccid: iccid.to_string(),
            status: u.status.to_string(),
            unlimited: u.is_unlimited,
            data_remaining_mb: u.data_mb.map(|d| d.remaining),
            data_total_mb: u.data_mb.map(|d| d.total),
            voice_remaining_minutes: u.voice_minutes.remaining,
            voice_total_minutes: u.voice_minutes.total,
            sms_remaining: u.sms.remaining,
            sms_total: u.sms.total,
            expires_at: timestamp_opt(u.expires_at.as_ref()),
        }
    }

    /// e.g. `700 of 1024 MB left` or `unlimited`.
    pub fn data_text(&self) -> String {
        match (self.data_remaining_mb, self.data_total_mb) {
            (Some(r), Some(t)) => format!("{r} of {t} MB left"),
            _ if self.unlimited => "unlimited".to_string(),
            _ => "unknown".to_string(),
        }
    }
}

impl Fields for UsageView {
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ICCID", self.iccid.clone()),
            ("Status", self.status.clone()),
            ("Data", self.data_text()),
            (
                "Voice",
                format!(
                    "{} of {} minutes left",
                    self.voice_remaining_minutes, self.voice_total_minutes
                ),
            ),
            (
                "SMS",
                format!("{} of {} left", self.sms_remaining, self.sms_total),
            ),
            ("Expires", self.expires_at.clone().unwrap_or_default()),
        ]
    }
}

/// Installation steps for one kind of device.
#[derive(Debug, Serialize)]
pub struct StepsView {
    /// The model these steps are for.
    pub model: Option<String>,
    /// OS versions.
    pub version: Option<String>,
    /// Steps to install by QR code.
    pub qr_steps: Vec<String>,
    /// The activation code to encode as QR.
    pub qr_code_data: Option<String>,
    /// A hosted QR image.
    pub qr_code_url: Option<String>,
    /// The one-tap installation link (iOS).
    pub apple_install_url: Option<String>,
    /// Steps to install by hand.
    pub manual_steps: Vec<String>,
    /// The SM-DP+ address and activation code to type.
    pub smdp_address_and_activation_code: Option<String>,
    /// Steps to set up the network.
    pub network_steps: Vec<String>,
    /// `automatic` or `manual`.
    pub apn_type: Option<String>,
    /// The APN to enter when manual.
    pub apn_value: Option<String>,
    /// Whether data roaming must be on.
    pub is_roaming: Option<bool>,
}

impl From<&InstallationSteps> for StepsView {
    fn from(s: &InstallationSteps) -> Self {
        StepsView {
            model: s.model.clone(),
            version: s.version.clone(),
            qr_steps: s.qr_steps.clone(),
            qr_code_data: s.qr_code_data.clone(),
            qr_code_url: s.qr_code_url.clone(),
            apple_install_url: s.apple_install_url.clone(),
            manual_steps: s.manual_steps.clone(),
            smdp_address_and_activation_code: s.smdp_address_and_activation_code.clone(),
            network_steps: s.network_steps.clone(),
            apn_type: s.apn.apn_type.as_ref().map(ToString::to_string),
            apn_value: s.apn.apn_value.clone(),
            is_roaming: s.is_roaming,
        }
    }
}

/// Installation instructions.
#[derive(Debug, Serialize)]
pub struct InstructionsView {
    /// The ICCID.
    pub iccid: String,
    /// The language of the texts.
    pub language: Option<String>,
    /// For iOS.
    pub ios: Vec<StepsView>,
    /// For Android.
    pub android: Vec<StepsView>,
}

impl InstructionsView {
    /// The view of `instructions` for `iccid`.
    pub fn new(iccid: &str, i: &Instructions) -> Self {
        InstructionsView {
            iccid: iccid.to_string(),
            language: i.language.clone(),
            ios: i.ios.iter().map(StepsView::from).collect(),
            android: i.android.iter().map(StepsView::from).collect(),
        }
    }

    /// The instructions as text, section by section.
    pub fn text(&self) -> String {
        let mut out = format!("Installation instructions for {}", self.iccid);
        if let Some(lang) = &self.language {
            out.push_str(&format!(" ({lang})"));
        }
        out.push('\n');
        for (platform, list) in [("iOS", &self.ios), ("Android", &self.android)] {
            for steps in list {
                out.push('\n');
                out.push_str(platform);
                if let Some(model) = &steps.model {
                    out.push_str(&format!(" {model}"));
                }
                if let Some(version) = &steps.version {
                    out.push_str(&format!(" (versions {version})"));
                }
                out.push('\n');
                section(&mut out, "Install with the QR code", &steps.qr_steps);
                if let Some(link) = &steps.apple_install_url {
                    out.push_str(&format!("  One-tap link: {link}\n"));
                }
                section(&mut out, "Install by hand", &steps.manual_steps);
                if let Some(code) = &steps.smdp_address_and_activation_code {
                    out.push_str(&format!("  SM-DP+ address and activation code: {code}\n"));
                }
                section(&mut out, "Network setup", &steps.network_steps);
                if let Some(apn) =
                    Some(apn(&steps.apn_type, &steps.apn_value)).filter(|a| !a.is_empty())
                {
                    out.push_str(&format!("  APN: {apn}\n"));
                }
            }
        }
        if self.ios.is_empty() && self.android.is_empty() {
            out.push_str("(no instructions)\n");
        }
        out
    }
}

fn section(out: &mut String, title: &str, steps: &[String]) {
    if steps.is_empty() {
        return;
    }
    out.push_str(&format!("  {title}:\n"));
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!(
            "    {}. {}\n",
            i + 1,
            crate::error::one_line(step)
        ));
    }
}

/// A package an eSIM had.
#[derive(Debug, Serialize)]
pub struct HistoryView {
    /// The entry's id.
    pub id: Option<i64>,
    /// Its status.
    pub status: String,
    /// The package id.
    pub package_id: Option<String>,
    /// The package title.
    pub package_title: Option<String>,
    /// Megabytes left.
    pub remaining_mb: Option<i64>,
    /// When it was activated.
    pub activated_at: Option<String>,
    /// When it expires or expired.
    pub expires_at: Option<String>,
    /// When it was used up.
    pub finished_at: Option<String>,
}

impl From<&PackageHistoryEntry> for HistoryView {
    fn from(h: &PackageHistoryEntry) -> Self {
        HistoryView {
            id: h.id,
            status: h.status.to_string(),
            package_id: h.package.as_ref().map(|p| p.id.clone()),
            package_title: h.package.as_ref().map(|p| p.title.clone()),
            remaining_mb: h.remaining_mb,
            activated_at: timestamp_opt(h.activated_at.as_ref()),
            expires_at: timestamp_opt(h.expires_at.as_ref()),
            finished_at: timestamp_opt(h.finished_at.as_ref()),
        }
    }
}

impl Row for HistoryView {
    fn headers() -> &'static [&'static str] {
        &["Package", "Status", "MB left", "Activated", "Expires"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.package_id.as_deref()),
            self.status.clone(),
            cell(self.remaining_mb),
            short_time(self.activated_at.as_deref()),
            short_time(self.expires_at.as_deref()),
        ]
    }
}

/// How to install an eSIM: links and the manual code.
#[derive(Debug, Serialize)]
pub struct InstallLinkView {
    /// The ICCID.
    pub iccid: String,
    /// The full activation code (`LPA:1$…`).
    pub lpa: String,
    /// The iOS 17.4+ one-tap link.
    pub apple: String,
    /// The Android one-tap link.
    pub android: String,
    /// The SM-DP+ address to type.
    pub smdp_address: String,
    /// The activation code (matching id) to type.
    pub activation_code: String,
    /// The confirmation code, when needed.
    pub confirmation_code: Option<String>,
}

impl Fields for InstallLinkView {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("ICCID", self.iccid.clone()),
            ("Apple (iOS 17.4+)", self.apple.clone()),
            ("Android", self.android.clone()),
            ("SM-DP+ address", self.smdp_address.clone()),
            ("Activation code", self.activation_code.clone()),
        ];
        if let Some(code) = &self.confirmation_code {
            fields.push(("Confirmation code", code.clone()));
        }
        fields.push(("LPA string", self.lpa.clone()));
        fields
    }
}

impl InstallLinkView {
    /// The links as lines (long links are never cut, unlike table cells).
    pub fn text(&self) -> String {
        self.fields()
            .into_iter()
            .map(|(name, value)| format!("{:<19}{value}\n", format!("{name}:")))
            .collect()
    }
}

/// A QR file written.
#[derive(Debug, Serialize)]
pub struct QrFileView {
    /// The ICCID.
    pub iccid: String,
    /// The file.
    pub path: String,
    /// `png` or `svg`.
    pub format: String,
    /// Its size in bytes.
    pub bytes: usize,
}

/// A number that can be claimed.
#[derive(Debug, Serialize)]
pub struct NumberView {
    /// The number (E.164).
    pub number: String,
    /// Its country.
    pub country: Option<String>,
}

impl From<&AvailableNumber> for NumberView {
    fn from(n: &AvailableNumber) -> Self {
        NumberView {
            number: n.number.clone(),
            country: n.country.clone(),
        }
    }
}

impl Row for NumberView {
    fn headers() -> &'static [&'static str] {
        &["Number", "Country"]
    }
    fn cells(&self) -> Vec<String> {
        vec![self.number.clone(), cell(self.country.as_deref())]
    }
}

/// A voice user.
#[derive(Debug, Serialize)]
pub struct UserView {
    /// The id.
    pub id: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Mobile number.
    pub mobile: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// The claimed number.
    pub number: Option<String>,
    /// When the user joined.
    pub date_joined: Option<String>,
    /// The subscription's plan.
    pub plan: Option<String>,
    /// The subscription's status.
    pub subscription_status: Option<String>,
    /// Whether it is a free trial.
    pub is_trial: Option<bool>,
    /// When it started.
    pub start_date: Option<String>,
    /// When it ends.
    pub end_date: Option<String>,
}

impl From<&VoiceUser> for UserView {
    fn from(u: &VoiceUser) -> Self {
        let s = u.subscription.as_ref();
        UserView {
            id: u.id.clone(),
            email: u.email.clone(),
            mobile: u.mobile.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            number: u.number.clone(),
            date_joined: timestamp_opt(u.date_joined.as_ref()),
            plan: s.and_then(|s| s.plan.clone()),
            subscription_status: s.and_then(|s| s.status.as_ref().map(ToString::to_string)),
            is_trial: s.and_then(|s| s.is_trial),
            start_date: s.and_then(|s| timestamp_opt(s.start_date.as_ref())),
            end_date: s.and_then(|s| timestamp_opt(s.end_date.as_ref())),
        }
    }
}

impl UserView {
    fn name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Row for UserView {
    fn headers() -> &'static [&'static str] {
        &["E-mail", "Name", "Number", "Status", "Ends"]
    }
    fn cells(&self) -> Vec<String> {
        let name = self.name();
        vec![
            cell(self.email.as_deref()),
            if name.is_empty() { "-".into() } else { name },
            cell(self.number.as_deref()),
            cell(self.subscription_status.as_deref()),
            short_time(self.end_date.as_deref()),
        ]
    }
}

impl Fields for UserView {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            ("E-mail", opt(&self.email)),
            ("Name", self.name()),
            ("Mobile", opt(&self.mobile)),
            ("Number", opt(&self.number)),
            ("Joined", opt(&self.date_joined)),
            ("Plan", opt(&self.plan)),
            ("Status", opt(&self.subscription_status)),
            ("Trial", self.is_trial.map(yes_no).unwrap_or_default()),
            ("Starts", opt(&self.start_date)),
            ("Ends", opt(&self.end_date)),
        ]
    }
}
