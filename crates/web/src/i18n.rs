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

/// One placeholder's value: text, or a number that Fluent can choose a plural form by.
/// A number shows without grouping ("1250"), as `u64::to_string` would.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(i64),
}

impl Arg<'_> {
    fn fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Text(s) => FluentValue::String(Cow::Borrowed(s.as_ref())),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(s.as_str()))
    }
}

impl<'a> From<&&'a String> for Arg<'a> {
    fn from(s: &&'a String) -> Self {
        Arg::Text(Cow::Borrowed(s.as_str()))
    }
}

impl<'a> From<&&'a str> for Arg<'a> {
    fn from(s: &&'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
        impl From<&$t> for Arg<'_> {
            fn from(n: &$t) -> Self {
                Arg::Number(i64::try_from(*n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i16, i32, i64);

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

    /// A text with one placeholder, e.g. `{ $name }`. A number (`usize`, `u32`, …) reaches
    /// Fluent as a number, so `{ $count -> [one] … *[other] … }` picks the right form; text
    /// stays text.
    pub fn get1<'a>(&self, key: impl AsRef<str>, name: &str, value: impl Into<Arg<'a>>) -> String {
        let value = value.into();
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(Cow::Owned(name.to_string()), value.fluent());
        LOCALES.lookup_with_args(&langid(self.lang), key.as_ref(), &args)
    }

    /// A text with two placeholders, e.g. "{ $done } of { $total } done".
    pub fn get2<'a, 'b>(
        &self,
        key: impl AsRef<str>,
        a: (&str, impl Into<Arg<'a>>),
        b: (&str, impl Into<Arg<'b>>),
    ) -> String {
        let (va, vb) = (a.1.into(), b.1.into());
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(Cow::Owned(a.0.to_string()), va.fluent());
        args.insert(Cow::Owned(b.0.to_string()), vb.fluent());
        LOCALES.lookup_with_args(&langid(self.lang), key.as_ref(), &args)
    }

    /// A text with any number of text placeholders (a CBS file's error names its row,
    /// column and value: docs/guide/scan.md).
    pub fn get_texts(&self, key: impl AsRef<str>, args: &[(&str, String)]) -> String {
        let mut map: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        for (name, value) in args {
            map.insert(
                Cow::Owned((*name).to_string()),
                FluentValue::String(Cow::Borrowed(value.as_str())),
            );
        }
        LOCALES.lookup_with_args(&langid(self.lang), key.as_ref(), &map)
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

    /// "1.250" / "1,250": a whole number with the language's thousands separator
    /// (docs/ui.md, formats).
    pub fn number(&self, n: u32) -> String {
        let sep = match self.lang.texts() {
            Language::Nl => '.',
            _ => ',',
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// "12,5%" / "12.5%" with one decimal, or "–" when nothing was measured
    /// (docs/indicators.md §1.5).
    pub fn percent(&self, p: Option<f64>) -> String {
        match p.filter(|p| p.is_finite()) {
            Some(p) => format!("{}%", self.decimal(p)),
            None => "–".to_string(),
        }
    }

    /// One decimal, with a decimal comma in Dutch: "3,5" / "3.5".
    pub fn decimal(&self, x: f64) -> String {
        let text = format!("{x:.1}");
        match self.lang.texts() {
            Language::Nl => text.replace('.', ","),
            _ => text,
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
        assert_eq!(nl.number(1_250), "1.250");
        assert_eq!(en.number(1_234_567), "1,234,567");
        assert_eq!(nl.number(999), "999");
        assert_eq!(nl.percent(Some(12.5)), "12,5%");
        assert_eq!(en.percent(Some(100.0 / 3.0)), "33.3%");
        assert_eq!(nl.percent(None), "–");
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

    /// Every message of a language, as (key, text with its continuation lines), from all
    /// its `.ftl` files.
    fn messages(lang: &str) -> Vec<(String, String)> {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let mut out: Vec<(String, String)> = Vec::new();
        for f in files {
            for line in std::fs::read_to_string(f).unwrap_or_default().lines() {
                if line.starts_with(' ') {
                    if let Some((_, text)) = out.last_mut() {
                        text.push('\n');
                        text.push_str(line);
                    }
                } else if let Some((k, v)) = line.split_once(" = ")
                    && !k.starts_with('#')
                {
                    out.push((k.trim().to_string(), v.to_string()));
                }
            }
        }
        out
    }

    /// The variables a message text uses, e.g. `["count", "name"]`.
    fn variables(text: &str) -> Vec<String> {
        let mut vars: Vec<String> = text
            .split('$')
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect()
            })
            .collect();
        vars.sort();
        vars.dedup();
        vars
    }

    /// A text with every variable set: `selector` to `n`, the others to 3.
    fn render(lang: Language, key: &str, vars: &[String], selector: &str, n: i64) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        for v in vars {
            let value = if v == selector { n } else { 3 };
            args.insert(Cow::Owned(v.clone()), FluentValue::from(value));
        }
        LOCALES
            .try_lookup_with_args(&langid(lang), key, &args)
            .unwrap_or_else(|| panic!("{key} does not resolve in {}", lang.as_str()))
    }

    /// Is this a text a parent reads (the portal, the e-mails to parents, the unsubscribe and
    /// error pages)? The rules of docs/glossary.md, "Parent pages", hold for these.
    fn parent_facing(key: &str) -> bool {
        const PARENT: &[&str] = &[
            "portal-",
            "flash-portal-",
            "unsubscribe-",
            "erasure-refused-mail-",
            "idea-kind-",
            "idea-votes",
            "error-required-contact",
            "error-contact-invalid",
            "error-pin-",
            "error-required-pin",
            "error-required-kind",
            "error-required-idea",
            "error-too-long-idea",
            "not-found-",
            "forbidden-",
            "bad-request-",
            "server-error-",
            "form-expired-",
            "too-large-",
            "error-go-home",
            // A parent referred by a partner answers on their own phone (docs/guide/referrals.md).
            "referral-answer-",
            "referral-link-message",
            "referral-link-mail-",
        ];
        PARENT.iter().any(|p| key.starts_with(p)) && !key.starts_with("portal-staff-")
    }

    /// The text without its placeables: each `{ … }` (nested or not) counts as one word.
    fn without_placeables(text: &str) -> String {
        let mut out = String::new();
        let mut depth = 0usize;
        for c in text.chars() {
            match c {
                '{' => {
                    if depth == 0 {
                        out.push('X');
                    }
                    depth += 1;
                }
                '}' => depth = depth.saturating_sub(1),
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_dutch_text_says_je_never_u() {
        // docs/ui.md §5.1: staff and parents alike are addressed with "je"; the formal
        // "u" and "uw" creep in one sentence at a time.
        let formal: Vec<String> = messages("nl")
            .into_iter()
            .filter(|(_, text)| {
                without_placeables(text)
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| matches!(w, "u" | "U" | "uw" | "Uw"))
            })
            .map(|(key, text)| format!("{key} = {text}"))
            .collect();
        assert!(formal.is_empty(), "formal address: {formal:#?}");
    }

    #[test]
    fn parent_texts_are_short_sentences_in_the_parents_words() {
        // B1: a sentence of at most 15 words, and none of the staff's words
        // (docs/glossary.md). A number like "15 minuten" is one word, as a parent reads it.
        const LIMIT: usize = 15;
        let staff_words: [(&str, &[&str]); 2] = [
            (
                "nl",
                &[
                    "huishoud",
                    "sessie",
                    "rsvp",
                    "module",
                    "avg",
                    "wcag",
                    "anonimis",
                    "meeroudergezin",
                    "optioneel",
                    "kwartier",
                    "gastouder",
                    "registratie",
                    "status",
                    "cliënt",
                ],
            ),
            (
                "en",
                &[
                    "household",
                    "session",
                    "rsvp",
                    "module",
                    "gdpr",
                    "wcag",
                    "anonymis",
                    "optional",
                    "quarter of an hour",
                    "registration",
                    "status",
                    "client",
                    "e-mail",
                ],
            ),
        ];
        let mut checked = 0;
        let mut problems = Vec::new();
        for (code, words) in staff_words {
            for (key, text) in messages(code) {
                if !parent_facing(&key) {
                    continue;
                }
                checked += 1;
                let plain = without_placeables(&text);
                for sentence in plain.split(['.', '?', '!', ':', '\n']) {
                    let n = sentence.split_whitespace().count();
                    if n > LIMIT {
                        problems.push(format!(
                            "{code} {key}: {n} words in \"{}\"",
                            sentence.trim()
                        ));
                    }
                }
                let lower = plain.to_lowercase();
                for w in words {
                    if lower
                        .split(|c: char| !c.is_alphanumeric() && c != '-')
                        .any(|token| token.starts_with(w) || (w.contains(' ') && lower.contains(w)))
                    {
                        problems.push(format!("{code} {key}: says \"{w}\""));
                    }
                }
            }
        }
        assert!(
            checked > 150,
            "only {checked} parent texts found: is the list right?"
        );
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_sentence_check_counts_words_and_skips_placeables() {
        assert_eq!(without_placeables("Hallo { $name }!"), "Hallo X!");
        assert_eq!(
            without_placeables(
                "Op { $count ->\n [one] 1 telefoon\n *[other] { $count } telefoons\n}"
            ),
            "Op X"
        );
        assert!(parent_facing("portal-erase-what") && !parent_facing("portal-staff-heading"));
        assert!(!parent_facing("households-title"));
    }

    #[test]
    fn every_counted_message_says_one_and_two_differently() {
        // A counted message is one with a selector (`{ $count -> [one] … *[other] … }`):
        // found from the files, so a new one is tested without being listed here.
        let mut counted_everywhere = Vec::new();
        for (code, lang) in [("nl", Language::Nl), ("en", Language::En)] {
            let mut counted = Vec::new();
            for (key, text) in messages(code) {
                for bad in ["(s)", "(en)"] {
                    assert!(
                        !text.contains(bad),
                        "{code} {key} says {bad}: give it [one]/*[other] forms instead"
                    );
                }
                if !text.contains("->") {
                    continue;
                }
                let vars = variables(&text);
                let selectors: Vec<&String> = vars
                    .iter()
                    .filter(|v| text.contains(&format!("{{ ${v} ->")))
                    .collect();
                assert!(!selectors.is_empty(), "{code} {key}: a selector on what?");
                for sel in selectors {
                    assert!(
                        text.contains("[one]") && text.contains("*[other]"),
                        "{code} {key} needs [one] and *[other]"
                    );
                    let one = render(lang, &key, &vars, sel, 1);
                    let two = render(lang, &key, &vars, sel, 2);
                    assert!(one.contains('1'), "{code} {key} with 1: {one}");
                    assert!(two.contains('2'), "{code} {key} with 2: {two}");
                    // The form with 1 is not just the form with 2 with another digit:
                    // "1 gezin" / "2 gezinnen", never "1 gezinnen".
                    assert_ne!(
                        one.replace('1', "2"),
                        two,
                        "{code} {key}: 1 and 2 take the same form"
                    );
                }
                counted.push(key);
            }
            counted.sort();
            counted_everywhere.push(counted);
        }
        for key in [
            "portal-staff-phones",
            "households-count",
            "chat-without-consent",
        ] {
            for counted in &counted_everywhere {
                assert!(counted.iter().any(|k| k == key), "{key} is not counted");
            }
        }
    }

    #[test]
    fn numbers_reach_fluent_as_numbers_without_grouping() {
        let nl = Tr::new(Language::Nl);
        let en = Tr::new(Language::En);
        assert_eq!(
            nl.get1("households-count", "count", 1_usize),
            "1 gezin gevonden."
        );
        assert_eq!(
            nl.get1("households-count", "count", 2_u32),
            "2 gezinnen gevonden."
        );
        assert_eq!(
            en.get1("households-count", "count", 1_i64),
            "1 family found."
        );
        assert_eq!(
            nl.get1("households-count", "count", 1250_usize),
            "1250 gezinnen gevonden."
        );
        assert_eq!(
            nl.get1("portal-staff-phones", "count", 1_u32),
            "Ingelogd op 1 telefoon"
        );
        assert_eq!(
            en.get1("portal-staff-phones", "count", 3_u32),
            "Signed in on 3 phones"
        );
        // Text stays text.
        assert_eq!(nl.get1("flash-signed-in", "name", "1"), "Welkom, 1.");
        assert_eq!(
            nl.get2("chat-budget", ("posts", 0_usize), ("budget", 1_usize)),
            "Deze week: 0 van 1 bericht."
        );
    }
}
