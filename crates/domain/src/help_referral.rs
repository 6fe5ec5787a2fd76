//! Referrals to help (issue #16, docs/guide/help-referrals.md): a worker refers a family on to
//! debt help, parenting support or other help (handbook §2.2), only with the parent's consent.
//!
//! A referral goes through fixed steps:
//!
//! ```text
//! proposed ──consent──▶ consented ──refer──▶ referred ──first contact──▶ first contact ──close──▶ closed
//!    │                     │                    │                                        ▲
//!    └──── withdraw ───────┴──▶ stopped          └──────────── close ─────────────────────┘
//! ```
//!
//! Nothing is sent without consent: `refer` is refused until the parent agreed. Withdrawing
//! the consent before the referral was sent stops it; after it was sent, the referral is
//! closed with the outcome "consent withdrawn" (the worker tells the partner). A closed or
//! stopped referral takes no more steps. Who may see a referral is the store's business (the
//! household's neighbourhood).

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use crate::consent::ConsentMethod;
use crate::fields::FieldError;

/// The kinds of help a family is referred to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HelpKind {
    DebtHelp,
    ParentingSupport,
    YouthHealthCare,
    MentalHealth,
    WorkAndIncome,
    LifestyleProgramme,
    Other,
}

impl HelpKind {
    pub const ALL: [HelpKind; 7] = [
        HelpKind::DebtHelp,
        HelpKind::ParentingSupport,
        HelpKind::YouthHealthCare,
        HelpKind::MentalHealth,
        HelpKind::WorkAndIncome,
        HelpKind::LifestyleProgramme,
        HelpKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HelpKind::DebtHelp => "debt_help",
            HelpKind::ParentingSupport => "parenting_support",
            HelpKind::YouthHealthCare => "youth_health_care",
            HelpKind::MentalHealth => "mental_health",
            HelpKind::WorkAndIncome => "work_and_income",
            HelpKind::LifestyleProgramme => "lifestyle_programme",
            HelpKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        HelpKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferralState {
    /// The worker and the parent talked about it; the parent has not agreed yet.
    Proposed,
    /// The parent agreed; not sent yet.
    Consented,
    /// Sent to the partner or the help.
    Referred,
    /// The help confirmed it reached the parent.
    FirstContact,
    /// Ended, with an outcome.
    Closed,
    /// Ended before it was sent: the parent did not agree or withdrew the consent.
    Stopped,
}

impl ReferralState {
    pub const ALL: [ReferralState; 6] = [
        ReferralState::Proposed,
        ReferralState::Consented,
        ReferralState::Referred,
        ReferralState::FirstContact,
        ReferralState::Closed,
        ReferralState::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralState::Proposed => "proposed",
            ReferralState::Consented => "consented",
            ReferralState::Referred => "referred",
            ReferralState::FirstContact => "first_contact",
            ReferralState::Closed => "closed",
            ReferralState::Stopped => "stopped",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        ReferralState::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
    }

    /// Still running: it can take a step and has a follow-up date.
    pub fn is_open(self) -> bool {
        !matches!(self, ReferralState::Closed | ReferralState::Stopped)
    }

    /// Sent to the help (whatever happened after).
    pub fn was_sent(self) -> bool {
        matches!(
            self,
            ReferralState::Referred | ReferralState::FirstContact | ReferralState::Closed
        )
    }

    /// The steps a worker can take from here, in the order the page offers them.
    pub fn steps(self) -> &'static [StepKind] {
        match self {
            ReferralState::Proposed => &[StepKind::Consent, StepKind::Withdraw],
            ReferralState::Consented => &[StepKind::Refer, StepKind::Withdraw],
            ReferralState::Referred => {
                &[StepKind::FirstContact, StepKind::Close, StepKind::Withdraw]
            }
            ReferralState::FirstContact => &[StepKind::Close, StepKind::Withdraw],
            ReferralState::Closed | ReferralState::Stopped => &[],
        }
    }
}

/// How a referral ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferralOutcome {
    /// The family gets the help.
    HelpStarted,
    /// It turned out the family did not need it (any more).
    NotNeeded,
    /// The parent decided against it after all.
    Declined,
    /// The help could not reach the parent.
    NotReached,
    /// The parent withdrew the consent after the referral was sent.
    ConsentWithdrawn,
    Other,
}

