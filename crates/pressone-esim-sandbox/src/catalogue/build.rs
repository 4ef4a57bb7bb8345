//! Builds the fixed catalogue from the tables of `data.rs`.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::data::*;
use super::model::*;

struct Builder {
    cat: Catalog,
    next_operator_id: u64,
}

impl Builder {
    #[allow(clippy::too_many_arguments)]
    fn operator(
        &mut self,
        entry: Option<usize>,
        title: &str,
        slug: &str,
        global: bool,
        plan_type: PlanType,
        countries: Vec<usize>,
        variant: usize,
    ) -> usize {
        let idx = self.cat.operators.len();
        let manual = variant % 3 == 1;
        self.cat.operators.push(Operator {
            id: self.next_operator_id,
            slug: slug.to_string(),
            title: title.to_string(),
            global,
            plan_type,
            is_roaming: global || variant.is_multiple_of(2),
            rechargeable: true,
            apn_type: if manual { "manual" } else { "automatic" },
            apn_value: if manual {
                Some(format!("{}.data", slug.replace('-', "")))
            } else {
                None
            },
            countries,
            entry,
            packages: Vec::new(),
            topups: Vec::new(),
            network: format!("{title} Network"),
            style: if variant.is_multiple_of(2) {
                "light"
            } else {
                "dark"
            },
            gradient_start: if variant.is_multiple_of(2) {
                "#0f4c81"
            } else {
                "#2e7d32"
            },
            gradient_end: if variant.is_multiple_of(2) {
                "#4fc3f7"
            } else {
                "#a5d6a7"
            },
        });
        self.next_operator_id += 1;
        if let Some(e) = entry {
            self.cat.entries[e].operators.push(idx);
        }
        idx
    }

    fn package(
        &mut self,
        operator: usize,
        kind: PackageKind,
        spec: &PlanSpec,
        factor_pct: i64,
        margin_pct: i64,
    ) {
        let op_slug = self.cat.operators[operator].slug.clone();
        let mut id = format!("{}-{}days-{}gb", op_slug, spec.day, spec.gb);
        if kind == PackageKind::Topup {
            id.push_str("-topup");
        }
        let (title, data) = plan_title(spec.gb, spec.day, spec.voice, spec.text, false);
        let price = (Decimal::new(spec.cents, 2) * Decimal::new(factor_pct, 2)).round_dp(2);
        let net_price = (price * Decimal::new(margin_pct, 2)).round_dp(2);
        let short_info = if spec.voice.is_some() {
            Some("This eSIM comes with a phone number for calls and SMS.".to_string())
        } else {
            Some("This eSIM doesn't come with a phone number.".to_string())
        };
        self.push_package(Package {
            id,
            kind,
            operator,
            amount_mb: spec.gb * 1024,
            day: spec.day,
            unlimited: false,
            title,
            data,
            voice: spec.voice,
            text: spec.text,
            price,
            net_price,
            short_info,
            fair_usage_policy: None,
            test: TestBehaviour::Normal,
        });
    }

    fn unlimited(&mut self, operator: usize, day: u32, cents: i64, factor_pct: i64) {
        let op_slug = self.cat.operators[operator].slug.clone();
        let price = (Decimal::new(cents, 2) * Decimal::new(factor_pct, 2)).round_dp(2);
        let net_price = (price * Decimal::new(78, 2)).round_dp(2);
        let (title, data) = plan_title(0, day, None, None, true);
        self.push_package(Package {
            id: format!("{op_slug}-{day}days-unlimited"),
            kind: PackageKind::Sim,
            operator,
            amount_mb: 0,
            day,
            unlimited: true,
            title,
            data,
            voice: None,
            text: None,
            price,
            net_price,
            short_info: Some("This eSIM doesn't come with a phone number.".to_string()),
            fair_usage_policy: Some(
                "Lower speed rate of 1 Mbps after 3 GB usage per day.".to_string(),
            ),
            test: TestBehaviour::Normal,
        });
    }

