//! The parents' own questionnaires and how they are scored (issue #19, docs/outcomes.md).
//!
//! The handbook's main goal is a healthier lifestyle and a better perceived health; its
//! sub-goals include meeting people and support (§2.4). The research institute measured the
//! share of single parents who rate their health below "good". These instruments let a team
//! see the same thing for its own parents:
//!
//! - perceived health, one item (the main outcome);
//! - loneliness, the De Jong Gierveld 6-item scale (De Jong Gierveld & Van Tilburg, 2006);
//! - social support, the Oslo Social Support Scale OSSS-3 (Kocalevent et al., 2018);
//! - physical activity, a two-item proxy for the Dutch physical activity guideline;
//! - six life domains, a grade each: a conversation aid, never a measurement;
//! - appreciation of an activity, a grade and a comment.
//!
//! Validated items must be shown word for word, so their texts live here, once, with their
//! source; only the answers are stored, as the raw codes below. Scores are always computed
//! from the raw answers, so a corrected rule corrects every old measurement too.
//!
//! Every item may be skipped: a parent is never forced to answer. What a skipped item does to
//! a score is each instrument's own missing-data rule, in the scoring functions below.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;

use crate::fields::FieldError;

/// The instruments a measurement round can contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Instrument {
    PerceivedHealth,
    Loneliness,
    Support,
    Activity,
    LifeDomains,
}

impl Instrument {
    /// In the order a parent meets them: the main outcome first, the conversation aid last.
    pub const ALL: [Instrument; 5] = [
        Instrument::PerceivedHealth,
        Instrument::Loneliness,
        Instrument::Support,
        Instrument::Activity,
        Instrument::LifeDomains,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::PerceivedHealth => "health",
            Instrument::Loneliness => "loneliness",
            Instrument::Support => "support",
            Instrument::Activity => "activity",
            Instrument::LifeDomains => "life_domains",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Instrument::ALL
            .into_iter()
            .find(|i| i.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }

    /// The items, in order.
    pub fn items(self) -> &'static [Item] {
        match self {
            Instrument::PerceivedHealth => &HEALTH_ITEMS,
            Instrument::Loneliness => &LONELINESS_ITEMS,
            Instrument::Support => &SUPPORT_ITEMS,
            Instrument::Activity => &ACTIVITY_ITEMS,
            Instrument::LifeDomains => &LIFE_DOMAIN_ITEMS,
        }
    }

    /// Who made the instrument, shown under it wherever its items are shown (the instruments'
    /// terms of use ask for it).
    pub fn attribution(self) -> Option<&'static str> {
        match self {
            Instrument::PerceivedHealth => None,
            Instrument::Loneliness => Some(
                "De Jong Gierveld, J. & Van Tilburg, T. (2006). A 6-item scale for overall, \
                 emotional, and social loneliness. Research on Aging, 28(5), 582-598.",
            ),
            Instrument::Support => Some(
                "Kocalevent, R.-D. et al. (2018). Social support in the general population: \
                 standardization of the Oslo social support scale (OSSS-3). BMC Psychology, 6, 31.",
            ),
            Instrument::Activity | Instrument::LifeDomains => None,
        }
    }

    /// The Dutch wording of the OSSS-3 is ours: there is no official Dutch version, and the
    /// page must say so. The English items are the published ones.
    pub fn dutch_is_unvalidated_translation(self) -> bool {
        self == Instrument::Support
    }
}

/// The kinds of answer an item takes; each answer is stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Very good 1 … very poor 5.
    Health,
    /// Yes 1, more or less 2, no 3 (the loneliness scale's three answers).
    YesMoreOrLessNo,
    /// One of the listed options, coded 1..=n.
    Options(&'static [(&'static str, &'static str)]),
    /// A number of days in a week, 0..=7.
    DaysPerWeek,
    /// A grade 0..=10.
    Grade,
}

