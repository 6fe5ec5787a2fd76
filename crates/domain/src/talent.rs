//! Talent development with a return service (handbook §3.3; issue #18), and the engagement
//! ladder *connect → attend → take part → contribute*.
//!
//! The handbook's example: the project paid two parents' bootcamp-instructor course, and one
//! of them gave free bootcamp training in return — a role model for the others. Per parent the
//! project keeps the investment (course, certificate, cost, date, budget) and the return
//! service agreed for it (say ten bootcamp sessions), linked to the sessions where it happens.

use chrono::NaiveDate;

use crate::FieldError;
use crate::activity::Cost;
use crate::quiet::TOOK_PART_VISITS;

/// Where a return service stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TalentState {
    /// Agreed with the parent; nothing given yet.
    Agreed,
    InProgress,
    Fulfilled,
    /// The project let the parent off the rest (moved, ill, other work): no debt remains.
    Released,
}

impl TalentState {
    pub const ALL: [TalentState; 4] = [
        TalentState::Agreed,
        TalentState::InProgress,
        TalentState::Fulfilled,
        TalentState::Released,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TalentState::Agreed => "agreed",
            TalentState::InProgress => "in_progress",
            TalentState::Fulfilled => "fulfilled",
            TalentState::Released => "released",
        }
    }

    pub fn parse(raw: &str) -> Result<TalentState, FieldError> {
        match raw.trim() {
            "" => Err(FieldError::Required),
            t => TalentState::ALL
                .into_iter()
                .find(|k| k.as_str() == t)
                .ok_or(FieldError::ChoiceInvalid),
        }
    }

    /// Whether the parent gives (or gave) something back: the *contribute* step of the ladder.
    pub fn gives_back(self) -> bool {
        self != TalentState::Released
    }
}

/// The budgets an investment is usually paid from; "other" lets the worker type one.
pub const BUDGETS: [&str; 4] = ["project", "municipality", "fund", "other"];

/// The most sessions a return service can ask: two years of weekly sessions.
pub const MAX_SESSIONS: u32 = 104;
pub const TEXT_MAX: usize = 120;

/// What the investment form sends.
#[derive(Debug, Clone, Copy, Default)]
pub struct TalentForm<'a> {
    pub course: &'a str,
    pub certificate: &'a str,
    pub cost: &'a str,
    pub invested_on: &'a str,
    pub budget: &'a str,
    pub budget_other: &'a str,
    pub service: &'a str,
    pub sessions_agreed: &'a str,
}

/// An investment in a parent and the return service agreed for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalentDraft {
    pub course: String,
    pub certificate: String,
    pub cost: Cost,
    pub invested_on: NaiveDate,
    /// One of [`BUDGETS`] but "other", or what the worker typed for "other".
    pub budget: String,
    pub service: String,
    pub sessions_agreed: u32,
}

