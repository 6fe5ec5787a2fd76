//! Partner organisations: the warm network that finds families and helps them on (handbook
//! §2.6, §3.5; docs/guide/partners.md). What a partner is, and what the forms about one must
//! hold. Who may see or change a partner is the store's business (its neighbourhoods).

use chrono::NaiveDate;
use uuid::Uuid;

use crate::contact::PhoneNumber;
use crate::fields::{Email, FieldError, PersonName, PlaceName};
use crate::role::Role;

/// What kind of organisation a partner is: the intermediaries the handbook names (§2.6) and
/// the help families are referred on to (§2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartnerKind {
    School,
    YouthHealthCare,
    NeighbourhoodTeam,
    SportsCoach,
    Culture,
    Religious,
    Police,
    DebtHelp,
    ParentingSupport,
    LifestyleCoach,
    Other,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 11] = [
        PartnerKind::School,
        PartnerKind::YouthHealthCare,
        PartnerKind::NeighbourhoodTeam,
        PartnerKind::SportsCoach,
        PartnerKind::Culture,
        PartnerKind::Religious,
        PartnerKind::Police,
        PartnerKind::DebtHelp,
        PartnerKind::ParentingSupport,
        PartnerKind::LifestyleCoach,
        PartnerKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnerKind::School => "school",
            PartnerKind::YouthHealthCare => "youth_health_care",
            PartnerKind::NeighbourhoodTeam => "neighbourhood_team",
            PartnerKind::SportsCoach => "sports_coach",
            PartnerKind::Culture => "culture",
            PartnerKind::Religious => "religious",
            PartnerKind::Police => "police",
            PartnerKind::DebtHelp => "debt_help",
            PartnerKind::ParentingSupport => "parenting_support",
            PartnerKind::LifestyleCoach => "lifestyle_coach",
            PartnerKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        PartnerKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// The longest note about a partner, and the longest "what was presented" of a briefing.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The longest role of a contact person ("intern begeleider groep 1–4").
pub const MAX_ROLE_CHARS: usize = 100;

/// The partner form as it arrives, one text per field; the ticked neighbourhoods as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerForm<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub refers_families: bool,
    pub offers_activity: bool,
    pub receives_referrals: bool,
    pub note: &'a str,
    pub neighbourhoods: Vec<&'a str>,
}

/// A partner as the form describes it, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerDraft {
    pub name: PlaceName,
    pub kind: PartnerKind,
    pub refers_families: bool,
    pub offers_activity: bool,
    pub receives_referrals: bool,
    pub note: String,
    /// At least one, no repeats, in the order ticked.
    pub neighbourhoods: Vec<Uuid>,
}

impl PartnerDraft {
    /// Parses the form. Errors are per field, named as the form's fields (`partner_` and the
    /// name in [`PartnerForm`], so they never meet another form's messages): the name is
    /// required and at most [`PlaceName::MAX_CHARS`]; the kind one of [`PartnerKind::ALL`];
    /// the note at most [`MAX_NOTE_CHARS`]; at least one neighbourhood (`Required`), each an
    /// id (`ChoiceInvalid`). Whether the neighbourhoods are the editor's to choose is the
    /// store's check.
    pub fn parse(form: &PartnerForm<'_>) -> Result<PartnerDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let name = PlaceName::parse(form.name)
            .map_err(|e| errors.push(("partner_name", e)))
            .ok();
        let kind = PartnerKind::parse(form.kind)
            .map_err(|e| errors.push(("partner_kind", e)))
            .ok();
        let note = form.note.trim().to_string();
        if note.chars().count() > MAX_NOTE_CHARS {
            errors.push(("partner_note", FieldError::TooLong));
        }
        let mut neighbourhoods: Vec<Uuid> = Vec::new();
        for raw in &form.neighbourhoods {
            match Uuid::parse_str(raw.trim()) {
                Ok(id) if !neighbourhoods.contains(&id) => neighbourhoods.push(id),
                Ok(_) => {}
                Err(_) => {
                    errors.push(("partner_neighbourhoods", FieldError::ChoiceInvalid));
                    break;
                }
            }
        }
        if neighbourhoods.is_empty() && !errors.iter().any(|(f, _)| *f == "partner_neighbourhoods")
        {
            errors.push(("partner_neighbourhoods", FieldError::Required));
        }
        match (name, kind) {
            (Some(name), Some(kind)) if errors.is_empty() => Ok(PartnerDraft {
                name,
                kind,
                refers_families: form.refers_families,
                offers_activity: form.offers_activity,
                receives_referrals: form.receives_referrals,
                note,
                neighbourhoods,
            }),
            _ => Err(errors),
        }
    }
}

/// A contact person at a partner, as the form sends it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContactForm<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDraft {
    pub name: PersonName,
    pub role: String,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
}

