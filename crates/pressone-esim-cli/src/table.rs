//! Table layouts of the SDK's models (their JSON is the models' own serialization), and the
//! few shapes the CLI adds: a package with its catalogue entry, usage or instructions with
//! their ICCID, install links, a QR file.
//!
//! One vocabulary for installation data everywhere: the **SM-DP+ address**, the **activation
//! code** (the matching id typed with the address) and the **LPA string**
//! (`LPA:1$<SM-DP+ address>$<activation code>`, what the QR code holds).

use pressone_esim::{
    ApnSettings, AvailableNumber, Balance, CatalogEntry, DataAllowance, Device, Esim,
    InstallationSteps, Instructions, OperatorKind, Order, Package, PackageHistoryEntry, PlanType,
    Timestamp, Usage, VoiceUser, money_string,
};
use serde::Serialize;

use crate::output::{Fields, Row};

/// Text of an optional value for a table cell (`-` when absent).
fn cell<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// Text of an optional value for a detail field or a csv cell (empty when absent).
pub(crate) fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn money(amount: Option<pressone_esim::Decimal>) -> String {
    amount.map_or_else(|| "-".to_string(), money_string)
}

/// A timestamp in RFC 3339, UTC, whole seconds (`2025-01-02T03:04:05Z`).
fn time(t: Option<&Timestamp>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// A timestamp for a table cell: `2025-01-02 03:04` (UTC), `-` when absent.
fn short_time(t: Option<&Timestamp>) -> String {
    t.map_or_else(
        || "-".to_string(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn apn(apn: &ApnSettings) -> String {
    match (&apn.apn_type, &apn.apn_value) {
        (Some(k), Some(v)) => format!("{k} ({v})"),
        (Some(k), None) => k.to_string(),
        (None, Some(v)) => v.clone(),
        (None, None) => String::new(),
    }
}

fn data_label(data: &DataAllowance, label: &str) -> String {
    match data {
        _ if !label.is_empty() => label.to_string(),
        DataAllowance::Unlimited => "unlimited".into(),
        DataAllowance::Limited { mb } => format!("{mb} MB"),
    }
}

impl Row for Balance {
    fn headers() -> &'static [&'static str] {
        &["Account", "Amount", "Currency"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.name.as_deref()),
            money_string(self.amount),
            cell(self.currency.as_deref()),
        ]
    }
    fn whole_columns() -> &'static [usize] {
        &[1]
    }
}

impl Row for Device {
    fn headers() -> &'static [&'static str] {
        &["OS", "Brand", "Name", "Model"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.os.to_string(),
            self.brand.clone(),
            self.name.clone(),
            cell(self.model.as_deref()),
        ]
    }
}

/// A package of the catalogue with the entry and operator it belongs to: the package's own
/// fields, then these.
#[derive(Debug, Serialize)]
pub struct PackageRow<'a> {
    /// The package (its fields come first).
    #[serde(flatten)]
    pub package: &'a Package,
    /// The catalogue entry's slug (country or region).
    pub entry: &'a str,
    /// The entry's title.
    pub entry_title: &'a str,
    /// The country code of local entries.
    pub country_code: Option<&'a str>,
    /// The operator's name.
    pub operator: &'a str,
    /// `local` or `global`.
    pub operator_kind: &'a OperatorKind,
    /// `data` or `voice-text`.
    pub plan_type: &'a PlanType,
    /// Whether its eSIMs can be topped up.
    pub rechargeable: bool,
}

impl<'a> PackageRow<'a> {
    /// Every package of the entries, in catalogue order.
    pub fn from_entries(entries: &'a [CatalogEntry]) -> Vec<PackageRow<'a>> {
        let mut out = Vec::new();
        for entry in entries {
            for op in &entry.operators {
                for package in &op.packages {
                    out.push(PackageRow {
                        package,
                        entry: &entry.slug,
                        entry_title: &entry.title,
                        country_code: entry.country_code.as_deref(),
                        operator: &op.title,
                        operator_kind: &op.kind,
                        plan_type: &op.plan_type,
                        rechargeable: op.rechargeable,
                    });
                }
            }
        }
        out
    }
}

/// The Data, Days, Price and Net cells of a package (catalogue rows and top-up offers).
fn plan_cells(p: &Package) -> [String; 4] {
    [
        data_label(&p.data, &p.data_label),
        p.validity_days.to_string(),
        money(p.price),
        money(p.net_price),
    ]
}

impl Row for PackageRow<'_> {
    fn headers() -> &'static [&'static str] {
        &[
            "Package", "Where", "Operator", "Type", "Data", "Days", "Price", "Net",
        ]
    }
    fn cells(&self) -> Vec<String> {
        let p = self.package;
        let head = [
            p.id.clone(),
            self.entry_title.to_string(),
            self.operator.to_string(),
            p.kind.to_string(),
        ];
        [head, plan_cells(p)].concat()
    }
    fn whole_columns() -> &'static [usize] {
        &[0, 6, 7]
    }
}

