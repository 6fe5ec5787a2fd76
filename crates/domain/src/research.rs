//! The pseudonymised research export (issue #15, docs/guide/research.md): which households a
//! researcher gets, under which pseudonym, and what is said about each of them.
//!
//! A study has a random key of its own. A household's pseudonym is an HMAC of its id under
//! that key, so two exports of one study link up and two studies do not, and nobody without
//! the key can turn a pseudonym back into a household. What a row holds is chosen so that it
//! names nobody: no names, contact details, notes, exact dates of birth or household ids;
//! a postcode only where enough households of the neighbourhood take part.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::activity::ActivityKind;
use crate::household::{ChildBirth, HouseholdKind, Source};
use crate::questionnaire::Answers;
use crate::schedule::local_to_utc;

/// A study's key: 32 random bytes. Its `Debug` shows nothing, so it cannot end up in a log.
#[derive(Clone, PartialEq, Eq)]
pub struct StudyKey([u8; 32]);

impl std::fmt::Debug for StudyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StudyKey(..)")
    }
}

impl StudyKey {
    pub fn from_bytes(bytes: [u8; 32]) -> StudyKey {
        StudyKey(bytes)
    }

    /// A key as 64 hexadecimal digits, as stored and as shown once.
    pub fn from_hex(text: &str) -> Option<StudyKey> {
        let bytes: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
        Some(StudyKey(bytes))
    }

    /// The 64 hexadecimal digits: shown once to the administrator who made the study.
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// Hexadecimal digits of a pseudonym: 64 bits, so that among half a million households the
/// chance of two sharing one is about one in a hundred million.
pub const PSEUDONYM_CHARS: usize = 16;

/// `HMAC-SHA256(key, household id bytes)`, hex, its first [`PSEUDONYM_CHARS`] digits.
pub fn pseudonym(key: &StudyKey, household: Uuid) -> String {
    let digest = match Hmac::<Sha256>::new_from_slice(&key.0) {
        Ok(mut mac) => {
            mac.update(household.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        // HMAC takes a key of any length; this arm cannot run.
        Err(_) => String::new(),
    };
    digest.chars().take(PSEUDONYM_CHARS).collect()
}

/// A postcode is shown only for a neighbourhood with at least this many participating
/// households in the export: fewer, and the four digits with the other columns could point at
/// one family.
pub const POSTCODE_MIN_HOUSEHOLDS: u32 = 10;

/// The household's four postcode digits when `participating` households of its neighbourhood
/// are in the export and that is at least [`POSTCODE_MIN_HOUSEHOLDS`]; otherwise empty.
pub fn shown_postcode(postcode4: Option<&str>, participating: u32) -> String {
    match postcode4 {
        Some(p) if participating >= POSTCODE_MIN_HOUSEHOLDS => {
            p.chars().filter(char::is_ascii_digit).take(4).collect()
        }
        _ => String::new(),
    }
}

/// The children's ages in whole years on `on`, youngest first ("3;7"): a birth month and
/// year, never an exact date (`ChildBirth::age_on`).
pub fn ages_text(children: &[ChildBirth], on: NaiveDate) -> String {
    let mut ages: Vec<u32> = children.iter().map(|c| c.age_on(on)).collect();
    ages.sort_unstable();
    ages.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// The local date (Europe/Amsterdam) of a moment: the month the team saw it happen in.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// "2026-03": a month as exports write it (docs/ui.md §5.3).
pub fn month_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// What the store knows of one participating household, before anything is left out.
#[derive(Debug, Clone)]
pub struct Facts {
    pub id: Uuid,
    pub neighbourhood_id: Uuid,
    pub kind: HouseholdKind,
    pub parents: u32,
    /// Whether at least one parent works.
    pub parent_works: bool,
    pub children: Vec<ChildBirth>,
    pub postcode4: Option<String>,
    pub source: Source,
    pub registered_at: DateTime<Utc>,
    /// Its visits (docs/indicators.md §1.3), counted as the export needs them.
    pub visits: VisitCounts,
    /// Its questionnaire rounds (docs/outcomes.md), oldest first: answering needs no
    /// research consent, but only a household in the export has them exported.
    pub measurements: Vec<(NaiveDate, Answers)>,
}

/// What the export says of a household's visits: the first and the last up to the day of
/// the export, and how many in the export's period per kind of activity. The store has the
/// database count them ([`Export::instants`]); [`count_visits`] counts a list the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitCounts {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub in_period: HashMap<ActivityKind, u32>,
}

/// `visits` (when, and at which kind of activity) counted for the export `e`.
pub fn count_visits(e: Export<'_>, visits: &[(DateTime<Utc>, ActivityKind)]) -> VisitCounts {
    let (from, to, today) = e.instants();
    let mut c = VisitCounts::default();
    for (at, kind) in visits.iter().filter(|(at, _)| *at < today) {
        let day = local_date(*at);
        c.first = Some(c.first.map_or(day, |f| f.min(day)));
        c.last = Some(c.last.map_or(day, |l| l.max(day)));
        if from <= *at && *at < to {
            *c.in_period.entry(*kind).or_default() += 1;
        }
    }
    c
}

/// What one export is about, the same for every row.
#[derive(Debug, Clone, Copy)]
pub struct Export<'a> {
    pub key: &'a StudyKey,
    /// The visits counted per kind lie in this period, both days inclusive.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day of the export: children's ages are on this day.
    pub today: NaiveDate,
}

impl Export<'_> {
    /// The export's days as instants, each the start of a day in Amsterdam: the period's
    /// first day, the day after its last (or after today, when the period runs on), and the
    /// day after today. A visit counts in the period when it lies in the first two; it
    /// counts at all when it lies before the third.
    pub fn instants(self) -> (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>) {
        let start = |d: NaiveDate| local_to_utc(d, NaiveTime::MIN);
        let after = |d: NaiveDate| start(d.succ_opt().unwrap_or(d));
        (
            start(self.from),
            after(self.to.min(self.today)),
            after(self.today),
        )
    }
}

/// One cell: text, or a number a spreadsheet keeps as a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(u32),
}

