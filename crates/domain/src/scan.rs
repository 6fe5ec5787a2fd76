//! The start of a new site (handbook §3.1, §3.2, §3.5; docs/guide/scan.md): the key-informant
//! conversations of the scan, the action plan, and the start-up checklist.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::FieldError;

/// The longest free text of a conversation or a plan field.
pub const MAX_TEXT_CHARS: usize = 4000;
/// The longest name or organisation.
pub const MAX_NAME_CHARS: usize = 100;

type Errors = Vec<(&'static str, FieldError)>;

fn text(errors: &mut Errors, field: &'static str, raw: &str, max: usize, required: bool) -> String {
    let t = raw.trim().to_string();
    if required && t.is_empty() {
        errors.push((field, FieldError::Required));
    } else if t.chars().count() > max {
        errors.push((field, FieldError::TooLong));
    }
    t
}

/// A date as `YYYY-MM-DD`; `None` (and an error) when it is not one.
fn date(errors: &mut Errors, field: &'static str, raw: &str, required: bool) -> Option<NaiveDate> {
    match raw.trim() {
        "" => {
            if required {
                errors.push((field, FieldError::Required));
            }
            None
        }
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().or_else(|| {
            errors.push((field, FieldError::DateInvalid));
            None
        }),
    }
}

/// The year of the CBS figures, as the upload form gives it: 2000 up to next year.
pub fn parse_year(raw: &str, today: NaiveDate) -> Result<i32, FieldError> {
    use chrono::Datelike;
    match raw.trim() {
        "" => Err(FieldError::Required),
        raw => raw
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=today.year() + 1).contains(y))
            .ok_or(FieldError::YearInvalid),
    }
}

pub struct InformantForm<'a> {
    pub name: &'a str,
    pub organisation: &'a str,
    pub partner: &'a str,
    pub held_on: &'a str,
    pub sees: &'a str,
}

/// A conversation with a key informant: who, from which organisation (optionally a partner
/// of the register), when, and what they see in the neighbourhood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InformantDraft {
    pub name: String,
    pub organisation: String,
    /// The store checks the partner is one of the organisation's, in reach.
    pub partner_id: Option<Uuid>,
    pub held_on: NaiveDate,
    pub sees: String,
}

impl InformantDraft {
    /// Errors per field: name and what they see required; the date `YYYY-MM-DD` and not after
    /// `today` (a log of what happened); a partner, when chosen, an id.
    pub fn parse(f: &InformantForm<'_>, today: NaiveDate) -> Result<Self, Errors> {
        let mut e = Vec::new();
        let name = text(&mut e, "name", f.name, MAX_NAME_CHARS, true);
        let organisation = text(
            &mut e,
            "organisation",
            f.organisation,
            MAX_NAME_CHARS,
            false,
        );
        let partner_id = match f.partner.trim() {
            "" => None,
            raw => Uuid::parse_str(raw).ok().or_else(|| {
                e.push(("partner", FieldError::ChoiceInvalid));
                None
            }),
        };
        let held_on = date(&mut e, "held_on", f.held_on, true).filter(|d| {
            let ok = *d <= today;
            if !ok {
                e.push(("held_on", FieldError::DateInvalid));
            }
            ok
        });
        let sees = text(&mut e, "sees", f.sees, MAX_TEXT_CHARS, true);
        match held_on {
            Some(held_on) if e.is_empty() => Ok(InformantDraft {
                name,
                organisation,
                partner_id,
                held_on,
                sees,
            }),
            _ => Err(e),
        }
    }
}

pub struct PlanForm<'a> {
    pub goals: &'a str,
    pub modules: &'a str,
    pub location: &'a str,
    pub partners: &'a str,
    pub start_on: &'a str,
}

/// The action plan the scan leads to: a short document the team keeps up to date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanDraft {
    pub goals: String,
    pub modules: String,
    pub location: String,
    pub partners: String,
    pub start_on: Option<NaiveDate>,
}

impl PlanDraft {
    /// Every field may be empty (a plan grows); texts at most [`MAX_TEXT_CHARS`], the start
    /// date `YYYY-MM-DD`.
    pub fn parse(f: &PlanForm<'_>) -> Result<Self, Errors> {
        let mut e = Vec::new();
        let plan = PlanDraft {
            goals: text(&mut e, "goals", f.goals, MAX_TEXT_CHARS, false),
            modules: text(&mut e, "modules", f.modules, MAX_TEXT_CHARS, false),
            location: text(&mut e, "location", f.location, MAX_TEXT_CHARS, false),
            partners: text(&mut e, "partners", f.partners, MAX_TEXT_CHARS, false),
            start_on: date(&mut e, "start_on", f.start_on, false),
        };
        if e.is_empty() { Ok(plan) } else { Err(e) }
    }
}

