//! Wishes that become workshops (handbook §3.3, "vraaggericht"; issue #18).
//!
//! A worker notes at the coffee hour what parents ask for ("three mothers asked about debt"),
//! with the households who asked and how many asked; the parents' own ideas from the portal
//! stand beside them. Both are grouped by theme, and either can become a workshop that
//! invites exactly the households that asked or voted.

use crate::FieldError;

/// What a wish is about: the themes the handbook's workshops follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Theme {
    Money,
    Parenting,
    HealthFood,
    Stress,
    SocialMedia,
    Work,
    Other,
}

impl Theme {
    pub const ALL: [Theme; 7] = [
        Theme::Money,
        Theme::Parenting,
        Theme::HealthFood,
        Theme::Stress,
        Theme::SocialMedia,
        Theme::Work,
        Theme::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Money => "money",
            Theme::Parenting => "parenting",
            Theme::HealthFood => "health_food",
            Theme::Stress => "stress",
            Theme::SocialMedia => "social_media",
            Theme::Work => "work",
            Theme::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Theme, FieldError> {
        match raw.trim() {
            "" => Err(FieldError::Required),
            t => Theme::ALL
                .into_iter()
                .find(|k| k.as_str() == t)
                .ok_or(FieldError::ChoiceInvalid),
        }
    }
}

/// The most parents one wish can count: far above any coffee hour.
pub const MAX_DEMAND: u32 = 500;
/// A wish in a few words, like an idea from the portal.
pub const TITLE_MAX: usize = 120;
/// The worker's note with a wish.
pub const NOTE_MAX: usize = 1000;

/// What the wish form sends.
#[derive(Debug, Clone, Default)]
pub struct WishForm<'a> {
    pub theme: &'a str,
    pub title: &'a str,
    pub demand: &'a str,
    pub note: &'a str,
}

/// A wish as the worker noted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishDraft {
    pub theme: Theme,
    pub title: String,
    /// How many parents asked; at least one.
    pub demand: u32,
    pub note: String,
}

impl WishDraft {
    /// Every field's error at once, named by its form field.
    pub fn parse(f: &WishForm<'_>) -> Result<WishDraft, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let theme = Theme::parse(f.theme).map_err(|e| errors.push(("wish_theme", e)));
        let title = f.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            errors.push(("wish_title", FieldError::Required));
        } else if title.chars().count() > TITLE_MAX {
            errors.push(("wish_title", FieldError::TooLong));
        }
        let demand = match parse_demand(f.demand) {
            Ok(d) => d,
            Err(e) => {
                errors.push(("wish_demand", e));
                1
            }
        };
        let note = f.note.trim().to_string();
        if note.chars().count() > NOTE_MAX {
            errors.push(("wish_note", FieldError::TooLong));
        }
        match theme {
            Ok(theme) if errors.is_empty() => Ok(WishDraft {
                theme,
                title,
                demand,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// How many parents asked: empty is one (the worker heard it once), otherwise 1 to
/// [`MAX_DEMAND`].
pub fn parse_demand(raw: &str) -> Result<u32, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(1);
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::NumberInvalid);
    }
    let n: u32 = t.parse().map_err(|_| FieldError::NumberTooLarge)?;
    if n == 0 {
        return Err(FieldError::NumberInvalid);
    }
    if n > MAX_DEMAND {
        return Err(FieldError::NumberTooLarge);
    }
    Ok(n)
}

/// The demand a wish shows: what the worker counted, but never fewer than the households
/// named as asking.
pub fn demand(counted: u32, named: u32) -> u32 {
    counted.max(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(theme: &'a str, title: &'a str, demand: &'a str) -> WishForm<'a> {
        WishForm {
            theme,
            title,
            demand,
            note: "",
        }
    }

    #[test]
    fn three_mothers_asked_about_debt() {
        let d = WishDraft::parse(&form("money", "  Schulden  en\nrekeningen ", "3"));
        assert_eq!(
            d,
            Ok(WishDraft {
                theme: Theme::Money,
                title: "Schulden en rekeningen".into(),
                demand: 3,
                note: String::new(),
            })
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = WishDraft::parse(&form("cooking", "", "0"))
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            vec![
                ("wish_theme", FieldError::ChoiceInvalid),
                ("wish_title", FieldError::Required),
                ("wish_demand", FieldError::NumberInvalid),
            ]
        );
        let long = "a".repeat(TITLE_MAX + 1);
        let e = WishDraft::parse(&form("", &long, "501"))
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            vec![
                ("wish_theme", FieldError::Required),
                ("wish_title", FieldError::TooLong),
                ("wish_demand", FieldError::NumberTooLarge),
            ]
        );
    }

    #[test]
    fn demand_is_one_when_left_empty_and_never_below_the_named() {
        assert_eq!(parse_demand(""), Ok(1));
        assert_eq!(parse_demand("-2"), Err(FieldError::NumberInvalid));
        assert_eq!(parse_demand("99999999999"), Err(FieldError::NumberTooLarge));
        assert_eq!(demand(3, 2), 3);
        assert_eq!(demand(1, 4), 4);
    }

    #[test]
    fn themes_read_back() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), Ok(t));
        }
    }
}