impl Cell {
    /// The cell as a CSV writes it; text is borrowed, not copied.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Text(t) => std::borrow::Cow::Borrowed(t),
            Cell::Number(n) => std::borrow::Cow::Owned(n.to_string()),
        }
    }
}

/// One row of the export, in the order of [`columns`].
pub fn row(
    e: Export<'_>,
    f: &Facts,
    neighbourhood: &str,
    neighbourhood_cbs: &str,
    participating: u32,
) -> Vec<Cell> {
    let v = &f.visits;
    let in_period = |kind: ActivityKind| v.in_period.get(&kind).copied().unwrap_or(0);
    let mut cells = vec![
        Cell::Text(pseudonym(e.key, f.id)),
        Cell::Text(neighbourhood.to_string()),
        Cell::Text(neighbourhood_cbs.to_string()),
        Cell::Text(f.kind.as_str().to_string()),
        Cell::Number(f.parents),
        Cell::Number(u32::try_from(f.children.len()).unwrap_or(u32::MAX)),
        Cell::Text(ages_text(&f.children, e.today)),
        Cell::Text(shown_postcode(f.postcode4.as_deref(), participating)),
        Cell::Text(f.source.as_str().to_string()),
        Cell::Number(u32::from(f.parent_works)),
        Cell::Text(month_text(local_date(f.registered_at))),
        Cell::Text(v.first.map(month_text).unwrap_or_default()),
        Cell::Text(v.last.map(month_text).unwrap_or_default()),
        Cell::Number(v.in_period.values().fold(0u32, |a, n| a.saturating_add(*n))),
    ];
    cells.extend(ActivityKind::ALL.map(|k| Cell::Number(in_period(k))));
    cells.extend(measurement_cells(&f.measurements, e.today));
    cells
}