    fn push_package(&mut self, p: Package) {
        let idx = self.cat.packages.len();
        let op = p.operator;
        self.cat.by_id.insert(p.id.clone(), idx);
        match p.kind {
            PackageKind::Sim => self.cat.operators[op].packages.push(idx),
            PackageKind::Topup => self.cat.operators[op].topups.push(idx),
        }
        self.cat.packages.push(p);
    }

    fn entry(&mut self, slug: &str, code: &str, title: &str, global: bool) -> usize {
        self.cat.entries.push(Entry {
            slug: slug.to_string(),
            country_code: code.to_string(),
            title: title.to_string(),
            global,
            operators: Vec::new(),
        });
        self.cat.entries.len() - 1
    }
}

pub(crate) fn plan_title(
    gb: u64,
    day: u32,
    voice: Option<u32>,
    text: Option<u32>,
    unlimited: bool,
) -> (String, String) {
    let data = if unlimited {
        "Unlimited".to_string()
    } else {
        format!("{gb} GB")
    };
    let mut title = data.clone();
    if let Some(t) = text {
        title.push_str(&format!(" - {t} SMS"));
    }
    if let Some(v) = voice {
        title.push_str(&format!(" - {v} Mins"));
    }
    let days = if day == 1 { "Day" } else { "Days" };
    title.push_str(&format!(" - {day} {days}"));
    (title, data)
}

fn slugify(name: &str) -> String {
    name.to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
}

