//! The parent portal's rules: how a parent signs in without a password, what a parent may
//! change themselves, and the parents' own ideas for activities.
//!
//! Handbook §2.2: the strength of Meet the Parents is its low threshold. A parent gets a
//! personal link from their worker (by WhatsApp, text or e-mail), taps it once, and stays
//! signed in on their own phone. Nothing to remember; a PIN only for a shared phone.

use chrono::{DateTime, Duration, Months, Utc};

use crate::consent::Purpose;
use crate::contact::PhoneNumber;
use crate::fields::{Email, FieldError};

/// How long a sign-in link works. A week: a parent reads WhatsApp late, but a link that
/// lies around for months is a risk on a phone that changes hands.
pub const LINK_VALID: Duration = Duration::days(7);

/// How long a parent stays signed in on their own phone without using the portal. Each
/// visit moves the end forward, so a parent who comes by now and then never signs in again.
pub const SESSION_IDLE: Duration = Duration::days(120);

/// With a PIN on a shared phone, the portal asks for it again after this quiet time.
pub const PIN_RELOCK: Duration = Duration::minutes(15);

/// Wrong PINs in a row before the phone is signed out; a new link is then needed. Six
/// digits at five tries is a one-in-200,000 guess.
pub const PIN_MAX_FAILURES: i32 = 5;

/// Requests for a new link per address or number, and per network address, in the limiter
/// window: enough for a parent who mistyped, too few to probe which numbers we know.
pub const LINK_REQUESTS_PER_CONTACT: u64 = 3;
pub const LINK_REQUESTS_PER_IP: u64 = 10;

/// What a parent types to get a new link: their e-mail address or their phone number, in
/// any of the ways people write them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactKey {
    Email(Email),
    Phone(PhoneNumber),
}

impl ContactKey {
    pub fn parse(raw: &str) -> Result<ContactKey, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if text.contains('@') {
            return Email::parse(text)
                .map(ContactKey::Email)
                .map_err(|_| FieldError::ContactInvalid);
        }
        PhoneNumber::parse(text)
            .map(ContactKey::Phone)
            .map_err(|_| FieldError::ContactInvalid)
    }

    /// The value the rate limiter counts (hashed before it is stored).
    pub fn limiter_value(&self) -> &str {
        match self {
            ContactKey::Email(e) => e.as_str(),
            ContactKey::Phone(p) => p.e164(),
        }
    }
}

/// A PIN for a shared phone: 4 to 6 digits. Spaces are allowed while typing.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(…)")
    }
}

