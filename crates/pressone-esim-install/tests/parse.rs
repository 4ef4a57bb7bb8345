//! Parsing and building activation codes: valid real-shaped codes, and one test per error.

use pressone_esim_install::{ActivationCode, ActivationCodeError, Field, HostError, OidError};

fn parse(s: &str) -> Result<ActivationCode, ActivationCodeError> {
    s.parse()
}

fn err(s: &str) -> ActivationCodeError {
    match parse(s) {
        Ok(code) => panic!("{s:?} should be rejected, parsed as {code:?}"),
        Err(e) => e,
    }
}

/// Asserts that each case's text, put in a code by `code`, is refused with the error
/// `expected` makes of the text and the case's reason; a failure names the code.
fn assert_each_refused<R: Clone>(
    cases: &[(&str, R)],
    code: impl Fn(&str) -> String,
    expected: impl Fn(String, R) -> ActivationCodeError,
) {
    for (text, reason) in cases {
        let input = code(text);
        let error = expected((*text).to_string(), reason.clone());
        assert_eq!(err(&input), error, "{input}");
    }
}

/// Asserts that `code` keeps the text it was parsed from, `kept`, and displays as `canonical`.
fn assert_text(code: &ActivationCode, kept: &str, canonical: &str) {
    assert_eq!(code.as_str(), kept, "original text kept");
    assert_eq!(code.to_string(), canonical, "displayed canonical");
}

/// Asserts that `code` has none of the optional fields (OID, confirmation code, CI key
/// indicator, delete-notification flag).
fn assert_no_optional_fields(code: &ActivationCode) {
    assert_eq!(code.smdp_oid(), None, "{code}");
    assert!(!code.confirmation_code_required(), "{code}");
    assert_eq!(code.ci_public_key_indicator(), None, "{code}");
    assert_eq!(code.delete_notification_for_device_change(), None, "{code}");
}

// ---------------------------------------------------------------------------------------------
// Valid codes

#[test]
fn api_fixture_codes_parse() {
    // `qrcode` / `qr_code_data` from the Get eSIM, Submit order and instructions examples.
    let code = parse("LPA:1$lpa.airalo.com$TEST").unwrap();
    assert_eq!(code.smdp_address(), "lpa.airalo.com");
    assert_eq!(code.matching_id(), "TEST");
    assert_no_optional_fields(&code);
    assert_text(
        &code,
        "LPA:1$lpa.airalo.com$TEST",
        "LPA:1$lpa.airalo.com$TEST",
    );
    assert!(code.is_canonical());

    // From the `direct_apple_installation_url` examples.
    let code = parse("LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH").unwrap();
    assert_eq!(code.smdp_address(), "wbg.prod.ondemandconnectivity.com");
    assert_eq!(code.matching_id(), "Y7MRQ886FCDJD4RH");

    let code = parse("LPA:1$RSP-3088.IDEMIA.IO$YVTGM-5LZC6-PIC56-KFEZJ").unwrap();
    assert_eq!(code.smdp_address(), "RSP-3088.IDEMIA.IO");
    assert_eq!(code.matching_id(), "YVTGM-5LZC6-PIC56-KFEZJ");
}

#[test]
fn optional_fields_parse() {
    let code = parse("LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1").unwrap();
    assert_eq!(code.smdp_oid(), Some("1.3.6.1.4.1.31746"));
    assert!(code.confirmation_code_required());

    let code = parse("LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$$1").unwrap();
    assert_eq!(code.smdp_oid(), None);
    assert!(code.confirmation_code_required());
    assert_eq!(
        code.to_string(),
        "LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$$1"
    );

    let code = parse("LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746").unwrap();
    assert_eq!(code.smdp_oid(), Some("1.3.6.1.4.1.31746"));
    assert!(!code.confirmation_code_required());

    // SGP.22 v3 fields 6 and 7, kept verbatim.
    let code =
        parse("LPA:1$smdp.example.com$ABC$$$F54172BDF98A95D65CBEB88A38A1C11D800A85C3$X1").unwrap();
    assert_eq!(code.smdp_oid(), None);
    assert!(!code.confirmation_code_required());
    assert_eq!(
        code.ci_public_key_indicator(),
        Some("F54172BDF98A95D65CBEB88A38A1C11D800A85C3")
    );
    assert_eq!(code.delete_notification_for_device_change(), Some("X1"));
    assert!(code.is_canonical());
}

