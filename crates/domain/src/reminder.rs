//! The reminder e-mail's rules and texts: when it is due, which language a household gets it
//! in, and what it says. The queue that sends it is `crates/store/src/jobs.rs`, the sending
//! `crates/mtp/src/mail.rs`.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};

use crate::Language;
use crate::dates::day_and_date;
use crate::message::{Placeholder, Template, TemplatePurpose, Values};

/// Reminders go out for sessions that start between one hour and two days from now…
pub const REMIND_FROM: Duration = Duration::hours(1);
pub const REMIND_UNTIL: Duration = Duration::hours(48);
/// …at nine in the morning, Dutch time, the day before (or at once when that has passed).
pub const REMIND_AT: (u32, u32) = (9, 0);

/// The moment a session's reminder is due: nine o'clock the day before, Dutch time, but not
/// before `at`.
pub fn reminder_due(starts_at: DateTime<Utc>, at: DateTime<Utc>) -> DateTime<Utc> {
    let tz = chrono_tz::Europe::Amsterdam;
    let day_before = starts_at.with_timezone(&tz).date_naive() - Duration::days(1);
    let nine = NaiveTime::from_hms_opt(REMIND_AT.0, REMIND_AT.1, 0).unwrap_or(NaiveTime::MIN);
    let due = tz
        .from_local_datetime(&day_before.and_time(nine))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(at);
    std::cmp::max(due, at)
}

/// The household's language for messages: Dutch or English when its parents' languages say
/// so, else `None` (the organisation's language applies).
pub fn language_of(languages: &str) -> Option<Language> {
    let l = languages.to_lowercase();
    let has = |words: &[&str]| {
        l.split(|c: char| !c.is_alphabetic())
            .any(|w| words.contains(&w))
    };
    if has(&["nederlands", "dutch", "nl"]) {
        Some(Language::Nl)
    } else if has(&["engels", "english", "en"]) {
        Some(Language::En)
    } else {
        None
    }
}

/// The reminder's text and subject for one household and one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderText {
    pub subject: String,
    pub body: String,
}

/// Everything a reminder says, and nothing about anyone else.
#[derive(Debug, Clone)]
pub struct ReminderFacts<'a> {
    pub first_name: &'a str,
    pub activity: &'a str,
    pub place: &'a str,
    pub address: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub signed: &'a str,
    pub unsubscribe_url: &'a str,
}

/// Render a reminder with the default reminder template (plain B1 language).
pub fn reminder_text(lang: Language, f: &ReminderFacts<'_>) -> ReminderText {
    let start = f.starts_at.with_timezone(&chrono_tz::Europe::Amsterdam);
    let end = f.ends_at.with_timezone(&chrono_tz::Europe::Amsterdam);
    let (day, date) = day_and_date(lang, start.date_naive());
    let time = format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"));
    let place = [f.place, f.address]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let values = Values::new()
        .with(Placeholder::FirstName, f.first_name)
        .with(Placeholder::Activity, f.activity)
        .with(Placeholder::Day, day)
        .with(Placeholder::Date, &date)
        .with(Placeholder::Time, &time)
        .with(Placeholder::Place, &place)
        .with(Placeholder::Worker, f.signed);
    let text = Template::default_for(TemplatePurpose::Reminder, lang)
        .render(&values)
        .unwrap_or_else(|_| format!("{} {day} {date}, {time}\n{place}", f.activity));
    let (subject, footer) = match lang.texts() {
        Language::Nl => (
            format!("Herinnering: {} op {day} {date}", f.activity),
            format!(
                "Wil je geen herinneringen meer per e-mail? Klik dan op deze link:\n{}",
                f.unsubscribe_url
            ),
        ),
        _ => (
            format!("Reminder: {} on {day} {date}", f.activity),
            format!(
                "Don't want reminders by email any more? Click this link:\n{}",
                f.unsubscribe_url
            ),
        ),
    };
    ReminderText {
        subject,
        body: format!("{text}\n\n-- \n{footer}\n"),
    }
}

/// The body of a worker's personal e-mail: their text, then the way out of our e-mail.
pub fn personal_mail_body(lang: Language, text: &str, unsubscribe_url: &str) -> String {
    let footer = match lang.texts() {
        Language::Nl => "Wil je geen e-mail meer van ons? Klik dan op deze link:",
        _ => "Don't want email from us any more? Click this link:",
    };
    format!("{text}\n\n-- \n{footer}\n{unsubscribe_url}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_household_language_comes_from_its_languages() {
        assert_eq!(language_of("Nederlands, Arabisch"), Some(Language::Nl));
        assert_eq!(language_of("Engels"), Some(Language::En));
        assert_eq!(language_of("English, Tigrinya"), Some(Language::En));
        assert_eq!(language_of("Arabisch"), None);
        assert_eq!(language_of(""), None);
    }

    #[test]
    fn a_reminder_is_due_at_nine_the_day_before_but_never_in_the_past() {
        let starts = Utc.with_ymd_and_hms(2026, 12, 2, 8, 30, 0).single();
        let Some(starts) = starts else { panic!() };
        let early = starts - Duration::days(3);
        let due = reminder_due(starts, early);
        assert_eq!(
            due,
            Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0)
                .single()
                .unwrap_or(due)
        );
        let late = starts - Duration::hours(2);
        assert_eq!(reminder_due(starts, late), late);
    }

    #[test]
    fn a_reminder_names_the_activity_day_time_and_place_in_plain_dutch() {
        let Some(starts) = Utc.with_ymd_and_hms(2026, 12, 2, 8, 30, 0).single() else {
            panic!()
        };
        let r = reminder_text(
            Language::Nl,
            &ReminderFacts {
                first_name: "Sanne",
                activity: "Koffie-uurtje",
                place: "Buurthuis De Linde",
                address: "",
                starts_at: starts,
                ends_at: starts + Duration::minutes(90),
                signed: "Meet the Parents Almere",
                unsubscribe_url: "https://mtp.example/unsubscribe/abc",
            },
        );
        assert_eq!(
            r.subject,
            "Herinnering: Koffie-uurtje op woensdag 2 december"
        );
        assert!(
            r.body.starts_with("Hoi Sanne, denk je aan Koffie-uurtje?"),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("woensdag 2 december, 09:30–11:00"),
            "{}",
            r.body
        );
        assert!(r.body.contains("Buurthuis De Linde"));
        assert!(r.body.contains("https://mtp.example/unsubscribe/abc"));
        let en = reminder_text(
            Language::En,
            &ReminderFacts {
                first_name: "Sam",
                activity: "Coffee hour",
                place: "De Linde",
                address: "Lindeplein 1",
                starts_at: starts,
                ends_at: starts + Duration::minutes(90),
                signed: "MtP",
                unsubscribe_url: "u",
            },
        );
        assert!(
            en.body
                .contains("Wednesday 2 December, 09:30–11:00\nDe Linde, Lindeplein 1")
        );
    }

    #[test]
    fn a_personal_mail_ends_with_the_unsubscribe_link() {
        assert_eq!(
            personal_mail_body(Language::Nl, "Hoi!", "https://u"),
            "Hoi!\n\n-- \nWil je geen e-mail meer van ons? Klik dan op deze link:\nhttps://u\n"
        );
        assert!(personal_mail_body(Language::En, "Hi", "u").contains("Don't want email"));
    }
}
