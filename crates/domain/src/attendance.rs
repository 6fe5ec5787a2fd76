//! Sessions as they happen: who came, why others did not, the host rota, the checklist of
//! §3.3 and when a second worker is wanted.

use chrono::{Datelike, NaiveDate};

use crate::ChildBirth;
use crate::fields::FieldError;

/// How a registered household's attendance of a session is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttendanceStatus {
    Present,
    /// Let us know beforehand that they could not come.
    Excused,
    Absent,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 3] = [
        AttendanceStatus::Present,
        AttendanceStatus::Excused,
        AttendanceStatus::Absent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Excused => "excused",
            AttendanceStatus::Absent => "absent",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "attendance-present",
            AttendanceStatus::Excused => "attendance-excused",
            AttendanceStatus::Absent => "attendance-absent",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        AttendanceStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// Why a parent did not come, as far as they tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AbsenceReason {
    SickChild,
    Work,
    NoChildcare,
    Transport,
    Forgot,
    Other,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 6] = [
        AbsenceReason::SickChild,
        AbsenceReason::Work,
        AbsenceReason::NoChildcare,
        AbsenceReason::Transport,
        AbsenceReason::Forgot,
        AbsenceReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AbsenceReason::SickChild => "sick_child",
            AbsenceReason::Work => "work",
            AbsenceReason::NoChildcare => "no_childcare",
            AbsenceReason::Transport => "transport",
            AbsenceReason::Forgot => "forgot",
            AbsenceReason::Other => "other",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            AbsenceReason::SickChild => "absence-reason-sick_child",
            AbsenceReason::Work => "absence-reason-work",
            AbsenceReason::NoChildcare => "absence-reason-no_childcare",
            AbsenceReason::Transport => "absence-reason-transport",
            AbsenceReason::Forgot => "absence-reason-forgot",
            AbsenceReason::Other => "absence-reason-other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        AbsenceReason::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// Whether the reason is one the organisation can solve (no childcare, transport) — the
/// encouragement worklist of a later issue uses this. The handbook names both: childcare
/// during an activity helps, and parents depend on public transport (§3.3).
pub fn is_solvable(r: AbsenceReason) -> bool {
    matches!(r, AbsenceReason::NoChildcare | AbsenceReason::Transport)
}

/// What became of a planned session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionState {
    Planned,
    Held,
    /// "We did not meet": the session was not cancelled in advance, but nobody came or it
    /// could not go on. It counts as neither attendance nor absence, so it does not make the
    /// families who stayed away look absent.
    NotHeld,
    /// Called off beforehand; the families were told.
    Cancelled,
}

impl SessionState {
    pub const ALL: [SessionState; 4] = [
        SessionState::Planned,
        SessionState::Held,
        SessionState::NotHeld,
        SessionState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Planned => "planned",
            SessionState::Held => "held",
            SessionState::NotHeld => "not_held",
            SessionState::Cancelled => "cancelled",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SessionState::Planned => "session-state-planned",
            SessionState::Held => "session-state-held",
            SessionState::NotHeld => "session-state-not_held",
            SessionState::Cancelled => "session-state-cancelled",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        SessionState::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }

    /// Only a session that took place counts towards attendance figures.
    pub fn counts_attendance(self) -> bool {
        self == SessionState::Held
    }
}

/// Handbook §3.3: "Als de groep groot is (+10) is een tweede animator wenselijk" — a second
/// animator is wanted when the group is larger than 10.
pub const SECOND_WORKER_ABOVE: u32 = 10;

/// True when the group of parents is larger than 10 (parents expected or present, whichever is
/// larger) with fewer than two workers. The handbook's group is the group of parents the
/// workers talk with: children do not count (the host and childcare look after them). Counted
/// in parents, not families: a family with two parents brings two. Expected counts too, so the
/// warning comes while there is still time to find a second worker. `workers` counts only the
/// workers who are sure to be there (`counts_as_worker`).
pub fn needs_second_worker(expected: u32, present: u32, workers: u32) -> bool {
    expected.max(present) > SECOND_WORKER_ABOVE && workers < 2
}

/// The parents a family that is expected brings: all its parents (at least one), so the
/// warning errs on the side of asking a second worker in time.
pub fn expected_parents(parents_registered: usize) -> u32 {
    u32::try_from(parents_registered.max(1)).unwrap_or(u32::MAX)
}

/// Whether someone on the session's rota counts as a worker who is there: a staff member
/// (not the volunteer host) who confirmed. Someone who was only asked may not come. The rota
/// has no separate check-in for staff: a worker who turns up unasked confirms on the session
/// page, and then counts.
pub fn counts_as_worker(role: crate::Role, reply: HostReply) -> bool {
    role.is_staff() && reply == HostReply::Confirmed
}

