//! Property tests for parsing, display and building.

use pressone_esim_install::ActivationCode;
use proptest::prelude::*;

/// A valid host name: 2–4 labels, last label starting with a letter.
fn host() -> impl Strategy<Value = String> {
    let label = "[a-zA-Z0-9]([a-zA-Z0-9-]{0,12}[a-zA-Z0-9])?";
    let top = "[a-zA-Z][a-zA-Z0-9]{0,5}";
    (prop::collection::vec(label, 1..4), top).prop_map(|(mut labels, top)| {
        labels.push(top);
        labels.join(".")
    })
}

/// Printable ASCII except `$`; may be empty.
fn matching_id() -> impl Strategy<Value = String> {
    "[\\x21-\\x23\\x25-\\x7e]{0,40}"
}

fn oid() -> impl Strategy<Value = String> {
    (
        0u8..3,
        0u8..40,
        prop::collection::vec(0u32..1_000_000, 0..6),
    )
        .prop_map(|(a, b, rest)| {
            let mut arcs = vec![a.to_string(), b.to_string()];
            arcs.extend(rest.iter().map(u32::to_string));
            arcs.join(".")
        })
}

fn opaque() -> impl Strategy<Value = String> {
    "[\\x21-\\x23\\x25-\\x7e]{1,20}"
}

/// Components of a valid code: host, matching ID, OID, flag, field 6, field 7.
type Parts = (
    String,
    String,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
);

fn parts() -> impl Strategy<Value = Parts> {
    (
        host(),
        matching_id(),
        prop::option::of(oid()),
        any::<bool>(),
        prop::option::of(opaque()),
        prop::option::of(opaque()),
    )
}

/// The canonical LPA string for `parts`, written independently of the crate.
fn canonical(p: &Parts) -> String {
    let (host, id, oid, flag, f6, f7) = p;
    let mut tail = vec![
        oid.clone(),
        flag.then(|| "1".to_owned()),
        f6.clone(),
        f7.clone(),
    ];
    while tail.last().is_some_and(Option::is_none) {
        tail.pop();
    }
    let mut s = format!("LPA:1${host}${id}");
    for field in tail {
        s.push('$');
        s.push_str(field.as_deref().unwrap_or(""));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// build → display → parse gives back the same code and the same text.
    #[test]
    fn build_then_parse_is_identity(
        host in host(),
        id in matching_id(),
        oid in prop::option::of(oid()),
        flag in any::<bool>(),
    ) {
        let mut code = ActivationCode::new(&host, &id).unwrap();
        if let Some(oid) = &oid {
            code = code.with_smdp_oid(oid).unwrap();
        }
        code = code.with_confirmation_code_required(flag).unwrap();

        prop_assert_eq!(code.smdp_address(), host.as_str());
        prop_assert_eq!(code.matching_id(), id.as_str());
        prop_assert_eq!(code.smdp_oid(), oid.as_deref());
        prop_assert_eq!(code.confirmation_code_required(), flag);

        let text = code.to_string();
        prop_assert_eq!(code.as_str(), text.as_str());
        let parsed: ActivationCode = text.parse().unwrap();
        prop_assert_eq!(&parsed, &code);
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    /// For canonical strings, parse → display is the identity (and keeps the text).
    #[test]
    fn parse_then_display_is_identity(p in parts()) {
        let text = canonical(&p);
        let code: ActivationCode = text.parse().unwrap();
        prop_assert_eq!(code.to_string(), text.clone());
        prop_assert_eq!(code.as_str(), text.as_str());
        prop_assert!(code.is_canonical());
        prop_assert_eq!(code.smdp_address(), p.0.as_str());
        prop_assert_eq!(code.matching_id(), p.1.as_str());
        prop_assert_eq!(code.smdp_oid(), p.2.as_deref());
        prop_assert_eq!(code.confirmation_code_required(), p.3);
        prop_assert_eq!(code.ci_public_key_indicator(), p.4.as_deref());
        prop_assert_eq!(code.delete_notification_for_device_change(), p.5.as_deref());
    }

    /// Any prefix case and trailing empty fields: the text is kept, display is canonical.
    #[test]
    fn non_canonical_spellings_keep_text(p in parts(), prefix in "[lL][pP][aA]:", extra in 0usize..3) {
        let canon = canonical(&p);
        let fields = canon.matches('$').count() + 1; // after the prefix
        let extra = extra.min(7 - fields);
        let text = format!("{prefix}{}{}", &canon[4..], "$".repeat(extra));
        prop_assume!(text.len() <= 255);
        let code: ActivationCode = text.parse().unwrap();
        prop_assert_eq!(code.as_str(), text.as_str());
        prop_assert_eq!(code.to_string(), canon);
    }

    /// Arbitrary strings never panic; whatever parses re-parses from its display.
    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check_arbitrary(&s)?;
    }

    /// Strings close to valid ones (right alphabet and shape) never panic either.
    #[test]
    fn near_valid_strings_never_panic(
        s in "(LPA:|lpa:|LPA|)[0-9a-zA-Z.$: \\-_/\\x00é]{0,80}",
    ) {
        check_arbitrary(&s)?;
    }

    /// Display of any valid code (parsed from mutated valid strings) re-parses to it.
    #[test]
    fn display_of_any_code_reparses(p in parts(), cut in 0usize..300, insert in "[\\x00-\\x7f]{0,3}") {
        let text = canonical(&p);
        let cut = cut.min(text.len());
        let mutated = format!("{}{}{}", &text[..cut], insert, &text[cut..]);
        check_arbitrary(&mutated)?;
    }
}

fn check_arbitrary(s: &str) -> Result<(), TestCaseError> {
    match s.parse::<ActivationCode>() {
        Ok(code) => {
            prop_assert_eq!(code.as_str(), s);
            let again: ActivationCode = code.to_string().parse().unwrap();
            prop_assert_eq!(&again, &code);
            prop_assert_eq!(again.to_string(), code.to_string());
            prop_assert!(code.as_str().len() <= 255);
            // A valid code always rebuilds through the builder, too.
            let mut built = ActivationCode::new(code.smdp_address(), code.matching_id()).unwrap();
            if let Some(oid) = code.smdp_oid() {
                built = built.with_smdp_oid(oid).unwrap();
            }
            if code.ci_public_key_indicator().is_none()
                && code.delete_notification_for_device_change().is_none()
            {
                built = built
                    .with_confirmation_code_required(code.confirmation_code_required())
                    .unwrap();
                prop_assert_eq!(&built, &code);
            }
        }
        Err(err) => {
            // Every error renders a message.
            prop_assert!(!err.to_string().is_empty());
        }
    }
    Ok(())
}