fn line(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl TalentDraft {
    /// Every field's error at once, named by its form field. The date may not be more than a
    /// year after `today` (a course booked ahead), nor before 2000.
    pub fn parse(
        f: &TalentForm<'_>,
        today: NaiveDate,
    ) -> Result<TalentDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, raw: &str, required: bool| {
            let v = line(raw);
            if required && v.is_empty() {
                errors.push((field, FieldError::Required));
            } else if v.chars().count() > TEXT_MAX {
                errors.push((field, FieldError::TooLong));
            }
            v
        };
        let course = text("talent_course", f.course, true);
        let certificate = text("talent_certificate", f.certificate, false);
        let service = text("talent_service", f.service, true);
        let budget = match f.budget.trim() {
            "" => {
                errors.push(("talent_budget", FieldError::Required));
                String::new()
            }
            "other" => {
                let v = line(f.budget_other);
                if v.is_empty() {
                    errors.push(("talent_budget_other", FieldError::Required));
                } else if v.chars().count() > TEXT_MAX {
                    errors.push(("talent_budget_other", FieldError::TooLong));
                }
                v
            }
            b if BUDGETS.contains(&b) => b.to_string(),
            _ => {
                errors.push(("talent_budget", FieldError::ChoiceInvalid));
                String::new()
            }
        };
        let cost = Cost::parse(f.cost).map_err(|e| errors.push(("talent_cost", e)));
        let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(today);
        let invested_on = match f.invested_on.trim() {
            "" => Err(FieldError::Required),
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .filter(|d| *d >= earliest && *d <= today + chrono::Duration::days(366))
                .ok_or(FieldError::DateInvalid),
        }
        .map_err(|e| errors.push(("talent_invested_on", e)));
        let sessions_agreed = parse_sessions(f.sessions_agreed)
            .map_err(|e| errors.push(("talent_sessions_agreed", e)));
        match (cost, invested_on, sessions_agreed) {
            (Ok(cost), Ok(invested_on), Ok(sessions_agreed)) if errors.is_empty() => {
                Ok(TalentDraft {
                    course,
                    certificate,
                    cost,
                    invested_on,
                    budget,
                    service,
                    sessions_agreed,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The number of sessions agreed: 1 to [`MAX_SESSIONS`].
pub fn parse_sessions(raw: &str) -> Result<u32, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::Required);
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::NumberInvalid);
    }
    let n: u32 = t.parse().map_err(|_| FieldError::NumberTooLarge)?;
    match n {
        0 => Err(FieldError::NumberInvalid),
        n if n > MAX_SESSIONS => Err(FieldError::NumberTooLarge),
        n => Ok(n),
    }
}

/// The state a return service reaches by its sessions: once one is given it is in progress,
/// once all agreed are given it is fulfilled. A state the worker set by hand to released, or
/// already fulfilled, stays.
pub fn state_by_progress(current: TalentState, given: u32, agreed: u32) -> TalentState {
    match current {
        TalentState::Released | TalentState::Fulfilled => current,
        _ if agreed > 0 && given >= agreed => TalentState::Fulfilled,
        _ if given > 0 => TalentState::InProgress,
        _ => current,
    }
}

/// A step of the engagement ladder (issue #18), lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LadderStep {
    /// Known to the project: registered, contacted.
    Connect,
    /// Came at least once.
    Attend,
    /// Came at least three times (docs/indicators.md §2, "taking part").
    TakePart,
    /// Co-organises, hosts, or gives a return service.
    Contribute,
}

impl LadderStep {
    pub const ALL: [LadderStep; 4] = [
        LadderStep::Connect,
        LadderStep::Attend,
        LadderStep::TakePart,
        LadderStep::Contribute,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LadderStep::Connect => "connect",
            LadderStep::Attend => "attend",
            LadderStep::TakePart => "take_part",
            LadderStep::Contribute => "contribute",
        }
    }
}

/// What the ladder needs to know of one household.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LadderFacts {
    /// Visits ever: present at a session that was held.
    pub visits: u32,
    /// A parent of the household is named co-organiser of an activity.
    pub co_organises: bool,
    /// A parent of the household hosts sessions.
    pub hosts: bool,
    /// A parent gives, or gave, a return service (not released).
    pub gives_return_service: bool,
}

/// The highest step a household has reached. Every household the project knows has at least
/// connected. Contributing does not wait for three visits: a parent who gives bootcamp
/// sessions contributes from the first.
pub fn ladder_step(f: &LadderFacts) -> LadderStep {
    if f.co_organises || f.hosts || f.gives_return_service {
        LadderStep::Contribute
    } else if f.visits >= TOOK_PART_VISITS {
        LadderStep::TakePart
    } else if f.visits >= 1 {
        LadderStep::Attend
    } else {
        LadderStep::Connect
    }
}

