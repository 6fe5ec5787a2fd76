//! Calendar files (RFC 5545) that parents and workers subscribe to from their phone.
//!
//! Written by hand rather than with a builder: we need a VTIMEZONE so that a 09:30 session
//! reads 09:30 in every calendar program in summer and in winter, and full control over
//! escaping and line folding.

use chrono::{DateTime, Utc};

use crate::schedule::{local_to_utc, utc_to_local};

/// One session in a calendar feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalEvent {
    /// Stable across feeds and updates, e.g. "<session uuid>@meet-the-parents", so a calendar
    /// program updates the event instead of adding a second one.
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub cancelled: bool,
    /// Raised on every change, so calendar programs take the newer version.
    pub sequence: u32,
    /// When this version of the event was made.
    pub stamp: DateTime<Utc>,
}

const TZID: &str = "Europe/Amsterdam";

/// The Dutch time rules since 1996 (EU summer time): summer time from the last Sunday of
/// March 02:00, winter time from the last Sunday of October 03:00.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "X-LIC-LOCATION:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// A whole calendar: VCALENDAR with PRODID, VERSION:2.0, CALSCALE, METHOD:PUBLISH,
/// X-WR-CALNAME, a VTIMEZONE for Europe/Amsterdam, and one VEVENT per event with its times in
/// Dutch wall-clock time (DTSTART;TZID=Europe/Amsterdam:...), UID, DTSTAMP, SUMMARY,
/// LOCATION and DESCRIPTION (when not empty), SEQUENCE and STATUS. Lines end in CRLF and are
/// folded at 75 octets; text is escaped.
pub fn calendar(name: &str, events: &[CalEvent]) -> String {
    let mut out = Calendar::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Meet the Parents//Activities//NL");
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.line(&format!("X-WR-CALNAME:{}", escape_text(name)));
    out.line(&format!("X-WR-TIMEZONE:{TZID}"));
    for line in VTIMEZONE {
        out.line(line);
    }
    for event in events {
        out.line("BEGIN:VEVENT");
        out.line(&format!("UID:{}", escape_text(&event.uid)));
        out.line(&format!("DTSTAMP:{}", utc_stamp(event.stamp)));
        out.line(&date_time("DTSTART", event.start));
        out.line(&date_time("DTEND", event.end));
        out.line(&format!("SUMMARY:{}", escape_text(&event.summary)));
        if !event.location.trim().is_empty() {
            out.line(&format!("LOCATION:{}", escape_text(&event.location)));
        }
        if !event.description.trim().is_empty() {
            out.line(&format!("DESCRIPTION:{}", escape_text(&event.description)));
        }
        out.line(&format!("SEQUENCE:{}", event.sequence));
        out.line(if event.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        });
        out.line("END:VEVENT");
    }
    out.line("END:VCALENDAR");
    out.0
}

#[derive(Default)]
struct Calendar(String);