impl Pin {
    pub fn parse(raw: &str) -> Result<Pin, FieldError> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(FieldError::Required);
        }
        if !(4..=6).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::PinInvalid);
        }
        Ok(Pin(digits))
    }

    /// A new PIN typed twice.
    pub fn parse_new(raw: &str, again: &str) -> Result<Pin, FieldError> {
        let pin = Pin::parse(raw)?;
        match Pin::parse(again) {
            Ok(second) if second == pin => Ok(pin),
            _ => Err(FieldError::PinMismatch),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The consents a parent may give or withdraw in the portal. Registration itself is not
/// among them: withdrawing it means "remove our data", which is the erasure request, so that
/// a worker can say goodbye and nothing is removed by a slip of the thumb.
pub fn parent_may_change(purpose: Purpose) -> bool {
    purpose != Purpose::DataRegistration
}

/// What a parent suggests (§3.3: workshops follow the parents' own questions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdeaKind {
    Workshop,
    Outing,
    Other,
}

impl IdeaKind {
    pub const ALL: [IdeaKind; 3] = [IdeaKind::Workshop, IdeaKind::Outing, IdeaKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaKind::Workshop => "workshop",
            IdeaKind::Outing => "outing",
            IdeaKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<IdeaKind, FieldError> {
        match raw.trim() {
            "" => Err(FieldError::Required),
            t => IdeaKind::ALL
                .into_iter()
                .find(|k| k.as_str() == t)
                .ok_or(FieldError::ChoiceInvalid),
        }
    }
}

/// An idea in a parent's own words: one line, short enough to read on a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdeaTitle(String);

impl IdeaTitle {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<IdeaTitle, FieldError> {
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::TooLong);
        }
        Ok(IdeaTitle(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a parent may ask of their worker from the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// "Remove our data": the worker erases the household and says goodbye.
    Erasure,
    /// A parent asked for a new sign-in link with a phone number; we cannot text from the
    /// server, so the worker sends it by WhatsApp or SMS.
    NewLink,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Erasure => "erasure",
            RequestKind::NewLink => "new_link",
        }
    }

    pub fn parse(raw: &str) -> Option<RequestKind> {
        match raw {
            "erasure" => Some(RequestKind::Erasure),
            "new_link" => Some(RequestKind::NewLink),
            _ => None,
        }
    }
}

/// The portal promises a family an answer to their erasure request within a month (the
/// time the GDPR gives, art. 12(3)): erased, or told why not. This is the one place that
/// month is defined; the coordinator's start page counts requests past it as overdue.
pub fn erasure_due(asked_at: DateTime<Utc>) -> DateTime<Utc> {
    asked_at
        .checked_add_months(Months::new(1))
        .unwrap_or(asked_at + Duration::days(31))
}

/// Whether an erasure request asked at `asked_at` and still open at `now` is past the month.
pub fn erasure_overdue(asked_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now > erasure_due(asked_at)
}

/// Why a worker does not erase a household's data: the family is told these words, so they
/// are required, and short enough to read on a phone and in an e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalReason(String);

impl RefusalReason {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(raw: &str) -> Result<RefusalReason, FieldError> {
        // Line breaks stay (the worker may write two sentences on two lines); other control
        // characters would only garble the e-mail.
        let text: String = raw
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        let text = text.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::TooLong);
        }
        Ok(RefusalReason(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many children may come along to one session, as a parent can say it in the portal.
pub const MAX_CHILDREN: u32 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parent_types_an_address_or_a_number_in_any_usual_way() {
        assert!(matches!(
            ContactKey::parse(" Sanne@Example.NL "),
            Ok(ContactKey::Email(e)) if e.as_str() == "sanne@example.nl"
        ));
        for raw in [
            "06-12345678",
            "06 12 34 56 78",
            "+31612345678",
            "0031 6 1234 5678",
        ] {
            assert!(
                matches!(ContactKey::parse(raw), Ok(ContactKey::Phone(p)) if p.e164() == "+31612345678"),
                "{raw}"
            );
        }
        assert_eq!(ContactKey::parse("  "), Err(FieldError::Required));
        assert_eq!(ContactKey::parse("sanne@"), Err(FieldError::ContactInvalid));
        assert_eq!(ContactKey::parse("12"), Err(FieldError::ContactInvalid));
    }

    #[test]
    fn a_pin_is_four_to_six_digits_typed_twice_the_same() {
        assert_eq!(Pin::parse("12 34").map(|p| p.0), Ok("1234".into()));
        assert_eq!(Pin::parse("123456").map(|p| p.0), Ok("123456".into()));
        assert_eq!(Pin::parse("123"), Err(FieldError::PinInvalid));
        assert_eq!(Pin::parse("1234567"), Err(FieldError::PinInvalid));
        assert_eq!(Pin::parse("12a4"), Err(FieldError::PinInvalid));
        assert_eq!(Pin::parse(""), Err(FieldError::Required));
        assert!(Pin::parse_new("2580", "2580").is_ok());
        assert_eq!(Pin::parse_new("2580", "2581"), Err(FieldError::PinMismatch));
        assert!(!format!("{:?}", Pin::parse("2580")).contains("2580"));
    }

    #[test]
    fn a_parent_cannot_withdraw_registration_by_a_tap_but_asks_for_erasure() {
        assert!(!parent_may_change(Purpose::DataRegistration));
        for p in [
            Purpose::ChatGroup,
            Purpose::Photos,
            Purpose::PublishQuote,
            Purpose::Research,
        ] {
            assert!(parent_may_change(p), "{p:?}");
        }
    }

    #[test]
    fn an_idea_is_one_short_line() {
        assert_eq!(
            IdeaTitle::parse("  Koken   met\nkinderen ").map(|t| t.0),
            Ok("Koken met kinderen".into())
        );
        assert_eq!(IdeaTitle::parse(" "), Err(FieldError::Required));
        assert_eq!(IdeaTitle::parse(&"a".repeat(121)), Err(FieldError::TooLong));
        assert_eq!(IdeaKind::parse("outing"), Ok(IdeaKind::Outing));
        assert_eq!(IdeaKind::parse("party"), Err(FieldError::ChoiceInvalid));
        assert_eq!(IdeaKind::parse(""), Err(FieldError::Required));
    }

    #[test]
    fn an_erasure_request_is_overdue_after_one_calendar_month() {
        let at = |y, m, d| {
            chrono::TimeZone::with_ymd_and_hms(&Utc, y, m, d, 10, 0, 0)
                .single()
                .unwrap_or_default()
        };
        assert_eq!(erasure_due(at(2026, 1, 15)), at(2026, 2, 15));
        // The end of a short month: the last day of the next one.
        assert_eq!(erasure_due(at(2026, 1, 31)), at(2026, 2, 28));
        assert!(!erasure_overdue(at(2026, 1, 15), at(2026, 2, 15)));
        assert!(erasure_overdue(
            at(2026, 1, 15),
            at(2026, 2, 15) + Duration::seconds(1)
        ));
        assert!(!erasure_overdue(at(2026, 1, 15), at(2026, 1, 16)));
    }

    #[test]
    fn a_refusal_needs_a_reason_the_family_can_read() {
        assert_eq!(RefusalReason::parse("  "), Err(FieldError::Required));
        assert_eq!(
            RefusalReason::parse(&"a".repeat(1001)),
            Err(FieldError::TooLong)
        );
        assert_eq!(
            RefusalReason::parse(" De wet vraagt ons dit 7 jaar te bewaren.\r\nSorry. ")
                .map(|r| r.0),
            Ok("De wet vraagt ons dit 7 jaar te bewaren.\nSorry.".into())
        );
    }

    #[test]
    fn requests_round_trip() {
        for k in [RequestKind::Erasure, RequestKind::NewLink] {
            assert_eq!(RequestKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(RequestKind::parse("x"), None);
    }
}