/// Children's ages as the activity planning needs them: what to bring, which childcare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    /// 0–1 years.
    Baby,
    /// 2–3 years.
    Toddler,
    /// 4–5 years.
    Preschool,
    /// 6–11 years.
    Primary,
    /// 12–17 years.
    Teen,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::Baby,
        AgeBand::Toddler,
        AgeBand::Preschool,
        AgeBand::Primary,
        AgeBand::Teen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Baby => "baby",
            AgeBand::Toddler => "toddler",
            AgeBand::Preschool => "preschool",
            AgeBand::Primary => "primary",
            AgeBand::Teen => "teen",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            AgeBand::Baby => "age-band-baby",
            AgeBand::Toddler => "age-band-toddler",
            AgeBand::Preschool => "age-band-preschool",
            AgeBand::Primary => "age-band-primary",
            AgeBand::Teen => "age-band-teen",
        }
    }
}

/// The band of a child on a date; `None` for an adult and for a birth month still to come.
pub fn age_band(birth: &ChildBirth, on: NaiveDate) -> Option<AgeBand> {
    if (birth.year, birth.month) > (on.year(), on.month()) {
        return None;
    }
    match birth.age_on(on) {
        0..=1 => Some(AgeBand::Baby),
        2..=3 => Some(AgeBand::Toddler),
        4..=5 => Some(AgeBand::Preschool),
        6..=11 => Some(AgeBand::Primary),
        12..=17 => Some(AgeBand::Teen),
        _ => None,
    }
}

/// The practical preparation of a coffee hour (§3.3): the room, the (volunteer) host, healthy
/// snacks, and encouraging the participants to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChecklistItem {
    RoomArranged,
    HostBriefed,
    HealthySnacks,
    ParticipantsEncouraged,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 4] = [
        ChecklistItem::RoomArranged,
        ChecklistItem::HostBriefed,
        ChecklistItem::HealthySnacks,
        ChecklistItem::ParticipantsEncouraged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistItem::RoomArranged => "room_arranged",
            ChecklistItem::HostBriefed => "host_briefed",
            ChecklistItem::HealthySnacks => "healthy_snacks",
            ChecklistItem::ParticipantsEncouraged => "participants_encouraged",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ChecklistItem::RoomArranged => "checklist-room_arranged",
            ChecklistItem::HostBriefed => "checklist-host_briefed",
            ChecklistItem::HealthySnacks => "checklist-healthy_snacks",
            ChecklistItem::ParticipantsEncouraged => "checklist-participants_encouraged",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        ChecklistItem::ALL
            .into_iter()
            .find(|i| i.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// A volunteer host's answer when asked to host a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostReply {
    Asked,
    Confirmed,
    Declined,
}

impl HostReply {
    pub const ALL: [HostReply; 3] = [HostReply::Asked, HostReply::Confirmed, HostReply::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            HostReply::Asked => "asked",
            HostReply::Confirmed => "confirmed",
            HostReply::Declined => "declined",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            HostReply::Asked => "host-reply-asked",
            HostReply::Confirmed => "host-reply-confirmed",
            HostReply::Declined => "host-reply-declined",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        HostReply::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// How many children came along, from the check-in form. Empty means none; more than 20 from
/// one household is a typo.
pub fn parse_children_count(raw: &str) -> Result<u32, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(0);
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::NumberInvalid);
    }
    text.parse::<u32>()
        .ok()
        .filter(|n| *n <= 20)
        .ok_or(FieldError::NumberInvalid)
}

/// How late a tap made offline may still arrive and count as made at its own time.
pub const TAP_LATE_AT_MOST: chrono::Duration = chrono::Duration::days(7);
/// A phone's clock may run this far ahead of the server's.
pub const TAP_CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(5);