impl Calendar {
    fn line(&mut self, content: &str) {
        fold_into(&mut self.0, content);
    }
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A time as the wall clock in the Netherlands shows it. The one hour a year that the wall
/// clock shows twice (autumn, 02:00–03:00) means the first time with a TZID; an event in the
/// second one is written in UTC instead, so it is not moved an hour.
fn date_time(property: &str, t: DateTime<Utc>) -> String {
    let local = utc_to_local(t);
    if local_to_utc(local.date(), local.time()) == t {
        format!("{property};TZID={TZID}:{}", local.format("%Y%m%dT%H%M%S"))
    } else {
        format!("{property}:{}", utc_stamp(t))
    }
}

/// TEXT escaping (RFC 5545 §3.3.11). Line breaks of any kind become `\n`; other control
/// characters are not allowed in TEXT and are dropped.
fn escape_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The longest content line RFC 5545 (§3.1) allows, in octets, without the CRLF.
const MAX_OCTETS: usize = 75;

/// Appends one content line, folded with CRLF and a space where it would grow past
/// [`MAX_OCTETS`]; never in the middle of a UTF-8 character, so a name like
/// "Koffie-uurtje ☕" survives.
fn fold_into(out: &mut String, content: &str) {
    let mut room = MAX_OCTETS;
    for c in content.chars() {
        if c.len_utf8() > room {
            out.push_str("\r\n ");
            // The leading space counts towards the 75 octets of the continuation line.
            room = MAX_OCTETS - 1;
        }
        out.push(c);
        room -= c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike, EventStatus};

    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, 0))
            .unwrap_or_default()
            .and_utc()
    }

    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap_or_default()
            .and_time(NaiveTime::from_hms_opt(h, mi, 0).unwrap_or_default())
    }

    fn coffee_hour(uid: &str, start: DateTime<Utc>) -> CalEvent {
        CalEvent {
            uid: uid.to_string(),
            start,
            end: start + chrono::TimeDelta::minutes(90),
            summary: "Koffie-uurtje".into(),
            location: "Buurthuis De Schakel, Almere".into(),
            description: String::new(),
            cancelled: false,
            sequence: 0,
            stamp: utc(2026, 10, 1, 12, 0),
        }
    }

    fn two_wednesdays() -> Vec<CalEvent> {
        let mut cancelled = coffee_hour("b@meet-the-parents", utc(2026, 10, 28, 8, 30));
        cancelled.cancelled = true;
        cancelled.sequence = 2;
        cancelled.description = "Koffie, thee; en\nmeer".into();
        vec![
            coffee_hour("a@meet-the-parents", utc(2026, 10, 21, 7, 30)),
            cancelled,
        ]
    }

    fn parse(text: &str) -> icalendar::Calendar {
        match text.parse() {
            Ok(calendar) => calendar,
            Err(e) => panic!("not a calendar: {e}\n{text}"),
        }
    }

    fn start_of(e: &icalendar::Event) -> Option<(NaiveDateTime, String)> {
        match e.get_start() {
            Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
                Some((date_time, tzid))
            }
            _ => None,
        }
    }

    #[test]
    fn a_calendar_library_reads_the_events_back() {
        let text = calendar("Meet the Parents – Almere Poort", &two_wednesdays());
        let parsed = parse(&text);
        let events: Vec<_> = parsed.events().collect();
        assert_eq!(events.len(), 2, "{text}");
        assert_eq!(
            events.iter().map(|e| e.get_uid()).collect::<Vec<_>>(),
            [Some("a@meet-the-parents"), Some("b@meet-the-parents")]
        );
        assert_eq!(
            events.iter().map(|e| e.get_status()).collect::<Vec<_>>(),
            [Some(EventStatus::Confirmed), Some(EventStatus::Cancelled)]
        );
        assert_eq!(
            events.iter().map(|e| e.get_sequence()).collect::<Vec<_>>(),
            [Some(0), Some(2)]
        );
        assert_eq!(
            events.first().and_then(|e| e.get_summary()),
            Some("Koffie-uurtje")
        );
        assert_eq!(
            events.first().and_then(|e| e.get_location()),
            Some("Buurthuis De Schakel, Almere")
        );
        assert_eq!(
            events.first().and_then(|e| e.get_timestamp()),
            Some(utc(2026, 10, 1, 12, 0))
        );
        assert_eq!(parsed.get_name(), Some("Meet the Parents – Almere Poort"));
        for required in [
            "VERSION:2.0\r\n",
            "PRODID:",
            "CALSCALE:GREGORIAN\r\n",
            "METHOD:PUBLISH\r\n",
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n",
        ] {
            assert!(text.contains(required), "{required}");
        }
    }

    #[test]
    fn a_half_past_nine_session_reads_half_past_nine_in_summer_and_winter_time() {
        let events = two_wednesdays();
        let text = calendar("Koffie", &events);
        assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20261021T093000\r\n"));
        assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20261028T093000\r\n"));
        assert!(text.contains("DTEND;TZID=Europe/Amsterdam:20261028T110000\r\n"));
        let parsed = parse(&text);
        let starts: Vec<_> = parsed.events().map(start_of).collect();
        assert_eq!(
            starts,
            [
                Some((local(2026, 10, 21, 9, 30), TZID.to_string())),
                Some((local(2026, 10, 28, 9, 30), TZID.to_string())),
            ]
        );
        // The instants are a week and an hour apart: summer time ended on 25 October.
        let gap = events
            .get(1)
            .zip(events.first())
            .map(|(b, a)| b.start - a.start);
        assert_eq!(gap, Some(chrono::TimeDelta::hours(7 * 24 + 1)));
    }

    #[test]
    fn an_event_in_the_repeated_autumn_hour_is_written_in_utc() {
        let first = coffee_hour("first@meet-the-parents", utc(2026, 10, 25, 0, 30));
        let second = coffee_hour("second@meet-the-parents", utc(2026, 10, 25, 1, 30));
        let text = calendar("Nacht", &[first, second]);
        assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20261025T023000\r\n"));
        assert!(text.contains("DTSTART:20261025T013000Z\r\n"));
        let parsed = parse(&text);
        let second_start = parsed.events().nth(1).and_then(|e| e.get_start());
        assert_eq!(
            second_start,
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(utc(
                2026, 10, 25, 1, 30
            ))))
        );
    }

    #[test]
    fn commas_semicolons_backslashes_and_line_breaks_are_escaped() {
        let text = calendar("Koffie", &two_wednesdays());
        assert!(
            text.contains("DESCRIPTION:Koffie\\, thee\\; en\\nmeer\r\n"),
            "{text}"
        );
        let parsed = parse(&text);
        assert_eq!(
            parsed.events().nth(1).and_then(|e| e.get_description()),
            Some("Koffie, thee; en\nmeer")
        );
        assert_eq!(escape_text("a\\b\r\nc\rd\u{7}e\tf"), "a\\\\b\\nc\\nde\tf");
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_a_character() {
        let mut event = coffee_hour("long@meet-the-parents", utc(2026, 12, 2, 8, 30));
        event.summary = "Koffie-uurtje ☕ met gezonde snoeptomaatjes, worteltjes en komkommer — \
                         iedereen welkom, ook de kinderen 👨‍👩‍👧"
            .repeat(3);
        event.description = "é".repeat(200);
        let name = "Één ouder, één buurt ".repeat(10);
        let text = calendar(&name, std::slice::from_ref(&event));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= MAX_OCTETS, "{} octets: {line}", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        assert!(
            text.split("\r\n").any(|l| l.len() == MAX_OCTETS),
            "folding uses the room it has"
        );
        let parsed = parse(&text);
        let read = parsed.events().next();
        assert_eq!(
            read.and_then(|e| e.get_summary()),
            Some(event.summary.as_str())
        );
        assert_eq!(
            read.and_then(|e| e.get_description()),
            Some(event.description.as_str())
        );
        assert_eq!(parsed.get_name(), Some(name.as_str()));
    }

    #[test]
    fn an_empty_calendar_is_still_a_calendar() {
        let text = calendar("Leeg", &[]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(parse(&text).events().count(), 0);
        assert!(!text.contains("BEGIN:VEVENT"));
    }
}
