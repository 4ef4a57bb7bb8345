//! The provisional voice API: numbers, users, subscriptions.

use serde::{Deserialize, Serialize};

use super::{SubscriptionStatus, Timestamp};

/// A phone number that can be claimed (provisional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AvailableNumber {
    /// The number, E.164.
    pub number: String,
    /// Its country code.
    pub country: Option<String>,
}

/// A voice subscription (provisional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Subscription {
    /// The plan's name.
    pub plan: Option<String>,
    /// Its status.
    pub status: Option<SubscriptionStatus>,
    /// Whether it is a free trial.
    pub is_trial: Option<bool>,
    /// When it started.
    pub start_date: Option<Timestamp>,
    /// When it ends.
    pub end_date: Option<Timestamp>,
}

/// A user who signed up to PressOne voice through the partner (provisional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VoiceUser {
    /// The user's id.
    pub id: Option<String>,
    /// E-mail used when claiming the number.
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
    pub date_joined: Option<Timestamp>,
    /// The current subscription.
    pub subscription: Option<Subscription>,
}