/// The questionnaire columns of a row: how many rounds up to the day of the export, and the
/// scores of the first and of the latest (the latest only when it is another round than the
/// first, so a pair is always two measurements). A score the instrument's missing-data rule
/// cannot give is empty (docs/outcomes.md).
fn measurement_cells(measurements: &[(NaiveDate, Answers)], today: NaiveDate) -> Vec<Cell> {
    let taken: Vec<&(NaiveDate, Answers)> =
        measurements.iter().filter(|(on, _)| *on <= today).collect();
    let number = |n: Option<u8>| n.map_or(Cell::Text(String::new()), |n| Cell::Number(n.into()));
    let scores = |m: Option<&&(NaiveDate, Answers)>| -> [Cell; 5] {
        let Some((on, a)) = m else {
            return std::array::from_fn(|_| Cell::Text(String::new()));
        };
        [
            Cell::Text(month_text(*on)),
            number(a.health().map(|h| h as u8)),
            number(a.loneliness().total),
            number(a.support()),
            number(a.meets_activity_guideline().map(u8::from)),
        ]
    };
    let latest = taken.last().filter(|_| taken.len() > 1);
    let mut cells = vec![Cell::Number(u32::try_from(taken.len()).unwrap_or(u32::MAX))];
    cells.extend(scores(taken.first()));
    cells.extend(scores(latest));
    cells
}

/// The names of the questionnaire columns of one measurement ("first" or "latest").
fn measurement_columns(which: &str, nl: &str, en: &str) -> Vec<Column> {
    vec![
        column(
            &format!("q_{which}_month"),
            &format!("Maand van de {nl} vragenlijst; leeg als er geen is."),
            &format!("Month of the {en} questionnaire; empty when there is none."),
            "yyyy-mm, or empty",
        ),
        column(
            &format!("health_{which}"),
            &format!(
                "Ervaren gezondheid bij de {nl} vragenlijst (1 = zeer goed, 2 = goed, 3 = gaat wel, 4 = slecht, 5 = zeer slecht). Leeg als de vraag is overgeslagen."
            ),
            &format!(
                "Perceived health at the {en} questionnaire (1 = very good, 2 = good, 3 = fair, 4 = poor, 5 = very poor). Empty when the question was skipped."
            ),
            "1-5, or empty",
        ),
        column(
            &format!("loneliness_{which}"),
            &format!(
                "Eenzaamheid (De Jong Gierveld, 6 vragen) bij de {nl} vragenlijst: totaalscore 0-6; 0-1 niet eenzaam, 2-4 matig, 5-6 ernstig. Eén overgeslagen vraag mag; bij twee of meer leeg."
            ),
            &format!(
                "Loneliness (De Jong Gierveld, 6 items) at the {en} questionnaire: total score 0-6; 0-1 not lonely, 2-4 moderate, 5-6 severe. One skipped item is allowed; with two or more it is empty."
            ),
            "0-6, or empty",
        ),
        column(
            &format!("support_{which}"),
            &format!(
                "Sociale steun (OSSS-3) bij de {nl} vragenlijst: som 3-14; 3-8 weinig, 9-11 matig, 12-14 sterk. Leeg als een vraag is overgeslagen."
            ),
            &format!(
                "Social support (OSSS-3) at the {en} questionnaire: sum 3-14; 3-8 poor, 9-11 moderate, 12-14 strong. Empty when an item was skipped."
            ),
            "3-14, or empty",
        ),
        column(
            &format!("active_{which}"),
            &format!("Haalt de beweegrichtlijn volgens de {nl} vragenlijst?"),
            &format!("Meets the physical activity guideline according to the {en} questionnaire?"),
            "1 = yes, 0 = no, or empty",
        ),
    ]
}

/// One column of the export, as the codebook explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub meaning_nl: String,
    pub meaning_en: String,
    pub values: String,
}

fn column(name: &str, nl: &str, en: &str, values: &str) -> Column {
    Column {
        name: name.to_string(),
        meaning_nl: nl.to_string(),
        meaning_en: en.to_string(),
        values: values.to_string(),
    }
}

/// The column of the visits to one kind of activity in the period.
pub fn visits_column(kind: ActivityKind) -> String {
    format!("visits_{}", kind.as_str())
}

