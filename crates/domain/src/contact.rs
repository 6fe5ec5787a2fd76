//! How we reach a household: a phone number and, optionally, the area it lives in.

use crate::fields::FieldError;

/// Dutch area codes of two digits (after the leading 0). All other Dutch landlines have
/// three. 084, 085, 087, 088 and 091 are not geographic but are written the same way.
const TWO_DIGIT_AREA_CODES: [&str; 35] = [
    "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45", "46",
    "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "84", "85",
    "87", "88", "91",
];

/// Longest input we look at; a phone number typed with generous spacing stays well below.
const MAX_INPUT_CHARS: usize = 40;

/// A phone number, always kept in E.164 (`+31612345678`) so that the same number typed in
/// two ways is the same number, and so that a WhatsApp link can be made from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts the ways people write Dutch numbers (`06-12345678`, `+31 (0)6 12345678`,
    /// `0031 6 12345678`, `020-1234567`) and foreign numbers with `+` or `00` in front.
    pub fn parse(raw: &str) -> Result<PhoneNumber, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if text.chars().count() > MAX_INPUT_CHARS {
            return Err(FieldError::PhoneInvalid);
        }
        let (plus, rest) = match text.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        // After a country code, "(0)" is the trunk prefix for callers inside the country.
        let international = plus || digits_of(rest)?.starts_with("00");
        let rest = if international {
            rest.replacen("(0)", "", 1)
        } else {
            rest.to_string()
        };
        let digits = digits_of(&rest)?;
        if international {
            let intl = if plus {
                digits.as_str()
            } else {
                digits.get(2..).unwrap_or_default()
            };
            match intl.strip_prefix("31") {
                // "+31 06 ..." is a common slip with only one meaning; we allow it.
                Some(national) => dutch(
                    national
                        .strip_prefix('0')
                        .filter(|n| n.len() == 9)
                        .unwrap_or(national),
                ),
                None => foreign(intl),
            }
        } else {
            match digits.strip_prefix('0') {
                Some(national) => dutch(national),
                None => Err(FieldError::PhoneInvalid),
            }
        }
    }

    /// Empty input means "no number"; anything else must be a valid number.
    pub fn parse_optional(raw: &str) -> Result<Option<PhoneNumber>, FieldError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            PhoneNumber::parse(raw).map(Some)
        }
    }

    /// Re-creates a number from its stored E.164 form; `None` if what is stored is not one.
    pub fn from_e164(stored: &str) -> Option<PhoneNumber> {
        let digits = stored.strip_prefix('+')?;
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        PhoneNumber::parse(stored).ok().filter(|p| p.0 == stored)
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The digits without `+`, as `https://wa.me/<digits>` wants them.
    pub fn wa_digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }

    /// How a Dutch reader expects to see the number: `06-12 34 56 78`, `020-123 45 67`,
    /// `0318-12 34 56`. Foreign numbers are shown in E.164.
    pub fn display(&self) -> String {
        let Some(n) = self.dutch_national() else {
            return self.0.clone();
        };
        if n.starts_with('6') {
            format!("06-{} {} {} {}", &n[1..3], &n[3..5], &n[5..7], &n[7..9])
        } else if TWO_DIGIT_AREA_CODES.contains(&&n[..2]) {
            format!("0{}-{} {} {}", &n[..2], &n[2..5], &n[5..7], &n[7..9])
        } else {
            format!("0{}-{} {} {}", &n[..3], &n[3..5], &n[5..7], &n[7..9])
        }
    }

    /// A Dutch mobile number: the ones WhatsApp and text messages reach.
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with("+316")
    }

    /// The nine digits after +31, for a Dutch number.
    fn dutch_national(&self) -> Option<&str> {
        self.0
            .strip_prefix("+31")
            .filter(|n| n.len() == 9 && n.is_ascii())
    }
}

/// The digits of a phone number, skipping the separators people type; anything else refuses
/// the number.
fn digits_of(text: &str) -> Result<String, FieldError> {
    let mut digits = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '-' | '.' | '(' | ')' | '/' | '\u{2010}' | '\u{2011}' | '\u{2013}' => {}
            c if c.is_whitespace() => {}
            _ => return Err(FieldError::PhoneInvalid),
        }
    }
    Ok(digits)
}