/// The start-up steps of a new site, in the handbook's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StartStep {
    /// The scan (§3.1): CBS figures and key informants, leading to an action plan.
    ScanDone,
    /// Partners informed: briefings in the neighbourhood and district teams (§3.5 publicity).
    PartnersInformed,
    /// A location: near a school, accessible, free of charge (§3.5 accessibility).
    LocationChosen,
    /// Host volunteers found.
    HostsFound,
    /// The WhatsApp group for single parents started.
    WhatsappStarted,
    /// The first coffee hour planned.
    FirstCoffeeHour,
    /// The preconditions of §3.5: accessibility, time, network, publicity, quality.
    PreconditionsMet,
}

impl StartStep {
    pub const ALL: [StartStep; 7] = [
        StartStep::ScanDone,
        StartStep::PartnersInformed,
        StartStep::LocationChosen,
        StartStep::HostsFound,
        StartStep::WhatsappStarted,
        StartStep::FirstCoffeeHour,
        StartStep::PreconditionsMet,
    ];

    /// The stored text (never changes once written).
    pub fn as_str(self) -> &'static str {
        match self {
            StartStep::ScanDone => "scan",
            StartStep::PartnersInformed => "partners",
            StartStep::LocationChosen => "location",
            StartStep::HostsFound => "hosts",
            StartStep::WhatsappStarted => "whatsapp",
            StartStep::FirstCoffeeHour => "coffee-hour",
            StartStep::PreconditionsMet => "preconditions",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// "3 of 7": how many steps are ticked, of all.
pub fn progress(done: &[StartStep]) -> (usize, usize) {
    let n = StartStep::ALL.iter().filter(|s| done.contains(s)).count();
    (n, StartStep::ALL.len())
}

#[cfg(test)]
// A test that cannot go on stops with a panic, as in the integration tests.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()
    }

    #[test]
    fn a_conversation_needs_a_name_a_past_date_and_what_they_see() {
        let ok = InformantDraft::parse(
            &InformantForm {
                name: " Fatima ",
                organisation: "Basisschool De Regenboog",
                partner: "",
                held_on: "2026-11-20",
                sees: "Veel moeders alleen op het schoolplein.",
            },
            today(),
        )
        .unwrap();
        assert_eq!(ok.name, "Fatima");
        assert_eq!(ok.partner_id, None);
        let err = InformantDraft::parse(
            &InformantForm {
                name: "",
                organisation: "",
                partner: "geen-id",
                held_on: "2027-01-01",
                sees: "",
            },
            today(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            vec![
                ("name", FieldError::Required),
                ("partner", FieldError::ChoiceInvalid),
                ("held_on", FieldError::DateInvalid),
                ("sees", FieldError::Required),
            ]
        );
    }

    #[test]
    fn a_plan_may_be_empty_but_not_too_long() {
        let empty = PlanForm {
            goals: "",
            modules: "",
            location: "",
            partners: "",
            start_on: "",
        };
        assert_eq!(PlanDraft::parse(&empty), Ok(PlanDraft::default()));
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let err = PlanDraft::parse(&PlanForm {
            goals: &long,
            start_on: "morgen",
            ..empty
        })
        .unwrap_err();
        assert_eq!(
            err,
            vec![
                ("goals", FieldError::TooLong),
                ("start_on", FieldError::DateInvalid)
            ]
        );
    }

    #[test]
    fn steps_round_trip_and_count() {
        for s in StartStep::ALL {
            assert_eq!(StartStep::parse(s.as_str()), Ok(s));
        }
        assert_eq!(StartStep::parse("x"), Err(FieldError::ChoiceInvalid));
        assert_eq!(
            progress(&[StartStep::ScanDone, StartStep::HostsFound]),
            (2, 7)
        );
    }

    #[test]
    fn the_year_is_a_plausible_one() {
        assert_eq!(parse_year("2024", today()), Ok(2024));
        assert_eq!(parse_year("", today()), Err(FieldError::Required));
        assert_eq!(parse_year("1999", today()), Err(FieldError::YearInvalid));
        assert_eq!(parse_year("2028", today()), Err(FieldError::YearInvalid));
    }
}
