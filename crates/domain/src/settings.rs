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

/// The interface languages. Dutch is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn parse(raw: &str) -> Option<Language> {
        match raw.trim() {
            "nl" => Some(Language::Nl),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The language the switch offers from this one.
    pub fn other(self) -> Language {
        match self {
            Language::Nl => Language::En,
            Language::En => Language::Nl,
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
        assert_eq!(Language::parse("de"), None);
        assert_eq!(Language::default(), Language::Nl);
    }
}
