//! Organisation settings and their defaults.

use crate::fields::FieldError;

/// The Dutch school-holiday regions. Almere, where the handbook's pilot ran, is in `Noord`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayRegion {
    Noord,
    Midden,
    Zuid,
}

impl HolidayRegion {
    pub const ALL: [HolidayRegion; 3] = [
        HolidayRegion::Noord,
        HolidayRegion::Midden,
        HolidayRegion::Zuid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HolidayRegion::Noord => "noord",
            HolidayRegion::Midden => "midden",
            HolidayRegion::Zuid => "zuid",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        HolidayRegion::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// Who must sign in with a security code from an authenticator app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactorPolicy {
    /// Everyone may switch it on; nobody must.
    Optional,
    /// Administrators, coordinators and workers must: they see household data.
    RequiredForStaff,
    /// Every account must.
    RequiredForAll,
}

impl TwoFactorPolicy {
    pub const ALL: [TwoFactorPolicy; 3] = [
        TwoFactorPolicy::Optional,
        TwoFactorPolicy::RequiredForStaff,
        TwoFactorPolicy::RequiredForAll,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TwoFactorPolicy::Optional => "optional",
            TwoFactorPolicy::RequiredForStaff => "staff",
            TwoFactorPolicy::RequiredForAll => "all",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        TwoFactorPolicy::ALL
            .into_iter()
            .find(|p| p.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }

    pub fn requires(self, role: crate::Role) -> bool {
        match self {
            TwoFactorPolicy::Optional => false,
            TwoFactorPolicy::RequiredForStaff => role.is_staff(),
            TwoFactorPolicy::RequiredForAll => true,
        }
    }
}

/// What the organisation does with photos already taken when a parent withdraws consent for
/// photos. The portal tells the parent exactly this, so it never promises more than the
/// organisation does (docs/guide/portal.md, "Photos").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PhotoPolicy {
    /// Not chosen yet: the parent is told to ask their contact person.
    #[default]
    NotSet,
    /// Photos are taken off the organisation's website and social media; printed ones stay.
    RemovePublished,
    /// Published photos stay where they are; none is used again.
    KeepPublished,
}

impl PhotoPolicy {
    pub const ALL: [PhotoPolicy; 3] = [
        PhotoPolicy::NotSet,
        PhotoPolicy::RemovePublished,
        PhotoPolicy::KeepPublished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PhotoPolicy::NotSet => "not_set",
            PhotoPolicy::RemovePublished => "remove",
            PhotoPolicy::KeepPublished => "keep",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        PhotoPolicy::ALL
            .into_iter()
            .find(|p| p.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// How long household data stays after a household left or went quiet, before it is
/// anonymised. The default of 24 months follows the issue; the bounds keep a typo from
/// erasing data next week or keeping it for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionMonths(u16);

impl RetentionMonths {
    pub const DEFAULT: RetentionMonths = RetentionMonths(24);
    pub const MIN: u16 = 6;
    pub const MAX: u16 = 120;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        let n: u16 = text.parse().map_err(|_| FieldError::NumberInvalid)?;
        if (Self::MIN..=Self::MAX).contains(&n) {
            Ok(RetentionMonths(n))
        } else {
            Err(FieldError::NumberInvalid)
        }
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

/// The number of single-parent households in a neighbourhood, as a coordinator estimates it
/// (often a CBS figure typed in): what reach % is computed against (docs/indicators.md §2).
/// A whole number from 0 to 100,000; the bound catches a typo, no Dutch neighbourhood has more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetGroupEstimate(u32);

impl TargetGroupEstimate {
    pub const MAX: u32 = 100_000;

    /// An empty field means "no estimate" (`Ok(None)`). Thousands separators ("1.200",
    /// "1 200") are accepted because people type them.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, FieldError> {
        let text: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
            .collect();
        if text.is_empty() {
            return Ok(None);
        }
        if !text.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::NumberInvalid);
        }
        match text.parse::<u64>() {
            Ok(n) if n <= u64::from(Self::MAX) => Ok(Some(TargetGroupEstimate(n as u32))),
            _ => Err(FieldError::NumberTooLarge),
        }
    }

    /// From a stored value; `None` for a value outside the bounds.
    pub fn from_stored(n: i32) -> Option<Self> {
        u32::try_from(n)
            .ok()
            .filter(|n| *n <= Self::MAX)
            .map(TargetGroupEstimate)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Where a target-group estimate comes from, in a few words ("CBS 2025", "eigen schatting").
/// Optional; at most 60 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimateSource(String);

impl EstimateSource {
    pub const MAX_CHARS: usize = 60;

    pub fn parse_optional(raw: &str) -> Result<Option<Self>, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::TooLong);
        }
        Ok(Some(EstimateSource(text.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A language of the interface and of the messages we write. Dutch is the default, English
/// the second; more come as folders of translations (`crates/web/locales/<code>/`), which the
/// web layer discovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Nl,
    En,
    /// A language added as a folder of translations. Texts we write in code (default message
    /// templates, reminder e-mails) are in English for it, see [`Language::texts`].
    Other(LangCode),
}

/// A two- or three-letter ISO 639 language code ("tr", "ar", "pap"), kept inline so that a
/// language stays `Copy` and nothing a visitor sends is ever leaked or interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LangCode([u8; 3], u8);

impl LangCode {
    pub fn parse(raw: &str) -> Option<LangCode> {
        let b = raw.trim().as_bytes();
        if !(2..=3).contains(&b.len()) || !b.iter().all(u8::is_ascii_lowercase) {
            return None;
        }
        let mut code = [0u8; 3];
        code[..b.len()].copy_from_slice(b);
        Some(LangCode(code, b.len() as u8))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII lowercase letters get in (see `parse`), so this never falls back.
        std::str::from_utf8(&self.0[..usize::from(self.1)]).unwrap_or("en")
    }
}

impl Language {
    pub fn as_str(&self) -> &str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
            Language::Other(code) => code.as_str(),
        }
    }

    /// Any well-formed language code; whether we have its translations is the web layer's
    /// question.
    pub fn parse(raw: &str) -> Option<Language> {
        match raw.trim() {
            "nl" => Some(Language::Nl),
            "en" => Some(Language::En),
            other => LangCode::parse(other).map(Language::Other),
        }
    }

    /// The language of texts written in code: Dutch or English (English for an added
    /// language, the one its translators are most likely to read too).
    pub fn texts(self) -> Language {
        match self {
            Language::Nl => Language::Nl,
            _ => Language::En,
        }
    }
}

/// The settings an administrator can change for an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSettings {
    pub name: crate::PlaceName,
    pub holiday_region: HolidayRegion,
    pub two_factor: TwoFactorPolicy,
    pub retention: RetentionMonths,
    /// When the encouragement worklist flags a household.
    pub encourage: crate::encourage::Thresholds,
    pub photos: PhotoPolicy,
    pub chat_budget: crate::message::WeeklyBudget,
    /// A worker's minutes per session for the kinds the handbook gives no figure for.
    pub staff_minutes: crate::activity::StaffEstimates,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn retention_defaults_to_24_months_and_stays_within_bounds() {
        assert_eq!(RetentionMonths::DEFAULT.get(), 24);
        assert_eq!(RetentionMonths::parse("36").map(|r| r.get()), Ok(36));
        assert_eq!(RetentionMonths::parse("5"), Err(FieldError::NumberInvalid));
        assert_eq!(
            RetentionMonths::parse("121"),
            Err(FieldError::NumberInvalid)
        );
        assert_eq!(
            RetentionMonths::parse("twee"),
            Err(FieldError::NumberInvalid)
        );
        assert_eq!(RetentionMonths::parse(""), Err(FieldError::Required));
        assert_eq!(TargetGroupEstimate::parse_optional(" "), Ok(None));
        assert_eq!(
            TargetGroupEstimate::parse_optional("1.200").map(|e| e.map(TargetGroupEstimate::get)),
            Ok(Some(1200))
        );
        assert_eq!(
            TargetGroupEstimate::parse_optional("100000").map(|e| e.map(TargetGroupEstimate::get)),
            Ok(Some(100_000))
        );
        assert_eq!(
            TargetGroupEstimate::parse_optional("100001"),
            Err(FieldError::NumberTooLarge)
        );
        assert_eq!(
            TargetGroupEstimate::parse_optional("99999999999999999999"),
            Err(FieldError::NumberTooLarge)
        );
        assert_eq!(
            TargetGroupEstimate::parse_optional("veel"),
            Err(FieldError::NumberInvalid)
        );
        assert_eq!(
            TargetGroupEstimate::parse_optional("-3"),
            Err(FieldError::NumberInvalid)
        );
        assert_eq!(
            TargetGroupEstimate::parse_optional("12,5"),
            Err(FieldError::NumberInvalid)
        );
    }

    #[test]
    fn staff_policy_requires_two_factor_for_those_who_see_household_data() {
        let p = TwoFactorPolicy::RequiredForStaff;
        assert!(p.requires(Role::Worker));
        assert!(p.requires(Role::Admin));
        assert!(!p.requires(Role::Host));
        assert!(TwoFactorPolicy::RequiredForAll.requires(Role::Host));
        assert!(!TwoFactorPolicy::Optional.requires(Role::Admin));
    }

    #[test]
    fn choices_parse_from_their_form_values() {
        assert_eq!(HolidayRegion::parse("noord"), Ok(HolidayRegion::Noord));
        assert_eq!(HolidayRegion::parse("west"), Err(FieldError::ChoiceInvalid));
        assert_eq!(
            TwoFactorPolicy::parse("staff"),
            Ok(TwoFactorPolicy::RequiredForStaff)
        );
        assert_eq!(Language::parse("en"), Some(Language::En));
        assert_eq!(Language::default(), Language::Nl);
    }

    #[test]
    fn an_added_language_is_a_code_and_reads_our_own_texts_in_english() {
        let tr = Language::parse("tr");
        assert_eq!(tr.map(|l| l.as_str().to_string()), Some("tr".into()));
        assert_eq!(tr.map(Language::texts), Some(Language::En));
        assert_eq!(Language::Nl.texts(), Language::Nl);
        assert_eq!(Language::parse("pap").map(|l| l.as_str().len()), Some(3));
        for bad in ["", "x", "abcd", "NL", "n1", "../", "e n"] {
            assert_eq!(Language::parse(bad), None, "{bad}");
        }
    }
}
