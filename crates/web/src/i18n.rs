//! Interface texts in Dutch (default) and English, from the `.ftl` files in `locales/`.
//! A new language is a new folder with a `main.ftl`; it becomes a `Language::Other`.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use mtp_domain::{Language, dates};
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        // Isolation marks would end up as invisible characters in the HTML.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn langid(lang: Language) -> LanguageIdentifier {
    lang.as_str()
        .parse()
        .unwrap_or_else(|_| unic_langid::langid!("nl"))
}

/// The languages we have translations for, found from the folders of `locales/`: Dutch,
/// English, then any added language in code order. A folder is all it takes (docs/architecture.md,
/// "Internationalisation").
pub fn languages() -> &'static [Language] {
    static LANGUAGES: std::sync::LazyLock<Vec<Language>> = std::sync::LazyLock::new(|| {
        let mut found: Vec<Language> = LOCALES
            .locales()
            .filter_map(|l| Language::parse(l.language.as_str()))
            .collect();
        found.sort_by_key(|l| match l {
            Language::Nl => (0, String::new()),
            Language::En => (1, String::new()),
            other => (2, other.as_str().to_string()),
        });
        found.dedup();
        found
    });
    &LANGUAGES
}

/// A language we can show, from a cookie, an address or an account; anything else is none.
pub fn supported(raw: &str) -> Option<Language> {
    Language::parse(raw).filter(|l| languages().contains(l))
}

/// The days of the week, Monday first: the order of a select of days.
pub const WEEK: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

/// The translator a page renders with.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Language,
}

impl Tr {
    pub fn new(lang: Language) -> Self {
        Tr { lang }
    }

    pub fn get(&self, key: impl AsRef<str>) -> String {
        LOCALES.lookup(&langid(self.lang), key.as_ref())
    }