impl ContactDraft {
    /// Parses a contact person. Errors per field: a name is required; the role is optional
    /// and at most [`MAX_ROLE_CHARS`]; phone and e-mail are each optional but must be valid,
    /// and one of the two is needed to reach the person (`ContactInvalid` on `phone`).
    pub fn parse(form: &ContactForm<'_>) -> Result<ContactDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let name = PersonName::parse(form.name)
            .map_err(|e| errors.push(("contact_name", e)))
            .ok();
        let role = form.role.trim().to_string();
        if role.chars().count() > MAX_ROLE_CHARS {
            errors.push(("contact_role", FieldError::TooLong));
        }
        let phone = PhoneNumber::parse_optional(form.phone)
            .map_err(|e| errors.push(("contact_phone", e)))
            .ok();
        let email = if form.email.trim().is_empty() {
            Some(None)
        } else {
            Email::parse(form.email)
                .map(Some)
                .map_err(|e| errors.push(("contact_email", e)))
                .ok()
        };
        if let (Some(None), Some(None)) = (&phone, &email) {
            errors.push(("contact_phone", FieldError::ContactInvalid));
        }
        match (name, phone, email) {
            (Some(name), Some(phone), Some(email)) if errors.is_empty() => Ok(ContactDraft {
                name,
                role,
                phone,
                email,
            }),
            _ => Err(errors),
        }
    }
}

/// A briefing, as the form sends it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BriefingForm<'a> {
    pub given_on: &'a str,
    pub given_by: &'a str,
    pub presented: &'a str,
}

/// A briefing given to a partner: the publicity log of handbook §3.5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefingDraft {
    pub given_on: NaiveDate,
    /// The account of the organisation who gave it; the store checks it is one.
    pub given_by: Uuid,
    pub presented: String,
}

impl BriefingDraft {
    /// Parses a briefing. Errors per field: the date as `YYYY-MM-DD`, not after `today` (the
    /// log records what happened) — `DateInvalid`; who gave it, an id (`Required` when
    /// empty, else `ChoiceInvalid`); what was presented, required, at most
    /// [`MAX_NOTE_CHARS`].
    pub fn parse(
        form: &BriefingForm<'_>,
        today: NaiveDate,
    ) -> Result<BriefingDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let given_on = match form.given_on.trim() {
            "" => {
                errors.push(("given_on", FieldError::Required));
                None
            }
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .filter(|d| *d <= today)
                .or_else(|| {
                    errors.push(("given_on", FieldError::DateInvalid));
                    None
                }),
        };
        let given_by = match form.given_by.trim() {
            "" => {
                errors.push(("given_by", FieldError::Required));
                None
            }
            raw => Uuid::parse_str(raw).ok().or_else(|| {
                errors.push(("given_by", FieldError::ChoiceInvalid));
                None
            }),
        };
        let presented = form.presented.trim().to_string();
        if presented.is_empty() {
            errors.push(("presented", FieldError::Required));
        } else if presented.chars().count() > MAX_NOTE_CHARS {
            errors.push(("presented", FieldError::TooLong));
        }
        match (given_on, given_by) {
            (Some(given_on), Some(given_by)) if errors.is_empty() => Ok(BriefingDraft {
                given_on,
                given_by,
                presented,
            }),
            _ => Err(errors),
        }
    }
}

/// The partner's last contact after a briefing on `briefed`: the later of the two. A
/// briefing entered afterwards for an earlier date does not move it back.
pub fn last_contact_after(last: Option<NaiveDate>, briefed: NaiveDate) -> NaiveDate {
    match last {
        Some(l) if l > briefed => l,
        _ => briefed,
    }
}

