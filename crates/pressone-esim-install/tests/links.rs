//! Direct-install links, against the format in the API's examples.

use pressone_esim_install::links::{ANDROID_INSTALL_BASE, APPLE_INSTALL_BASE, encode_carddata};
use pressone_esim_install::{
    ActivationCode, InstallLinks, LinkError, android_install_link, apple_install_link,
    prefer_api_link, validate_api_link,
};

/// `direct_apple_installation_url` from the Get eSIM, Submit order and instructions examples.
const API_APPLE_LINK: &str = "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH";

fn code(s: &str) -> ActivationCode {
    s.parse().unwrap()
}

#[test]
fn apple_link_matches_api_example_exactly() {
    let c = code("LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH");
    assert_eq!(apple_install_link(&c), API_APPLE_LINK);
}

#[test]
fn apple_link_matches_documented_example() {
    // api.md §11: `…carddata=LPA:1$RSP-3088.IDEMIA.IO$YVTGM-5LZC6-PIC56-KFEZJ`
    let c = code("LPA:1$RSP-3088.IDEMIA.IO$YVTGM-5LZC6-PIC56-KFEZJ");
    assert_eq!(
        apple_install_link(&c),
        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$RSP-3088.IDEMIA.IO$YVTGM-5LZC6-PIC56-KFEZJ"
    );
}

#[test]
fn android_link_same_shape_on_google_host() {
    let c = code("LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH");
    assert_eq!(
        android_install_link(&c),
        "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=LPA:1$wbg.prod.ondemandconnectivity.com$Y7MRQ886FCDJD4RH"
    );
    assert!(android_install_link(&c).starts_with(ANDROID_INSTALL_BASE));
    assert!(apple_install_link(&c).starts_with(APPLE_INSTALL_BASE));
}

#[test]
fn optional_fields_keep_dollar_signs_unescaped() {
    let c = code("LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1");
    assert_eq!(
        apple_install_link(&c),
        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$SMDP.GSMA.COM$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1"
    );
    let c = code("LPA:1$SMDP.GSMA.COM$04386$$1");
    assert!(apple_install_link(&c).ends_with("carddata=LPA:1$SMDP.GSMA.COM$04386$$1"));
}

#[test]
fn characters_that_must_be_escaped_are_escaped() {
    let c = code("LPA:1$smdp.example.com$A+B&C=D#E%F;G\"H<I>J[K]L\\M^N`O{P|Q}R");
    assert_eq!(
        apple_install_link(&c),
        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=\
         LPA:1$smdp.example.com$A%2BB%26C%3DD%23E%25F%3BG%22H%3CI%3EJ%5BK%5DL%5CM%5EN%60O%7BP%7CQ%7DR"
    );
}

#[test]
fn query_safe_punctuation_is_left_alone() {
    let c = code("LPA:1$smdp.example.com$a-b.c_d~e:f@g/h?i!j'k(l)m*n,o");
    assert_eq!(
        apple_install_link(&c),
        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$smdp.example.com$a-b.c_d~e:f@g/h?i!j'k(l)m*n,o"
    );
}

#[test]
fn encode_carddata_escapes_bytes_outside_the_safe_set() {
    assert_eq!(encode_carddata("a b"), "a%20b");
    assert_eq!(encode_carddata("é"), "%C3%A9");
    assert_eq!(encode_carddata("\n"), "%0A");
    assert_eq!(encode_carddata(""), "");
}

#[test]
fn links_use_canonical_prefix() {
    let c = code("lpa:1$lpa.airalo.com$TEST$$");
    assert_eq!(
        apple_install_link(&c),
        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$lpa.airalo.com$TEST"
    );
}

#[test]
fn prefer_api_link_uses_valid_api_link() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    // The sandbox example's link is for a different code; it is still the one preferred.
    assert_eq!(prefer_api_link(Some(API_APPLE_LINK), &c), API_APPLE_LINK);
    assert_eq!(
        prefer_api_link(Some(&format!("  {API_APPLE_LINK}\n")), &c),
        API_APPLE_LINK
    );
}

#[test]
fn prefer_api_link_falls_back_when_missing_or_invalid() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let built = apple_install_link(&c);
    for api in [
        None,
        Some(""),
        Some("   "),
        Some("http://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$a.b$c"),
        Some("esimsetup.apple.com/esim_qrcode_provisioning"),
        Some("https://"),
        Some("https:///path"),
        Some("https://user@esimsetup.apple.com/x"),
        Some("https://esimsetup.apple.com/x y"),
        Some("javascript:alert(1)"),
        Some("https://bad_host.example/x"),
        Some("https://esimsetup.apple.com:abc/x"),
    ] {
        assert_eq!(prefer_api_link(api, &c), built, "{api:?}");
    }
}

#[test]
fn validate_api_link_errors() {
    assert_eq!(validate_api_link(" "), Err(LinkError::Empty));
    assert_eq!(validate_api_link("http://a.b/"), Err(LinkError::NotHttps));
    assert_eq!(validate_api_link("https://"), Err(LinkError::MissingHost));
    assert_eq!(validate_api_link("https://?x"), Err(LinkError::MissingHost));
    assert_eq!(
        validate_api_link("https://u:p@a.b/"),
        Err(LinkError::HasUserInfo)
    );
    assert_eq!(
        validate_api_link("https://a.b/\u{7f}"),
        Err(LinkError::InvalidCharacter {
            ch: '\u{7f}',
            position: 12
        })
    );
    assert_eq!(
        validate_api_link("https://a_b.c/"),
        Err(LinkError::InvalidHost {
            host: "a_b.c".into()
        })
    );
    assert_eq!(
        validate_api_link("HTTPS://A.B:8443/x"),
        Ok("HTTPS://A.B:8443/x")
    );
    assert_eq!(validate_api_link(API_APPLE_LINK), Ok(API_APPLE_LINK));
}

#[test]
fn install_links() {
    let c = code("LPA:1$lpa.airalo.com$TEST");
    let links = InstallLinks::new(&c);
    assert_eq!(links.apple, apple_install_link(&c));
    assert_eq!(links.android, android_install_link(&c));

    let links = InstallLinks::with_api_apple_link(Some(API_APPLE_LINK), &c);
    assert_eq!(links.apple, API_APPLE_LINK);
    assert_eq!(links.android, android_install_link(&c));

    let links = InstallLinks::with_api_apple_link(Some("ftp://x.y"), &c);
    assert_eq!(links, InstallLinks::new(&c));
}
