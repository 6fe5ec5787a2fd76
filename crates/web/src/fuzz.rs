//! Entry points for the fuzz targets in `fuzz/` (libFuzzer, `scripts/fuzz.sh`) and for the
//! test that replays their corpus on every run (`tests/fuzz_corpus.rs`). Each takes raw bytes
//! from outside, runs one parser the way a request would, and panics only when an invariant
//! breaks: a parser may refuse anything, but it must never crash, and what it accepts must be
//! what the rest of the code relies on (docs/security.md, "Fuzzing").

use axum::http::HeaderValue;
use chrono::{TimeZone, Utc};
use mtp_domain::ical::{CalEvent, calendar};
use mtp_domain::{Language, PhoneNumber, Postcode4};

use crate::forms::{FormData, FormErrors};
use crate::i18n::Tr;
use crate::import::table;

/// One check: raw input in, a panic when an invariant breaks.
pub type Check = fn(&[u8]);

/// The targets by name, as `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/` call them.
pub const TARGETS: &[(&str, Check)] = &[
    ("import_table", import_table),
    ("form", form),
    ("next", next),
    ("checkin", checkin),
    ("walk_in", walk_in),
    ("phone", phone),
    ("postcode", postcode),
    ("ical", ical),
];

/// A spreadsheet upload: whatever comes back stays within the row and column limits.
pub fn import_table(data: &[u8]) {
    if let Ok(t) = table::read(data) {
        assert!(t.headers.len() <= table::MAX_COLUMNS);
        assert!(!t.rows.is_empty() && t.rows.len() <= table::MAX_ROWS);
        assert!(t.rows.iter().all(|r| r.len() <= table::MAX_COLUMNS));
    }
}

/// A form body: names and values arrive without control characters but line breaks and tabs.
pub fn form(data: &[u8]) {
    let f = FormData::parse(data);
    for (k, v) in f.pairs() {
        for text in [k, v] {
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{text:?}"
            );
            assert!(!text.contains('\r'));
        }
    }
}

/// The `next` parameter: the answer is a path on this site that fits in a header.
pub fn next(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    let n = crate::parse::safe_next(&raw);
    assert!(
        n.starts_with('/') && !n[1..].starts_with('/') && !n.contains('\\'),
        "{n:?}"
    );
    assert!(HeaderValue::from_str(&n).is_ok(), "{n:?}");
}

/// A tap from the door, also one sent later from the offline queue.
pub fn checkin(data: &[u8]) {
    let f = FormData::parse(data);
    let t = Tr::new(Language::Nl);
    let mut e = FormErrors::default();
    let parsed = crate::routes::sessions::parse_checkin(&t, &mut e, uuid::Uuid::nil(), &f);
    // Accepted and refused are exclusive: a parsed tap has no errors, a refused one names one.
    assert_eq!(parsed.is_some(), e.is_empty());
    if let Some(c) = parsed {
        assert!(
            c.key
                .as_ref()
                .is_none_or(|k| k.len() <= mtp_store::sessions::MAX_KEY)
        );
    }
    let _ = crate::routes::sessions::tap_day(&f);
}

/// A walk-in from the door: the fields the handler parses before it writes anything.
pub fn walk_in(data: &[u8]) {
    let f = FormData::parse(data);
    let _ = crate::routes::sessions::tap_day(&f);
    if let Ok(name) = mtp_domain::PersonName::parse(f.get("first_name")) {
        assert!(!name.as_str().is_empty() && name.as_str() == name.as_str().trim());
    }
    let _ = mtp_domain::HouseholdKind::parse(f.get("kind"));
    let _ = mtp_domain::attendance::parse_children_count(f.get("children"));
}

/// A phone number typed any Dutch way: an accepted one is E.164 and reads back as itself.
pub fn phone(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = PhoneNumber::parse(raw) {
        let e164 = p.e164();
        assert!(e164.starts_with('+') && e164[1..].bytes().all(|b| b.is_ascii_digit()));
        let again = PhoneNumber::parse(e164).map(|q| q.e164().to_string());
        assert_eq!(again.as_deref(), Ok(e164));
    }
}

/// A postcode: an accepted one is four digits and reads back as itself.
pub fn postcode(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Some(p)) = Postcode4::parse_optional(raw) {
        let s = p.as_str();
        assert!(
            s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()),
            "{s:?}"
        );
        let again = Postcode4::parse_optional(s).map(|q| q.map(|q| q.as_str().to_string()));
        assert_eq!(again, Ok(Some(s.to_string())));
    }
}

/// Text of an activity in a calendar feed: every line ends in CRLF, is at most 75 octets,
/// and holds no other control character than the folding's.
pub fn ical(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1f}');
    let summary = parts.next().unwrap_or("").to_string();
    let location = parts.next().unwrap_or("").to_string();
    let description = parts.next().unwrap_or("").to_string();
    let at = Utc
        .with_ymd_and_hms(2026, 10, 25, 0, 30, 0)
        .single()
        .unwrap_or_default();
    let event = CalEvent {
        uid: "fuzz@meet-the-parents".into(),
        start: at,
        end: at + chrono::Duration::hours(2),
        summary,
        location,
        description,
        cancelled: false,
        sequence: 0,
        stamp: at,
    };
    let out = calendar(&text, &[event]);
    assert!(out.ends_with("\r\n"));
    for line in out.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(line.len() <= 75, "{line:?}");
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{line:?}"
        );
    }
}
