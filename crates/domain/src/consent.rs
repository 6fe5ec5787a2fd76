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

/// Property tests of the consent gate: the latest record for a purpose decides, no record
/// means no, other purposes never matter, and the order records arrive in does not matter
/// unless two share a moment.
#[cfg(test)]
mod props {
    use super::*;
    use chrono::TimeDelta;
    use proptest::prelude::*;
    use proptest::sample::{Index, select};

    fn purpose() -> impl Strategy<Value = Purpose> {
        select(Purpose::ALL.to_vec())
    }

    fn method() -> impl Strategy<Value = ConsentMethod> {
        select(ConsentMethod::ALL.to_vec())
    }

    /// A moment `seconds` after 1 January 2026.
    fn moment(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or_default()
            + TimeDelta::seconds(seconds)
    }

    fn record(purpose: Purpose, given: bool, seconds: i64, method: ConsentMethod) -> ConsentRecord {
        ConsentRecord {
            purpose,
            given,
            at: moment(seconds),
            method,
            text_version: CURRENT_TEXT_VERSION.to_string(),
        }
    }

    /// One answer at a moment within `span` seconds: a small span makes ties likely.
    fn one_record(span: i64) -> impl Strategy<Value = ConsentRecord> {
        (purpose(), any::<bool>(), 0..span, method())
            .prop_map(|(p, given, at, m)| record(p, given, at, m))
    }

    fn records(span: i64, len: usize) -> impl Strategy<Value = Vec<ConsentRecord>> {
        proptest::collection::vec(one_record(span), 0..=len)
    }

    /// Records that each have their own moment, in a random order.
    fn records_at_distinct_moments() -> impl Strategy<Value = Vec<ConsentRecord>> {
        proptest::collection::btree_set(0i64..10 * 365 * 24 * 3600, 0..=12)
            .prop_flat_map(|moments| {
                let n = moments.len();
                (
                    Just(moments.into_iter().collect::<Vec<_>>()),
                    proptest::collection::vec((purpose(), any::<bool>(), method()), n),
                )
            })
            .prop_map(|(moments, answers)| {
                moments
                    .into_iter()
                    .zip(answers)
                    .map(|(at, (p, given, m))| record(p, given, at, m))
                    .collect::<Vec<_>>()
            })
            .prop_shuffle()
    }

    /// The answer as a person reads the history: find the newest answer for the purpose; of
    /// answers given at the same moment, the one written down last.
    fn newest_answer(records: &[ConsentRecord], purpose: Purpose) -> Option<bool> {
        let mut newest: Option<&ConsentRecord> = None;
        for r in records.iter().filter(|r| r.purpose == purpose) {
            if newest.is_none_or(|n| r.at >= n.at) {
                newest = Some(r);
            }
        }
        newest.map(|r| r.given)
    }

    proptest! {
        #[test]
        fn without_a_record_for_the_purpose_the_answer_is_no(
            others in records(1000, 12),
            purpose in purpose(),
        ) {
            let others: Vec<ConsentRecord> =
                others.into_iter().filter(|r| r.purpose != purpose).collect();
            prop_assert!(!has_consent(&others, purpose));
            prop_assert_eq!(latest(&others, purpose), None);
        }

        #[test]
        fn records_for_other_purposes_never_matter(
            records in records(1000, 12),
            others in proptest::collection::vec((one_record(1000), any::<Index>()), 0..=12),
            purpose in purpose(),
        ) {
            let own: Vec<ConsentRecord> =
                records.iter().filter(|r| r.purpose == purpose).cloned().collect();
            // The other purposes' records slipped in anywhere, also between equal moments.
            let mut mixed = records.clone();
            for (other, at) in others.into_iter().filter(|(r, _)| r.purpose != purpose) {
                mixed.insert(at.index(mixed.len() + 1), other);
            }
            prop_assert_eq!(has_consent(&records, purpose), has_consent(&own, purpose));
            prop_assert_eq!(has_consent(&mixed, purpose), has_consent(&own, purpose));
        }

        #[test]
        fn the_latest_answer_decides(
            records in records_at_distinct_moments(),
            purpose in purpose(),
        ) {
            let newest = records
                .iter()
                .filter(|r| r.purpose == purpose)
                .fold(None::<&ConsentRecord>, |newest, r| match newest {
                    Some(n) if n.at > r.at => Some(n),
                    _ => Some(r),
                });
            prop_assert_eq!(has_consent(&records, purpose), newest.is_some_and(|r| r.given));
            prop_assert_eq!(latest(&records, purpose), newest);
        }

        #[test]
        fn the_order_records_arrive_in_does_not_matter_when_their_moments_differ(
            (records, shuffled) in records_at_distinct_moments()
                .prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
            purpose in purpose(),
        ) {
            prop_assert_eq!(has_consent(&records, purpose), has_consent(&shuffled, purpose));
            prop_assert_eq!(latest(&records, purpose), latest(&shuffled, purpose));
        }

        #[test]
        fn of_answers_given_at_the_same_moment_the_one_written_down_last_decides(
            records in records(3, 12),
            purpose in purpose(),
        ) {
            prop_assert_eq!(
                has_consent(&records, purpose),
                newest_answer(&records, purpose) == Some(true)
            );
            if let Some(decides) = latest(&records, purpose) {
                let last_of_that_moment = records
                    .iter()
                    .rposition(|r| r.purpose == purpose && r.at == decides.at);
                let decides_at = records.iter().position(|r| std::ptr::eq(r, decides));
                prop_assert_eq!(decides_at, last_of_that_moment);
            }
        }

        #[test]
        fn a_withdrawal_after_every_earlier_answer_means_no_and_consent_again_means_yes(
            records in records(1000, 12),
            purpose in purpose(),
            later in 0i64..1000,
            method in method(),
        ) {
            let mut withdrawn = records.clone();
            withdrawn.push(record(purpose, false, 1000 + later, method));
            prop_assert!(!has_consent(&withdrawn, purpose));
            withdrawn.push(record(purpose, true, 1000 + later, method));
            prop_assert!(has_consent(&withdrawn, purpose), "same moment, written down later");
        }
    }
}
