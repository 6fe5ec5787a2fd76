//! Parents' quotes for publicity (issue #16, docs/guide/help-referrals.md#quotes-and-publicity;
//! handbook §3.5: publicity with participants' own words). A quote is usable only while the
//! household's consent for quotes ([`Purpose::PublishQuote`]) is given: the rule is asked every
//! time a quote is shown, so a withdrawal hides it at once, everywhere. Photos are out of
//! scope: none are stored.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::consent::{ConsentRecord, Purpose, has_consent};
use crate::fields::FieldError;

/// How the parent wants to be named under the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attribution {
    /// Their first name ("Sanne").
    FirstName,
    /// A phrase they chose ("een moeder uit Almere Poort").
    Phrase,
}

impl Attribution {
    pub const ALL: [Attribution; 2] = [Attribution::Phrase, Attribution::FirstName];

    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::FirstName => "first_name",
            Attribution::Phrase => "phrase",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::Required);
        }
        Attribution::ALL
            .into_iter()
            .find(|a| a.as_str() == raw)
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// The longest quote: a few sentences for a flyer or a report.
pub const MAX_QUOTE_CHARS: usize = 500;
/// The longest phrase a parent is named by.
pub const MAX_PHRASE_CHARS: usize = 80;

/// Whether a household's quotes may be used now: only while its latest answer for quotes is
/// yes (no answer is no).
pub fn usable(consents: &[ConsentRecord]) -> bool {
    has_consent(consents, Purpose::PublishQuote)
}

/// The quote form as it arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuoteForm<'a> {
    pub text: &'a str,
    pub attribution: &'a str,
    /// The parent who said it (an id), for the first name.
    pub parent: &'a str,
    pub phrase: &'a str,
    pub said_on: &'a str,
}

/// A quote, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteDraft {
    pub text: String,
    pub attribution: Attribution,
    /// Whether the parent is the household's is the store's check.
    pub parent: Option<Uuid>,
    /// Empty when named by first name.
    pub phrase: String,
    pub said_on: NaiveDate,
}

impl QuoteDraft {
    /// Parses the form. Errors per field: the quote is required, at most
    /// [`MAX_QUOTE_CHARS`] (`quote_text`); how the parent is named, one of
    /// [`Attribution::ALL`] (`quote_attribution`); by first name, which parent (`quote_parent`,
    /// an id); by a phrase, the phrase, required and at most [`MAX_PHRASE_CHARS`]
    /// (`quote_phrase`); the day it was said, not after today (`quote_said_on`).
    pub fn parse(
        form: &QuoteForm<'_>,
        today: NaiveDate,
    ) -> Result<QuoteDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let text = form.text.trim().to_string();
        if text.is_empty() {
            errors.push(("quote_text", FieldError::Required));
        } else if text.chars().count() > MAX_QUOTE_CHARS {
            errors.push(("quote_text", FieldError::TooLong));
        }
        let attribution = Attribution::parse(form.attribution)
            .map_err(|e| errors.push(("quote_attribution", e)))
            .ok();
        let (parent, phrase) = match attribution {
            Some(Attribution::FirstName) => match Uuid::parse_str(form.parent.trim()) {
                Ok(id) => (Some(id), String::new()),
                Err(_) => {
                    errors.push(("quote_parent", FieldError::ChoiceInvalid));
                    (None, String::new())
                }
            },
            Some(Attribution::Phrase) => {
                let phrase = form.phrase.trim().to_string();
                if phrase.is_empty() {
                    errors.push(("quote_phrase", FieldError::Required));
                } else if phrase.chars().count() > MAX_PHRASE_CHARS {
                    errors.push(("quote_phrase", FieldError::TooLong));
                }
                (None, phrase)
            }
            None => (None, String::new()),
        };
        let said_on = match form.said_on.trim() {
            "" => {
                errors.push(("quote_said_on", FieldError::Required));
                None
            }
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .filter(|d| *d <= today)
                .or_else(|| {
                    errors.push(("quote_said_on", FieldError::DateInvalid));
                    None
                }),
        };
        match (attribution, said_on) {
            (Some(attribution), Some(said_on)) if errors.is_empty() => Ok(QuoteDraft {
                text,
                attribution,
                parent,
                phrase,
                said_on,
            }),
            _ => Err(errors),
        }
    }
}