/// How many households stand on each step, in the order of [`LadderStep::ALL`].
pub fn ladder_counts(steps: impl IntoIterator<Item = LadderStep>) -> [(LadderStep, u32); 4] {
    let mut out = LadderStep::ALL.map(|s| (s, 0u32));
    for s in steps {
        if let Some(slot) = out.iter_mut().find(|(k, _)| *k == s) {
            slot.1 += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default()
    }

    fn bootcamp<'a>() -> TalentForm<'a> {
        TalentForm {
            course: "Bootcamp-instructeur",
            certificate: "Instructeur niveau 2",
            cost: "450,00",
            invested_on: "2026-09-01",
            budget: "project",
            budget_other: "",
            service: "Tien bootcampsessies in het park",
            sessions_agreed: "10",
        }
    }

    #[test]
    fn the_handbooks_bootcamp_course() {
        let d = TalentDraft::parse(&bootcamp(), today());
        assert_eq!(
            d.map(|d| (d.cost.cents(), d.sessions_agreed, d.budget)),
            Ok((45_000, 10, "project".to_string()))
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = TalentForm {
            course: "",
            cost: "veel",
            invested_on: "2030-01-01",
            budget: "other",
            budget_other: " ",
            service: "",
            sessions_agreed: "0",
            ..bootcamp()
        };
        let e = TalentDraft::parse(&f, today()).err().unwrap_or_default();
        let fields: Vec<&str> = e.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![
                "talent_course",
                "talent_service",
                "talent_budget_other",
                "talent_cost",
                "talent_invested_on",
                "talent_sessions_agreed",
            ]
        );
        let f = TalentForm {
            budget: "casino",
            sessions_agreed: "105",
            ..bootcamp()
        };
        let e = TalentDraft::parse(&f, today()).err().unwrap_or_default();
        assert_eq!(
            e,
            vec![
                ("talent_budget", FieldError::ChoiceInvalid),
                ("talent_sessions_agreed", FieldError::NumberTooLarge),
            ]
        );
    }

    #[test]
    fn another_budget_is_typed() {
        let f = TalentForm {
            budget: "other",
            budget_other: "Fonds  Kinderpostzegels",
            ..bootcamp()
        };
        assert_eq!(
            TalentDraft::parse(&f, today()).map(|d| d.budget),
            Ok("Fonds Kinderpostzegels".to_string())
        );
    }

    #[test]
    fn progress_moves_the_state_but_not_back() {
        use TalentState::*;
        assert_eq!(state_by_progress(Agreed, 0, 10), Agreed);
        assert_eq!(state_by_progress(Agreed, 1, 10), InProgress);
        assert_eq!(state_by_progress(InProgress, 10, 10), Fulfilled);
        assert_eq!(state_by_progress(Fulfilled, 3, 10), Fulfilled);
        assert_eq!(state_by_progress(Released, 10, 10), Released);
    }

    #[test]
    fn the_ladder_reads_like_the_issue() {
        let f = |visits, gives| LadderFacts {
            visits,
            gives_return_service: gives,
            ..LadderFacts::default()
        };
        assert_eq!(ladder_step(&f(0, false)), LadderStep::Connect);
        assert_eq!(ladder_step(&f(1, false)), LadderStep::Attend);
        assert_eq!(ladder_step(&f(2, false)), LadderStep::Attend);
        // Three visits: taking part, as docs/indicators.md §2 counts it.
        assert_eq!(ladder_step(&f(3, false)), LadderStep::TakePart);
        // A return service is contributing, whatever the visits.
        assert_eq!(ladder_step(&f(0, true)), LadderStep::Contribute);
        let host = LadderFacts {
            hosts: true,
            ..LadderFacts::default()
        };
        assert_eq!(ladder_step(&host), LadderStep::Contribute);
        let co = LadderFacts {
            co_organises: true,
            visits: 5,
            ..LadderFacts::default()
        };
        assert_eq!(ladder_step(&co), LadderStep::Contribute);
        assert!(!TalentState::Released.gives_back());
        assert!(TalentState::Agreed.gives_back());
    }

    #[test]
    fn counts_per_step() {
        use LadderStep::*;
        let c = ladder_counts([Attend, Connect, Attend, Contribute]);
        assert_eq!(
            c,
            [(Connect, 1), (Attend, 2), (TakePart, 0), (Contribute, 1)]
        );
    }
}
