//! Wire shape of Get installation instructions.

use serde_json::{Map, Value, json};

use super::Sim;
use super::render::{apple_url, lpa_string, qrcode_url};
use crate::web::{Ctx, opt};

const LANGUAGES: &[&str] = &[
    "ar", "zh", "cs", "nl", "en", "fr", "ka", "de", "el", "he", "hi", "it", "ja", "ko", "pl", "pt",
    "ru", "tl", "th", "tr", "uk", "zh-CN", "pt-BR", "es-419", "hy-AM", "zh-TW", "vls-BE", "pt-PT",
    "sr-CS", "es-ES", "sv-SE", "ur-PK", "fil", "sq", "az", "bg", "hr", "da", "et", "fi", "hun",
    "kmr", "ky", "lv", "lt", "mk", "ms", "nb", "ro", "sk", "uz", "vi",
];

/// The language code reported for an `Accept-Language` header (first supported tag, else EN).
pub(crate) fn instruction_language(header: Option<&str>) -> String {
    for tag in header.unwrap_or("").split(',') {
        let tag = tag.split(';').next().unwrap_or("").trim();
        if let Some(l) = LANGUAGES.iter().find(|l| l.eq_ignore_ascii_case(tag)) {
            return l.to_ascii_uppercase();
        }
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(l) = LANGUAGES.iter().find(|l| l.eq_ignore_ascii_case(primary)) {
            return l.to_ascii_uppercase();
        }
    }
    "EN".to_string()
}

fn steps(items: &[&str]) -> Value {
    let mut m = Map::new();
    for (i, s) in items.iter().enumerate() {
        m.insert((i + 1).to_string(), Value::from(*s));
    }
    Value::Object(m)
}

pub(crate) fn instructions_json(ctx: &Ctx<'_>, sim: &Sim, language: &str) -> Value {
    let op = &ctx.cat.operators[sim.operator];
    let lpa = lpa_string(ctx, sim);
    let qr_url = qrcode_url(ctx, sim);
    let apn_value = opt(op.apn_value.clone());
    let ios = json!({
        "model": null,
        "version": "17,18,16,15,14",
        "installation_via_qr_code": {
            "steps": steps(&[
                "Go to Settings > Cellular/Mobile > Add Cellular/Mobile Plan.",
                "Scan the QR Code.",
                "Tap on 'Add Cellular Plan'.",
                "Label the eSIM.",
                "Choose your preferred default line for calls and messages.",
                "Choose the eSIM as your default line for Cellular Data.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "qr_code_data": lpa,
            "qr_code_url": qr_url,
            "direct_apple_installation_url": apple_url(ctx, sim),
        },
        "installation_manual": {
            "steps": steps(&[
                "Go to Settings > Cellular/Mobile > Add Cellular/Mobile Plan.",
                "Tap on 'Enter Details Manually'.",
                "Enter your SM-DP+ Address and Activation Code.",
                "Tap on 'Add Cellular Plan'.",
                "Label the eSIM.",
                "Choose the eSIM as your default line for Cellular Data.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "smdp_address_and_activation_code": ctx.config.smdp_address,
        },
        "network_setup": {
            "steps": steps(&[
                "Select your eSIM under 'Cellular Plans'.",
                "Ensure that 'Turn On This Line' is toggled on.",
                "Go to 'Network Selection' and select the supported network.",
                "Turn on Data Roaming.",
            ]),
            "apn_type": op.apn_type,
            "apn_value": apn_value,
            "is_roaming": op.is_roaming,
        },
    });
    let android = json!({
        "model": null,
        "version": null,
        "installation_via_qr_code": {
            "steps": steps(&[
                "Go to Settings > Connections > SIM Card Manager.",
                "Tap on 'Add Mobile Plan'.",
                "Tap on 'Scan Carrier QR Code' and tap on 'Add'.",
                "When the plan has been registered, tap 'Ok' to turn on the new mobile plan.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "qr_code_data": lpa,
            "qr_code_url": qr_url,
        },
        "installation_manual": {
            "steps": steps(&[
                "Go to Settings > Connections > SIM Card Manager.",
                "Tap on 'Add Mobile Plan'.",
                "Tap on 'Scan Carrier QR Code' and tap on 'Enter code instead'.",
                "Enter the Activation Code (SM-DP+ Address & Activation Code).",
                "When the plan has been registered, tap 'Ok' to turn on the new mobile plan.",
                "Your eSIM is installed; see the network setup below.",
            ]),
            "smdp_address_and_activation_code": ctx.config.smdp_address,
        },
        "network_setup": {
            "steps": steps(&[
                "In 'SIM Card Manager' select your eSIM.",
                "Ensure that your eSIM is turned on under 'Mobile Networks'.",
                "Enable Mobile Data.",
                "Turn on Data Roaming.",
                "Go to Settings > Connections > Mobile networks > Network Operators and select the supported network.",
            ]),
            "apn_type": op.apn_type,
            "apn_value": opt(op.apn_value.clone()),
            "is_roaming": op.is_roaming,
        },
    });
    json!({
        "data": {"instructions": {"language": language, "ios": [ios], "android": [android]}},
        "meta": {"message": "success"},
    })
}