/// When a tap was made, as the phone says (RFC 3339), so a check-in made offline keeps its
/// own time. A time from the future within the clock skew is taken as now; anything further
/// ahead, older than [`TAP_LATE_AT_MOST`] or unreadable is not believed (`None`: the server's
/// own time counts, and a host's "from today on" holds).
pub fn tap_time(
    raw: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let at = chrono::DateTime::parse_from_rfc3339(raw.trim())
        .ok()?
        .with_timezone(&chrono::Utc);
    if at > now + TAP_CLOCK_SKEW || at < now - TAP_LATE_AT_MOST {
        return None;
    }
    Some(at.min(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tap_made_offline_keeps_its_own_time_for_a_week() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-03T08:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        let yesterday = tap_time("2026-12-02T09:42:10.123Z", now);
        assert_eq!(
            yesterday.map(|t| t.to_rfc3339()),
            Some("2026-12-02T09:42:10.123+00:00".into())
        );
        assert_eq!(
            tap_time("2026-12-03T08:03:00Z", now),
            Some(now),
            "clock skew"
        );
        assert_eq!(tap_time("2026-12-03T09:00:00Z", now), None, "the future");
        assert_eq!(
            tap_time("2026-11-25T08:00:00Z", now),
            None,
            "eight days late"
        );
        assert_eq!(tap_time("gisteren", now), None);
        assert_eq!(tap_time("", now), None);
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn born(year: i32, month: u32) -> ChildBirth {
        ChildBirth { year, month }
    }

    #[test]
    fn choices_parse_from_their_form_values_and_have_message_keys() {
        for s in AttendanceStatus::ALL {
            assert_eq!(AttendanceStatus::parse(s.as_str()), Ok(s));
            assert_eq!(s.key(), format!("attendance-{}", s.as_str()));
        }
        for r in AbsenceReason::ALL {
            assert_eq!(AbsenceReason::parse(r.as_str()), Ok(r));
            assert_eq!(r.key(), format!("absence-reason-{}", r.as_str()));
        }
        for s in SessionState::ALL {
            assert_eq!(SessionState::parse(s.as_str()), Ok(s));
            assert_eq!(s.key(), format!("session-state-{}", s.as_str()));
        }
        for b in AgeBand::ALL {
            assert_eq!(b.key(), format!("age-band-{}", b.as_str()));
        }
        for i in ChecklistItem::ALL {
            assert_eq!(ChecklistItem::parse(i.as_str()), Ok(i));
            assert_eq!(i.key(), format!("checklist-{}", i.as_str()));
        }
        for r in HostReply::ALL {
            assert_eq!(HostReply::parse(r.as_str()), Ok(r));
            assert_eq!(r.key(), format!("host-reply-{}", r.as_str()));
        }
        assert_eq!(AttendanceStatus::Present.key(), "attendance-present");
        assert_eq!(
            AttendanceStatus::parse("Present"),
            Err(FieldError::ChoiceInvalid)
        );
        assert_eq!(AbsenceReason::parse(""), Err(FieldError::ChoiceInvalid));
        assert_eq!(HostReply::parse("maybe"), Err(FieldError::ChoiceInvalid));
    }

    #[test]
    fn no_childcare_and_transport_are_the_reasons_the_organisation_can_solve() {
        let solvable: Vec<_> = AbsenceReason::ALL
            .into_iter()
            .filter(|r| is_solvable(*r))
            .collect();
        assert_eq!(
            solvable,
            [AbsenceReason::NoChildcare, AbsenceReason::Transport]
        );
    }

    #[test]
    fn only_a_held_session_counts_towards_attendance() {
        assert!(SessionState::Held.counts_attendance());
        assert!(!SessionState::NotHeld.counts_attendance());
        assert!(!SessionState::Cancelled.counts_attendance());
        assert!(!SessionState::Planned.counts_attendance());
    }

    #[test]
    fn a_second_worker_is_wanted_above_ten() {
        assert!(!needs_second_worker(10, 10, 1), "exactly ten is fine");
        assert!(needs_second_worker(11, 0, 1));
        assert!(needs_second_worker(0, 11, 1));
        assert!(!needs_second_worker(11, 11, 2));
        assert!(needs_second_worker(8, 12, 1), "more came than expected");
        assert!(needs_second_worker(12, 0, 0));
        assert!(!needs_second_worker(3, 4, 0));
    }

    /// Handbook §3.3: "Als de groep groot is (+10) is een tweede animator wenselijk". The
    /// group is the parents; a worker who was only asked is not yet a second worker.
    #[test]
    fn a_second_worker_is_wanted_when_the_group_of_parents_is_larger_than_ten() {
        // Six families of two parents: twelve parents, more than ten.
        let parents: u32 = (0..6).map(|_| expected_parents(2)).sum();
        assert_eq!(parents, 12);
        assert!(needs_second_worker(parents, 0, 1));
        // Ten single parents with their children: ten parents, one worker is enough.
        let parents: u32 = (0..10).map(|_| expected_parents(1)).sum();
        assert!(!needs_second_worker(parents, 0, 1));
        // A family whose parents are not in the register still brings one.
        assert_eq!(expected_parents(0), 1);
        // Only a staff member who confirmed counts.
        use crate::Role;
        assert!(counts_as_worker(Role::Worker, HostReply::Confirmed));
        assert!(counts_as_worker(Role::Coordinator, HostReply::Confirmed));
        assert!(!counts_as_worker(Role::Worker, HostReply::Asked));
        assert!(!counts_as_worker(Role::Worker, HostReply::Declined));
        assert!(!counts_as_worker(Role::Host, HostReply::Confirmed));
    }

    #[test]
    fn age_bands_change_on_the_first_of_the_birthday_month() {
        let on = day(2026, 11, 15);
        assert_eq!(age_band(&born(2026, 11), on), Some(AgeBand::Baby));
        assert_eq!(age_band(&born(2024, 12), on), Some(AgeBand::Baby));
        assert_eq!(age_band(&born(2024, 11), on), Some(AgeBand::Toddler));
        assert_eq!(age_band(&born(2023, 1), on), Some(AgeBand::Toddler));
        assert_eq!(age_band(&born(2022, 11), on), Some(AgeBand::Preschool));
        assert_eq!(age_band(&born(2020, 12), on), Some(AgeBand::Preschool));
        assert_eq!(age_band(&born(2020, 11), on), Some(AgeBand::Primary));
        assert_eq!(age_band(&born(2014, 12), on), Some(AgeBand::Primary));
        assert_eq!(age_band(&born(2014, 11), on), Some(AgeBand::Teen));
        assert_eq!(age_band(&born(2008, 12), on), Some(AgeBand::Teen));
        assert_eq!(age_band(&born(2008, 11), on), None, "eighteen");
        assert_eq!(age_band(&born(2026, 12), on), None, "not born yet");
    }

    #[test]
    fn the_number_of_children_is_empty_or_up_to_twenty() {
        assert_eq!(parse_children_count(""), Ok(0));
        assert_eq!(parse_children_count(" 3 "), Ok(3));
        assert_eq!(parse_children_count("20"), Ok(20));
        for bad in ["21", "-1", "twee", "2.5", "+2"] {
            assert_eq!(
                parse_children_count(bad),
                Err(FieldError::NumberInvalid),
                "{bad}"
            );
        }
    }
}

/// Property tests of the second-worker rule (§3.3: "Als de groep groot is (+10) is een tweede
/// animator wenselijk").
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Group sizes around the threshold most of the time, anything now and then.
    fn group() -> impl Strategy<Value = u32> {
        prop_oneof![4 => 0u32..=25, 1 => any::<u32>()]
    }

    proptest! {
        #[test]
        fn above_ten_with_fewer_than_two_workers_a_second_is_needed(
            larger in 11u32..,
            smaller in any::<u32>(),
            workers in 0u32..2,
            expected_is_larger in any::<bool>(),
        ) {
            let smaller = smaller.min(larger);
            let (expected, present) = if expected_is_larger {
                (larger, smaller)
            } else {
                (smaller, larger)
            };
            prop_assert!(needs_second_worker(expected, present, workers));
        }

        #[test]
        fn at_or_below_ten_one_worker_is_enough(
            expected in 0u32..=10,
            present in 0u32..=10,
            workers in prop_oneof![3 => 0u32..2, 1 => any::<u32>()],
        ) {
            prop_assert!(!needs_second_worker(expected, present, workers));
        }

        #[test]
        fn with_two_workers_or_more_no_second_is_needed(
            expected in group(),
            present in group(),
            workers in 2u32..,
        ) {
            prop_assert!(!needs_second_worker(expected, present, workers));
        }

        #[test]
        fn expected_and_present_count_alike_whichever_is_larger(
            a in group(),
            b in group(),
            workers in 0u32..4,
        ) {
            prop_assert_eq!(needs_second_worker(a, b, workers), needs_second_worker(b, a, workers));
            prop_assert_eq!(
                needs_second_worker(a, b, workers),
                needs_second_worker(a.max(b), 0, workers)
            );
        }

        #[test]
        fn a_larger_group_never_needs_fewer_workers(
            expected in group(),
            present in group(),
            more_expected in 0u32..20,
            more_present in 0u32..20,
            workers in 0u32..4,
        ) {
            let larger = needs_second_worker(
                expected.saturating_add(more_expected),
                present.saturating_add(more_present),
                workers,
            );
            if needs_second_worker(expected, present, workers) {
                prop_assert!(larger);
            }
        }

        #[test]
        fn one_more_worker_never_makes_a_second_one_needed(
            expected in group(),
            present in group(),
            workers in 0u32..4,
        ) {
            if needs_second_worker(expected, present, workers + 1) {
                prop_assert!(needs_second_worker(expected, present, workers));
            }
        }
    }
}