/// A Dutch number without country code or leading 0: nine digits, not starting with 0.
fn dutch(national: &str) -> Result<PhoneNumber, FieldError> {
    if national.len() == 9
        && national.chars().all(|c| c.is_ascii_digit())
        && !national.starts_with('0')
    {
        Ok(PhoneNumber(format!("+31{national}")))
    } else {
        Err(FieldError::PhoneInvalid)
    }
}

/// A foreign number: country code (not starting with 0) and subscriber number, 8 to 15
/// digits in all, as E.164 allows.
fn foreign(digits: &str) -> Result<PhoneNumber, FieldError> {
    if (8..=15).contains(&digits.len()) && !digits.starts_with('0') {
        Ok(PhoneNumber(format!("+{digits}")))
    } else {
        Err(FieldError::PhoneInvalid)
    }
}

/// The four digits of a Dutch postcode: the area, without the two letters of the street.
/// We keep only the digits by default, for privacy: they say which part of town, not which
/// house.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode4(String);

impl Postcode4 {
    /// Empty input means "no postcode". A full postcode (`1234 AB`) is accepted and cut to
    /// its four digits.
    pub fn parse_optional(raw: &str) -> Result<Option<Postcode4>, FieldError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Ok(None);
        }
        if !compact.is_ascii() || compact.len() < 4 {
            return Err(FieldError::PostcodeInvalid);
        }
        let (digits, letters) = compact.split_at(4);
        let digits_ok = digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0');
        let letters_ok = letters.is_empty()
            || (letters.len() == 2 && letters.chars().all(|c| c.is_ascii_alphabetic()));
        if digits_ok && letters_ok {
            Ok(Some(Postcode4(digits.to_string())))
        } else {
            Err(FieldError::PostcodeInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(raw: &str) -> Result<String, FieldError> {
        PhoneNumber::parse(raw).map(|p| p.e164().to_string())
    }

    #[test]
    fn dutch_mobile_numbers_in_any_form_become_e164() {
        for raw in [
            "06-12345678",
            "0612345678",
            "06 1234 5678",
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06/12345678",
            "(06) 12345678",
            "+31 6 1234 5678",
            "+31612345678",
            "+31 (0)6 12345678",
            "+31(0)612345678",
            "+31 06 12345678",
            "0031612345678",
            "0031 6 12345678",
            "0031 (0)6 12345678",
            "  06-12345678  ",
            "06\u{a0}12345678",
        ] {
            assert_eq!(e164(raw), Ok("+31612345678".to_string()), "{raw}");
        }
    }

    #[test]
    fn dutch_landlines_in_any_form_become_e164() {
        for raw in [
            "020-1234567",
            "0201234567",
            "020 123 45 67",
            "(020) 1234567",
            "+31201234567",
            "+31 20 1234567",
            "+31 (0)20 123 45 67",
            "0031201234567",
        ] {
            assert_eq!(e164(raw), Ok("+31201234567".to_string()), "{raw}");
        }
        assert_eq!(e164("0318-123456"), Ok("+31318123456".to_string()));
        assert_eq!(e164("0800-1234567").ok(), None);
        assert_eq!(e164("088-1234567"), Ok("+31881234567".to_string()));
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        assert_eq!(e164("+32 470 12 34 56"), Ok("+32470123456".to_string()));
        assert_eq!(e164("0032 470 12 34 56"), Ok("+32470123456".to_string()));
        assert_eq!(e164("+49 (0)30 1234567"), Ok("+49301234567".to_string()));
        assert_eq!(e164("+212 612 345678"), Ok("+212612345678".to_string()));
        assert_eq!(e164("+1 415 555 0132"), Ok("+14155550132".to_string()));
    }

    #[test]
    fn an_empty_number_is_required_or_simply_absent() {
        assert_eq!(PhoneNumber::parse(""), Err(FieldError::Required));
        assert_eq!(PhoneNumber::parse("   "), Err(FieldError::Required));
        assert_eq!(PhoneNumber::parse_optional(" "), Ok(None));
        assert_eq!(
            PhoneNumber::parse_optional("0612345678").map(|p| p.map(|p| p.wa_digits())),
            Ok(Some("31612345678".to_string()))
        );
        assert_eq!(
            PhoneNumber::parse_optional("06"),
            Err(FieldError::PhoneInvalid)
        );
    }

    #[test]
    fn letters_and_wrong_lengths_are_not_a_phone_number() {
        for bad in [
            "06-1234567",
            "06-123456789",
            "0612345678x",
            "bel me",
            "06-CALLME12",
            "612345678",
            "31612345678",
            "+31 0 0 12345678",
            "+310012345678",
            "+3101234567",
            "00",
            "+",
            "+0031612345678",
            "+32 123",
            "+1234567890123456",
            "06+12345678",
            "++31612345678",
            "06_12345678",
            "06-12345678 ext 2",
        ] {
            assert_eq!(
                PhoneNumber::parse(bad),
                Err(FieldError::PhoneInvalid),
                "{bad}"
            );
        }
        let long = format!("06{}12345678", " ".repeat(50));
        assert_eq!(PhoneNumber::parse(&long), Err(FieldError::PhoneInvalid));
    }

    #[test]
    fn whatsapp_links_use_digits_only() {
        let Ok(p) = PhoneNumber::parse("06-12345678") else {
            panic!("a mobile number")
        };
        assert_eq!(p.wa_digits(), "31612345678");
        let Ok(p) = PhoneNumber::parse("+32 470 12 34 56") else {
            panic!("a Belgian number")
        };
        assert_eq!(p.wa_digits(), "32470123456");
    }

    #[test]
    fn numbers_are_shown_the_dutch_way() {
        let shown = |raw: &str| PhoneNumber::parse(raw).map(|p| p.display());
        assert_eq!(shown("+31612345678"), Ok("06-12 34 56 78".to_string()));
        assert_eq!(shown("0201234567"), Ok("020-123 45 67".to_string()));
        assert_eq!(shown("0101234567"), Ok("010-123 45 67".to_string()));
        assert_eq!(shown("0361234567"), Ok("036-123 45 67".to_string()));
        assert_eq!(shown("0318123456"), Ok("0318-12 34 56".to_string()));
        assert_eq!(shown("0881234567"), Ok("088-123 45 67".to_string()));
        assert_eq!(shown("+32 470 12 34 56"), Ok("+32470123456".to_string()));
    }

    #[test]
    fn only_dutch_sixes_are_mobile() {
        let mobile = |raw: &str| PhoneNumber::parse(raw).map(|p| p.is_mobile());
        assert_eq!(mobile("0612345678"), Ok(true));
        assert_eq!(mobile("0201234567"), Ok(false));
        assert_eq!(mobile("+32 470 12 34 56"), Ok(false));
        assert_eq!(mobile("+61 412 345 678"), Ok(false));
    }

    #[test]
    fn a_stored_number_comes_back_as_the_same_number() {
        for raw in ["06-12345678", "0318-123456", "+32 470 12 34 56"] {
            let Ok(p) = PhoneNumber::parse(raw) else {
                panic!("{raw} should parse")
            };
            assert_eq!(PhoneNumber::from_e164(p.e164()), Some(p.clone()), "{raw}");
        }
        for stored in [
            "",
            "+",
            "0612345678",
            "+31 612345678",
            "+31061234567",
            "+3161234567",
        ] {
            assert_eq!(PhoneNumber::from_e164(stored), None, "{stored}");
        }
    }

    #[test]
    fn postcode_keeps_only_the_four_digits() {
        let pc =
            |raw: &str| Postcode4::parse_optional(raw).map(|p| p.map(|p| p.as_str().to_string()));
        assert_eq!(pc(""), Ok(None));
        assert_eq!(pc("  "), Ok(None));
        for raw in ["1234", "1234AB", "1234 ab", " 1234 AB "] {
            assert_eq!(pc(raw), Ok(Some("1234".to_string())), "{raw}");
        }
        for bad in [
            "0123", "123", "12345", "1234 ABC", "1234 A", "12AB", "1234-AB", "ABCD", "1234 ÀB",
        ] {
            assert_eq!(pc(bad), Err(FieldError::PostcodeInvalid), "{bad}");
        }
    }
}