#[test]
fn empty_matching_id_is_allowed() {
    let code = parse("LPA:1$smdp.example.com$").unwrap();
    assert_eq!(code.matching_id(), "");
    assert_eq!(code.to_string(), "LPA:1$smdp.example.com$");
}

#[test]
fn prefix_any_case_original_kept_display_canonical() {
    for prefix in ["lpa:", "Lpa:", "lPa:", "LPA:"] {
        let input = format!("{prefix}1$lpa.airalo.com$TEST");
        let code = parse(&input).unwrap();
        assert_text(&code, &input, "LPA:1$lpa.airalo.com$TEST");
        assert_eq!(code, parse("LPA:1$lpa.airalo.com$TEST").unwrap());
    }
    assert!(!parse("lpa:1$lpa.airalo.com$TEST").unwrap().is_canonical());
}

#[test]
fn trailing_empty_optional_fields_are_absent() {
    let code = parse("LPA:1$lpa.airalo.com$TEST$$").unwrap();
    assert_text(
        &code,
        "LPA:1$lpa.airalo.com$TEST$$",
        "LPA:1$lpa.airalo.com$TEST",
    );
    assert_no_optional_fields(&code);
}

#[test]
fn matching_id_case_and_punctuation_kept() {
    let code = parse("LPA:1$rsp-eu.simlessly.com$abcDEF-12.3_x~y+z/w").unwrap();
    assert_eq!(code.matching_id(), "abcDEF-12.3_x~y+z/w");
}

#[test]
fn longest_accepted_input() {
    let prefix = "LPA:1$smdp.example.com$";
    let id = "A".repeat(pressone_esim_install::activation_code::MAX_LEN - prefix.len());
    let input = format!("{prefix}{id}");
    assert_eq!(input.len(), 255);
    assert_eq!(parse(&input).unwrap().as_str(), input);
}

// ---------------------------------------------------------------------------------------------
// One test per ActivationCodeError variant

#[test]
fn error_empty() {
    assert_eq!(err(""), ActivationCodeError::Empty);
}

#[test]
fn error_too_long() {
    let input = format!("LPA:1$smdp.example.com${}", "A".repeat(233));
    assert_eq!(input.len(), 256);
    assert_eq!(
        err(&input),
        ActivationCodeError::TooLong { len: 256, max: 255 }
    );
    // Checked before anything else, so huge garbage is rejected cheaply.
    assert!(matches!(
        err(&"x".repeat(100_000)),
        ActivationCodeError::TooLong { .. }
    ));
}

#[test]
fn error_missing_prefix() {
    for input in [
        "1$lpa.airalo.com$TEST",
        "LPA1$lpa.airalo.com$TEST",
        "LPA",
        "é$a.b$c",
        " LPA:1$a.b$c",
    ] {
        assert_eq!(err(input), ActivationCodeError::MissingPrefix, "{input:?}");
    }
}

#[test]
fn error_too_few_fields() {
    assert_eq!(err("LPA:"), ActivationCodeError::TooFewFields { found: 1 });
    assert_eq!(err("LPA:1"), ActivationCodeError::TooFewFields { found: 1 });
    assert_eq!(
        err("LPA:1$lpa.airalo.com"),
        ActivationCodeError::TooFewFields { found: 2 }
    );
}

#[test]
fn error_too_many_fields() {
    assert_eq!(
        err("LPA:1$lpa.airalo.com$TEST$$$$$"),
        ActivationCodeError::TooManyFields { found: 8, max: 7 }
    );
}

#[test]
fn error_invalid_character() {
    assert_eq!(
        err("LPA:1$lpa.airalo.com$TE ST"),
        ActivationCodeError::InvalidCharacter {
            field: Field::MatchingId,
            ch: ' ',
            position: 23
        }
    );
    assert_eq!(
        err("LPA:1$lpa.airalo.com$TEST\n"),
        ActivationCodeError::InvalidCharacter {
            field: Field::MatchingId,
            ch: '\n',
            position: 25
        }
    );
    assert_eq!(
        err("LPA:1$lpa.air\u{0}alo.com$TEST"),
        ActivationCodeError::InvalidCharacter {
            field: Field::SmdpAddress,
            ch: '\0',
            position: 13
        }
    );
    assert_eq!(
        err("LPA:1$lpa.airalo.com$TÉST"),
        ActivationCodeError::InvalidCharacter {
            field: Field::MatchingId,
            ch: 'É',
            position: 22
        }
    );
    assert_eq!(
        err("LPA:1 $lpa.airalo.com$TEST"),
        ActivationCodeError::InvalidCharacter {
            field: Field::Format,
            ch: ' ',
            position: 5
        }
    );
    assert_eq!(
        err("LPA:1$a.b$c$1.2\t$1"),
        ActivationCodeError::InvalidCharacter {
            field: Field::SmdpOid,
            ch: '\t',
            position: 15
        }
    );
    let message = err("LPA:1$lpa.airalo.com$TE ST").to_string();
    assert_eq!(
        message,
        "invalid character ' ' in field 3 (matching ID, AC_Token) at byte 23"
    );
}

