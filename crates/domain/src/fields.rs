//! Input fields that are parsed once at the edge.

use serde::Serialize;
use thiserror::Error;

/// Text as it may be kept: line breaks as `\n`, tabs kept, every other control character
/// (NUL, escape, the C1 range) dropped. Applied to every form value and query parameter
/// before a handler sees it: PostgreSQL refuses NUL in text, and no person types the others.
pub fn clean_text(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // Browsers send a textarea's lines as CR LF; an old Mac's CR alone is a line too.
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Why a field was refused. The code is stable and maps to a Fluent key `error-<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize)]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("too-long")]
    TooLong,
    #[error("email-invalid")]
    EmailInvalid,
    #[error("password-too-short")]
    PasswordTooShort,
    #[error("password-too-long")]
    PasswordTooLong,
    #[error("cbs-code-invalid")]
    CbsCodeInvalid,
    #[error("code-invalid")]
    CodeInvalid,
    #[error("number-invalid")]
    NumberInvalid,
    #[error("number-too-large")]
    NumberTooLarge,
    #[error("choice-invalid")]
    ChoiceInvalid,
    #[error("phone-invalid")]
    PhoneInvalid,
    #[error("postcode-invalid")]
    PostcodeInvalid,
    #[error("date-invalid")]
    DateInvalid,
    #[error("month-invalid")]
    MonthInvalid,
    #[error("year-invalid")]
    YearInvalid,
    #[error("child-too-old")]
    ChildTooOld,
    #[error("time-invalid")]
    TimeInvalid,
    #[error("end-before-start")]
    EndBeforeStart,
    #[error("until-before-from")]
    UntilBeforeFrom,
    #[error("series-too-long")]
    SeriesTooLong,
    #[error("no-sessions")]
    NoSessions,
    #[error("pin-invalid")]
    PinInvalid,
    #[error("pin-mismatch")]
    PinMismatch,
    #[error("contact-invalid")]
    ContactInvalid,
    #[error("amount-invalid")]
    AmountInvalid,
    #[error("amount-too-high")]
    AmountTooHigh,
    #[error("capacity-invalid")]
    CapacityInvalid,
    #[error("capacity-below-registered")]
    CapacityBelowRegistered,
    /// A regular would have to come more often than the number of sessions looked at.
    #[error("regular-above-window")]
    RegularAboveWindow,
    /// The last day of a period lies before its first day.
    #[error("last-before-first")]
    LastBeforeFirst,
    #[error("holiday-too-long")]
    HolidayTooLong,
    /// A school holiday outside the months its kind falls in (a spring holiday in October).
    #[error("holiday-out-of-season")]
    HolidayOutOfSeason,
    #[error("holiday-overlaps")]
    HolidayOverlaps,
    /// A report period longer than `report::MAX_PERIOD_DAYS`.
    #[error("period-too-long")]
    PeriodTooLong,
}

impl FieldError {
    /// The Fluent key of the message that tells the user how to fix the field.
    pub fn key(self) -> &'static str {
        match self {
            FieldError::Required => "error-required",
            FieldError::TooLong => "error-too-long",
            FieldError::EmailInvalid => "error-email-invalid",
            FieldError::PasswordTooShort => "error-password-too-short",
            FieldError::PasswordTooLong => "error-password-too-long",
            FieldError::CbsCodeInvalid => "error-cbs-code-invalid",
            FieldError::CodeInvalid => "error-code-invalid",
            FieldError::NumberInvalid => "error-number-invalid",
            FieldError::NumberTooLarge => "error-number-too-large",
            FieldError::ChoiceInvalid => "error-choice-invalid",
            FieldError::PhoneInvalid => "error-phone-invalid",
            FieldError::PostcodeInvalid => "error-postcode-invalid",
            FieldError::DateInvalid => "error-date-invalid",
            FieldError::MonthInvalid => "error-month-invalid",
            FieldError::YearInvalid => "error-year-invalid",
            FieldError::ChildTooOld => "error-child-too-old",
            FieldError::TimeInvalid => "error-time-invalid",
            FieldError::EndBeforeStart => "error-end-before-start",
            FieldError::UntilBeforeFrom => "error-until-before-from",
            FieldError::SeriesTooLong => "error-series-too-long",
            FieldError::NoSessions => "error-no-sessions",
            FieldError::PinInvalid => "error-pin-invalid",
            FieldError::PinMismatch => "error-pin-mismatch",
            FieldError::ContactInvalid => "error-contact-invalid",
            FieldError::AmountInvalid => "error-amount-invalid",
            FieldError::AmountTooHigh => "error-amount-too-high",
            FieldError::CapacityInvalid => "error-capacity-invalid",
            FieldError::CapacityBelowRegistered => "error-capacity-below-registered",
            FieldError::RegularAboveWindow => "error-regular-above-window",
            FieldError::LastBeforeFirst => "error-last-before-first",
            FieldError::HolidayTooLong => "error-holiday-too-long",
            FieldError::HolidayOutOfSeason => "error-holiday-out-of-season",
            FieldError::HolidayOverlaps => "error-holiday-overlaps",
            FieldError::PeriodTooLong => "error-period-too-long",
        }
    }
}

/// Trim and refuse empty or over-long text. Length counts characters, not bytes, so a Dutch
/// or Arabic name is not cut short.
fn bounded_text(raw: &str, max_chars: usize) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    if text.chars().count() > max_chars {
        return Err(FieldError::TooLong);
    }
    if text.chars().any(|c| c.is_control()) {
        return Err(FieldError::ChoiceInvalid);
    }
    Ok(text.to_string())
}

/// An e-mail address, lower-cased so that sign-in does not depend on how it was typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = bounded_text(raw, Self::MAX_CHARS)?.to_lowercase();
        let (local, domain) = text.split_once('@').ok_or(FieldError::EmailInvalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c == '@' || c == '<' || c == '>');
        if domain_ok && local_ok {
            Ok(Email(text))
        } else {
            Err(FieldError::EmailInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password someone chooses. We follow NIST 800-63B: a minimum length and no composition
/// rules; the upper bound only keeps hashing cheap for an attacker's megabyte-long input.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n == 0 {
            Err(FieldError::Required)
        } else if n < Self::MIN_CHARS {
            Err(FieldError::PasswordTooShort)
        } else if n > Self::MAX_CHARS {
            Err(FieldError::PasswordTooLong)
        } else {
            Ok(NewPassword(raw.to_string()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The name of an organisation, a neighbourhood or a person as shown in the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceName(String);

impl PlaceName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text(raw, Self::MAX_CHARS).map(PlaceName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A staff member's display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        bounded_text(raw, Self::MAX_CHARS).map(PersonName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The CBS code of a neighbourhood (wijk): `WK` followed by six digits (four for the
/// municipality, two for the neighbourhood), e.g. `WK003401`. Optional in the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CbsCode(String);

impl CbsCode {
    /// Empty input means "no code"; anything else must be a valid code.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, FieldError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Ok(None);
        }
        let upper = compact.to_uppercase();
        let digits = upper.strip_prefix("WK").ok_or(FieldError::CbsCodeInvalid)?;
        if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(Some(CbsCode(upper)))
        } else {
            Err(FieldError::CbsCodeInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A six-digit code from an authenticator app. Spaces are allowed because apps show
/// "123 456".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpCode(String);

impl TotpCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            Err(FieldError::Required)
        } else if compact.len() == 6 && compact.chars().all(|c| c.is_ascii_digit()) {
            Ok(TotpCode(compact))
        } else {
            Err(FieldError::CodeInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lowercased_and_trimmed() {
        assert_eq!(
            Email::parse("  Sanne@Example.NL ").map(|e| e.as_str().to_string()),
            Ok("sanne@example.nl".to_string())
        );
    }

    #[test]
    fn email_without_domain_dot_or_at_is_refused() {
        for bad in [
            "sanne",
            "sanne@",
            "@example.nl",
            "sanne@example",
            "a b@example.nl",
            "x@.nl",
        ] {
            assert_eq!(Email::parse(bad), Err(FieldError::EmailInvalid), "{bad}");
        }
        assert_eq!(Email::parse("   "), Err(FieldError::Required));
        let long = format!("{}@example.nl", "a".repeat(300));
        assert_eq!(Email::parse(&long), Err(FieldError::TooLong));
    }

    #[test]
    fn password_has_a_minimum_and_maximum_length_but_no_composition_rules() {
        assert_eq!(NewPassword::parse("").err(), Some(FieldError::Required));
        assert_eq!(
            NewPassword::parse("kort").err(),
            Some(FieldError::PasswordTooShort)
        );
        assert!(NewPassword::parse("koffie op woensdag").is_ok());
        assert_eq!(
            NewPassword::parse(&"x".repeat(129)).err(),
            Some(FieldError::PasswordTooLong)
        );
    }

    #[test]
    fn password_never_shows_in_debug_output() {
        let p = NewPassword::parse("geheim-wachtwoord").map(|p| format!("{p:?}"));
        assert_eq!(p.as_deref(), Ok("NewPassword(***)"));
    }

    #[test]
    fn cbs_code_is_wk_and_six_digits_and_optional() {
        assert_eq!(CbsCode::parse_optional(""), Ok(None));
        assert_eq!(
            CbsCode::parse_optional(" wk 003401 ").map(|c| c.map(|c| c.as_str().to_string())),
            Ok(Some("WK003401".to_string()))
        );
        for bad in ["003401", "WK0034", "BU00340101", "WK00340A"] {
            assert_eq!(
                CbsCode::parse_optional(bad),
                Err(FieldError::CbsCodeInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_are_trimmed_bounded_and_required() {
        assert_eq!(
            PlaceName::parse("  Almere Poort ").map(|n| n.into_inner()),
            Ok("Almere Poort".into())
        );
        assert_eq!(PlaceName::parse(" "), Err(FieldError::Required));
        assert_eq!(PlaceName::parse(&"é".repeat(101)), Err(FieldError::TooLong));
        assert!(PlaceName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn every_error_key_is_its_message_code_with_the_error_prefix() {
        for e in [
            FieldError::Required,
            FieldError::TooLong,
            FieldError::EmailInvalid,
            FieldError::PasswordTooShort,
            FieldError::PasswordTooLong,
            FieldError::CbsCodeInvalid,
            FieldError::CodeInvalid,
            FieldError::NumberInvalid,
            FieldError::ChoiceInvalid,
            FieldError::PhoneInvalid,
            FieldError::PostcodeInvalid,
            FieldError::DateInvalid,
            FieldError::MonthInvalid,
            FieldError::YearInvalid,
            FieldError::ChildTooOld,
            FieldError::TimeInvalid,
            FieldError::EndBeforeStart,
            FieldError::UntilBeforeFrom,
            FieldError::SeriesTooLong,
            FieldError::NoSessions,
            FieldError::AmountInvalid,
            FieldError::AmountTooHigh,
            FieldError::CapacityInvalid,
            FieldError::CapacityBelowRegistered,
            FieldError::RegularAboveWindow,
            FieldError::LastBeforeFirst,
            FieldError::HolidayTooLong,
            FieldError::HolidayOutOfSeason,
            FieldError::PeriodTooLong,
            FieldError::HolidayOverlaps,
        ] {
            assert_eq!(e.key(), format!("error-{e}"), "{e:?}");
        }
    }

    #[test]
    fn totp_code_accepts_spaces_and_only_six_digits() {
        assert_eq!(
            TotpCode::parse("123 456").map(|c| c.as_str().to_string()),
            Ok("123456".into())
        );
        assert_eq!(TotpCode::parse("12345"), Err(FieldError::CodeInvalid));
        assert_eq!(TotpCode::parse("abcdef"), Err(FieldError::CodeInvalid));
        assert_eq!(TotpCode::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn control_characters_are_dropped_and_line_breaks_kept() {
        assert_eq!(clean_text("Sanne"), "Sanne");
        assert!(matches!(clean_text("Sanne"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(clean_text("San\0ne"), "Sanne");
        assert_eq!(
            clean_text("regel 1\r\nregel 2\rregel 3\n"),
            "regel 1\nregel 2\nregel 3\n"
        );
        assert_eq!(clean_text("a\tb\u{1b}[31m\u{7f}\u{85}c"), "a\tb[31mc");
        // Not control characters: right-to-left marks and emoji stay, they are text.
        assert_eq!(clean_text("\u{202e}abc 👍"), "\u{202e}abc 👍");
    }
}
