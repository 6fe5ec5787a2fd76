//! The worker's own reflection on the competencies the handbook asks of the people who run
//! Meet the Parents (handbook §3.4, docs/guide/help.md#my-reflection). Private to the account
//! that writes it: no other account, not even an administrator, reads it
//! (docs/decisions.md, "Who sees a worker's reflection").

use crate::FieldError;

/// The competencies, in the handbook's order. The texts are in `guide.ftl`
/// (`guide-skill-{name}` and `guide-skill-{name}-hint`).
pub const COMPETENCIES: [&str; 8] = [
    "organise",
    "network",
    "listen",
    "trust",
    "connect",
    "encourage",
    "difficult",
    "whatsapp",
];

/// The longest note, in characters.
pub const NOTE_MAX: usize = 2000;

/// How a worker rates themselves on one competency: two plain choices, no score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    /// "Gaat goed".
    Good,
    /// "Wil ik aan werken".
    Grow,
}

impl Rating {
    pub const ALL: [Rating; 2] = [Rating::Good, Rating::Grow];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Good => "good",
            Rating::Grow => "grow",
        }
    }

    pub fn parse(raw: &str) -> Result<Rating, FieldError> {
        match raw.trim() {
            "good" => Ok(Rating::Good),
            "grow" => Ok(Rating::Grow),
            "" => Err(FieldError::Required),
            _ => Err(FieldError::ChoiceInvalid),
        }
    }
}

/// The form field of a competency's rating.
pub fn field(competency: &str) -> String {
    format!("skill_{competency}")
}

/// A reflection as the form sends it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectionDraft {
    /// One rating per competency, in the order of [`COMPETENCIES`].
    pub ratings: Vec<(&'static str, Rating)>,
    pub note: String,
}

impl ReflectionDraft {
    /// `get` gives a form field's value. Every competency needs a rating; the note is
    /// optional. The errors name the field (`skill_{name}` or `note`).
    pub fn parse<'a>(
        get: impl Fn(&str) -> &'a str,
    ) -> Result<ReflectionDraft, Vec<(String, FieldError)>> {
        let mut errors = Vec::new();
        let mut ratings = Vec::new();
        for c in COMPETENCIES {
            match Rating::parse(get(&field(c))) {
                Ok(r) => ratings.push((c, r)),
                Err(e) => errors.push((field(c), e)),
            }
        }
        let note = get("note").trim().replace("\r\n", "\n");
        if note.chars().count() > NOTE_MAX {
            errors.push(("note".to_string(), FieldError::TooLong));
        }
        if errors.is_empty() {
            Ok(ReflectionDraft { ratings, note })
        } else {
            Err(errors)
        }
    }

    /// The ratings as one stored text: `organise=good;network=grow;…`.
    pub fn ratings_text(&self) -> String {
        self.ratings
            .iter()
            .map(|(c, r)| format!("{c}={}", r.as_str()))
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// The stored ratings text read back; unknown competencies or ratings are left out, so a
/// competency added later simply shows no rating on an older reflection.
pub fn parse_ratings(text: &str) -> Vec<(&'static str, Rating)> {
    text.split(';')
        .filter_map(|pair| {
            let (c, r) = pair.split_once('=')?;
            let c = COMPETENCIES.iter().find(|k| **k == c)?;
            Some((*c, Rating::parse(r).ok()?))
        })
        .collect()
}

#[cfg(test)]
// A test that cannot go on stops with a panic, as in the integration tests.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn all_good() -> HashMap<String, String> {
        let mut f = HashMap::new();
        for c in COMPETENCIES {
            f.insert(field(c), "good".to_string());
        }
        f
    }

    #[test]
    fn every_competency_needs_a_known_rating() {
        let mut f = all_good();
        f.insert(field("listen"), "excellent".into());
        f.remove(&field("trust"));
        let errors = ReflectionDraft::parse(|k| f.get(k).map_or("", String::as_str)).unwrap_err();
        assert_eq!(
            errors,
            vec![
                (field("listen"), FieldError::ChoiceInvalid),
                (field("trust"), FieldError::Required),
            ]
        );
    }

    #[test]
    fn the_ratings_come_back_as_stored_and_the_note_is_capped() {
        let mut f = all_good();
        f.insert(field("whatsapp"), "grow".into());
        f.insert("note".into(), " Meer bellen \r\n".into());
        let d = ReflectionDraft::parse(|k| f.get(k).map_or("", String::as_str)).unwrap();
        assert_eq!(d.note, "Meer bellen");
        assert_eq!(parse_ratings(&d.ratings_text()), d.ratings);
        assert_eq!(
            parse_ratings("gone=good;listen=grow;trust=maybe"),
            vec![("listen", Rating::Grow)]
        );
        let long = form(&[("note", &"x".repeat(NOTE_MAX + 1))]);
        let errors =
            ReflectionDraft::parse(|k| long.get(k).map_or("", String::as_str)).unwrap_err();
        assert!(errors.contains(&("note".to_string(), FieldError::TooLong)));
    }
}
