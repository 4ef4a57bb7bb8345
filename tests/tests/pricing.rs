//! Retail pricing properties: never below cost (net price plus the minimum margin), the
//! rounding's shape, and the same answer for the same inputs.

use pressone_esim::Decimal;
use pressone_esim::pricing::{Markup, PricingRule, Rounding};
use proptest::prelude::*;

/// Amounts with 0 to 4 decimals, up to a million.
fn amount() -> impl Strategy<Value = Decimal> {
    (0i64..10_000_000_000, 0u32..=4).prop_map(|(n, scale)| Decimal::new(n, scale))
}

fn markup() -> impl Strategy<Value = Markup> {
    prop_oneof![
        (0i64..50_000, 0u32..=2).prop_map(|(n, s)| Markup::Percent(Decimal::new(n, s))),
        amount().prop_map(Markup::Fixed),
    ]
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::Unit),
        (0i64..100).prop_map(|n| Rounding::Ending(Decimal::new(n, 2))),
        (1i64..10_000, 0u32..=3).prop_map(|(n, s)| Rounding::Step(Decimal::new(n, s))),
    ]
}

proptest! {
    #[test]
    fn never_below_cost_and_deterministic(
        net in amount(),
        markup in markup(),
        min_margin in amount(),
        rounding in rounding(),
        decimals in 0u32..=3,
    ) {
        let rule = PricingRule::new(markup).min_margin(min_margin).rounding(rounding).decimals(decimals);
        let price = rule.retail(net).expect("a price");
        prop_assert!(price >= net, "{price} < net {net}");
        prop_assert!(price >= net + min_margin, "{price} < {net} + {min_margin}");
        prop_assert_eq!(rule.retail(net).expect("a price"), price);
        match rounding {
            Rounding::Ending(e) => prop_assert_eq!(price - price.floor(), e),
            Rounding::Step(s) => prop_assert!((price % s).is_zero(), "{} is not a multiple of {}", price, s),
            Rounding::Unit => prop_assert!(price.scale() <= decimals.max(4)),
        }
    }
}

#[test]
fn markups_and_roundings_parse_as_documented() {
    for (text, markup) in [
        ("25%", Markup::Percent(Decimal::new(25, 0))),
        ("1.50", Markup::Fixed(Decimal::new(150, 2))),
    ] {
        assert_eq!(text.parse::<Markup>(), Ok(markup), "{text}");
    }
    for (text, rounding) in [
        (".99", Rounding::Ending(Decimal::new(99, 2))),
        ("0.50", Rounding::Step(Decimal::new(50, 2))),
    ] {
        assert_eq!(text.parse::<Rounding>(), Ok(rounding), "{text}");
    }
    assert!("abc".parse::<Markup>().is_err());
    let rule = PricingRule::new(Markup::Percent(Decimal::new(-5, 0)));
    assert!(
        rule.retail(Decimal::ONE).is_err(),
        "a negative markup is refused"
    );
    let rule =
        PricingRule::new(Markup::Fixed(Decimal::ZERO)).rounding(Rounding::Ending(Decimal::ONE));
    assert!(
        rule.retail(Decimal::ONE).is_err(),
        "an ending of 1 is refused"
    );
    // A price that already ends in .99 stays; exact decimals, no float noise.
    let rule = PricingRule::new(Markup::Fixed(Decimal::ZERO))
        .rounding(Rounding::Ending(Decimal::new(99, 2)));
    assert_eq!(rule.retail(Decimal::new(499, 2)), Ok(Decimal::new(499, 2)));
    assert_eq!(rule.retail(Decimal::new(4991, 3)), Ok(Decimal::new(599, 2)));
}
