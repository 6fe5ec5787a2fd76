//! Inbound referrals (issue #16, docs/guide/referrals.md): a partner tells the team about a
//! parent who would like to meet other parents (handbook §2.6, the intermediary role). The
//! parent confirms on their own phone before anything about them becomes a household; a
//! referral that is never confirmed expires after [`EXPIRES_AFTER`] and loses its contact
//! details. What the partner sees back is only [`PartnerStatus`].

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::fields::{FieldError, PersonName};
use crate::household::Source;
use crate::partner::PartnerKind;
use crate::portal::ContactKey;

/// How long a referral waits for the parent: after this, unconfirmed, it expires and its
/// contact details are erased.
pub const EXPIRES_AFTER: Duration = Duration::days(30);

/// The longest "what the parent is looking for".
pub const MAX_NEED_CHARS: usize = 300;

/// The referral form as it arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReferralForm<'a> {
    pub first_name: &'a str,
    /// A phone number or an e-mail address, as typed.
    pub reach: &'a str,
    pub need: &'a str,
    pub neighbourhood: &'a str,
    /// The tick "the parent agreed to be contacted".
    pub agreed: bool,
}

/// A valid referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralDraft {
    pub first_name: PersonName,
    pub reach: ContactKey,
    pub need: String,
    /// One of the partner's neighbourhoods: the store checks that.
    pub neighbourhood: Uuid,
}