#[test]
fn error_unsupported_format() {
    assert_eq!(
        err("LPA:2$lpa.airalo.com$TEST"),
        ActivationCodeError::UnsupportedFormat { found: "2".into() }
    );
    assert_eq!(
        err("LPA:$lpa.airalo.com$TEST"),
        ActivationCodeError::UnsupportedFormat { found: "".into() }
    );
    assert_eq!(
        err("LPA:01$lpa.airalo.com$TEST"),
        ActivationCodeError::UnsupportedFormat { found: "01".into() }
    );
}

#[test]
fn error_empty_smdp_address() {
    assert_eq!(err("LPA:1$$TEST"), ActivationCodeError::EmptySmdpAddress);
}

#[test]
fn error_invalid_smdp_address() {
    let cases: &[(&str, HostError)] = &[
        ("https://lpa.airalo.com", HostError::HasScheme),
        ("lpa.airalo.com:443", HostError::HasPort),
        ("lpa..airalo.com", HostError::EmptyLabel { index: 1 }),
        ("lpa.airalo.com.", HostError::EmptyLabel { index: 3 }),
        (".lpa.airalo.com", HostError::EmptyLabel { index: 0 }),
        ("localhost", HostError::SingleLabel),
        (
            "10.0.0.1",
            HostError::NumericTopLevelLabel { label: "1".into() },
        ),
        (
            "lpa_x.airalo.com",
            HostError::InvalidLabelCharacter {
                label: "lpa_x".into(),
                ch: '_',
            },
        ),
        (
            "airalo.com/lpa",
            HostError::InvalidLabelCharacter {
                label: "com/lpa".into(),
                ch: '/',
            },
        ),
        (
            "-lpa.airalo.com",
            HostError::HyphenAtLabelEdge {
                label: "-lpa".into(),
            },
        ),
        (
            "lpa-.airalo.com",
            HostError::HyphenAtLabelEdge {
                label: "lpa-".into(),
            },
        ),
    ];
    assert_each_refused(
        cases,
        |address| format!("LPA:1${address}$TEST"),
        |address, reason| ActivationCodeError::InvalidSmdpAddress { address, reason },
    );
    let long_label = "a".repeat(64);
    assert_eq!(
        err(&format!("LPA:1${long_label}.com$X")),
        ActivationCodeError::InvalidSmdpAddress {
            address: format!("{long_label}.com"),
            reason: HostError::LabelTooLong {
                label: long_label.clone(),
                len: 64
            },
        }
    );
    let long_host = [
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(63),
    ]
    .join(".");
    assert_eq!(long_host.len(), 255);
    let too_long = ActivationCode::new(&long_host, "X").unwrap_err();
    assert!(matches!(
        too_long,
        ActivationCodeError::InvalidSmdpAddress {
            reason: HostError::TooLong { len: 255 },
            ..
        }
    ));
    assert_eq!(
        err("LPA:1$https://lpa.airalo.com$TEST").to_string(),
        "SM-DP+ address \"https://lpa.airalo.com\" (field 2) is not a valid FQDN: \
         it has a URL scheme; give the bare host name"
    );
}

#[test]
fn error_invalid_smdp_oid() {
    let cases: &[(&str, OidError)] = &[
        ("1", OidError::TooFewArcs),
        ("1..3", OidError::EmptyArc { index: 1 }),
        ("1.3.", OidError::EmptyArc { index: 2 }),
        (
            "1.3.x",
            OidError::NonNumericArc {
                index: 2,
                arc: "x".into(),
            },
        ),
        (
            "1.03",
            OidError::LeadingZero {
                index: 1,
                arc: "03".into(),
            },
        ),
        ("3.1", OidError::InvalidFirstArc { arc: "3".into() }),
        ("1.40", OidError::SecondArcOutOfRange { arc: "40".into() }),
    ];
    assert_each_refused(
        cases,
        |oid| format!("LPA:1$lpa.airalo.com$TEST${oid}"),
        |oid, reason| ActivationCodeError::InvalidSmdpOid { oid, reason },
    );
    assert!(parse("LPA:1$lpa.airalo.com$TEST$2.999.1").is_ok());
}

