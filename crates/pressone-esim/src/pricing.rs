//! Retail prices from net prices: a markup (percentage or fixed), a minimum margin and
//! rounding, in exact decimals and in any currency.
//!
//! The price is always rounded **up**, so a retail price is never below the net price plus
//! the minimum margin; the same inputs always give the same price.
//!
//! ```
//! use pressone_esim::Decimal;
//! use pressone_esim::pricing::{Markup, PricingRule, Rounding};
//!
//! let rule = PricingRule::new("25%".parse::<Markup>()?).rounding(".99".parse::<Rounding>()?);
//! // 3.20 + 25% = 4.00, then up to the next price ending in .99.
//! assert_eq!(rule.retail(Decimal::new(320, 2))?, Decimal::new(499, 2));
//!
//! let rule = PricingRule::new(Markup::Fixed(Decimal::new(150, 2)))
//!     .min_margin(Decimal::new(2, 0))
//!     .rounding(Rounding::Step(Decimal::new(50, 2)));
//! // 1.80 + max(1.50, 2) = 3.80, then up to a multiple of 0.50.
//! assert_eq!(rule.retail(Decimal::new(180, 2))?, Decimal::new(400, 2));
//! # Ok::<(), pressone_esim::pricing::PricingError>(())
//! ```

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// What is added to the net price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markup {
    /// A percentage of the net price (`25` is 25 %).
    Percent(Decimal),
    /// A fixed amount in the price's currency.
    Fixed(Decimal),
}

/// `25%` is a percentage, `1.50` a fixed amount.
impl FromStr for Markup {
    type Err = PricingError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (number, markup): (_, fn(Decimal) -> Markup) = match text.trim().strip_suffix('%') {
            Some(percent) => (percent, Markup::Percent),
            None => (text, Markup::Fixed),
        };
        decimal(number, text, "25% or 1.50").map(markup)
    }
}

/// How the retail price is rounded (always up).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rounding {
    /// Up to the currency's smallest unit only (see [`PricingRule::decimals`]).
    #[default]
    Unit,
    /// Up to the next price with this fractional part, e.g. `0.99` for `4.99`.
    Ending(Decimal),
    /// Up to a multiple of this step, e.g. `0.50` for `4.50`.
    Step(Decimal),
}

/// `.99` (a leading dot) is an ending; `0.50`, `1`, `5` are steps.
impl FromStr for Rounding {
    type Err = PricingError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let number = |number: &str| decimal(number, text, "an ending (.99) or a step (0.50)");
        let t = text.trim();
        if t.starts_with('.') {
            number(&format!("0{t}")).map(Rounding::Ending)
        } else {
            number(t).map(Rounding::Step)
        }
    }
}

/// `number` (trimmed) as a decimal; else an error saying that `text` is not what was `expected`.
fn decimal(number: &str, text: &str, expected: &str) -> Result<Decimal, PricingError> {
    number
        .trim()
        .parse()
        .map_err(|_| PricingError::Invalid(format!("{text:?} is not {expected}")))
}

/// Why no price could be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PricingError {
    /// A negative net price, markup or margin, an ending outside `[0, 1)`, a step that is not
    /// positive, or text that is not a markup or rounding.
    #[error("{0}")]
    Invalid(String),
    /// The price does not fit in a decimal.
    #[error("the price is too large")]
    Overflow,
}

/// A retail pricing rule: markup, minimum margin, rounding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PricingRule {
    markup: Markup,
    min_margin: Decimal,
    rounding: Rounding,
    decimals: u32,
}

impl PricingRule {
    /// A rule with this markup, no minimum margin, rounded up to 2 decimals.
    pub fn new(markup: Markup) -> Self {
        PricingRule {
            markup,
            min_margin: Decimal::ZERO,
            rounding: Rounding::Unit,
            decimals: 2,
        }
    }

    crate::setters! {
        /// The retail price is at least the net price plus this amount.
        min_margin(margin: Decimal) => min_margin = margin;

        /// How the price is rounded (always up).
        rounding(rounding: Rounding) => rounding = rounding;

        /// The currency's decimals (default 2; e.g. 0 for JPY): the price is first rounded up to
        /// them.
        decimals(decimals: u32) => decimals = decimals.min(12);
    }

    /// The retail price for a net price, in the same currency.
    pub fn retail(&self, net: Decimal) -> Result<Decimal, PricingError> {
        let negative = |what: &str| PricingError::Invalid(format!("the {what} is negative"));
        if net.is_sign_negative() && !net.is_zero() {
            return Err(negative("net price"));
        }
        if self.min_margin.is_sign_negative() && !self.min_margin.is_zero() {
            return Err(negative("minimum margin"));
        }
        let margin = match self.markup {
            Markup::Percent(p) => net
                .checked_mul(p)
                .and_then(|m| m.checked_div(Decimal::ONE_HUNDRED))
                .ok_or(PricingError::Overflow)?,
            Markup::Fixed(f) => f,
        };
        if margin.is_sign_negative() && !margin.is_zero() {
            return Err(negative("markup"));
        }
        let price = net
            .checked_add(margin.max(self.min_margin))
            .ok_or(PricingError::Overflow)?
            .round_dp_with_strategy(self.decimals, RoundingStrategy::ToPositiveInfinity);
        match self.rounding {
            Rounding::Unit => Ok(price),
            Rounding::Ending(ending) => {
                if ending.is_sign_negative() || ending >= Decimal::ONE {
                    return Err(PricingError::Invalid(format!(
                        "the ending {ending} is not between 0 and 1"
                    )));
                }
                let candidate = price
                    .floor()
                    .checked_add(ending)
                    .ok_or(PricingError::Overflow)?;
                if candidate >= price {
                    Ok(candidate)
                } else {
                    candidate
                        .checked_add(Decimal::ONE)
                        .ok_or(PricingError::Overflow)
                }
            }
            Rounding::Step(step) => {
                if step <= Decimal::ZERO {
                    return Err(PricingError::Invalid(format!(
                        "the step {step} is not positive"
                    )));
                }
                let rounded = price
                    .checked_div(step)
                    .map(|n| n.ceil())
                    .and_then(|n| n.checked_mul(step))
                    .ok_or(PricingError::Overflow)?;
                // A quotient rounded down in the last of its 28 digits: one more step.
                if rounded < price {
                    return rounded.checked_add(step).ok_or(PricingError::Overflow);
                }
                Ok(rounded)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_around_the_number_and_the_percent_sign_are_ignored() {
        assert_eq!(" 25 % ".parse(), Ok(Markup::Percent(Decimal::new(25, 0))));
        assert_eq!(" 1.50".parse(), Ok(Markup::Fixed(Decimal::new(150, 2))));
        assert_eq!(" .99 ".parse(), Ok(Rounding::Ending(Decimal::new(99, 2))));
    }

    #[test]
    fn a_text_that_is_not_a_markup_or_a_rounding_says_what_was_expected() {
        let markup = |text: &str| text.parse::<Markup>().unwrap_err().to_string();
        for text in ["abc", "x%", "%", ""] {
            assert_eq!(markup(text), format!("{text:?} is not 25% or 1.50"));
        }
        let rounding = |text: &str| text.parse::<Rounding>().unwrap_err().to_string();
        let expected = "is not an ending (.99) or a step (0.50)";
        for text in [".x", "..5", "", "5%"] {
            assert_eq!(rounding(text), format!("{text:?} {expected}"));
        }
    }
}