/// The export's columns, in order, with what each means and the values it takes.
pub fn columns() -> Vec<Column> {
    let sources = Source::ALL.map(Source::as_str).join(" | ");
    let mut out = vec![
        column(
            "pseudonym",
            "Code voor het gezin, 16 tekens. Binnen één onderzoek steeds dezelfde code voor hetzelfde gezin; in een ander onderzoek een andere.",
            "Code for the family, 16 characters. Within one study always the same code for the same family; in another study a different one.",
            "16 hexadecimal characters",
        ),
        column(
            "neighbourhood",
            "Naam van de wijk.",
            "Name of the neighbourhood.",
            "text",
        ),
        column(
            "neighbourhood_cbs",
            "CBS-wijkcode van de wijk; leeg als die niet is ingevuld.",
            "CBS neighbourhood code; empty when not recorded.",
            "WK + 6 digits, or empty",
        ),
        column(
            "household_kind",
            "Soort gezin: eenoudergezin of gezin met twee ouders.",
            "Kind of family: single parent or two parents.",
            "single_parent | multi_parent",
        ),
        column(
            "parents",
            "Aantal ouders in het gezin.",
            "Number of parents in the family.",
            "whole number",
        ),
        column(
            "children",
            "Aantal kinderen in het gezin.",
            "Number of children in the family.",
            "whole number",
        ),
        column(
            "children_ages",
            "Leeftijd van elk kind in hele jaren op de dag van de export, jongste eerst. Geen geboortedatum.",
            "Age of each child in whole years on the day of the export, youngest first. No date of birth.",
            "whole numbers separated by ; (e.g. 3;7), or empty",
        ),
        column(
            "postcode4",
            "De vier cijfers van de postcode. Alleen als in deze export 10 of meer gezinnen uit dezelfde wijk zitten; anders leeg.",
            "The four digits of the postcode. Only when this export holds 10 or more families of the same neighbourhood; otherwise empty.",
            "4 digits, or empty",
        ),
        column(
            "source",
            "Hoe het gezin bij ons kwam. De naam van een partnerorganisatie staat er niet in.",
            "How the family came to us. The name of a partner organisation is not included.",
            &sources,
        ),
        column(
            "parent_works",
            "Werkt minstens één ouder?",
            "Does at least one parent work?",
            "1 = yes, 0 = no",
        ),
        column(
            "registered",
            "Maand waarin het gezin is ingeschreven.",
            "Month in which the family was registered.",
            "yyyy-mm",
        ),
        column(
            "first_visit",
            "Maand van het eerste bezoek ooit; leeg als het gezin nog nooit kwam.",
            "Month of the first visit ever; empty when the family never came.",
            "yyyy-mm, or empty",
        ),
        column(
            "last_visit",
            "Maand van het laatste bezoek tot de dag van de export; leeg als het gezin nog nooit kwam.",
            "Month of the last visit up to the day of the export; empty when the family never came.",
            "yyyy-mm, or empty",
        ),
        column(
            "visits_period",
            "Aantal bezoeken in de gekozen periode. Een bezoek: aanwezig bij een bijeenkomst die doorging.",
            "Number of visits in the chosen period. A visit: present at a session that was held.",
            "whole number",
        ),
    ];
    for kind in ActivityKind::ALL {
        out.push(column(
            &visits_column(kind),
            &format!(
                "Aantal bezoeken in de gekozen periode aan activiteiten van de soort '{}'.",
                kind.as_str()
            ),
            &format!(
                "Number of visits in the chosen period to activities of the kind '{}'.",
                kind.as_str()
            ),
            "whole number",
        ));
    }
    out.push(column(
        "questionnaires",
        "Aantal keer dat de ouder de vragenlijst invulde, tot de dag van de export.",
        "Number of times the parent answered the questionnaire, up to the day of the export.",
        "whole number",
    ));
    out.extend(measurement_columns("first", "eerste", "first"));
    out.extend(measurement_columns(
        "latest",
        "laatste (alleen als er twee of meer zijn)",
        "latest (only when there are two or more)",
    ));
    out
}

