//! Manual installation parts and serde.

use pressone_esim_install::{ActivationCode, InstallLinks, ManualInstallation};

fn code(s: &str) -> ActivationCode {
    s.parse().unwrap()
}

#[test]
fn manual_parts_from_api_fixture() {
    // Get eSIM example: lpa, matching_id, confirmation_code "5751".
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let manual = ManualInstallation::new(&c, Some("5751"));
    assert_eq!(manual.smdp_address, "lpa.airalo.com");
    assert_eq!(manual.activation_code, "TEST");
    assert_eq!(manual.confirmation_code.as_deref(), Some("5751"));
    assert!(!manual.lacks_required_confirmation_code(&c));
}

#[test]
fn blank_confirmation_code_is_absent() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    for blank in [None, Some(""), Some("  ")] {
        assert_eq!(ManualInstallation::new(&c, blank).confirmation_code, None);
    }
    assert_eq!(
        ManualInstallation::new(&c, Some(" 5751 "))
            .confirmation_code
            .as_deref(),
        Some("5751")
    );
    assert_eq!(
        ManualInstallation::from(&c),
        ManualInstallation::new(&c, None)
    );
}

#[test]
fn missing_required_confirmation_code_is_detected() {
    let c = code("LPA:1$lpa.airalo.com$TEST$$1");
    assert!(ManualInstallation::new(&c, None).lacks_required_confirmation_code(&c));
    assert!(!ManualInstallation::new(&c, Some("1234")).lacks_required_confirmation_code(&c));
}

#[test]
fn activation_code_serializes_as_original_string() {
    let c = code("lpa:1$lpa.airalo.com$TEST");
    assert_eq!(
        serde_json::to_string(&c).unwrap(),
        r#""lpa:1$lpa.airalo.com$TEST""#
    );
    let back: ActivationCode = serde_json::from_str(r#""lpa:1$lpa.airalo.com$TEST""#).unwrap();
    assert_eq!(back.as_str(), "lpa:1$lpa.airalo.com$TEST");
    assert_eq!(back, c);
}

#[test]
fn activation_code_deserialize_validates() {
    let err = serde_json::from_str::<ActivationCode>(r#""LPA:1$localhost$TEST""#).unwrap_err();
    assert!(
        err.to_string().contains("SM-DP+ address \\\"localhost\\\"")
            || err.to_string().contains("SM-DP+ address \"localhost\""),
        "{err}"
    );
    assert!(serde_json::from_str::<ActivationCode>("42").is_err());

    #[derive(serde::Deserialize)]
    struct Sim {
        qrcode: ActivationCode,
    }
    let sim: Sim = serde_json::from_str(r#"{"qrcode":"LPA:1$lpa.airalo.com$TEST"}"#).unwrap();
    assert_eq!(sim.qrcode.matching_id(), "TEST");
}

#[test]
fn structs_round_trip_through_json() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let manual = ManualInstallation::new(&c, Some("5751"));
    let json = serde_json::to_string(&manual).unwrap();
    assert_eq!(
        json,
        r#"{"smdp_address":"lpa.airalo.com","activation_code":"TEST","confirmation_code":"5751"}"#
    );
    assert_eq!(
        serde_json::from_str::<ManualInstallation>(&json).unwrap(),
        manual
    );

    let links = InstallLinks::new(&c);
    let json = serde_json::to_string(&links).unwrap();
    assert_eq!(serde_json::from_str::<InstallLinks>(&json).unwrap(), links);
}