impl ReferralOutcome {
    pub const ALL: [ReferralOutcome; 6] = [
        ReferralOutcome::HelpStarted,
        ReferralOutcome::NotNeeded,
        ReferralOutcome::Declined,
        ReferralOutcome::NotReached,
        ReferralOutcome::ConsentWithdrawn,
        ReferralOutcome::Other,
    ];

    /// What a worker picks when closing: the withdrawal has its own step.
    pub const CHOSEN: [ReferralOutcome; 5] = [
        ReferralOutcome::HelpStarted,
        ReferralOutcome::NotNeeded,
        ReferralOutcome::Declined,
        ReferralOutcome::NotReached,
        ReferralOutcome::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralOutcome::HelpStarted => "help_started",
            ReferralOutcome::NotNeeded => "not_needed",
            ReferralOutcome::Declined => "declined",
            ReferralOutcome::NotReached => "not_reached",
            ReferralOutcome::ConsentWithdrawn => "consent_withdrawn",
            ReferralOutcome::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        ReferralOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == raw)
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// The kinds of step, as the page's forms name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    Consent,
    Withdraw,
    Refer,
    FirstContact,
    Close,
}

impl StepKind {
    pub const ALL: [StepKind; 5] = [
        StepKind::Consent,
        StepKind::Withdraw,
        StepKind::Refer,
        StepKind::FirstContact,
        StepKind::Close,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Consent => "consent",
            StepKind::Withdraw => "withdraw",
            StepKind::Refer => "refer",
            StepKind::FirstContact => "first_contact",
            StepKind::Close => "close",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        StepKind::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// A step of this kind (any method, any outcome): whether the kind may be taken at all.
    pub fn example(self) -> Step {
        match self {
            StepKind::Consent => Step::Consent(ConsentMethod::Verbal),
            StepKind::Withdraw => Step::Withdraw(ConsentMethod::Verbal),
            StepKind::Refer => Step::Refer,
            StepKind::FirstContact => Step::FirstContact,
            StepKind::Close => Step::Close(ReferralOutcome::Other),
        }
    }
}

/// One step, with what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The parent agreed, told the worker this way.
    Consent(ConsentMethod),
    /// The parent said no, or took the consent back.
    Withdraw(ConsentMethod),
    /// The worker sent the referral.
    Refer,
    /// The help confirmed it reached the parent.
    FirstContact,
    Close(ReferralOutcome),
}

impl Step {
    pub fn kind(self) -> StepKind {
        match self {
            Step::Consent(_) => StepKind::Consent,
            Step::Withdraw(_) => StepKind::Withdraw,
            Step::Refer => StepKind::Refer,
            Step::FirstContact => StepKind::FirstContact,
            Step::Close(_) => StepKind::Close,
        }
    }
}

/// Why a step cannot be taken now. Each has a message (`help-refused-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Sending without the parent's consent.
    NoConsent,
    /// The referral ended (closed or stopped).
    Ended,
    /// The step does not follow from where the referral stands (consent twice, first
    /// contact before it was sent, closing what was never sent).
    NotNow,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NoConsent => "help-refused-no-consent",
            Refusal::Ended => "help-refused-ended",
            Refusal::NotNow => "help-refused-not-now",
        }
    }
}

/// Where a step leads: the new state, and the outcome when it ends the referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: ReferralState,
    pub outcome: Option<ReferralOutcome>,
}

/// The rules of the steps (see the module's picture).
pub fn next(from: ReferralState, step: Step) -> Result<Transition, Refusal> {
    use ReferralState as S;
    let to = |to| Ok(Transition { to, outcome: None });
    if !from.is_open() {
        return Err(Refusal::Ended);
    }
    match (from, step) {
        (S::Proposed, Step::Consent(_)) => to(S::Consented),
        (S::Proposed | S::Consented, Step::Withdraw(_)) => to(S::Stopped),
        (S::Referred | S::FirstContact, Step::Withdraw(_)) => Ok(Transition {
            to: S::Closed,
            outcome: Some(ReferralOutcome::ConsentWithdrawn),
        }),
        (S::Proposed, Step::Refer) => Err(Refusal::NoConsent),
        (S::Consented, Step::Refer) => to(S::Referred),
        (S::Referred, Step::FirstContact) => to(S::FirstContact),
        (S::Referred | S::FirstContact, Step::Close(outcome)) => Ok(Transition {
            to: S::Closed,
            outcome: Some(outcome),
        }),
        _ => Err(Refusal::NotNow),
    }
}