impl ReferralDraft {
    /// Parses the form; every bad field at once, named as the form's fields. The first name
    /// is required (at most [`PersonName::MAX_CHARS`]); how to reach the parent is a phone
    /// number or an e-mail address (`Required`, else `ContactInvalid`); what they look for is
    /// required and at most [`MAX_NEED_CHARS`]; the neighbourhood an id; and without the
    /// parent's agreement to be contacted there is no referral (`Required` on `agreed`).
    pub fn parse(
        form: &ReferralForm<'_>,
    ) -> Result<ReferralDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let first_name = PersonName::parse(form.first_name)
            .map_err(|e| errors.push(("first_name", e)))
            .ok();
        let reach = ContactKey::parse(form.reach)
            .map_err(|e| errors.push(("reach", e)))
            .ok();
        let need = form.need.trim().to_string();
        if need.is_empty() {
            errors.push(("need", FieldError::Required));
        } else if need.chars().count() > MAX_NEED_CHARS {
            errors.push(("need", FieldError::TooLong));
        }
        let neighbourhood = match form.neighbourhood.trim() {
            "" => {
                errors.push(("neighbourhood_id", FieldError::Required));
                None
            }
            raw => Uuid::parse_str(raw).ok().or_else(|| {
                errors.push(("neighbourhood_id", FieldError::ChoiceInvalid));
                None
            }),
        };
        if !form.agreed {
            errors.push(("agreed", FieldError::Required));
        }
        match (first_name, reach, neighbourhood) {
            (Some(first_name), Some(reach), Some(neighbourhood)) if errors.is_empty() => {
                Ok(ReferralDraft {
                    first_name,
                    reach,
                    need,
                    neighbourhood,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Where a referral stands, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralState {
    /// Made by the partner; the parent has not answered yet.
    Waiting,
    /// The parent said yes on their own phone; the worker has not acted on it yet.
    Confirmed,
    /// The parent said no: the contact details are erased at once.
    Declined,
    /// Nobody confirmed within [`EXPIRES_AFTER`]: the contact details are erased.
    Expired,
    /// Became a new household, or joined an existing one.
    Household,
}

impl ReferralState {
    pub const ALL: [ReferralState; 5] = [
        ReferralState::Waiting,
        ReferralState::Confirmed,
        ReferralState::Declined,
        ReferralState::Expired,
        ReferralState::Household,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralState::Waiting => "waiting",
            ReferralState::Confirmed => "confirmed",
            ReferralState::Declined => "declined",
            ReferralState::Expired => "expired",
            ReferralState::Household => "household",
        }
    }

    pub fn parse(raw: &str) -> Option<ReferralState> {
        ReferralState::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the parent may still answer the link.
    pub fn awaits_parent(self) -> bool {
        self == ReferralState::Waiting
    }
}

/// Whether a referral made at `created_at` and still waiting has expired at `at`.
pub fn expired(created_at: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    at >= created_at + EXPIRES_AFTER
}

/// All a partner is told about a referral (issue #16): never notes, attendance or anything
/// else about the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartnerStatus {
    /// The team has it; the parent has not yet been taken on.
    Received,
    /// The family is in the register.
    ContactMade,
    /// The family came to an activity.
    Joined,
    /// The parent declined, never answered, or the family left without coming.
    DidNotJoin,
}

impl PartnerStatus {
    /// A stable name, for what is stored and for de-duplicating the referrer's mails.
    pub fn code(self) -> &'static str {
        match self {
            PartnerStatus::Received => "received",
            PartnerStatus::ContactMade => "contact-made",
            PartnerStatus::Joined => "joined",
            PartnerStatus::DidNotJoin => "did-not-join",
        }
    }

    /// The Fluent key of the status's name.
    pub fn key(self) -> &'static str {
        match self {
            PartnerStatus::Received => "referral-status-received",
            PartnerStatus::ContactMade => "referral-status-contact-made",
            PartnerStatus::Joined => "referral-status-joined",
            PartnerStatus::DidNotJoin => "referral-status-did-not-join",
        }
    }
}

/// What the family's household says, for [`partner_status`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HouseholdFacts {
    /// When it first came to a session.
    pub first_visit: Option<DateTime<Utc>>,
    /// It left (status "left") or was erased, without ever coming.
    pub gone: bool,
}

/// The partner's status of a referral, and the date it has stood since where one is known.
/// `changed_at` is when the referral last changed state (made, declined, expired, became a
/// household). A family that came to an activity has joined, whatever happened after, dated
/// by its first visit (or by the referral, when it came before).
pub fn partner_status(
    state: ReferralState,
    changed_at: DateTime<Utc>,
    household: Option<HouseholdFacts>,
) -> (PartnerStatus, DateTime<Utc>) {
    match (state, household) {
        (ReferralState::Waiting | ReferralState::Confirmed, _) => {
            (PartnerStatus::Received, changed_at)
        }
        (ReferralState::Declined | ReferralState::Expired, _) => {
            (PartnerStatus::DidNotJoin, changed_at)
        }
        (ReferralState::Household, Some(h)) => match h.first_visit {
            // A family the team knew already may have come before it was referred.
            Some(visit) => (PartnerStatus::Joined, visit.max(changed_at)),
            None if h.gone => (PartnerStatus::DidNotJoin, changed_at),
            None => (PartnerStatus::ContactMade, changed_at),
        },
        (ReferralState::Household, None) => (PartnerStatus::ContactMade, changed_at),
    }
}

/// The register's "how did they find us" for a family a partner of this kind referred; the
/// partner itself is recorded too (`source_partner_id`). Kinds without a source of their own
/// (culture, police, debt help, …) are "through a partner", never counted as the
/// neighbourhood team's.
pub fn source_of(kind: PartnerKind) -> Source {
    match kind {
        PartnerKind::School => Source::School,
        PartnerKind::YouthHealthCare => Source::YouthHealthCare,
        PartnerKind::SportsCoach => Source::SportsCoach,
        PartnerKind::NeighbourhoodTeam => Source::NeighbourhoodTeam,
        _ => Source::Partner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = "0193a3c4-0000-7000-8000-000000000001";

    fn form<'a>() -> ReferralForm<'a> {
        ReferralForm {
            first_name: " Samira ",
            reach: "06-12345678",
            need: " Andere moeders ontmoeten ",
            neighbourhood: NB,
            agreed: true,
        }
    }

    fn at(day: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default()
    }

    #[test]
    fn a_complete_referral_is_trimmed_and_reaches_the_parent_by_phone_or_mail() {
        let d = ReferralDraft::parse(&form()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.first_name.as_str(), "Samira");
        assert_eq!(d.need, "Andere moeders ontmoeten");
        assert!(matches!(&d.reach, ContactKey::Phone(p) if p.e164() == "+31612345678"));
        let by_mail = ReferralDraft::parse(&ReferralForm {
            reach: "Samira@Example.nl",
            ..form()
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            matches!(&by_mail.reach, ContactKey::Email(e) if e.as_str() == "samira@example.nl")
        );
    }

    #[test]
    fn without_the_parents_agreement_there_is_no_referral() {
        let errors = ReferralDraft::parse(&ReferralForm {
            agreed: false,
            ..form()
        })
        .err()
        .unwrap_or_default();
        assert_eq!(errors, vec![("agreed", FieldError::Required)]);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let long = "x".repeat(MAX_NEED_CHARS + 1);
        let errors = ReferralDraft::parse(&ReferralForm {
            first_name: "",
            reach: "bel maar",
            need: &long,
            neighbourhood: "wijk",
            agreed: false,
        })
        .err()
        .unwrap_or_default();
        assert_eq!(
            errors,
            vec![
                ("first_name", FieldError::Required),
                ("reach", FieldError::ContactInvalid),
                ("need", FieldError::TooLong),
                ("neighbourhood_id", FieldError::ChoiceInvalid),
                ("agreed", FieldError::Required),
            ]
        );
        let empty = ReferralDraft::parse(&ReferralForm::default())
            .err()
            .unwrap_or_default();
        assert!(empty.contains(&("reach", FieldError::Required)));
        assert!(empty.contains(&("need", FieldError::Required)));
        assert!(empty.contains(&("neighbourhood_id", FieldError::Required)));
    }

    #[test]
    fn states_round_trip() {
        for s in ReferralState::ALL {
            assert_eq!(ReferralState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReferralState::parse("open"), None);
    }

    #[test]
    fn a_referral_expires_after_thirty_days() {
        assert!(!expired(at(1), at(30)));
        assert!(expired(at(1), at(31)));
    }

    #[test]
    fn the_partner_learns_only_four_things() {
        use PartnerStatus::*;
        let made = at(2);
        assert_eq!(
            partner_status(ReferralState::Waiting, made, None),
            (Received, made)
        );
        assert_eq!(
            partner_status(ReferralState::Confirmed, made, None).0,
            Received
        );
        assert_eq!(
            partner_status(ReferralState::Declined, at(3), None),
            (DidNotJoin, at(3))
        );
        assert_eq!(
            partner_status(ReferralState::Expired, at(4), None).0,
            DidNotJoin
        );
        let fresh = HouseholdFacts::default();
        assert_eq!(
            partner_status(ReferralState::Household, at(5), Some(fresh)),
            (ContactMade, at(5))
        );
        let came = HouseholdFacts {
            first_visit: Some(at(9)),
            gone: true,
        };
        assert_eq!(
            partner_status(ReferralState::Household, at(5), Some(came)),
            (Joined, at(9))
        );
        let left = HouseholdFacts {
            first_visit: None,
            gone: true,
        };
        assert_eq!(
            partner_status(ReferralState::Household, at(5), Some(left)).0,
            DidNotJoin
        );
    }

    #[test]
    fn a_referred_family_is_counted_under_its_partners_kind() {
        assert_eq!(source_of(PartnerKind::School), Source::School);
        assert_eq!(
            source_of(PartnerKind::YouthHealthCare),
            Source::YouthHealthCare
        );
        assert_eq!(source_of(PartnerKind::Police), Source::Partner);
        assert_eq!(
            source_of(PartnerKind::NeighbourhoodTeam),
            Source::NeighbourhoodTeam
        );
    }
}