impl Catalog {
    pub(crate) fn build() -> Catalog {
        let mut b = Builder {
            cat: Catalog {
                countries: COUNTRIES
                    .iter()
                    .map(|&(code, name, _)| Country { code, name })
                    .collect(),
                entries: Vec::new(),
                operators: Vec::new(),
                packages: Vec::new(),
                by_id: HashMap::new(),
            },
            next_operator_id: 1001,
        };

        // Local (country) entries.
        for (ci, &(code, name, _)) in COUNTRIES.iter().enumerate() {
            let entry = b.entry(&slugify(name), code, name, false);
            let (title, slug) = NAMED_OPERATORS
                .iter()
                .find(|(c, _, _)| *c == code)
                .map(|&(_, t, s)| (t.to_string(), s.to_string()))
                .unwrap_or_else(|| {
                    (
                        format!("{name} Connect"),
                        format!("{}-connect", slugify(name)),
                    )
                });
            let factor = 100 + (ci as i64 % 5) * 10;
            let margin = 70 + (ci as i64 % 4) * 5;
            let op = b.operator(
                Some(entry),
                &title,
                &slug,
                false,
                PlanType::Data,
                vec![ci],
                ci,
            );
            for spec in LOCAL_DATA {
                b.package(op, PackageKind::Sim, spec, factor, margin);
            }
            if ci % 3 == 0 {
                b.unlimited(op, 7, 1800, factor);
            }
            for spec in LOCAL_TOPUPS {
                b.package(op, PackageKind::Topup, spec, factor, margin);
            }
            if let Some(&(_, vt, vs)) = VOICE_OPERATORS.iter().find(|(c, _, _)| *c == code) {
                let vop = b.operator(
                    Some(entry),
                    vt,
                    vs,
                    false,
                    PlanType::VoiceText,
                    vec![ci],
                    ci + 1,
                );
                for spec in VOICE_PLANS {
                    b.package(vop, PackageKind::Sim, spec, factor, margin);
                }
                for spec in VOICE_TOPUPS {
                    b.package(vop, PackageKind::Topup, spec, factor, margin);
                }
            }
        }

        // Regional entries.
        let regions: &[(&str, &str, Region, &str, &str)] = &[
            ("europe", "Europe", Region::Europe, "Eurolink", "eurolink"),
            ("asia", "Asia", Region::Asia, "Asialink", "asialink"),
            ("africa", "Africa", Region::Africa, "Afrilink", "afrilink"),
            (
                "latin-america",
                "Latin America",
                Region::LatinAmerica,
                "Latamlink",
                "latamlink",
            ),
            (
                "middle-east",
                "Middle East",
                Region::MiddleEast,
                "Gulflink",
                "gulflink",
            ),
            (
                "north-america",
                "North America",
                Region::NorthAmerica,
                "Nortelink",
                "nortelink",
            ),
            (
                "oceania",
                "Oceania",
                Region::Oceania,
                "Pacificlink",
                "pacificlink",
            ),
        ];
        for (ri, &(slug, title, region, op_title, op_slug)) in regions.iter().enumerate() {
            let entry = b.entry(slug, "", title, true);
            let countries: Vec<usize> = COUNTRIES
                .iter()
                .enumerate()
                .filter(|(_, c)| c.2 == region)
                .map(|(i, _)| i)
                .collect();
            let op = b.operator(
                Some(entry),
                op_title,
                op_slug,
                true,
                PlanType::Data,
                countries,
                ri,
            );
            let factor = 100 + (ri as i64 % 3) * 10;
            for spec in REGIONAL_DATA {
                b.package(op, PackageKind::Sim, spec, factor, 75);
            }
            for spec in REGIONAL_TOPUPS {
                b.package(op, PackageKind::Topup, spec, factor, 75);
            }
        }

        // World.
        let entry = b.entry("world", "", "World", true);
        let all: Vec<usize> = (0..COUNTRIES.len()).collect();
        let op = b.operator(
            Some(entry),
            "Discover Global",
            "discover",
            true,
            PlanType::Data,
            all.clone(),
            0,
        );
        for spec in REGIONAL_DATA {
            b.package(op, PackageKind::Sim, spec, 140, 75);
        }
        for spec in REGIONAL_TOPUPS {
            b.package(op, PackageKind::Topup, spec, 140, 75);
        }
        let vop = b.operator(
            Some(entry),
            "Discover Global+",
            "discover-plus",
            true,
            PlanType::VoiceText,
            all,
            1,
        );
        for spec in WORLD_VOICE {
            b.package(vop, PackageKind::Sim, spec, 100, 75);
        }
        for spec in WORLD_VOICE_TOPUPS {
            b.package(vop, PackageKind::Topup, spec, 100, 75);
        }

        // Hidden operator holding the Airalo test packages (orderable, not listed).
        let us = COUNTRIES.iter().position(|c| c.0 == "US").unwrap_or(0);
        let top = b.operator(
            None,
            "Sandbox Test",
            "sandbox-test",
            false,
            PlanType::Data,
            vec![us],
            0,
        );
        for &(id, test) in TEST_PACKAGES {
            let (title, data) = plan_title(1, 7, None, None, false);
            b.push_package(Package {
                id: id.to_string(),
                kind: PackageKind::Sim,
                operator: top,
                amount_mb: 1024,
                day: 7,
                unlimited: false,
                title,
                data,
                voice: None,
                text: None,
                price: Decimal::new(450, 2),
                net_price: Decimal::new(300, 2),
                short_info: Some("Sandbox test package.".to_string()),
                fair_usage_policy: None,
                test,
            });
        }
        b.package(
            top,
            PackageKind::Topup,
            &PlanSpec {
                gb: 1,
                day: 7,
                cents: 400,
                voice: None,
                text: None,
            },
            100,
            75,
        );
        b.cat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_consistent() {
        let cat = Catalog::build();
        assert!(cat.entries.iter().filter(|e| !e.global).count() >= 50);
        for slug in ["europe", "asia", "africa", "latin-america", "world"] {
            assert!(cat.entries.iter().any(|e| e.slug == slug), "{slug}");
        }
        assert_eq!(
            cat.by_id.len(),
            cat.packages.len(),
            "package ids are unique"
        );
        for p in &cat.packages {
            assert!(p.net_price < p.price, "{}", p.id);
            assert!(p.net_price > Decimal::ZERO, "{}", p.id);
        }
        assert!(
            cat.operators
                .iter()
                .any(|o| o.plan_type == PlanType::VoiceText)
        );
        for op in &cat.operators {
            assert!(!op.topups.is_empty(), "{}", op.slug);
        }
        for (id, _) in TEST_PACKAGES {
            assert!(cat.package(id).is_some());
        }
    }
}