impl Scale {
    /// The codes this scale accepts.
    pub fn range(self) -> (u8, u8) {
        match self {
            Scale::Health => (1, 5),
            Scale::YesMoreOrLessNo => (1, 3),
            Scale::Options(o) => (1, o.len() as u8),
            Scale::DaysPerWeek => (0, 7),
            Scale::Grade => (0, 10),
        }
    }

    /// Parse an answer from a form: empty means skipped, anything else must be in range.
    pub fn parse(self, raw: &str) -> Result<Option<u8>, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let code: u8 = raw.parse().map_err(|_| FieldError::ChoiceInvalid)?;
        let (lo, hi) = self.range();
        if (lo..=hi).contains(&code) {
            Ok(Some(code))
        } else {
            Err(FieldError::ChoiceInvalid)
        }
    }
}

/// One question, with its wording in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Stable key, stored with each answer.
    pub key: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
    pub scale: Scale,
}

const HEALTH_ITEMS: [Item; 1] = [Item {
    key: "health",
    nl: "Hoe is over het algemeen uw gezondheid?",
    en: "How is your health in general?",
    scale: Scale::Health,
}];

const LONELINESS_ITEMS: [Item; 6] = [
    Item {
        key: "djg1",
        nl: "Ik ervaar een leegte om me heen.",
        en: "I experience a general sense of emptiness.",
        scale: Scale::YesMoreOrLessNo,
    },
    Item {
        key: "djg2",
        nl: "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
        en: "There are plenty of people I can rely on when I have problems.",
        scale: Scale::YesMoreOrLessNo,
    },
    Item {
        key: "djg3",
        nl: "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
        en: "There are many people I can trust completely.",
        scale: Scale::YesMoreOrLessNo,
    },
    Item {
        key: "djg4",
        nl: "Ik mis mensen om me heen.",
        en: "I miss having people around me.",
        scale: Scale::YesMoreOrLessNo,
    },
    Item {
        key: "djg5",
        nl: "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
        en: "There are enough people I feel close to.",
        scale: Scale::YesMoreOrLessNo,
    },
    Item {
        key: "djg6",
        nl: "Vaak voel ik me in de steek gelaten.",
        en: "I often feel rejected.",
        scale: Scale::YesMoreOrLessNo,
    },
];

const SUPPORT_CLOSE: [(&str, &str); 4] = [
    ("Niemand", "None"),
    ("1 of 2", "1-2"),
    ("3 tot 5", "3-5"),
    ("6 of meer", "6 or more"),
];
const SUPPORT_INTEREST: [(&str, &str); 5] = [
    ("Geen", "None"),
    ("Weinig", "Little"),
    ("Weet ik niet", "Uncertain"),
    ("Een beetje", "Some"),
    ("Veel", "A lot"),
];
const SUPPORT_NEIGHBOURS: [(&str, &str); 5] = [
    ("Heel moeilijk", "Very difficult"),
    ("Moeilijk", "Difficult"),
    ("Het kan", "Possible"),
    ("Makkelijk", "Easy"),
    ("Heel makkelijk", "Very easy"),
];

const SUPPORT_ITEMS: [Item; 3] = [
    Item {
        key: "osss1",
        nl: "Hoeveel mensen staan zo dicht bij je dat je op ze kunt rekenen als je grote persoonlijke problemen hebt?",
        en: "How many people are so close to you that you can count on them if you have great personal problems?",
        scale: Scale::Options(&SUPPORT_CLOSE),
    },
    Item {
        key: "osss2",
        nl: "Hoeveel belangstelling en zorg tonen mensen voor wat jij doet?",
        en: "How much interest and concern do people show in what you do?",
        scale: Scale::Options(&SUPPORT_INTEREST),
    },
    Item {
        key: "osss3",
        nl: "Hoe makkelijk is het om praktische hulp van buren te krijgen als je die nodig hebt?",
        en: "How easy is it to get practical help from neighbours if you should need it?",
        scale: Scale::Options(&SUPPORT_NEIGHBOURS),
    },
];

