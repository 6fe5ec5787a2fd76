//! The names of the days and months, in the languages texts are written in (Dutch, and English
//! for every other language, see [`Language::texts`]). The one table the whole app uses: the
//! web pages' dates, the reminder e-mails and the import's reading of "maart 2019".

use chrono::{Datelike, NaiveDate, Weekday};

use crate::Language;

const WEEKDAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "woensdag" / "Wednesday".
pub fn weekday_name(lang: Language, day: Weekday) -> &'static str {
    let i = usize::try_from(day.num_days_from_monday()).unwrap_or(0) % 7;
    match lang.texts() {
        Language::Nl => WEEKDAYS_NL[i],
        _ => WEEKDAYS_EN[i],
    }
}

/// "december" / "December" for month 12; `None` outside 1–12.
pub fn month_name(lang: Language, month: u32) -> Option<&'static str> {
    let i = usize::try_from(month.checked_sub(1)?).ok()?;
    match lang.texts() {
        Language::Nl => MONTHS_NL.get(i).copied(),
        _ => MONTHS_EN.get(i).copied(),
    }
}

/// "woensdag 2 december" / "Wednesday 2 December": a date without its year.
pub fn day_and_date(lang: Language, d: NaiveDate) -> (&'static str, String) {
    let month = month_name(lang, d.month()).unwrap_or_default();
    (
        weekday_name(lang, d.weekday()),
        format!("{} {month}", d.day()),
    )
}

/// The month a word names, in Dutch or English, written out or shortened to its first three
/// letters or more ("mrt", "maa", "march", "okt", "oct"): 1–12.
pub fn parse_month(word: &str) -> Option<u32> {
    let w = word.trim().to_lowercase();
    if w == "mrt" {
        return Some(3);
    }
    (1..=12).find(|&m| {
        [Language::Nl, Language::En].into_iter().any(|lang| {
            let prefix: String = month_name(lang, m)
                .unwrap_or_default()
                .to_lowercase()
                .chars()
                .take(3)
                .collect();
            w.starts_with(&prefix)
        })
    })
}

/// The weekday a word names: "1" (Monday) to "7" (Sunday), or its Dutch or English name,
/// shortened the usual way ("ma", "wo"; "mon", "wed").
pub fn parse_weekday(word: &str) -> Option<Weekday> {
    let w = word.trim().to_lowercase();
    (0u8..7).find_map(|i| {
        let day = Weekday::try_from(i).ok()?;
        let nl = weekday_name(Language::Nl, day).to_lowercase();
        let en = weekday_name(Language::En, day).to_lowercase();
        let short_nl: String = nl.chars().take(2).collect();
        let short_en: String = en.chars().take(3).collect();
        (w == (i + 1).to_string() || [nl, en, short_nl, short_en].contains(&w)).then_some(day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_dutch_and_english_and_english_for_an_added_language() {
        assert_eq!(weekday_name(Language::Nl, Weekday::Wed), "woensdag");
        assert_eq!(weekday_name(Language::En, Weekday::Sun), "Sunday");
        assert_eq!(month_name(Language::Nl, 3), Some("maart"));
        assert_eq!(month_name(Language::En, 12), Some("December"));
        assert_eq!(month_name(Language::Nl, 0), None);
        assert_eq!(month_name(Language::Nl, 13), None);
        let tr = Language::parse("tr").unwrap_or_default();
        assert_eq!(month_name(tr, 5), Some("May"));
    }

    #[test]
    fn a_month_is_read_from_its_name_or_its_first_letters() {
        for (word, month) in [
            ("jan", 1),
            ("Januari", 1),
            ("feb", 2),
            ("maart", 3),
            ("mrt", 3),
            ("mar", 3),
            ("March", 3),
            ("mei", 5),
            ("may", 5),
            ("okt", 10),
            ("october", 10),
            ("dec", 12),
        ] {
            assert_eq!(parse_month(word), Some(month), "{word}");
        }
        for word in ["ma", "m", "ju", "xyz", ""] {
            assert_eq!(parse_month(word), None, "{word}");
        }
    }

    #[test]
    fn a_weekday_is_read_from_its_number_name_or_short_name() {
        for w in ["1", "mon", "monday", "ma", "maandag", "Maandag"] {
            assert_eq!(parse_weekday(w), Some(Weekday::Mon), "{w}");
        }
        for w in ["7", "sun", "zo", "zondag"] {
            assert_eq!(parse_weekday(w), Some(Weekday::Sun), "{w}");
        }
        for w in ["", "0", "8", "m", "maan", "mo"] {
            assert_eq!(parse_weekday(w), None, "{w}");
        }
    }
}