/// Top-up packages.
impl Row for Package {
    fn headers() -> &'static [&'static str] {
        &["Package", "Title", "Data", "Days", "Price", "Net"]
    }
    fn cells(&self) -> Vec<String> {
        let head = [self.id.clone(), self.title.clone()];
        [&head[..], &plan_cells(self)].concat()
    }
    fn whole_columns() -> &'static [usize] {
        &[0, 4, 5]
    }
}

impl Row for Esim {
    fn headers() -> &'static [&'static str] {
        &["ICCID", "Created", "Package", "Order", "Recycled"]
    }
    fn cells(&self) -> Vec<String> {
        let order = self.order.as_deref();
        vec![
            self.iccid.clone(),
            short_time(self.created_at.as_ref()),
            cell(order.map(|o| o.package_id.as_str())),
            cell(order.map(|o| o.id)),
            yes_no(self.recycled),
        ]
    }
    fn whole_columns() -> &'static [usize] {
        &[0, 3]
    }
}

impl Fields for Esim {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let order = self.order.as_deref();
        vec![
            ("ICCID", self.iccid.clone()),
            ("Created", time(self.created_at.as_ref())),
            (
                "Order",
                order
                    .map(|o| match &o.code {
                        Some(code) => format!("{} ({code})", o.id),
                        None => o.id.to_string(),
                    })
                    .unwrap_or_default(),
            ),
            (
                "Package",
                order.map(|o| o.package_id.clone()).unwrap_or_default(),
            ),
            ("SM-DP+ address", opt(self.smdp_address.as_ref())),
            ("Activation code", opt(self.matching_id.as_ref())),
            ("LPA string", opt(self.lpa.as_ref())),
            ("Confirmation code", opt(self.confirmation_code.as_ref())),
            ("APN", apn(&self.apn)),
            ("Roaming", self.is_roaming.map(yes_no).unwrap_or_default()),
            ("Phone number", opt(self.msisdn.as_ref())),
            ("Recycled", yes_no(self.recycled)),
        ]
    }
}

fn price_with_currency(price: Option<pressone_esim::Decimal>, currency: Option<&str>) -> String {
    match (price, currency) {
        (Some(p), Some(c)) => format!("{} {c}", money_string(p)),
        (Some(p), None) => money_string(p),
        _ => "-".to_string(),
    }
}

impl Row for Order {
    fn headers() -> &'static [&'static str] {
        &[
            "ID",
            "Code",
            "Type",
            "Status",
            "Package",
            "Qty",
            "Price",
            "Reference",
            "Created",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            cell(self.code.as_deref()),
            self.kind.to_string(),
            cell(self.status.as_ref()),
            self.package_id.clone(),
            self.quantity.to_string(),
            price_with_currency(self.price, self.currency.as_deref()),
            cell(self.description.as_deref()),
            short_time(self.created_at.as_ref()),
        ]
    }
    fn whole_columns() -> &'static [usize] {
        &[0, 1, 6]
    }
}

impl Fields for Order {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let iccids: Vec<&str> = self.esims.iter().map(|e| e.iccid.as_str()).collect();
        vec![
            ("Order", self.id.to_string()),
            ("Code", opt(self.code.as_ref())),
            ("Type", self.kind.to_string()),
            (
                "Status",
                self.status
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            ),
            ("Package", self.package_id.clone()),
            ("Package name", opt(self.package_name.as_ref())),
            ("Quantity", self.quantity.to_string()),
            (
                "Price",
                price_with_currency(self.price, self.currency.as_deref()),
            ),
            (
                "Net price",
                price_with_currency(self.net_price, self.currency.as_deref()),
            ),
            ("Reference", opt(self.description.as_ref())),
            ("Created", time(self.created_at.as_ref())),
            ("eSIMs", iccids.join(", ")),
        ]
    }
}

/// An answer about one eSIM (its usage, its installation instructions), with the eSIM's
/// ICCID first and the answer's own fields after it.
#[derive(Debug, Serialize)]
pub struct ForSim<'a, T> {
    /// The ICCID.
    pub iccid: &'a str,
    /// The answer (its fields follow).
    #[serde(flatten)]
    pub item: &'a T,
}

/// e.g. `700 of 1024 MB left` or `unlimited`.
pub fn data_text(usage: &Usage) -> String {
    match usage.data_mb {
        Some(d) => format!("{} of {} MB left", d.remaining, d.total),
        None if usage.is_unlimited => "unlimited".to_string(),
        None => "unknown".to_string(),
    }
}

impl Fields for ForSim<'_, Usage> {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let u = self.item;
        vec![
            ("ICCID", self.iccid.to_string()),
            ("Status", u.status.to_string()),
            ("Data", data_text(u)),
            (
                "Voice",
                format!(
                    "{} of {} minutes left",
                    u.voice_minutes.remaining, u.voice_minutes.total
                ),
            ),
            (
                "SMS",
                format!("{} of {} left", u.sms.remaining, u.sms.total),
            ),
            ("Expires", time(u.expires_at.as_ref())),
        ]
    }
}

impl Row for PackageHistoryEntry {
    fn headers() -> &'static [&'static str] {
        &["Package", "Status", "MB left", "Activated", "Expires"]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.package.as_ref().map(|p| p.id.as_str())),
            self.status.to_string(),
            cell(self.remaining_mb),
            short_time(self.activated_at.as_ref()),
            short_time(self.expires_at.as_ref()),
        ]
    }
}