/// The name under a quote: the first name when the parent chose that (and it is still
/// known), else the phrase they chose.
pub fn byline(attribution: Attribution, first_name: Option<&str>, phrase: &str) -> String {
    match (attribution, first_name) {
        (Attribution::FirstName, Some(name)) if !name.trim().is_empty() => name.trim().to_string(),
        _ => phrase.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::{CURRENT_TEXT_VERSION, ConsentMethod};
    use chrono::{TimeZone, Utc};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    fn answer(given: bool, d: u32) -> ConsentRecord {
        ConsentRecord {
            purpose: Purpose::PublishQuote,
            given,
            at: Utc
                .with_ymd_and_hms(2026, 12, d, 10, 0, 0)
                .single()
                .unwrap_or_default(),
            method: ConsentMethod::Verbal,
            text_version: CURRENT_TEXT_VERSION.to_string(),
        }
    }

    #[test]
    fn a_quote_is_usable_only_while_the_consent_for_quotes_is_given() {
        assert!(!usable(&[]), "never asked: no");
        assert!(usable(&[answer(true, 1)]));
        assert!(!usable(&[answer(true, 1), answer(false, 3)]), "withdrawn");
        assert!(usable(&[
            answer(true, 1),
            answer(false, 3),
            answer(true, 5)
        ]));
        // Consent for photos says nothing about quotes.
        let photos = ConsentRecord {
            purpose: Purpose::Photos,
            ..answer(true, 1)
        };
        assert!(!usable(&[photos]));
    }

    #[test]
    fn the_parent_is_named_as_they_chose() {
        assert_eq!(byline(Attribution::FirstName, Some("Sanne"), ""), "Sanne");
        assert_eq!(
            byline(
                Attribution::Phrase,
                Some("Sanne"),
                "een moeder uit Almere Poort"
            ),
            "een moeder uit Almere Poort"
        );
        // A first name no longer known never shows an empty name: the phrase stands.
        assert_eq!(
            byline(Attribution::FirstName, None, "een ouder"),
            "een ouder"
        );
    }

    #[test]
    fn a_good_form_gives_a_trimmed_quote() {
        let d = QuoteDraft::parse(
            &QuoteForm {
                text: " Hier hoef ik even niets uit te leggen. ",
                attribution: "phrase",
                phrase: " een moeder uit Almere Poort ",
                said_on: "2026-12-03",
                parent: "",
            },
            day(4),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(d.text, "Hier hoef ik even niets uit te leggen.");
        assert_eq!(d.phrase, "een moeder uit Almere Poort");
        assert_eq!(d.parent, None);
        assert_eq!(d.said_on, day(3));
    }

    #[test]
    fn every_bad_field_is_named() {
        let long = "x".repeat(MAX_QUOTE_CHARS + 1);
        assert_eq!(
            QuoteDraft::parse(
                &QuoteForm {
                    text: &long,
                    attribution: "first_name",
                    parent: "Sanne",
                    phrase: "",
                    said_on: "2026-12-05",
                },
                day(4)
            ),
            Err(vec![
                ("quote_text", FieldError::TooLong),
                ("quote_parent", FieldError::ChoiceInvalid),
                ("quote_said_on", FieldError::DateInvalid),
            ])
        );
        let long_phrase = "y".repeat(MAX_PHRASE_CHARS + 1);
        assert_eq!(
            QuoteDraft::parse(
                &QuoteForm {
                    attribution: "phrase",
                    phrase: &long_phrase,
                    ..Default::default()
                },
                day(4)
            ),
            Err(vec![
                ("quote_text", FieldError::Required),
                ("quote_phrase", FieldError::TooLong),
                ("quote_said_on", FieldError::Required),
            ])
        );
        assert_eq!(
            QuoteDraft::parse(&QuoteForm::default(), day(4)),
            Err(vec![
                ("quote_text", FieldError::Required),
                ("quote_attribution", FieldError::Required),
                ("quote_said_on", FieldError::Required),
            ])
        );
    }
}
