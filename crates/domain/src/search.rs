//! The words a household is found by, and the words of a search, folded alike: lower case,
//! without accents, so "Zoë" is found by "zoe" and "Şahin" by "sahin".

use std::collections::BTreeSet;

use crate::PhoneNumber;

/// Lower-case ASCII, so "Zoë" is found by "zoe" and "Şahin" by "sahin".
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' | 'ć' | 'č' => 'c',
            'ş' | 'ś' | 'š' => 's',
            'ğ' => 'g',
            'ñ' | 'ń' => 'n',
            'ý' | 'ÿ' => 'y',
            'ž' | 'ź' | 'ż' => 'z',
            other => other,
        })
        .collect()
}

/// What one parent is found by.
#[derive(Debug, Clone, Copy)]
pub struct Findable<'a> {
    pub first_name: &'a str,
    pub last_name: Option<&'a str>,
    pub phone: Option<&'a PhoneNumber>,
    pub email: Option<&'a str>,
}

/// The words a household is found by: each word of the parents' names, their phone numbers
/// as typed nationally ("0612345678") and internationally ("31612345678"), and e-mail
/// addresses.
pub fn search_tokens<'a>(parents: impl IntoIterator<Item = Findable<'a>>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in parents {
        for n in [Some(p.first_name), p.last_name].into_iter().flatten() {
            out.extend(name_words(n));
        }
        if let Some(phone) = p.phone {
            out.insert(phone.wa_digits());
            out.insert(phone.display().replace([' ', '-'], ""));
        }
        if let Some(e) = p.email {
            out.insert(e.to_string());
        }
    }
    out
}

/// The search words of a name, folded as they are stored.
pub fn name_words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '\'')
        .filter(|w| !w.is_empty())
        .map(|w| fold(w).chars().take(60).collect())
}

/// The words of a search: digits-only input is one phone number, whatever its separators.
pub fn query_words(q: &str) -> Vec<String> {
    let compact: String = q
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'))
        .collect();
    let digits = compact.trim_start_matches('+');
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        let d = digits.strip_prefix("00").unwrap_or(digits);
        return vec![d.to_string()];
    }
    q.split(|c: char| c.is_whitespace() || c == '-' || c == '\'')
        .filter(|w| !w.is_empty())
        .map(fold)
        .take(5)
        .collect()
}

/// Whether every word of a search starts a word of these first names ("Sanne & Ahmed").
/// The door's search for a host, who sees first names only (docs/ui.md §1.10): a host
/// finds a family by what the parent says at the door, never by a surname, a phone number
/// or an e-mail address that would tell them who is registered.
pub fn first_names_match(first_names: &str, words: &[String]) -> bool {
    let own: Vec<String> = name_words(first_names).collect();
    !words.is_empty()
        && words
            .iter()
            .all(|w| own.iter().any(|o| o.starts_with(w.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_ignore_case_and_accents() {
        assert_eq!(fold("Zoë Şahin"), "zoe sahin");
        assert_eq!(query_words("De Boer"), vec!["de", "boer"]);
        assert_eq!(query_words("Zoë"), vec!["zoe"]);
    }

    #[test]
    fn a_phone_number_is_one_search_word_whatever_its_separators() {
        assert_eq!(query_words("06-1234 5678"), vec!["0612345678"]);
        assert_eq!(query_words("+31 6 1234 5678"), vec!["31612345678"]);
        assert_eq!(query_words("0031612345678"), vec!["31612345678"]);
    }

    #[test]
    fn a_host_finds_a_family_by_the_start_of_a_first_name_only() {
        let names = "Zoë & Ahmed";
        assert!(first_names_match(names, &query_words("zo")));
        assert!(first_names_match(names, &query_words("Ahm zoe")));
        assert!(!first_names_match(names, &query_words("hmed")));
        assert!(!first_names_match(names, &query_words("zoe bakker")));
        assert!(!first_names_match(names, &query_words("06-1234 5678")));
        assert!(!first_names_match(names, &query_words("  ")));
    }

    #[test]
    fn a_household_is_found_by_names_phone_and_email() {
        let phone = PhoneNumber::parse("06-12345678").ok();
        let tokens = search_tokens([Findable {
            first_name: "Anne-Zoë",
            last_name: Some("van 't Hof"),
            phone: phone.as_ref(),
            email: Some("anne@voorbeeld.nl"),
        }]);
        for t in [
            "anne",
            "zoe",
            "van",
            "t",
            "hof",
            "0612345678",
            "31612345678",
            "anne@voorbeeld.nl",
        ] {
            assert!(tokens.contains(t), "{t} in {tokens:?}");
        }
    }
}