/// The partner organisation an account belongs to: a partner account belongs to exactly one
/// (`Required` without), every other role to none (a choice sent along is dropped).
pub fn account_partner(role: Role, chosen: Option<Uuid>) -> Result<Option<Uuid>, FieldError> {
    match (role, chosen) {
        (Role::Partner, None) => Err(FieldError::Required),
        (Role::Partner, Some(id)) => Ok(Some(id)),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
        match r {
            Ok(v) => v,
            Err(e) => panic!("refused: {e:?}"),
        }
    }

    fn rejected<T: std::fmt::Debug, E>(r: Result<T, E>) -> E {
        match r {
            Ok(v) => panic!("accepted: {v:?}"),
            Err(e) => e,
        }
    }

    fn nb() -> Uuid {
        Uuid::parse_str(NB).unwrap_or_default()
    }

    #[test]
    fn only_a_partner_account_belongs_to_a_partner_and_it_must() {
        let p = nb();
        assert_eq!(
            account_partner(Role::Partner, None),
            Err(FieldError::Required)
        );
        assert_eq!(account_partner(Role::Partner, Some(p)), Ok(Some(p)));
        assert_eq!(account_partner(Role::Worker, Some(p)), Ok(None));
        assert_eq!(account_partner(Role::Admin, None), Ok(None));
    }

    const NB: &str = "0193a3c4-0000-7000-8000-000000000001";

    fn form<'a>() -> PartnerForm<'a> {
        PartnerForm {
            name: "  Basisschool De Regenboog ",
            kind: "school",
            refers_families: true,
            note: "Ingang aan de achterkant.",
            neighbourhoods: vec![NB],
            ..Default::default()
        }
    }

    fn fields(errors: &[(&'static str, FieldError)]) -> Vec<&'static str> {
        errors.iter().map(|(f, _)| *f).collect()
    }

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_refused() {
        for k in PartnerKind::ALL {
            assert_eq!(PartnerKind::parse(k.as_str()), Ok(k));
        }
        assert_eq!(PartnerKind::parse(""), Err(FieldError::Required));
        assert_eq!(PartnerKind::parse("School"), Err(FieldError::ChoiceInvalid));
        assert_eq!(PartnerKind::parse("bank"), Err(FieldError::ChoiceInvalid));
    }

    #[test]
    fn a_complete_form_gives_a_trimmed_draft() {
        let d = accepted(PartnerDraft::parse(&form()));
        assert_eq!(d.name.as_str(), "Basisschool De Regenboog");
        assert_eq!(d.kind, PartnerKind::School);
        assert!(d.refers_families && !d.offers_activity && !d.receives_referrals);
        assert_eq!(d.neighbourhoods, vec![nb()]);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let long_note = "x".repeat(MAX_NOTE_CHARS + 1);
        let bad = PartnerForm {
            name: " ",
            kind: "bank",
            note: &long_note,
            neighbourhoods: vec![],
            ..Default::default()
        };
        let errors = rejected(PartnerDraft::parse(&bad));
        assert_eq!(
            fields(&errors),
            vec![
                "partner_name",
                "partner_kind",
                "partner_note",
                "partner_neighbourhoods"
            ]
        );
        assert!(errors.contains(&("partner_neighbourhoods", FieldError::Required)));
        assert!(errors.contains(&("partner_name", FieldError::Required)));
    }

    #[test]
    fn a_name_is_bounded_and_a_neighbourhood_must_be_an_id() {
        let long = "a".repeat(PlaceName::MAX_CHARS + 1);
        let f = PartnerForm {
            name: &long,
            neighbourhoods: vec!["wijk"],
            ..form()
        };
        let errors = rejected(PartnerDraft::parse(&f));
        assert!(errors.contains(&("partner_name", FieldError::TooLong)));
        assert!(errors.contains(&("partner_neighbourhoods", FieldError::ChoiceInvalid)));
        // The same neighbourhood ticked twice counts once.
        let twice = PartnerForm {
            neighbourhoods: vec![NB, NB],
            ..form()
        };
        assert_eq!(
            accepted(PartnerDraft::parse(&twice)).neighbourhoods.len(),
            1
        );
    }

    #[test]
    fn a_contact_needs_a_name_and_a_way_to_reach_them() {
        let ok = accepted(ContactDraft::parse(&ContactForm {
            name: "Ellen Bos",
            role: "intern begeleider",
            phone: "06-12345678",
            email: "",
        }));
        assert_eq!(ok.phone.as_ref().map(|p| p.e164()), Some("+31612345678"));
        assert_eq!(ok.email, None);
        let by_mail = accepted(ContactDraft::parse(&ContactForm {
            name: "Ellen Bos",
            email: "E.Bos@Regenboog.nl",
            ..Default::default()
        }));
        assert_eq!(
            by_mail.email.as_ref().map(|e| e.as_str()),
            Some("e.bos@regenboog.nl")
        );
        let none = rejected(ContactDraft::parse(&ContactForm {
            name: "Ellen Bos",
            ..Default::default()
        }));
        assert_eq!(none, vec![("contact_phone", FieldError::ContactInvalid)]);
        let bad = rejected(ContactDraft::parse(&ContactForm {
            name: "",
            role: &"r".repeat(MAX_ROLE_CHARS + 1),
            phone: "12",
            email: "geen-adres",
        }));
        assert_eq!(
            bad,
            vec![
                ("contact_name", FieldError::Required),
                ("contact_role", FieldError::TooLong),
                ("contact_phone", FieldError::PhoneInvalid),
                ("contact_email", FieldError::EmailInvalid),
            ]
        );
    }

    #[test]
    fn a_briefing_is_dated_today_or_earlier_by_someone_about_something() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
        let who = "0193a3c4-0000-7000-8000-000000000002";
        let ok = accepted(BriefingDraft::parse(
            &BriefingForm {
                given_on: "2026-12-07",
                given_by: who,
                presented: " Folder en filmpje in het teamoverleg ",
            },
            today,
        ));
        assert_eq!(ok.presented, "Folder en filmpje in het teamoverleg");
        let future = rejected(BriefingDraft::parse(
            &BriefingForm {
                given_on: "2026-12-08",
                given_by: "iemand",
                presented: "",
            },
            today,
        ));
        assert_eq!(
            future,
            vec![
                ("given_on", FieldError::DateInvalid),
                ("given_by", FieldError::ChoiceInvalid),
                ("presented", FieldError::Required),
            ]
        );
        let empty = rejected(BriefingDraft::parse(&BriefingForm::default(), today));
        assert_eq!(fields(&empty), vec!["given_on", "given_by", "presented"]);
    }

    #[test]
    fn last_contact_only_moves_forward() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default();
        assert_eq!(last_contact_after(None, d(3)), d(3));
        assert_eq!(last_contact_after(Some(d(3)), d(20)), d(20));
        assert_eq!(last_contact_after(Some(d(20)), d(3)), d(20));
    }
}
