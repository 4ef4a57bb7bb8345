//! The fixed tables the catalogue is built from (independent of the seed).

use super::model::{Region, TestBehaviour};

pub(super) const COUNTRIES: &[(&str, &str, Region)] = &[
    ("US", "United States", Region::NorthAmerica),
    ("GB", "United Kingdom", Region::Europe),
    ("FR", "France", Region::Europe),
    ("DE", "Germany", Region::Europe),
    ("IT", "Italy", Region::Europe),
    ("ES", "Spain", Region::Europe),
    ("PT", "Portugal", Region::Europe),
    ("NL", "Netherlands", Region::Europe),
    ("BE", "Belgium", Region::Europe),
    ("CH", "Switzerland", Region::Europe),
    ("AT", "Austria", Region::Europe),
    ("IE", "Ireland", Region::Europe),
    ("SE", "Sweden", Region::Europe),
    ("NO", "Norway", Region::Europe),
    ("DK", "Denmark", Region::Europe),
    ("FI", "Finland", Region::Europe),
    ("PL", "Poland", Region::Europe),
    ("CZ", "Czechia", Region::Europe),
    ("GR", "Greece", Region::Europe),
    ("TR", "Turkey", Region::Europe),
    ("UA", "Ukraine", Region::Europe),
    ("FO", "Faroe Islands", Region::Europe),
    ("IS", "Iceland", Region::Europe),
    ("HU", "Hungary", Region::Europe),
    ("RO", "Romania", Region::Europe),
    ("CA", "Canada", Region::NorthAmerica),
    ("MX", "Mexico", Region::LatinAmerica),
    ("BR", "Brazil", Region::LatinAmerica),
    ("AR", "Argentina", Region::LatinAmerica),
    ("CL", "Chile", Region::LatinAmerica),
    ("CO", "Colombia", Region::LatinAmerica),
    ("PE", "Peru", Region::LatinAmerica),
    ("JP", "Japan", Region::Asia),
    ("KR", "South Korea", Region::Asia),
    ("CN", "China", Region::Asia),
    ("HK", "Hong Kong", Region::Asia),
    ("TW", "Taiwan", Region::Asia),
    ("SG", "Singapore", Region::Asia),
    ("MY", "Malaysia", Region::Asia),
    ("TH", "Thailand", Region::Asia),
    ("VN", "Vietnam", Region::Asia),
    ("ID", "Indonesia", Region::Asia),
    ("PH", "Philippines", Region::Asia),
    ("IN", "India", Region::Asia),
    ("AE", "United Arab Emirates", Region::MiddleEast),
    ("SA", "Saudi Arabia", Region::MiddleEast),
    ("IL", "Israel", Region::MiddleEast),
    ("QA", "Qatar", Region::MiddleEast),
    ("EG", "Egypt", Region::Africa),
    ("MA", "Morocco", Region::Africa),
    ("NG", "Nigeria", Region::Africa),
    ("GH", "Ghana", Region::Africa),
    ("KE", "Kenya", Region::Africa),
    ("ZA", "South Africa", Region::Africa),
    ("TZ", "Tanzania", Region::Africa),
    ("LR", "Liberia", Region::Africa),
    ("RW", "Rwanda", Region::Africa),
    ("SN", "Senegal", Region::Africa),
    ("AU", "Australia", Region::Oceania),
    ("NZ", "New Zealand", Region::Oceania),
];

/// Hand-picked operator names (title, slug) for some countries; the others get
/// "<Country> Connect".
pub(super) const NAMED_OPERATORS: &[(&str, &str, &str)] = &[
    ("US", "Change", "change"),
    ("FR", "Élan", "elan"),
    ("FO", "Kallur Digital", "kallur-digital"),
    ("LR", "Mariocom", "mariocom"),
    ("NG", "Nigercell", "nigercell"),
    ("GB", "Albion Data", "albion-data"),
    ("DE", "Rheinfunk", "rheinfunk"),
    ("JP", "Sakura Mobile", "sakura-mobile"),
    ("TR", "Merhaba", "merhaba"),
    ("UA", "Kyivstar Go", "kyivstar-go"),
    ("IT", "Ciao Dati", "ciao-dati"),
];

