//! The activation-code (LPA string) parser, and build → parse identity.
//!
//! For any input: no panic; a parsed code keeps the input text, its canonical form parses back
//! to an equal canonical code, and rebuilding it from its parts with the builder gives the same
//! code. Input split at the first newline also feeds the builder: whatever it accepts parses
//! back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pressone_esim_install::{ActivationCode, InstallLinks, ManualInstallation};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ActivationCode::parse(text) {
        Ok(code) => {
            assert_eq!(code.as_str(), text);
            let canonical = code.to_canonical_string();
            assert_eq!(code.to_string(), canonical);
            let again = ActivationCode::parse(&canonical).expect("the canonical form parses");
            assert_eq!(again, code);
            assert!(again.is_canonical());
            assert_eq!(again.to_canonical_string(), canonical);

            // Build → parse: the builder has no setters for the SGP.22 v3 fields 6 and 7.
            if code.ci_public_key_indicator().is_none()
                && code.delete_notification_for_device_change().is_none()
            {
                let mut built = ActivationCode::new(code.smdp_address(), code.matching_id())
                    .expect("the parts of a valid code build");
                if let Some(oid) = code.smdp_oid() {
                    built = built.with_smdp_oid(oid).expect("a parsed OID is valid");
                }
                built = built
                    .with_confirmation_code_required(code.confirmation_code_required())
                    .expect("no longer than the parsed code");
                assert_eq!(built, code);
                assert_eq!(built.as_str(), canonical);
            }

            let links = InstallLinks::new(&code);
            assert!(links.apple.starts_with("https://"));
            let _ = ManualInstallation::new(&code, None);
        }
        Err(err) => {
            let shown = err.to_string();
            assert!(!shown.is_empty());
        }
    }

    if let Some((address, matching_id)) = text.split_once('\n') {
        if let Ok(built) = ActivationCode::new(address, matching_id) {
            let parsed = ActivationCode::parse(built.as_str()).expect("a built code parses");
            assert_eq!(parsed, built);
            assert_eq!(parsed.smdp_address(), address);
            assert_eq!(parsed.matching_id(), matching_id);
            assert!(parsed.is_canonical());
        }
    }
});
