//! Consent per purpose: what a parent agreed to, when, how, and to which wording.

use chrono::{DateTime, Utc};

use crate::fields::FieldError;

/// What we ask permission for. Each purpose is asked and withdrawn on its own, so a parent
/// can join the chat group without being in photos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Keeping the household's details in this system at all.
    DataRegistration,
    ChatGroup,
    Photos,
    /// Quoting the parent, without their name, in reports or publicity.
    PublishQuote,
    Research,
}

impl Purpose {
    pub const ALL: [Purpose; 5] = [
        Purpose::DataRegistration,
        Purpose::ChatGroup,
        Purpose::Photos,
        Purpose::PublishQuote,
        Purpose::Research,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::DataRegistration => "data",
            Purpose::ChatGroup => "chat_group",
            Purpose::Photos => "photos",
            Purpose::PublishQuote => "quote",
            Purpose::Research => "research",
        }
    }

    pub fn parse(raw: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == raw.trim())
    }
}

/// How the answer was given. Verbal consent counts, as long as a worker records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentMethod {
    Verbal,
    Paper,
    Portal,
}

impl ConsentMethod {
    pub const ALL: [ConsentMethod; 3] = [
        ConsentMethod::Verbal,
        ConsentMethod::Paper,
        ConsentMethod::Portal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Verbal => "verbal",
            ConsentMethod::Paper => "paper",
            ConsentMethod::Portal => "portal",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        ConsentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// One answer to one question. Records are only ever added: a withdrawal is a new record
/// with `given: false`, so the history shows what was agreed when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    pub purpose: Purpose,
    pub given: bool,
    pub at: DateTime<Utc>,
    pub method: ConsentMethod,
    /// Which wording the parent heard or read; see [`CURRENT_TEXT_VERSION`].
    pub text_version: String,
}

/// The text version workers read out or hand out today; bump when the wording changes.
pub const CURRENT_TEXT_VERSION: &str = "2026-11";

/// The consent gate: the rest of the system asks this before acting for a purpose. The
/// latest record (by `at`; on equal `at`, the later one in the slice) for that purpose
/// decides; without any record the answer is no.
pub fn has_consent(records: &[ConsentRecord], purpose: Purpose) -> bool {
    latest(records, purpose).is_some_and(|r| r.given)
}

/// The latest record per purpose, for showing the state (None when never asked).
pub fn latest(records: &[ConsentRecord], purpose: Purpose) -> Option<&ConsentRecord> {
    // `max_by_key` returns the last of equal maxima: the later record in the slice wins a tie.
    records
        .iter()
        .filter(|r| r.purpose == purpose)
        .max_by_key(|r| r.at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn record(purpose: Purpose, given: bool, when: DateTime<Utc>) -> ConsentRecord {
        ConsentRecord {
            purpose,
            given,
            at: when,
            method: ConsentMethod::Verbal,
            text_version: CURRENT_TEXT_VERSION.to_string(),
        }
    }

    #[test]
    fn without_any_record_the_answer_is_no() {
        for p in Purpose::ALL {
            assert!(!has_consent(&[], p), "{p:?}");
            assert_eq!(latest(&[], p), None);
        }
    }

    #[test]
    fn consent_given_for_a_purpose_means_yes() {
        let records = [record(Purpose::ChatGroup, true, at(2, 10))];
        assert!(has_consent(&records, Purpose::ChatGroup));
    }

    #[test]
    fn consent_for_one_purpose_says_nothing_about_another() {
        let records = [record(Purpose::ChatGroup, true, at(2, 10))];
        assert!(!has_consent(&records, Purpose::Photos));
        assert!(!has_consent(&records, Purpose::Research));
    }

    #[test]
    fn a_withdrawn_photo_consent_means_no_photos() {
        let records = [
            record(Purpose::Photos, true, at(2, 10)),
            record(Purpose::Photos, false, at(9, 10)),
        ];
        assert!(!has_consent(&records, Purpose::Photos));
    }

    #[test]
    fn consent_given_again_after_withdrawal_counts() {
        let records = [
            record(Purpose::Photos, true, at(2, 10)),
            record(Purpose::Photos, false, at(9, 10)),
            record(Purpose::Photos, true, at(16, 10)),
        ];
        assert!(has_consent(&records, Purpose::Photos));
    }

    #[test]
    fn the_latest_answer_decides_whatever_order_the_records_come_in() {
        let records = [
            record(Purpose::Photos, false, at(9, 10)),
            record(Purpose::Photos, true, at(2, 10)),
        ];
        assert!(!has_consent(&records, Purpose::Photos));
        assert_eq!(latest(&records, Purpose::Photos), records.first());
    }

    #[test]
    fn on_the_same_moment_the_later_record_decides() {
        let records = [
            record(Purpose::Research, true, at(2, 10)),
            record(Purpose::Research, false, at(2, 10)),
        ];
        assert!(!has_consent(&records, Purpose::Research));
        assert_eq!(latest(&records, Purpose::Research), records.get(1));
        let records = [
            record(Purpose::Research, false, at(2, 10)),
            record(Purpose::Research, true, at(2, 10)),
        ];
        assert!(has_consent(&records, Purpose::Research));
    }

    #[test]
    fn purposes_and_methods_parse_from_their_form_values() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
        }
        for m in ConsentMethod::ALL {
            assert_eq!(ConsentMethod::parse(m.as_str()), Ok(m));
        }
        assert_eq!(Purpose::parse("quote"), Some(Purpose::PublishQuote));
        assert_eq!(Purpose::parse("marketing"), None);
        assert_eq!(
            ConsentMethod::parse("email"),
            Err(FieldError::ChoiceInvalid)
        );
    }
}