/// Countries that also offer a data + voice + SMS operator: (code, title, slug).
pub(super) const VOICE_OPERATORS: &[(&str, &str, &str)] = &[
    ("GB", "Uki Mobile", "uki-mobile"),
    ("US", "Liberty Talk", "liberty-talk"),
    ("FR", "Bonbon Mobile", "bonbon-mobile"),
    ("NG", "Naija Talk", "naija-talk"),
    ("DE", "Sprechen Mobil", "sprechen-mobil"),
    ("AE", "Falcon Voice", "falcon-voice"),
    ("ZA", "Protea Talk", "protea-talk"),
    ("KE", "Safari Voice", "safari-voice"),
    ("GH", "Akwaaba Mobile", "akwaaba-mobile"),
    ("CA", "Maple Talk", "maple-talk"),
    ("AU", "Outback Voice", "outback-voice"),
    ("JP", "Kaiwa Mobile", "kaiwa-mobile"),
];

pub(super) struct PlanSpec {
    pub(super) gb: u64,
    pub(super) day: u32,
    /// base retail price in cents (USD)
    pub(super) cents: i64,
    pub(super) voice: Option<u32>,
    pub(super) text: Option<u32>,
}

pub(super) const LOCAL_DATA: &[PlanSpec] = &[
    PlanSpec {
        gb: 1,
        day: 7,
        cents: 450,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 3,
        day: 30,
        cents: 1100,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 5,
        day: 30,
        cents: 1600,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 10,
        day: 30,
        cents: 2600,
        voice: None,
        text: None,
    },
];

pub(super) const LOCAL_TOPUPS: &[PlanSpec] = &[
    PlanSpec {
        gb: 1,
        day: 7,
        cents: 400,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 3,
        day: 30,
        cents: 1000,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 10,
        day: 30,
        cents: 2300,
        voice: None,
        text: None,
    },
];

pub(super) const VOICE_PLANS: &[PlanSpec] = &[
    PlanSpec {
        gb: 2,
        day: 15,
        cents: 750,
        voice: Some(50),
        text: Some(50),
    },
    PlanSpec {
        gb: 5,
        day: 30,
        cents: 1900,
        voice: Some(100),
        text: Some(100),
    },
];

pub(super) const VOICE_TOPUPS: &[PlanSpec] = &[
    PlanSpec {
        gb: 3,
        day: 30,
        cents: 1000,
        voice: Some(100),
        text: Some(100),
    },
    PlanSpec {
        gb: 5,
        day: 30,
        cents: 1400,
        voice: Some(100),
        text: Some(100),
    },
    PlanSpec {
        gb: 10,
        day: 30,
        cents: 2300,
        voice: Some(100),
        text: Some(100),
    },
];

pub(super) const REGIONAL_DATA: &[PlanSpec] = &[
    PlanSpec {
        gb: 1,
        day: 7,
        cents: 700,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 3,
        day: 30,
        cents: 1500,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 10,
        day: 30,
        cents: 3700,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 20,
        day: 30,
        cents: 5200,
        voice: None,
        text: None,
    },
];

pub(super) const REGIONAL_TOPUPS: &[PlanSpec] = &[
    PlanSpec {
        gb: 1,
        day: 7,
        cents: 650,
        voice: None,
        text: None,
    },
    PlanSpec {
        gb: 5,
        day: 30,
        cents: 2100,
        voice: None,
        text: None,
    },
];

pub(super) const WORLD_VOICE: &[PlanSpec] = &[
    PlanSpec {
        gb: 3,
        day: 30,
        cents: 2400,
        voice: Some(100),
        text: Some(100),
    },
    PlanSpec {
        gb: 10,
        day: 30,
        cents: 5400,
        voice: Some(200),
        text: Some(200),
    },
];

pub(super) const WORLD_VOICE_TOPUPS: &[PlanSpec] = &[PlanSpec {
    gb: 3,
    day: 30,
    cents: 2200,
    voice: Some(100),
    text: Some(100),
}];

/// The Airalo sandbox package ids that force an error code (the last two are the sandbox's own,
/// for codes 43 and 53).
pub(crate) const TEST_PACKAGES: &[(&str, TestBehaviour)] = &[
    (
        "test-insufficient-balance-7days-1gb",
        TestBehaviour::InsufficientBalance,
    ),
    (
        "test-maintenance-mode-7days-1gb",
        TestBehaviour::Maintenance,
    ),
    (
        "test-disabled-top-up-7days-1gb",
        TestBehaviour::DisabledTopup,
    ),
    ("test-not-enough-7days-1gb", TestBehaviour::NotEnoughStock),
    ("test-out-of-stock-7days-1gb", TestBehaviour::OutOfStock),
    ("test-bad-request-7days-1gb", TestBehaviour::BadRequest),
    (
        "test-unexpected-error-7days-1gb",
        TestBehaviour::UnexpectedError,
    ),
];