/// When the worker looks at an open referral again, unless they pick a date: a week to ask a
/// proposed one's consent, three days to send a consented one, two weeks for the help to
/// reach the parent, six weeks to hear how it goes. An ended one has no follow-up.
pub fn default_follow_up(state: ReferralState, on: NaiveDate) -> Option<NaiveDate> {
    let days = match state {
        ReferralState::Proposed => 7,
        ReferralState::Consented => 3,
        ReferralState::Referred => 14,
        ReferralState::FirstContact => 42,
        ReferralState::Closed | ReferralState::Stopped => return None,
    };
    Some(on + Duration::days(days))
}

/// The longest "why" of a referral: a short reason, not a case file.
pub const MAX_REASON_CHARS: usize = 300;
/// How far ahead a follow-up date may lie.
pub const MAX_FOLLOW_UP_DAYS: i64 = 366;

/// A date a step happened on: `YYYY-MM-DD`, not after `today` and not before `earliest` (the
/// referral's previous step). `Required` when empty.
fn step_date(
    raw: &str,
    today: NaiveDate,
    earliest: Option<NaiveDate>,
) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::Required);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|d| *d <= today && earliest.is_none_or(|e| *d >= e))
        .ok_or(FieldError::DateInvalid)
}

/// A follow-up date: empty is none (the default applies); else `YYYY-MM-DD`, from today up to
/// [`MAX_FOLLOW_UP_DAYS`] ahead.
fn follow_up_date(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|d| *d >= today && *d <= today + Duration::days(MAX_FOLLOW_UP_DAYS))
        .map(Some)
        .ok_or(FieldError::DateInvalid)
}

/// The new-referral form as it arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReferralForm<'a> {
    pub kind: &'a str,
    /// A partner organisation's id, or empty for none.
    pub partner: &'a str,
    pub reason: &'a str,
    /// "now" when the parent agreed already (then method and date count), else "later".
    pub consent: &'a str,
    pub consent_method: &'a str,
    pub consent_on: &'a str,
    pub follow_up_on: &'a str,
}

/// A new referral, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralDraft {
    pub kind: HelpKind,
    /// Whether the partner is the caller's to choose is the store's check.
    pub partner: Option<Uuid>,
    pub reason: String,
    /// The consent the parent gave already: how and on which day.
    pub consent: Option<(ConsentMethod, NaiveDate)>,
    pub follow_up_on: NaiveDate,
}

impl ReferralDraft {
    /// The state a new referral starts in.
    pub fn state(&self) -> ReferralState {
        if self.consent.is_some() {
            ReferralState::Consented
        } else {
            ReferralState::Proposed
        }
    }