impl Row for AvailableNumber {
    fn headers() -> &'static [&'static str] {
        &["Number", "Country"]
    }
    fn cells(&self) -> Vec<String> {
        vec![self.number.clone(), cell(self.country.as_deref())]
    }
}

fn user_name(u: &VoiceUser) -> String {
    [u.first_name.as_deref(), u.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Row for VoiceUser {
    fn headers() -> &'static [&'static str] {
        &["E-mail", "Name", "Number", "Status", "Ends"]
    }
    fn cells(&self) -> Vec<String> {
        let name = user_name(self);
        let s = self.subscription.as_ref();
        vec![
            cell(self.email.as_deref()),
            if name.is_empty() { "-".into() } else { name },
            cell(self.number.as_deref()),
            cell(s.and_then(|s| s.status.as_ref())),
            short_time(s.and_then(|s| s.end_date.as_ref())),
        ]
    }
    fn whole_columns() -> &'static [usize] {
        &[0, 2]
    }
}

impl Fields for VoiceUser {
    fn fields(&self) -> Vec<(&'static str, String)> {
        let s = self.subscription.as_ref();
        vec![
            ("E-mail", opt(self.email.as_ref())),
            ("Name", user_name(self)),
            ("Mobile", opt(self.mobile.as_ref())),
            ("Number", opt(self.number.as_ref())),
            ("Joined", time(self.date_joined.as_ref())),
            ("Plan", s.and_then(|s| s.plan.clone()).unwrap_or_default()),
            (
                "Status",
                s.and_then(|s| s.status.as_ref().map(|x| x.to_string()))
                    .unwrap_or_default(),
            ),
            (
                "Trial",
                s.and_then(|s| s.is_trial).map(yes_no).unwrap_or_default(),
            ),
            ("Starts", time(s.and_then(|s| s.start_date.as_ref()))),
            ("Ends", time(s.and_then(|s| s.end_date.as_ref()))),
        ]
    }
}

impl ForSim<'_, Instructions> {
    /// The instructions as text, section by section.
    pub fn text(&self) -> String {
        let i = self.item;
        let mut out = format!("Installation instructions for {}", self.iccid);
        if let Some(lang) = &i.language {
            out.push_str(&format!(" ({lang})"));
        }
        out.push('\n');
        for (platform, list) in [("iOS", &i.ios), ("Android", &i.android)] {
            for steps in list {
                platform_text(&mut out, platform, steps);
            }
        }
        if i.ios.is_empty() && i.android.is_empty() {
            out.push_str("(no instructions)\n");
        }
        out
    }
}

fn platform_text(out: &mut String, platform: &str, steps: &InstallationSteps) {
    out.push('\n');
    out.push_str(platform);
    if let Some(model) = &steps.model {
        out.push_str(&format!(" {model}"));
    }
    if let Some(version) = &steps.version {
        out.push_str(&format!(" (versions {version})"));
    }
    out.push('\n');
    section(out, "Install with the QR code", &steps.qr_steps);
    if let Some(link) = &steps.apple_install_url {
        out.push_str(&format!("  One-tap link: {link}\n"));
    }
    section(out, "Install by hand", &steps.manual_steps);
    // The API's "SM-DP+ address and activation code" field holds the address; the activation
    // code (matching id) and the LPA string come from the QR code's data.
    let code = steps.activation_code().and_then(Result::ok);
    let address = code
        .as_ref()
        .map(|c| c.smdp_address().to_string())
        .or_else(|| steps.smdp_address_and_activation_code.clone());
    if let Some(address) = address {
        out.push_str(&format!("  SM-DP+ address:  {address}\n"));
    }
    if let Some(code) = &code {
        out.push_str(&format!("  Activation code: {}\n", code.matching_id()));
        out.push_str(&format!("  LPA string:      {}\n", code.as_str()));
    }
    section(out, "Network setup", &steps.network_steps);
    let apn = apn(&steps.apn);
    if !apn.is_empty() {
        out.push_str(&format!("  APN: {apn}\n"));
    }
}

fn section(out: &mut String, title: &str, steps: &[String]) {
    if steps.is_empty() {
        return;
    }
    out.push_str(&format!("  {title}:\n"));
    for (i, step) in steps.iter().enumerate() {
        out.push_str(&format!("    {}. {}\n", i + 1, crate::text::one_line(step)));
    }
}

/// How to install an eSIM: links and what to type by hand.
#[derive(Debug, Serialize)]
pub struct InstallLinkView {
    /// The ICCID.
    pub iccid: String,
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
    /// The LPA string (`LPA:1$…`), what the QR code holds.
    pub lpa: String,
    /// The eSIMs Cloud sharing page, when the order was shared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_link: Option<String>,
    /// The sharing page's access code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_access_code: Option<String>,
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
        if let Some(link) = &self.sharing_link {
            fields.push(("Sharing page", link.clone()));
        }
        if let Some(code) = &self.sharing_access_code {
            fields.push(("Access code", code.clone()));
        }
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