/// What the codebook says besides the columns: a fact the issue asks for that we do not
/// record, so nobody looks for it or fills it in.
pub fn not_recorded() -> Vec<Column> {
    vec![column(
        "parent_birth_year",
        "Niet vastgelegd: we vragen ouders niet naar hun geboortejaar. Deze kolom staat daarom niet in de export.",
        "Not recorded: we do not ask parents for their year of birth, so this column is not in the export.",
        "not recorded",
    )]
}

/// The column names, for the header row.
pub fn header() -> Vec<String> {
    columns().into_iter().map(|c| c.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn key(byte: u8) -> StudyKey {
        StudyKey::from_bytes([byte; 32])
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_pseudonym_is_stable_within_a_study_and_differs_across_studies() {
        let h = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        let other = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002);
        let a = pseudonym(&key(1), h);
        assert_eq!(a.len(), PSEUDONYM_CHARS);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a, pseudonym(&key(1), h));
        assert_ne!(a, pseudonym(&key(2), h));
        assert_ne!(a, pseudonym(&key(1), other));
        // Nothing of the id shows through.
        assert!(!h.simple().to_string().contains(&a));
    }

    #[test]
    fn the_pseudonym_is_the_hmac_of_the_id_bytes() {
        // RFC 4231 test case 2 has a short key; here the same construction with our key,
        // checked against an independent computation of HMAC-SHA256 over the 16 id bytes.
        let k = key(0x0b);
        let id = Uuid::nil();
        let mut mac = Hmac::<Sha256>::new_from_slice(&[0x0b; 32]).unwrap_or_else(|_| panic!());
        mac.update(&[0u8; 16]);
        let full = hex::encode(mac.finalize().into_bytes());
        assert_eq!(pseudonym(&k, id), full[..16]);
    }

    #[test]
    fn a_key_reads_back_from_hex_and_never_shows_in_debug() {
        let k = key(0xab);
        assert_eq!(k.hex().len(), 64);
        assert_eq!(StudyKey::from_hex(&k.hex()), Some(k.clone()));
        assert_eq!(StudyKey::from_hex("abcd"), None);
        assert_eq!(format!("{k:?}"), "StudyKey(..)");
    }

    #[test]
    fn the_postcode_shows_from_ten_participating_households() {
        assert_eq!(shown_postcode(Some("1359"), 9), "");
        assert_eq!(shown_postcode(Some("1359"), 10), "1359");
        assert_eq!(shown_postcode(Some("1359"), 400), "1359");
        assert_eq!(shown_postcode(None, 400), "");
    }

    #[test]
    fn ages_are_whole_years_on_the_export_day_youngest_first() {
        let kids = [
            ChildBirth {
                year: 2019,
                month: 3,
            },
            ChildBirth {
                year: 2023,
                month: 1,
            },
            ChildBirth {
                year: 2019,
                month: 12,
            },
        ];
        // On 6 December 2026: born March 2019 is 7, January 2023 is 3, December 2019 is 7
        // (the birthday counts from the first of the month).
        assert_eq!(ages_text(&kids, day(2026, 12, 6)), "3;7;7");
        // On 30 November 2026 the December child is still 6.
        assert_eq!(ages_text(&kids, day(2026, 11, 30)), "3;6;7");
        assert_eq!(ages_text(&[], day(2026, 12, 6)), "");
    }

    #[test]
    fn months_are_local_months() {
        // 23:30 UTC on 31 March is 1 April in Amsterdam.
        let d = local_date(at(2026, 3, 31, 23));
        assert_eq!(month_text(d), "2026-04");
        assert_eq!(month_text(day(2026, 1, 31)), "2026-01");
    }

    /// An export of the first quarter of 2026, made on 6 December 2026.
    fn first_quarter(k: &StudyKey) -> Export<'_> {
        Export {
            key: k,
            from: day(2026, 1, 1),
            to: day(2026, 3, 31),
            today: day(2026, 12, 6),
        }
    }

    /// The cell of the column called `name` in a row's texts.
    fn cell(text: &[String], name: &str) -> String {
        let i = header()
            .iter()
            .position(|h| h == name)
            .unwrap_or(usize::MAX);
        text.get(i).cloned().unwrap_or_default()
    }

    fn facts() -> Facts {
        Facts {
            id: Uuid::from_u128(7),
            neighbourhood_id: Uuid::from_u128(9),
            kind: HouseholdKind::SingleParent,
            parents: 1,
            parent_works: true,
            children: vec![ChildBirth {
                year: 2020,
                month: 6,
            }],
            postcode4: Some("1359".into()),
            source: Source::School,
            registered_at: at(2025, 11, 3, 10),
            visits: VisitCounts::default(),
            measurements: Vec::new(),
        }
    }

    fn visits() -> Vec<(DateTime<Utc>, ActivityKind)> {
        vec![
            (at(2025, 12, 10, 9), ActivityKind::CoffeeHourExclusive),
            (at(2026, 1, 8, 9), ActivityKind::CoffeeHourExclusive),
            (at(2026, 1, 15, 9), ActivityKind::Outing),
            (at(2026, 2, 19, 9), ActivityKind::CoffeeHourExclusive),
            // 1 April 00:30 in Amsterdam: the quarter is over.
            (at(2026, 3, 31, 22), ActivityKind::CoffeeHourExclusive),
            (at(2026, 4, 2, 9), ActivityKind::Movement),
            // After the day of the export: not counted at all.
            (at(2026, 12, 7, 9), ActivityKind::Outing),
        ]
    }

    #[test]
    fn a_row_counts_visits_in_the_period_per_kind_and_names_nobody() {
        let k = key(3);
        let e = first_quarter(&k);
        let f = Facts {
            visits: count_visits(e, &visits()),
            ..facts()
        };
        let cells = row(e, &f, "Almere Poort", "WK003401", 12);
        let text: Vec<String> = cells.iter().map(|c| c.text().into_owned()).collect();
        assert_eq!(cells.len(), columns().len());
        assert_eq!(header().len(), columns().len());
        let col = |name: &str| cell(&text, name);
        assert_eq!(col("pseudonym"), pseudonym(&k, f.id));
        assert_eq!(col("neighbourhood"), "Almere Poort");
        assert_eq!(col("neighbourhood_cbs"), "WK003401");
        assert_eq!(col("household_kind"), "single_parent");
        assert_eq!(col("parents"), "1");
        assert_eq!(col("children"), "1");
        assert_eq!(col("children_ages"), "6");
        assert_eq!(col("postcode4"), "1359");
        assert_eq!(col("source"), "school");
        assert_eq!(col("parent_works"), "1");
        assert_eq!(col("registered"), "2025-11");
        assert_eq!(col("first_visit"), "2025-12");
        assert_eq!(col("last_visit"), "2026-04");
        // 8 Jan, 15 Jan, 19 Feb: three in the first quarter; December and April are outside.
        assert_eq!(col("visits_period"), "3");
        assert_eq!(col(&visits_column(ActivityKind::CoffeeHourExclusive)), "2");
        assert_eq!(col(&visits_column(ActivityKind::Outing)), "1");
        assert_eq!(col(&visits_column(ActivityKind::Movement)), "0");
        // The household id appears nowhere.
        assert!(text.iter().all(|t| !t.contains(&f.id.to_string())));
        // Too few in the neighbourhood: no postcode.
        let few = row(e, &f, "Almere Poort", "", 9);
        assert_eq!(
            few.get(7).map(Cell::text).unwrap_or_default(),
            "",
            "postcode4 is the eighth column"
        );
    }

    #[test]
    fn a_household_that_never_came_has_empty_visit_months() {
        let k = key(3);
        let e = first_quarter(&k);
        let f = facts();
        let cells = row(e, &f, "x", "", 0);
        assert_eq!(cells.get(11), Some(&Cell::Text(String::new())));
        assert_eq!(cells.get(12), Some(&Cell::Text(String::new())));
        assert_eq!(cells.get(13), Some(&Cell::Number(0)));
    }

    #[test]
    fn a_row_has_the_first_and_latest_questionnaire_scores() {
        let k = key(3);
        let e = first_quarter(&k);
        // First: health "fair" (3); loneliness yes, no, no, yes, yes and the sixth skipped;
        // support 2+3+3 = 8; four active days (guideline not met).
        let first = Answers::from_pairs([
            ("health", 3),
            ("djg1", 1),
            ("djg2", 3),
            ("djg3", 3),
            ("djg4", 1),
            ("djg5", 1),
            ("osss1", 2),
            ("osss2", 3),
            ("osss3", 3),
            ("active_days", 4),
            ("strength_days", 2),
        ]);
        // Latest: health "good" (2), every loneliness item "no" (the social items count),
        // support skipped in part, guideline met.
        let latest = Answers::from_pairs([
            ("health", 2),
            ("djg1", 3),
            ("djg2", 3),
            ("djg3", 3),
            ("djg4", 3),
            ("djg5", 3),
            ("djg6", 3),
            ("osss1", 4),
            ("active_days", 5),
            ("strength_days", 2),
        ]);
        let f = Facts {
            measurements: vec![
                (day(2026, 2, 4), first.clone()),
                (day(2026, 8, 12), latest),
                // After the day of the export: not in it.
                (day(2026, 12, 20), first.clone()),
            ],
            ..facts()
        };
        let text: Vec<String> = row(e, &f, "x", "", 0)
            .iter()
            .map(|c| c.text().into_owned())
            .collect();
        let col = |name: &str| cell(&text, name);
        assert_eq!(col("questionnaires"), "2");
        assert_eq!(col("q_first_month"), "2026-02");
        assert_eq!(col("health_first"), "3");
        // Emotional items 1, 4, 6 (6 skipped: the total still counts five answers): djg1 yes
        // and djg4 yes count; social items 2, 3, 5 count a "no": djg2 no and djg3 no count,
        // djg5 yes does not. Total 4.
        assert_eq!(col("loneliness_first"), "4");
        assert_eq!(col("support_first"), "8");
        assert_eq!(col("active_first"), "0");
        assert_eq!(col("q_latest_month"), "2026-08");
        assert_eq!(col("health_latest"), "2");
        // Only the three social items count a "no": 3.
        assert_eq!(col("loneliness_latest"), "3");
        assert_eq!(col("support_latest"), "");
        assert_eq!(col("active_latest"), "1");
        // One round: the latest columns stay empty, so a pair is always two measurements.
        let once = Facts {
            measurements: vec![(day(2026, 2, 4), first)],
            ..facts()
        };
        let text: Vec<String> = row(e, &once, "x", "", 0)
            .iter()
            .map(|c| c.text().into_owned())
            .collect();
        assert_eq!(cell(&text, "questionnaires"), "1");
        assert_eq!(cell(&text, "health_first"), "3");
        assert_eq!(cell(&text, "health_latest"), "");
        assert_eq!(text.len(), columns().len());
    }

    #[test]
    fn the_codebook_explains_every_column_and_what_is_not_recorded() {
        let cols = columns();
        let mut seen = std::collections::HashSet::new();
        for c in &cols {
            assert!(seen.insert(c.name.clone()), "{} twice", c.name);
            assert!(!c.meaning_nl.is_empty() && !c.meaning_en.is_empty() && !c.values.is_empty());
        }
        for forbidden in [
            "name",
            "phone",
            "email",
            "note",
            "household_id",
            "birth_date",
        ] {
            assert!(!seen.contains(forbidden), "{forbidden}");
        }
        assert!(seen.contains("visits_coffee_hour_open"));
        let missing = not_recorded();
        assert_eq!(
            missing.first().map(|c| c.name.as_str()),
            Some("parent_birth_year")
        );
        assert!(!seen.contains("parent_birth_year"));
        assert!(missing.iter().all(|c| c.values == "not recorded"));
    }
}