const ACTIVITY_ITEMS: [Item; 2] = [
    Item {
        key: "active_days",
        nl: "Op hoeveel dagen per week was je minstens 30 minuten matig intensief actief (zoals stevig wandelen of fietsen)?",
        en: "On how many days a week were you moderately active for at least 30 minutes (such as brisk walking or cycling)?",
        scale: Scale::DaysPerWeek,
    },
    Item {
        key: "strength_days",
        nl: "Op hoeveel dagen per week deed je activiteiten die je spieren en botten versterken?",
        en: "On how many days a week did you do activities that strengthen your muscles and bones?",
        scale: Scale::DaysPerWeek,
    },
];

/// The dimension names of Positive Health; the helper texts shown with them are our own
/// (the questionnaire behind the dimensions is licensed and not used).
const LIFE_DOMAIN_ITEMS: [Item; 6] = [
    Item {
        key: "body",
        nl: "Lichaam",
        en: "Body",
        scale: Scale::Grade,
    },
    Item {
        key: "mental",
        nl: "Mentaal welbevinden",
        en: "Mental well-being",
        scale: Scale::Grade,
    },
    Item {
        key: "meaning",
        nl: "Zingeving",
        en: "Meaning",
        scale: Scale::Grade,
    },
    Item {
        key: "quality_of_life",
        nl: "Kwaliteit van leven",
        en: "Quality of life",
        scale: Scale::Grade,
    },
    Item {
        key: "taking_part",
        nl: "Meedoen",
        en: "Taking part",
        scale: Scale::Grade,
    },
    Item {
        key: "daily_functioning",
        nl: "Dagelijks functioneren",
        en: "Daily functioning",
        scale: Scale::Grade,
    },
];

// ---------------------------------------------------------------------------------------------
// Perceived health

/// "How is your health in general?", as answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Health {
    VeryGood = 1,
    Good = 2,
    Fair = 3,
    Poor = 4,
    VeryPoor = 5,
}

impl Health {
    pub fn from_code(code: u8) -> Option<Health> {
        match code {
            1 => Some(Health::VeryGood),
            2 => Some(Health::Good),
            3 => Some(Health::Fair),
            4 => Some(Health::Poor),
            5 => Some(Health::VeryPoor),
            _ => None,
        }
    }

    /// The outcome the evaluation aimed to lower: *gaat wel*, *slecht* or *zeer slecht*.
    pub fn below_good(self) -> bool {
        self >= Health::Fair
    }
}

// ---------------------------------------------------------------------------------------------
// Loneliness (De Jong Gierveld, 6 items)

/// The three answers of the loneliness scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ynm {
    Yes = 1,
    MoreOrLess = 2,
    No = 3,
}