#[test]
fn error_invalid_confirmation_code_flag() {
    for flag in ["0", "2", "true", "11"] {
        assert_eq!(
            err(&format!("LPA:1$lpa.airalo.com$TEST$${flag}")),
            ActivationCodeError::InvalidConfirmationCodeFlag { found: flag.into() }
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Builder

#[test]
fn builder_builds_canonical_codes() {
    let code = ActivationCode::new("lpa.airalo.com", "TEST").unwrap();
    assert_eq!(code.as_str(), "LPA:1$lpa.airalo.com$TEST");
    let code = code
        .with_smdp_oid("1.3.6.1.4.1.31746")
        .unwrap()
        .with_confirmation_code_required(true)
        .unwrap();
    assert_eq!(
        code.as_str(),
        "LPA:1$lpa.airalo.com$TEST$1.3.6.1.4.1.31746$1"
    );
    assert_eq!(code, parse(code.as_str()).unwrap());
    let code = code.with_confirmation_code_required(false).unwrap();
    assert_eq!(code.as_str(), "LPA:1$lpa.airalo.com$TEST$1.3.6.1.4.1.31746");
}

#[test]
fn builder_rejects_bad_parts() {
    assert_eq!(
        ActivationCode::new("", "X").unwrap_err(),
        ActivationCodeError::EmptySmdpAddress
    );
    assert_eq!(
        ActivationCode::new("lpa.airalo.com", "A$B").unwrap_err(),
        ActivationCodeError::InvalidCharacter {
            field: Field::MatchingId,
            ch: '$',
            position: 1
        }
    );
    assert_eq!(
        ActivationCode::new("lpa.airalo.com$x", "AB").unwrap_err(),
        ActivationCodeError::InvalidCharacter {
            field: Field::SmdpAddress,
            ch: '$',
            position: 14
        }
    );
    assert_eq!(
        ActivationCode::new("lpa.airalo.com", "A B").unwrap_err(),
        ActivationCodeError::InvalidCharacter {
            field: Field::MatchingId,
            ch: ' ',
            position: 1
        }
    );
    assert!(matches!(
        ActivationCode::new("localhost", "AB").unwrap_err(),
        ActivationCodeError::InvalidSmdpAddress {
            reason: HostError::SingleLabel,
            ..
        }
    ));
    let code = ActivationCode::new("lpa.airalo.com", "AB").unwrap();
    assert_eq!(
        code.clone().with_smdp_oid("").unwrap_err(),
        ActivationCodeError::InvalidSmdpOid {
            oid: String::new(),
            reason: OidError::Empty
        }
    );
    assert!(matches!(
        code.with_smdp_oid("1.3$1").unwrap_err(),
        ActivationCodeError::InvalidCharacter {
            field: Field::SmdpOid,
            ch: '$',
            position: 3
        }
    ));
}

#[test]
fn builder_enforces_length_cap() {
    let prefix_len = "LPA:1$smdp.example.com$".len();
    let id = "A".repeat(255 - prefix_len);
    let code = ActivationCode::new("smdp.example.com", &id).unwrap();
    assert_eq!(code.as_str().len(), 255);
    assert_eq!(
        code.with_confirmation_code_required(true).unwrap_err(),
        ActivationCodeError::TooLong { len: 258, max: 255 }
    );
    assert!(matches!(
        ActivationCode::new("smdp.example.com", &format!("{id}A")).unwrap_err(),
        ActivationCodeError::TooLong { len: 256, .. }
    ));
}

#[test]
fn try_from_and_as_ref() {
    let code = ActivationCode::try_from("LPA:1$lpa.airalo.com$TEST").unwrap();
    let other = ActivationCode::try_from(String::from("LPA:1$lpa.airalo.com$TEST")).unwrap();
    assert_eq!(code, other);
    let text: &str = code.as_ref();
    assert_eq!(text, "LPA:1$lpa.airalo.com$TEST");
}

#[test]
fn equal_codes_hash_equal() {
    use std::collections::HashSet;
    let set: HashSet<ActivationCode> = ["lpa:1$a.b$X", "LPA:1$a.b$X", "LPA:1$a.b$X$$"]
        .into_iter()
        .map(|s| parse(s).unwrap())
        .collect();
    assert_eq!(set.len(), 1);
}