    /// Parses the form. Errors per field: the kind of help is required and one of
    /// [`HelpKind::ALL`] (`help_kind`); a partner, when chosen, an id (`help_partner`); the
    /// reason required and at most [`MAX_REASON_CHARS`] (`help_reason`); whether the parent
    /// agreed, "now" or "later" (`help_consent`); with "now", how (`help_consent_method`) and
    /// on which day, not after today (`help_consent_on`); the follow-up date, when given, from
    /// today up to a year ahead (`help_follow_up_on`; empty: [`default_follow_up`]).
    pub fn parse(
        form: &ReferralForm<'_>,
        today: NaiveDate,
    ) -> Result<ReferralDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let kind = HelpKind::parse(form.kind)
            .map_err(|e| errors.push(("help_kind", e)))
            .ok();
        let partner = match form.partner.trim() {
            "" => Some(None),
            raw => Uuid::parse_str(raw)
                .map(Some)
                .map_err(|_| errors.push(("help_partner", FieldError::ChoiceInvalid)))
                .ok(),
        };
        let reason = form.reason.trim().to_string();
        if reason.is_empty() {
            errors.push(("help_reason", FieldError::Required));
        } else if reason.chars().count() > MAX_REASON_CHARS {
            errors.push(("help_reason", FieldError::TooLong));
        }
        let consent = match form.consent.trim() {
            "now" => {
                let method = ConsentMethod::parse(form.consent_method)
                    .map_err(|e| errors.push(("help_consent_method", e)))
                    .ok();
                let on = step_date(form.consent_on, today, None)
                    .map_err(|e| errors.push(("help_consent_on", e)))
                    .ok();
                method.zip(on).map(Some)
            }
            "later" => Some(None),
            "" => {
                errors.push(("help_consent", FieldError::Required));
                None
            }
            _ => {
                errors.push(("help_consent", FieldError::ChoiceInvalid));
                None
            }
        };
        let follow_up = follow_up_date(form.follow_up_on, today)
            .map_err(|e| errors.push(("help_follow_up_on", e)))
            .ok();
        match (kind, partner, consent, follow_up) {
            (Some(kind), Some(partner), Some(consent), Some(follow_up)) if errors.is_empty() => {
                let state = if consent.is_some() {
                    ReferralState::Consented
                } else {
                    ReferralState::Proposed
                };
                let from = consent.map_or(today, |(_, on)| on.max(today));
                Ok(ReferralDraft {
                    kind,
                    partner,
                    reason,
                    consent,
                    follow_up_on: follow_up
                        .or_else(|| default_follow_up(state, from))
                        .unwrap_or(today),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A step's form as it arrives: which step, on which day, and what the step needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepForm<'a> {
    pub step: &'a str,
    pub on: &'a str,
    pub method: &'a str,
    pub outcome: &'a str,
    pub follow_up_on: &'a str,
}

/// A step, valid: what happened, on which day, and the next follow-up (`None` when the step
/// ends the referral).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDraft {
    pub step: Step,
    pub on: NaiveDate,
    pub transition: Transition,
    pub follow_up_on: Option<NaiveDate>,
}

/// A step refused: at the fields, or as a whole (it does not follow from the state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    Fields(Vec<(&'static str, FieldError)>),
    Refused(Refusal),
}

impl StepDraft {
    /// Parses a step for a referral that stands at `from` and whose latest step was on
    /// `latest`. An unknown step is `NotNow`. Errors per field: the day (`step_on`), not
    /// after today nor before `latest`; the consent's method for a consent or withdrawal
    /// (`step_method`); the outcome for closing (`step_outcome`, one of
    /// [`ReferralOutcome::CHOSEN`]); the follow-up date as on the new form
    /// (`step_follow_up_on`; empty:
    /// [`default_follow_up`] from the step's day, or from today when that lies later).
    pub fn parse(
        form: &StepForm<'_>,
        from: ReferralState,
        latest: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<StepDraft, StepError> {
        let Some(kind) = StepKind::parse(form.step) else {
            return Err(StepError::Refused(Refusal::NotNow));
        };
        // Whether the step may be taken at all comes first: no field helps with that.
        next(from, kind.example()).map_err(StepError::Refused)?;
        let mut errors = Vec::new();
        let on = step_date(form.on, today, latest)
            .map_err(|e| errors.push(("step_on", e)))
            .ok();
        let mut method = || {
            ConsentMethod::parse(form.method)
                .map_err(|e| errors.push(("step_method", e)))
                .ok()
        };
        let step = match kind {
            StepKind::Consent => method().map(Step::Consent),
            StepKind::Withdraw => method().map(Step::Withdraw),
            StepKind::Refer => Some(Step::Refer),
            StepKind::FirstContact => Some(Step::FirstContact),
            StepKind::Close => ReferralOutcome::parse(form.outcome)
                .and_then(|o| {
                    ReferralOutcome::CHOSEN
                        .contains(&o)
                        .then_some(o)
                        .ok_or(FieldError::ChoiceInvalid)
                })
                .map(Step::Close)
                .map_err(|e| errors.push(("step_outcome", e)))
                .ok(),
        };
        let follow_up = follow_up_date(form.follow_up_on, today)
            .map_err(|e| errors.push(("step_follow_up_on", e)))
            .ok();
        match (step, on, follow_up) {
            (Some(step), Some(on), Some(follow_up)) if errors.is_empty() => {
                let transition = next(from, step).map_err(StepError::Refused)?;
                Ok(StepDraft {
                    step,
                    on,
                    transition,
                    follow_up_on: if transition.to.is_open() {
                        follow_up.or_else(|| default_follow_up(transition.to, on.max(today)))
                    } else {
                        None
                    },
                })
            }
            _ => Err(StepError::Fields(errors)),
        }
    }
}

/// A new follow-up date for an open referral, from its own little form.
pub fn parse_follow_up(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    follow_up_date(raw, today)?.ok_or(FieldError::Required)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralState as S;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    fn to(state: ReferralState) -> Result<Transition, Refusal> {
        Ok(Transition {
            to: state,
            outcome: None,
        })
    }

    const VERBAL: ConsentMethod = ConsentMethod::Verbal;

    #[test]
    fn a_referral_goes_from_proposed_through_consent_and_sending_to_closed() {
        assert_eq!(next(S::Proposed, Step::Consent(VERBAL)), to(S::Consented));
        assert_eq!(next(S::Consented, Step::Refer), to(S::Referred));
        assert_eq!(next(S::Referred, Step::FirstContact), to(S::FirstContact));
        assert_eq!(
            next(S::FirstContact, Step::Close(ReferralOutcome::HelpStarted)),
            Ok(Transition {
                to: S::Closed,
                outcome: Some(ReferralOutcome::HelpStarted)
            })
        );
    }

    #[test]
    fn no_referral_is_sent_without_the_parents_consent() {
        assert_eq!(next(S::Proposed, Step::Refer), Err(Refusal::NoConsent));
        // Every state a referral can be sent from has the consent.
        for s in ReferralState::ALL {
            if next(s, Step::Refer).is_ok() {
                assert_eq!(s, S::Consented);
            }
        }
    }

    #[test]
    fn withdrawing_the_consent_before_sending_stops_the_referral() {
        assert_eq!(next(S::Proposed, Step::Withdraw(VERBAL)), to(S::Stopped));
        assert_eq!(next(S::Consented, Step::Withdraw(VERBAL)), to(S::Stopped));
        // Stopped, it can no longer be sent.
        assert_eq!(next(S::Stopped, Step::Refer), Err(Refusal::Ended));
    }

    #[test]
    fn withdrawing_after_sending_closes_it_with_that_outcome() {
        for s in [S::Referred, S::FirstContact] {
            assert_eq!(
                next(s, Step::Withdraw(ConsentMethod::Paper)),
                Ok(Transition {
                    to: S::Closed,
                    outcome: Some(ReferralOutcome::ConsentWithdrawn)
                })
            );
        }
    }

    #[test]
    fn an_ended_referral_takes_no_more_steps() {
        let steps = [
            Step::Consent(VERBAL),
            Step::Withdraw(VERBAL),
            Step::Refer,
            Step::FirstContact,
            Step::Close(ReferralOutcome::Other),
        ];
        for s in [S::Closed, S::Stopped] {
            assert!(!s.is_open());
            assert!(s.steps().is_empty());
            for step in steps {
                assert_eq!(next(s, step), Err(Refusal::Ended), "{s:?} {step:?}");
            }
        }
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        assert_eq!(
            next(S::Consented, Step::Consent(VERBAL)),
            Err(Refusal::NotNow)
        );
        assert_eq!(next(S::Proposed, Step::FirstContact), Err(Refusal::NotNow));
        assert_eq!(next(S::Consented, Step::FirstContact), Err(Refusal::NotNow));
        assert_eq!(next(S::Referred, Step::Refer), Err(Refusal::NotNow));
        // What was never sent is not closed with an outcome: it is stopped.
        for s in [S::Proposed, S::Consented] {
            assert_eq!(
                next(s, Step::Close(ReferralOutcome::HelpStarted)),
                Err(Refusal::NotNow)
            );
        }
    }

    #[test]
    fn the_page_offers_exactly_the_steps_the_rules_allow() {
        for s in ReferralState::ALL {
            for k in StepKind::ALL {
                assert_eq!(
                    s.steps().contains(&k),
                    next(s, k.example()).is_ok(),
                    "{s:?} {k:?}"
                );
            }
        }
    }

    #[test]
    fn a_sent_referral_stays_sent() {
        assert!(!S::Proposed.was_sent() && !S::Consented.was_sent() && !S::Stopped.was_sent());
        assert!(S::Referred.was_sent() && S::FirstContact.was_sent() && S::Closed.was_sent());
    }

    #[test]
    fn the_follow_up_comes_sooner_the_more_there_is_to_do() {
        assert_eq!(default_follow_up(S::Proposed, day(1)), Some(day(8)));
        assert_eq!(default_follow_up(S::Consented, day(1)), Some(day(4)));
        assert_eq!(default_follow_up(S::Referred, day(1)), Some(day(15)));
        assert_eq!(
            default_follow_up(S::FirstContact, day(1)),
            Some(day(1) + Duration::days(42))
        );
        assert_eq!(default_follow_up(S::Closed, day(1)), None);
        assert_eq!(default_follow_up(S::Stopped, day(1)), None);
    }

    #[test]
    fn names_round_trip() {
        for k in HelpKind::ALL {
            assert_eq!(HelpKind::parse(k.as_str()), Ok(k));
        }
        for s in ReferralState::ALL {
            assert_eq!(ReferralState::parse(s.as_str()), Some(s));
        }
        for o in ReferralOutcome::ALL {
            assert_eq!(ReferralOutcome::parse(o.as_str()), Ok(o));
        }
        for k in StepKind::ALL {
            assert_eq!(StepKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(HelpKind::parse(""), Err(FieldError::Required));
        assert_eq!(HelpKind::parse("bank"), Err(FieldError::ChoiceInvalid));
    }

    fn form<'a>() -> ReferralForm<'a> {
        ReferralForm {
            kind: "debt_help",
            partner: "",
            reason: "  Zorgen over rekeningen; wil graag hulp bij het op orde brengen. ",
            consent: "later",
            ..Default::default()
        }
    }

    #[test]
    fn a_new_referral_without_consent_is_proposed_and_followed_up_in_a_week() {
        let d = ReferralDraft::parse(&form(), day(10)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.kind, HelpKind::DebtHelp);
        assert_eq!(d.partner, None);
        assert_eq!(
            d.reason,
            "Zorgen over rekeningen; wil graag hulp bij het op orde brengen."
        );
        assert_eq!(d.state(), S::Proposed);
        assert_eq!(d.follow_up_on, day(17));
    }

    #[test]
    fn a_new_referral_with_consent_records_how_and_when() {
        let f = ReferralForm {
            consent: "now",
            consent_method: "paper",
            consent_on: "2026-12-09",
            follow_up_on: "2026-12-11",
            partner: "0193a3c4-0000-7000-8000-000000000001",
            ..form()
        };
        let d = ReferralDraft::parse(&f, day(10)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.consent, Some((ConsentMethod::Paper, day(9))));
        assert_eq!(d.state(), S::Consented);
        assert_eq!(d.follow_up_on, day(11));
        assert!(d.partner.is_some());
    }

    #[test]
    fn every_bad_field_of_a_new_referral_is_named() {
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        let bad = ReferralForm {
            kind: "bank",
            partner: "school",
            reason: &long,
            consent: "now",
            consent_method: "",
            consent_on: "2026-12-11",
            follow_up_on: "2026-12-09",
        };
        assert_eq!(
            ReferralDraft::parse(&bad, day(10)),
            Err(vec![
                ("help_kind", FieldError::ChoiceInvalid),
                ("help_partner", FieldError::ChoiceInvalid),
                ("help_reason", FieldError::TooLong),
                ("help_consent_method", FieldError::ChoiceInvalid),
                ("help_consent_on", FieldError::DateInvalid),
                ("help_follow_up_on", FieldError::DateInvalid),
            ])
        );
        assert_eq!(
            ReferralDraft::parse(&ReferralForm::default(), day(10)),
            Err(vec![
                ("help_kind", FieldError::Required),
                ("help_reason", FieldError::Required),
                ("help_consent", FieldError::Required),
            ])
        );
    }

    fn step<'a>(step: &'a str, on: &'a str) -> StepForm<'a> {
        StepForm {
            step,
            on,
            ..Default::default()
        }
    }

    #[test]
    fn a_step_is_dated_between_the_previous_step_and_today() {
        let ok = StepDraft::parse(
            &step("refer", "2026-12-10"),
            S::Consented,
            Some(day(8)),
            day(10),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(ok.step, Step::Refer);
        assert_eq!(ok.transition.to, S::Referred);
        assert_eq!(
            ok.follow_up_on,
            Some(day(24)),
            "two weeks for the first contact"
        );
        for (on, err) in [
            ("2026-12-11", FieldError::DateInvalid),
            ("2026-12-07", FieldError::DateInvalid),
            ("gisteren", FieldError::DateInvalid),
            ("", FieldError::Required),
        ] {
            assert_eq!(
                StepDraft::parse(&step("refer", on), S::Consented, Some(day(8)), day(10)),
                Err(StepError::Fields(vec![("step_on", err)])),
                "{on}"
            );
        }
    }

    #[test]
    fn a_step_that_does_not_follow_is_refused_before_its_fields_are_read() {
        assert_eq!(
            StepDraft::parse(&step("refer", ""), S::Proposed, None, day(10)),
            Err(StepError::Refused(Refusal::NoConsent))
        );
        assert_eq!(
            StepDraft::parse(
                &step("first_contact", "2026-12-10"),
                S::Stopped,
                None,
                day(10)
            ),
            Err(StepError::Refused(Refusal::Ended))
        );
        assert_eq!(
            StepDraft::parse(&step("bake", "2026-12-10"), S::Proposed, None, day(10)),
            Err(StepError::Refused(Refusal::NotNow))
        );
    }

    #[test]
    fn consent_steps_need_how_and_closing_needs_an_outcome() {
        assert_eq!(
            StepDraft::parse(&step("consent", "2026-12-10"), S::Proposed, None, day(10)),
            Err(StepError::Fields(vec![(
                "step_method",
                FieldError::ChoiceInvalid
            )]))
        );
        let withdrawn = StepDraft::parse(
            &StepForm {
                method: "verbal",
                ..step("withdraw", "2026-12-10")
            },
            S::Consented,
            None,
            day(10),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(withdrawn.transition.to, S::Stopped);
        assert_eq!(
            withdrawn.follow_up_on, None,
            "an ended referral needs no follow-up"
        );
        assert_eq!(
            StepDraft::parse(&step("close", "2026-12-10"), S::Referred, None, day(10)),
            Err(StepError::Fields(vec![(
                "step_outcome",
                FieldError::Required
            )]))
        );
        // The withdrawal has its own step; it is not an outcome to pick.
        assert_eq!(
            StepDraft::parse(
                &StepForm {
                    outcome: "consent_withdrawn",
                    ..step("close", "2026-12-10")
                },
                S::Referred,
                None,
                day(10)
            ),
            Err(StepError::Fields(vec![(
                "step_outcome",
                FieldError::ChoiceInvalid
            )]))
        );
    }

    #[test]
    fn a_follow_up_date_lies_between_today_and_a_year_ahead() {
        assert_eq!(parse_follow_up("2026-12-10", day(10)), Ok(day(10)));
        assert_eq!(parse_follow_up("", day(10)), Err(FieldError::Required));
        assert_eq!(
            parse_follow_up("2026-12-09", day(10)),
            Err(FieldError::DateInvalid)
        );
        assert_eq!(
            parse_follow_up("2028-01-01", day(10)),
            Err(FieldError::DateInvalid)
        );
    }
}

/// One referral as the figures count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureInput {
    pub kind: HelpKind,
    /// The partner organisation's name; `None` when none was chosen.
    pub partner: Option<String>,
    pub outcome: Option<ReferralOutcome>,
    pub referred_on: Option<NaiveDate>,
    pub first_contact_on: Option<NaiveDate>,
}

/// The counts of one line of the figures (a kind of help, or a partner).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureLine {
    /// Every referral made, sent or not.
    pub made: usize,
    /// Sent to the help.
    pub sent: usize,
    /// Of those sent, the help reached the parent.
    pub first_contact: usize,
    /// Closed with "the help has started".
    pub help_started: usize,
    /// Days from sending to the first contact, the middle value; `None` without any.
    pub median_days_to_contact: Option<i64>,
}

/// Referrals to help in figures, for coordinators: per kind of help (in the order of
/// [`HelpKind::ALL`], kinds without referrals left out), per partner (by name; "no partner"
/// last as `None`) and in total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub by_kind: Vec<(HelpKind, FigureLine)>,
    pub by_partner: Vec<(Option<String>, FigureLine)>,
    pub total: FigureLine,
}

/// The middle value of a list of days (the lower of the two middle ones for an even count, so
/// it is always a number of days that happened).
pub(crate) fn median(mut days: Vec<i64>) -> Option<i64> {
    days.sort_unstable();
    let n = days.len();
    (n > 0).then(|| days[(n - 1) / 2])
}

fn line<'a>(rows: impl Iterator<Item = &'a FigureInput>) -> FigureLine {
    let mut l = FigureLine::default();
    let mut days = Vec::new();
    for r in rows {
        l.made += 1;
        // A referral closed after the consent was withdrawn may never have been sent; the
        // sending day says whether it was.
        if r.referred_on.is_some() {
            l.sent += 1;
        }
        if let (Some(sent), Some(contact)) = (r.referred_on, r.first_contact_on) {
            l.first_contact += 1;
            days.push((contact - sent).num_days().max(0));
        }
        if r.outcome == Some(ReferralOutcome::HelpStarted) {
            l.help_started += 1;
        }
    }
    l.median_days_to_contact = median(days);
    l
}

/// Count the referrals (see [`Figures`]).
pub fn figures(rows: &[FigureInput]) -> Figures {
    let by_kind = HelpKind::ALL
        .into_iter()
        .filter_map(|k| {
            let l = line(rows.iter().filter(|r| r.kind == k));
            (l.made > 0).then_some((k, l))
        })
        .collect();
    let mut partners: Vec<Option<String>> = rows.iter().map(|r| r.partner.clone()).collect();
    // Named partners by name, then "no partner".
    partners.sort_by(|a, b| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    partners.dedup();
    let by_partner = partners
        .into_iter()
        .map(|p| {
            let l = line(rows.iter().filter(|r| r.partner == p));
            (p, l)
        })
        .collect();
    Figures {
        by_kind,
        by_partner,
        total: line(rows.iter()),
    }
}

#[cfg(test)]
mod figure_tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    fn row(
        kind: HelpKind,
        partner: Option<&str>,
        sent: Option<u32>,
        contact: Option<u32>,
    ) -> FigureInput {
        FigureInput {
            kind,
            partner: partner.map(String::from),
            outcome: None,
            referred_on: sent.map(day),
            first_contact_on: contact.map(day),
        }
    }

    #[test]
    fn referrals_are_counted_per_kind_and_partner_with_the_days_to_first_contact() {
        let mut done = row(HelpKind::DebtHelp, Some("Schuldhulp"), Some(1), Some(11));
        done.outcome = Some(ReferralOutcome::HelpStarted);
        let rows = vec![
            done,
            row(HelpKind::DebtHelp, Some("Schuldhulp"), Some(2), Some(4)),
            row(HelpKind::DebtHelp, Some("Schuldhulp"), Some(3), None),
            row(HelpKind::ParentingSupport, None, None, None),
            row(HelpKind::MentalHealth, Some("GGZ"), Some(5), Some(12)),
        ];
        let f = figures(&rows);
        assert_eq!(
            f.by_kind.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            vec![
                HelpKind::DebtHelp,
                HelpKind::ParentingSupport,
                HelpKind::MentalHealth
            ],
            "in the order of the kinds, only those with referrals"
        );
        let debt = &f.by_kind[0].1;
        assert_eq!(
            (debt.made, debt.sent, debt.first_contact, debt.help_started),
            (3, 3, 2, 1)
        );
        // 10 and 2 days: the lower middle value.
        assert_eq!(debt.median_days_to_contact, Some(2));
        assert_eq!(f.by_kind[1].1.sent, 0, "a proposal is not sent");
        assert_eq!(f.by_kind[1].1.median_days_to_contact, None);
        assert_eq!(
            f.by_partner
                .iter()
                .map(|(p, _)| p.clone())
                .collect::<Vec<_>>(),
            vec![
                Some("GGZ".to_string()),
                Some("Schuldhulp".to_string()),
                None
            ]
        );
        assert_eq!(f.total.made, 5);
        assert_eq!(f.total.sent, 4);
        assert_eq!(f.total.first_contact, 3);
        // 10, 2 and 7 days.
        assert_eq!(f.total.median_days_to_contact, Some(7));
    }

    #[test]
    fn no_referrals_give_empty_figures() {
        let f = figures(&[]);
        assert!(f.by_kind.is_empty() && f.by_partner.is_empty());
        assert_eq!(f.total, FigureLine::default());
    }
}