    /// "woensdag" / "Wednesday", from the domain's one table (`crates/domain/src/dates.rs`).
    pub fn weekday(&self, day: chrono::Weekday) -> &'static str {
        dates::weekday_name(self.lang, day)
    }

    /// "december" / "December" for month 12, from the domain's one table
    /// (`crates/domain/src/dates.rs`). A number outside 1–12 (the forms and the store keep a
    /// birth month in range) shows as a missing text does.
    pub fn month(&self, month: u32) -> String {
        match dates::month_name(self.lang, month) {
            Some(name) => name.to_string(),
            None => self.get(format!("month-{month}")),
        }
    }

    /// A text with one placeholder, e.g. `{ $name }`.
    pub fn get1(&self, key: impl AsRef<str>, name: &str, value: impl std::fmt::Display) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(
            Cow::Owned(name.to_string()),
            FluentValue::from(value.to_string()),
        );
        LOCALES.lookup_with_args(&langid(self.lang), key.as_ref(), &args)
    }

    /// A text with two placeholders, e.g. "{ $done } of { $total } done".
    pub fn get2(
        &self,
        key: impl AsRef<str>,
        a: (&str, impl std::fmt::Display),
        b: (&str, impl std::fmt::Display),
    ) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(
            Cow::Owned(a.0.to_string()),
            FluentValue::from(a.1.to_string()),
        );
        args.insert(
            Cow::Owned(b.0.to_string()),
            FluentValue::from(b.1.to_string()),
        );
        LOCALES.lookup_with_args(&langid(self.lang), key.as_ref(), &args)
    }

    /// Whether a key exists, so a flash message key from a cookie is shown only if known.
    pub fn has(&self, key: &str) -> bool {
        // With an empty `name` argument: a message with a placeholder fails to resolve
        // without one and would look missing.
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(Cow::Borrowed("name"), FluentValue::from(""));
        LOCALES
            .try_lookup_with_args(&langid(self.lang), key, &args)
            .is_some()
    }

    /// "woensdag 4 december 2026" in Europe/Amsterdam.
    pub fn date(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        self.day(t.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive())
    }

    /// "woensdag 4 december 2026".
    pub fn day(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let (day, date) = dates::day_and_date(self.lang, d);
        format!("{day} {date} {}", d.year())
    }

    /// "20 november", with the year when it is not `today`'s year: the short date of a card.
    pub fn day_month(&self, d: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = dates::month_name(self.lang, d.month()).unwrap_or_default();
        if d.year() == today.year() {
            format!("{} {month}", d.day())
        } else {
            format!("{} {month} {}", d.day(), d.year())
        }
    }

    /// "09:30–10:30" (en dash, no spaces) in Europe/Amsterdam.
    pub fn times(
        &self,
        start: chrono::DateTime<chrono::Utc>,
        end: chrono::DateTime<chrono::Utc>,
    ) -> String {
        let tz = chrono_tz::Europe::Amsterdam;
        format!(
            "{}–{}",
            start.with_timezone(&tz).format("%H:%M"),
            end.with_timezone(&tz).format("%H:%M")
        )
    }

    /// "€ 2,50" / "€2.50", and "Gratis" / "Free" for nothing (docs/ui.md §5.3).
    pub fn money(&self, cents: u32) -> String {
        if cents == 0 {
            return self.get("cost-free");
        }
        let (euros, rest) = (cents / 100, cents % 100);
        match self.lang.texts() {
            Language::Nl => format!("€ {euros},{rest:02}"),
            _ => format!("€{euros}.{rest:02}"),
        }
    }

    /// "woensdag 4 december 2026, 09:30" in Europe/Amsterdam.
    pub fn datetime(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        use chrono::{Datelike, Timelike};
        let local = t.with_timezone(&chrono_tz::Europe::Amsterdam);
        let (day, date) = dates::day_and_date(self.lang, local.date_naive());
        format!(
            "{day} {date} {}, {:02}:{:02}",
            local.year(),
            local.hour(),
            local.minute()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_is_the_default_and_english_is_complete() {
        let nl = Tr::new(Language::Nl);
        let en = Tr::new(Language::En);
        assert_eq!(nl.get("login-title"), "Inloggen");
        assert_eq!(en.get("login-title"), "Sign in");
        assert_eq!(
            nl.get1("flash-signed-in", "name", "Sanne"),
            "Welkom, Sanne."
        );
        assert!(nl.has("flash-signed-in") && nl.has("flash-saved") && !nl.has("flash-nope"));
    }

    #[test]
    fn day_and_month_names_come_from_the_domain() {
        let nl = Tr::new(Language::Nl);
        let en = Tr::new(Language::En);
        assert_eq!(nl.weekday(chrono::Weekday::Wed), "woensdag");
        assert_eq!(en.weekday(chrono::Weekday::Sun), "Sunday");
        assert_eq!(nl.month(3), "maart");
        assert_eq!(en.month(12), "December");
        assert_ne!(nl.month(13), "");
        assert_eq!(WEEK.map(|d| nl.weekday(d))[0], "maandag");
        assert_eq!(WEEK.map(|d| en.weekday(d))[6], "Sunday");
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let keys = |src: &str| -> Vec<String> {
            src.lines()
                .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
                .filter(|k| !k.starts_with('#') && !k.starts_with(' ') && !k.is_empty())
                .collect()
        };
        // Every .ftl file of a language folder is loaded (fluent-templates reads the whole
        // folder), so every file counts, and a key in two files of one language would
        // silently shadow the other.
        let read = |lang: &str| -> Vec<String> {
            let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort();
            assert!(!files.is_empty(), "no .ftl files in {dir}");
            let all: Vec<String> = files
                .iter()
                .flat_map(|f| keys(&std::fs::read_to_string(f).unwrap_or_default()))
                .collect();
            let mut seen = std::collections::HashSet::new();
            for k in &all {
                assert!(seen.insert(k.clone()), "{k} is defined twice in {lang}");
            }
            all
        };
        // Every language folder against Dutch, so an added language is checked too.
        let nl = read("nl");
        let dir = format!("{}/locales", env!("CARGO_MANIFEST_DIR"));
        let mut others: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n != "nl")
                    .collect()
            })
            .unwrap_or_default();
        others.sort();
        assert!(others.contains(&"en".to_string()), "{others:?}");
        for lang in others {
            let other = read(&lang);
            let missing: Vec<&String> = nl.iter().filter(|k| !other.contains(k)).collect();
            let extra: Vec<&String> = other.iter().filter(|k| !nl.contains(k)).collect();
            assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
            assert!(extra.is_empty(), "only in {lang}: {extra:?}");
        }
    }

    #[test]
    fn the_languages_are_the_folders_dutch_first() {
        assert_eq!(languages().first(), Some(&Language::Nl));
        assert!(languages().contains(&Language::En));
        assert_eq!(supported("en"), Some(Language::En));
        // A well-formed code without translations is not offered.
        assert_eq!(supported("de"), None);
        assert_eq!(supported("../etc"), None);
        assert_eq!(Tr::new(Language::En).get("language-name"), "English");
        assert_eq!(Tr::new(Language::Nl).get("language-name"), "Nederlands");
    }

    #[test]
    fn texts_in_the_encouragement_file_are_loaded_too() {
        let nl = Tr::new(Language::Nl);
        let en = Tr::new(Language::En);
        assert_eq!(nl.get("nav-encourage"), "Aanmoedigen");
        assert_eq!(en.get("nav-encourage"), "Encourage");
        assert!(nl.has("flash-follow-up-done"));
    }

    #[test]
    fn a_short_date_adds_the_year_only_when_it_is_another_year() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let nl = Tr::new(Language::Nl);
        assert_eq!(nl.day_month(d(2026, 11, 20), d(2026, 12, 2)), "20 november");
        assert_eq!(
            nl.day_month(d(2025, 11, 20), d(2026, 1, 2)),
            "20 november 2025"
        );
        assert_eq!(
            Tr::new(Language::En).day_month(d(2026, 11, 20), d(2026, 12, 2)),
            "20 November"
        );
    }

    #[test]
    fn dates_are_written_out_in_amsterdam_time() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-12-02T08:30:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        assert_eq!(
            Tr::new(Language::Nl).datetime(t),
            "woensdag 2 december 2026, 09:30"
        );
        assert_eq!(
            Tr::new(Language::En).datetime(t),
            "Wednesday 2 December 2026, 09:30"
        );
    }
}