impl Ynm {
    pub fn from_code(code: u8) -> Option<Ynm> {
        match code {
            1 => Some(Ynm::Yes),
            2 => Some(Ynm::MoreOrLess),
            3 => Some(Ynm::No),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LonelinessCategory {
    /// Total 0–1.
    NotLonely,
    /// Total 2–4.
    Moderate,
    /// Total 5–6.
    Severe,
}

impl LonelinessCategory {
    pub const ALL: [LonelinessCategory; 3] = [
        LonelinessCategory::NotLonely,
        LonelinessCategory::Moderate,
        LonelinessCategory::Severe,
    ];

    pub fn of_total(total: u8) -> LonelinessCategory {
        match total {
            0..=1 => LonelinessCategory::NotLonely,
            2..=4 => LonelinessCategory::Moderate,
            _ => LonelinessCategory::Severe,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LonelinessCategory::NotLonely => "not_lonely",
            LonelinessCategory::Moderate => "moderate",
            LonelinessCategory::Severe => "severe",
        }
    }
}

/// The scores of one loneliness measurement; `None` where the missing-data rule says the
/// score cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LonelinessScore {
    /// Items 1, 4 and 6: 0–3.
    pub emotional: Option<u8>,
    /// Items 2, 3 and 5: 0–3.
    pub social: Option<u8>,
    /// 0–6.
    pub total: Option<u8>,
}

impl LonelinessScore {
    pub fn category(&self) -> Option<LonelinessCategory> {
        self.total.map(LonelinessCategory::of_total)
    }
}

/// The emotional items are worded as loneliness (a *yes* counts), the social ones as
/// support (a *no* counts); *more or less* counts on both.
const EMOTIONAL: [usize; 3] = [0, 3, 5];
const SOCIAL: [usize; 3] = [1, 2, 4];

fn loneliness_item_counts(index: usize, answer: Ynm) -> bool {
    match answer {
        Ynm::MoreOrLess => true,
        Ynm::Yes => EMOTIONAL.contains(&index),
        Ynm::No => SOCIAL.contains(&index),
    }
}

/// Score the six answers. A sub-scale needs all three of its items; the total allows one
/// skipped item (then it is the sum of the five answered) and is missing with two or more.
pub fn score_loneliness(answers: [Option<Ynm>; 6]) -> LonelinessScore {
    let counts = |i: usize| answers[i].map(|a| u8::from(loneliness_item_counts(i, a)));
    let sub = |items: [usize; 3]| -> Option<u8> { items.iter().map(|&i| counts(i)).sum() };
    let missing = answers.iter().filter(|a| a.is_none()).count();
    let total = (missing <= 1).then(|| (0..6).filter_map(counts).sum());
    LonelinessScore {
        emotional: sub(EMOTIONAL),
        social: sub(SOCIAL),
        total,
    }
}

// ---------------------------------------------------------------------------------------------
// Social support (OSSS-3)

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SupportCategory {
    /// Sum 3–8.
    Poor,
    /// Sum 9–11.
    Moderate,
    /// Sum 12–14.
    Strong,
}

impl SupportCategory {
    pub const ALL: [SupportCategory; 3] = [
        SupportCategory::Poor,
        SupportCategory::Moderate,
        SupportCategory::Strong,
    ];

    pub fn of_sum(sum: u8) -> SupportCategory {
        match sum {
            0..=8 => SupportCategory::Poor,
            9..=11 => SupportCategory::Moderate,
            _ => SupportCategory::Strong,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SupportCategory::Poor => "poor",
            SupportCategory::Moderate => "moderate",
            SupportCategory::Strong => "strong",
        }
    }
}

/// The OSSS-3 sum (3–14). The scale is a sum of three different questions, so a skipped one
/// cannot be filled in from the others: any skipped item leaves the score missing
/// (docs/outcomes.md). Codes outside an item's range are treated as skipped.
pub fn score_support(answers: [Option<u8>; 3]) -> Option<u8> {
    SUPPORT_ITEMS
        .iter()
        .zip(answers)
        .map(|(item, a)| {
            let (lo, hi) = item.scale.range();
            a.filter(|c| (lo..=hi).contains(c))
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Physical activity (a proxy for the guideline)

/// Whether the two answers meet the guideline's proxy: at least 150 minutes of moderate
/// activity a week (counted as days × 30 minutes) and strength exercises on at least two
/// days. A proxy only: national figures use another questionnaire and cannot be compared.
/// Missing when either item is skipped.
pub fn meets_activity_guideline(
    active_days: Option<u8>,
    strength_days: Option<u8>,
) -> Option<bool> {
    let active = active_days.filter(|d| *d <= 7)?;
    let strength = strength_days.filter(|d| *d <= 7)?;
    Some(u32::from(active) * 30 >= 150 && strength >= 2)
}

// ---------------------------------------------------------------------------------------------
// A whole measurement

/// Who put the answers in: the parent in the portal, or the worker (from paper, or going
/// through it with the parent). Shown next to every answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnteredBy {
    Parent,
    WorkerFromPaper,
    WorkerWithParent,
}

impl EnteredBy {
    pub fn as_str(self) -> &'static str {
        match self {
            EnteredBy::Parent => "parent",
            EnteredBy::WorkerFromPaper => "worker_paper",
            EnteredBy::WorkerWithParent => "worker_with_parent",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        [
            EnteredBy::Parent,
            EnteredBy::WorkerFromPaper,
            EnteredBy::WorkerWithParent,
        ]
        .into_iter()
        .find(|e| e.as_str() == raw.trim())
        .ok_or(FieldError::ChoiceInvalid)
    }
}

/// One parent's answers on one date, by item key. Items not in the map were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(pub HashMap<&'static str, u8>);

impl Answers {
    /// Keep only answers to known items, in their range; a stored row that no longer fits
    /// (an item removed, a range narrowed) counts as skipped rather than as a wrong answer.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, u8)>) -> Answers {
        let mut out = HashMap::new();
        for (key, code) in pairs {
            let known = Instrument::ALL
                .iter()
                .flat_map(|i| i.items())
                .find(|item| item.key == key);
            if let Some(item) = known {
                let (lo, hi) = item.scale.range();
                if (lo..=hi).contains(&code) {
                    out.insert(item.key, code);
                }
            }
        }
        Answers(out)
    }

    fn get(&self, key: &str) -> Option<u8> {
        self.0.get(key).copied()
    }

    pub fn health(&self) -> Option<Health> {
        self.get("health").and_then(Health::from_code)
    }

    pub fn loneliness(&self) -> LonelinessScore {
        let mut answers = [None; 6];
        for (slot, item) in answers.iter_mut().zip(LONELINESS_ITEMS.iter()) {
            *slot = self.get(item.key).and_then(Ynm::from_code);
        }
        score_loneliness(answers)
    }

    pub fn support(&self) -> Option<u8> {
        score_support([self.get("osss1"), self.get("osss2"), self.get("osss3")])
    }

    pub fn meets_activity_guideline(&self) -> Option<bool> {
        meets_activity_guideline(self.get("active_days"), self.get("strength_days"))
    }
}

// ---------------------------------------------------------------------------------------------
// Outcome indicators: first measurement against the latest, for the same parents

/// Below this many parents a figure is not shown: small numbers identify people.
pub const MIN_SHOWN: usize = 10;

/// A figure at the first and at the latest measurement of the same parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paired<T> {
    /// Fewer than [`MIN_SHOWN`] parents have both; only that there are too few is shown.
    TooFew {
        n: usize,
    },
    Shown {
        n: usize,
        first: T,
        latest: T,
    },
}

/// Counts per category, in the category's order.
pub type Distribution<C> = Vec<(C, usize)>;

/// The outcome indicators of a group of parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    /// Parents rating their health below good: (count, of n).
    pub health_below_good: Paired<usize>,
    pub loneliness: Paired<Distribution<LonelinessCategory>>,
    pub support: Paired<Distribution<SupportCategory>>,
}

/// Per parent (any key), their measurements as (date, answers). A parent counts for an
/// indicator when two different measurements both give it a value: the earliest such and the
/// latest such. Parents with one measurement only are not in the paired figures.
pub fn paired_outcomes<K: Eq + Hash>(rounds: &HashMap<K, Vec<(NaiveDate, Answers)>>) -> Outcomes {
    Outcomes {
        health_below_good: paired(rounds, |a| a.health().map(Health::below_good))
            .map(|pairs| pairs.iter().filter(|(_, v)| *v).count()),
        loneliness: paired(rounds, |a| a.loneliness().category())
            .map(|pairs| distribution(&LonelinessCategory::ALL, pairs)),
        support: paired(rounds, |a| a.support().map(SupportCategory::of_sum))
            .map(|pairs| distribution(&SupportCategory::ALL, pairs)),
    }
}

/// Each parent's first and latest value of one indicator, from two different measurements.
struct Pairs<V> {
    first: Vec<(usize, V)>,
    latest: Vec<(usize, V)>,
}

impl<V> Pairs<V> {
    fn map<T>(self, f: impl Fn(&[(usize, V)]) -> T) -> Paired<T> {
        let n = self.first.len();
        if n < MIN_SHOWN {
            return Paired::TooFew { n };
        }
        Paired::Shown {
            n,
            first: f(&self.first),
            latest: f(&self.latest),
        }
    }
}

fn paired<K: Eq + Hash, V: Copy>(
    rounds: &HashMap<K, Vec<(NaiveDate, Answers)>>,
    value: impl Fn(&Answers) -> Option<V>,
) -> Pairs<V> {
    let mut pairs = Pairs {
        first: Vec::new(),
        latest: Vec::new(),
    };
    for (parent, measurements) in rounds.values().enumerate() {
        let mut valued: Vec<(NaiveDate, V)> = measurements
            .iter()
            .filter_map(|(date, a)| value(a).map(|v| (*date, v)))
            .collect();
        valued.sort_by_key(|(date, _)| *date);
        if let (Some(first), Some(latest)) = (valued.first(), valued.last())
            && valued.len() >= 2
        {
            pairs.first.push((parent, first.1));
            pairs.latest.push((parent, latest.1));
        }
    }
    pairs
}

fn distribution<C: Copy + PartialEq>(order: &[C], values: &[(usize, C)]) -> Distribution<C> {
    order
        .iter()
        .map(|c| (*c, values.iter().filter(|(_, v)| v == c).count()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The questionnaire as a parent meets it

/// Every item of every instrument, in the order a parent answers them.
pub fn all_items() -> Vec<(Instrument, &'static Item)> {
    Instrument::ALL
        .iter()
        .flat_map(|i| i.items().iter().map(move |item| (*i, item)))
        .collect()
}

/// The item with this key.
pub fn item(key: &str) -> Option<(Instrument, &'static Item)> {
    all_items().into_iter().find(|(_, i)| i.key == key)
}

/// How often a team asks the questionnaires again (an organisation setting): every 3 to 6
/// months, 6 unless the organisation chose otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntervalMonths(u8);

impl IntervalMonths {
    pub const DEFAULT: IntervalMonths = IntervalMonths(6);
    pub const MIN: u8 = 3;
    pub const MAX: u8 = 6;

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let n: u8 = raw.trim().parse().map_err(|_| FieldError::ChoiceInvalid)?;
        if (Self::MIN..=Self::MAX).contains(&n) {
            Ok(IntervalMonths(n))
        } else {
            Err(FieldError::ChoiceInvalid)
        }
    }

    /// When the next measurement is due after one on `last`.
    pub fn next_due(self, last: NaiveDate) -> NaiveDate {
        last.checked_add_months(chrono::Months::new(u32::from(self.0)))
            .unwrap_or(last)
    }
}

impl Default for IntervalMonths {
    fn default() -> Self {
        IntervalMonths::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ynm::{MoreOrLess as M, No as N, Yes as Y};

    #[test]
    fn all_six_answered_no_is_socially_lonely_only() {
        let s = score_loneliness([Some(N); 6]);
        assert_eq!(s.emotional, Some(0));
        assert_eq!(s.social, Some(3));
        assert_eq!(s.total, Some(3));
        assert_eq!(s.category(), Some(LonelinessCategory::Moderate));
    }

    #[test]
    fn yes_counts_on_the_emotional_items_and_no_on_the_social_ones() {
        let s = score_loneliness([Some(Y), Some(Y), Some(Y), Some(N), Some(Y), Some(N)]);
        assert_eq!(s.emotional, Some(1));
        assert_eq!(s.social, Some(0));
        assert_eq!(s.total, Some(1));
        assert_eq!(s.category(), Some(LonelinessCategory::NotLonely));
    }

    #[test]
    fn one_skipped_item_still_gives_a_total_but_not_its_sub_scale() {
        let s = score_loneliness([Some(M), Some(M), Some(M), Some(M), Some(M), None]);
        assert_eq!(s.emotional, None);
        assert_eq!(s.social, Some(3));
        assert_eq!(s.total, Some(5));
        assert_eq!(s.category(), Some(LonelinessCategory::Severe));
    }

    #[test]
    fn two_skipped_items_leave_the_total_missing() {
        let s = score_loneliness([None, Some(N), Some(N), None, Some(N), Some(N)]);
        assert_eq!(s.total, None);
        assert_eq!(s.category(), None);
        assert_eq!(s.emotional, None);
        assert_eq!(s.social, Some(3));
    }

    #[test]
    fn loneliness_categories_follow_the_published_cut_offs() {
        let cats: Vec<_> = (0..=6).map(LonelinessCategory::of_total).collect();
        use LonelinessCategory::*;
        assert_eq!(
            cats,
            [
                NotLonely, NotLonely, Moderate, Moderate, Moderate, Severe, Severe
            ]
        );
    }

    #[test]
    fn support_is_the_sum_of_three_and_needs_all_three() {
        assert_eq!(score_support([Some(1), Some(1), Some(1)]), Some(3));
        assert_eq!(score_support([Some(4), Some(5), Some(5)]), Some(14));
        assert_eq!(score_support([Some(2), Some(3), Some(3)]), Some(8));
        assert_eq!(score_support([Some(2), None, Some(3)]), None);
        // Item 1 has four answers: a code 5 there was never a real answer.
        assert_eq!(score_support([Some(5), Some(3), Some(3)]), None);
        assert_eq!(SupportCategory::of_sum(8), SupportCategory::Poor);
        assert_eq!(SupportCategory::of_sum(9), SupportCategory::Moderate);
        assert_eq!(SupportCategory::of_sum(11), SupportCategory::Moderate);
        assert_eq!(SupportCategory::of_sum(12), SupportCategory::Strong);
    }

    #[test]
    fn the_guideline_proxy_needs_five_active_days_and_two_strength_days() {
        assert_eq!(meets_activity_guideline(Some(5), Some(2)), Some(true));
        assert_eq!(meets_activity_guideline(Some(4), Some(7)), Some(false));
        assert_eq!(meets_activity_guideline(Some(7), Some(1)), Some(false));
        assert_eq!(meets_activity_guideline(None, Some(2)), None);
        assert_eq!(meets_activity_guideline(Some(8), Some(2)), None);
    }

    #[test]
    fn fair_poor_and_very_poor_are_below_good() {
        let below: Vec<bool> = (1..=5)
            .filter_map(Health::from_code)
            .map(Health::below_good)
            .collect();
        assert_eq!(below, [false, false, true, true, true]);
        assert_eq!(Health::from_code(0), None);
    }

    #[test]
    fn answers_out_of_range_or_unknown_count_as_skipped() {
        let a = Answers::from_pairs([("health", 9), ("djg1", 2), ("nonsense", 1)]);
        assert_eq!(a.health(), None);
        assert_eq!(a.0.len(), 1);
        assert_eq!(Scale::Health.parse(""), Ok(None));
        assert_eq!(Scale::Health.parse("3"), Ok(Some(3)));
        assert_eq!(Scale::Health.parse("6"), Err(FieldError::ChoiceInvalid));
        assert_eq!(Scale::Grade.parse("0"), Ok(Some(0)));
        assert_eq!(
            Scale::YesMoreOrLessNo.parse("x"),
            Err(FieldError::ChoiceInvalid)
        );
    }

    #[test]
    fn every_item_key_is_unique_and_every_item_has_both_languages() {
        let mut keys: Vec<&str> = Instrument::ALL
            .iter()
            .flat_map(|i| i.items())
            .map(|i| i.key)
            .collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);
        for item in Instrument::ALL.iter().flat_map(|i| i.items()) {
            assert!(!item.nl.is_empty() && !item.en.is_empty(), "{}", item.key);
        }
        for i in Instrument::ALL {
            assert_eq!(Instrument::parse(i.as_str()), Ok(i));
        }
    }

    fn day(m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, 1).unwrap_or(NaiveDate::MIN)
    }

    fn health(code: u8) -> Answers {
        Answers::from_pairs([("health", code)])
    }

    #[test]
    fn paired_figures_compare_each_parents_first_and_latest_answer() {
        // Twelve parents: eight said "fair" at intake and "good" later, two stayed "poor",
        // two answered once only and are not in the pairs. One parent skipped the health
        // question in between: that round does not count for health.
        let mut rounds: HashMap<u32, Vec<(NaiveDate, Answers)>> = HashMap::new();
        for p in 0..8 {
            rounds.insert(p, vec![(day(1), health(3)), (day(7), health(2))]);
        }
        for p in 8..10 {
            rounds.insert(
                p,
                vec![
                    (day(1), health(4)),
                    (day(4), Answers::default()),
                    (day(9), health(4)),
                ],
            );
        }
        for p in 10..12 {
            rounds.insert(p, vec![(day(3), health(3))]);
        }
        let o = paired_outcomes(&rounds);
        assert_eq!(
            o.health_below_good,
            Paired::Shown {
                n: 10,
                first: 10,
                latest: 2
            }
        );
        assert_eq!(o.loneliness, Paired::TooFew { n: 0 });
    }

    #[test]
    fn fewer_than_ten_parents_with_two_measurements_are_not_shown() {
        let mut rounds: HashMap<u32, Vec<(NaiveDate, Answers)>> = HashMap::new();
        for p in 0..9 {
            let lonely = Answers::from_pairs(
                LONELINESS_ITEMS
                    .iter()
                    .map(|i| (i.key, Ynm::MoreOrLess as u8)),
            );
            let less = Answers::from_pairs(LONELINESS_ITEMS.iter().map(|i| (i.key, Ynm::No as u8)));
            rounds.insert(p, vec![(day(1), lonely), (day(6), less)]);
        }
        let o = paired_outcomes(&rounds);
        assert_eq!(o.loneliness, Paired::TooFew { n: 9 });
        let lonely = Answers::from_pairs(LONELINESS_ITEMS.iter().map(|i| (i.key, 2)));
        let less = Answers::from_pairs(LONELINESS_ITEMS.iter().map(|i| (i.key, 3)));
        rounds.insert(9, vec![(day(6), less), (day(1), lonely)]);
        let o = paired_outcomes(&rounds);
        assert_eq!(
            o.loneliness,
            Paired::Shown {
                n: 10,
                first: vec![
                    (LonelinessCategory::NotLonely, 0),
                    (LonelinessCategory::Moderate, 0),
                    (LonelinessCategory::Severe, 10)
                ],
                latest: vec![
                    (LonelinessCategory::NotLonely, 0),
                    (LonelinessCategory::Moderate, 10),
                    (LonelinessCategory::Severe, 0)
                ],
            }
        );
    }
    #[test]
    fn the_interval_is_three_to_six_months() {
        assert_eq!(IntervalMonths::parse("3").map(IntervalMonths::get), Ok(3));
        assert_eq!(IntervalMonths::parse("6").map(IntervalMonths::get), Ok(6));
        assert!(IntervalMonths::parse("2").is_err());
        assert!(IntervalMonths::parse("7").is_err());
        assert!(IntervalMonths::parse("").is_err());
        assert_eq!(IntervalMonths::DEFAULT.next_due(day(1)), day(7));
    }

    #[test]
    fn the_parent_meets_eighteen_items_in_instrument_order() {
        let items = all_items();
        assert_eq!(items.len(), 18);
        assert_eq!(items[0].1.key, "health");
        assert_eq!(item("osss2").map(|(i, _)| i), Some(Instrument::Support));
        assert_eq!(item("nonsense"), None);
    }
}
