//! Activities: the eight kinds the handbook names (§3.3), who may join them, what they cost
//! families and how many places they have.

use crate::HouseholdKind;
use crate::fields::FieldError;

/// The kinds of activity that grew under the Meet the Parents flag, in the handbook's order
/// (§3.3). There are two coffee hours because the handbook runs one only for single parents
/// and a second one open to everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    CoffeeHourExclusive,
    Outing,
    ChatGroup,
    CoffeeHourOpen,
    Movement,
    Lifestyle,
    Holiday,
    Workshop,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 8] = [
        ActivityKind::CoffeeHourExclusive,
        ActivityKind::Outing,
        ActivityKind::ChatGroup,
        ActivityKind::CoffeeHourOpen,
        ActivityKind::Movement,
        ActivityKind::Lifestyle,
        ActivityKind::Holiday,
        ActivityKind::Workshop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::CoffeeHourExclusive => "coffee_hour_exclusive",
            ActivityKind::Outing => "outing",
            ActivityKind::ChatGroup => "chat_group",
            ActivityKind::CoffeeHourOpen => "coffee_hour_open",
            ActivityKind::Movement => "movement",
            ActivityKind::Lifestyle => "lifestyle",
            ActivityKind::Holiday => "holiday",
            ActivityKind::Workshop => "workshop",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }

    /// The audience the handbook's list in §3.3 gives each kind. A worker may change it per
    /// activity; this is only where the form starts.
    ///
    /// A workshop is "op maat" in the handbook's list: made to fit its topic, and it may be
    /// offered to a broad audience. That is no audience rule, so a workshop starts open, and
    /// the worker chooses per workshop: open, single parents only, or by invitation
    /// (docs/decisions.md, "Workshops start open").
    pub fn default_audience(self) -> Audience {
        match self {
            ActivityKind::CoffeeHourExclusive | ActivityKind::Outing | ActivityKind::ChatGroup => {
                Audience::SingleParentOnly
            }
            ActivityKind::CoffeeHourOpen
            | ActivityKind::Movement
            | ActivityKind::Lifestyle
            | ActivityKind::Holiday
            | ActivityKind::Workshop => Audience::Open,
        }
    }

    /// The worker's time per session as the handbook gives it: only for the coffee hour
    /// (§3.3: "Voorbereiding 1 uur, uitvoering 1 uur, afronding 1 uur"; preparing includes
    /// encouraging parents to come). For every other kind the handbook gives no figure.
    pub fn handbook_staff_minutes(self) -> Option<StaffMinutes> {
        match self {
            ActivityKind::CoffeeHourExclusive | ActivityKind::CoffeeHourOpen => {
                Some(StaffMinutes {
                    preparation: 60,
                    execution: 60,
                    wrap_up: 60,
                })
            }
            _ => None,
        }
    }

    /// The worker's time per session that an organisation starts from before it sets its own
    /// estimate (`StaffEstimates`, in the organisation settings).
    ///
    /// Only the coffee hour's figures are the handbook's (`handbook_staff_minutes`). The
    /// others are our estimates from the handbook's descriptions, shown as the organisation's
    /// own estimate and to be corrected by it:
    /// - an outing takes half a day to a whole day and more preparation than a coffee hour;
    /// - the chat group has no sessions: moderating it is booked as time entries, so zero;
    /// - movement and the lifestyle programme are led by a partner (sports coach, programme
    ///   trainer); the worker encourages parents beforehand and is there for contact;
    /// - holiday activities are organised by the parents themselves, with the worker's help;
    /// - a workshop needs a speaker and a room arranged, and typically lasts two hours.
    pub fn default_staff_minutes(self) -> StaffMinutes {
        if let Some(handbook) = self.handbook_staff_minutes() {
            return handbook;
        }
        let (preparation, execution, wrap_up) = match self {
            ActivityKind::CoffeeHourExclusive | ActivityKind::CoffeeHourOpen => (60, 60, 60),
            ActivityKind::Outing => (120, 360, 60),
            ActivityKind::ChatGroup => (0, 0, 0),
            ActivityKind::Movement | ActivityKind::Lifestyle => (30, 60, 15),
            ActivityKind::Holiday => (120, 120, 30),
            ActivityKind::Workshop => (60, 120, 30),
        };
        StaffMinutes {
            preparation,
            execution,
            wrap_up,
        }
    }

    /// The handbook's weekly rhythm: a coffee hour at a fixed time and place, and a weekly
    /// movement activity. Everything else is planned one date at a time by default.
    pub fn is_weekly(self) -> bool {
        matches!(
            self,
            ActivityKind::CoffeeHourExclusive
                | ActivityKind::CoffeeHourOpen
                | ActivityKind::Movement
        )
    }
}

/// Who an activity is for (doelgroep, §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Only single-parent households (exclusief eenoudergezinnen).
    SingleParentOnly,
    /// Every household, also with more than one parent.
    Open,
    /// Made to measure (op maat): only the households invited to it.
    Tailored,
}

impl Audience {
    pub const ALL: [Audience; 3] = [
        Audience::SingleParentOnly,
        Audience::Open,
        Audience::Tailored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::SingleParentOnly => "single_parent_only",
            Audience::Open => "open",
            Audience::Tailored => "tailored",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Audience::ALL
            .into_iter()
            .find(|a| a.as_str() == raw.trim())
            .ok_or(FieldError::ChoiceInvalid)
    }
}

/// A worker's minutes around one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffMinutes {
    pub preparation: u32,
    pub execution: u32,
    pub wrap_up: u32,
}

impl StaffMinutes {
    pub fn total(self) -> u32 {
        self.preparation
            .saturating_add(self.execution)
            .saturating_add(self.wrap_up)
    }
}

/// The kinds whose minutes per session are the organisation's own estimate: every kind with
/// sessions for which the handbook gives no figure. The coffee hours keep the handbook's; the
/// chat group has no sessions (moderating it is booked as time entries).
pub const ESTIMATED_KINDS: [ActivityKind; 5] = [
    ActivityKind::Outing,
    ActivityKind::Movement,
    ActivityKind::Lifestyle,
    ActivityKind::Holiday,
    ActivityKind::Workshop,
];

/// The most minutes one part of a session may take: ten hours, a long outing day.
pub const MAX_STAFF_MINUTES: u32 = 600;

/// An organisation's own estimate of a worker's minutes per session for each kind in
/// `ESTIMATED_KINDS`, set in the organisation settings; the activity form starts from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffEstimates([StaffMinutes; ESTIMATED_KINDS.len()]);

impl Default for StaffEstimates {
    fn default() -> Self {
        StaffEstimates(ESTIMATED_KINDS.map(ActivityKind::default_staff_minutes))
    }
}

impl StaffEstimates {
    /// Where the activity form starts for this kind: the handbook's figure for a coffee hour,
    /// the organisation's estimate for the others.
    pub fn for_kind(&self, kind: ActivityKind) -> StaffMinutes {
        if let Some(handbook) = kind.handbook_staff_minutes() {
            return handbook;
        }
        ESTIMATED_KINDS
            .iter()
            .position(|k| *k == kind)
            .map_or_else(|| kind.default_staff_minutes(), |i| self.0[i])
    }

    /// The estimate with one kind's minutes replaced; a kind the organisation does not
    /// estimate (a coffee hour, the chat group) is left as it is.
    pub fn with(mut self, kind: ActivityKind, minutes: StaffMinutes) -> Self {
        if let Some(i) = ESTIMATED_KINDS.iter().position(|k| *k == kind) {
            self.0[i] = minutes;
        }
        self
    }

    /// As one stored text: `outing=120/360/60;movement=30/60/15;…`.
    pub fn to_text(&self) -> String {
        ESTIMATED_KINDS
            .iter()
            .zip(self.0)
            .map(|(k, m)| {
                format!(
                    "{}={}/{}/{}",
                    k.as_str(),
                    m.preparation,
                    m.execution,
                    m.wrap_up
                )
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// From the stored text. A kind missing or unreadable keeps its default, so a bad row can
    /// never leave the form without a figure.
    pub fn from_text(raw: &str) -> Self {
        let mut out = StaffEstimates::default();
        for part in raw.split(';') {
            let Some((kind, figures)) = part.split_once('=') else {
                continue;
            };
            let Ok(kind) = ActivityKind::parse(kind) else {
                continue;
            };
            let numbers: Vec<Option<u32>> = figures
                .split('/')
                .map(|n| n.trim().parse().ok().filter(|m| *m <= MAX_STAFF_MINUTES))
                .collect();
            if let [Some(preparation), Some(execution), Some(wrap_up)] = numbers.as_slice() {
                out = out.with(
                    kind,
                    StaffMinutes {
                        preparation: *preparation,
                        execution: *execution,
                        wrap_up: *wrap_up,
                    },
                );
            }
        }
        out
    }
}

/// Why a household may not join an activity.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum AudienceRefusal {
    NotSingleParent,
    NotInvited,
}

impl AudienceRefusal {
    pub fn key(self) -> &'static str {
        match self {
            AudienceRefusal::NotSingleParent => "audience-refused-not-single-parent",
            AudienceRefusal::NotInvited => "audience-refused-not-invited",
        }
    }
}

/// The audience rule. `invited` = the household is on the activity's invitation list.
///
/// An invitation does not open an exclusive activity to a multi-parent household: the
/// exclusive coffee hour is where single parents can speak freely among themselves.
pub fn may_join(
    audience: Audience,
    kind: HouseholdKind,
    invited: bool,
) -> Result<(), AudienceRefusal> {
    match audience {
        Audience::SingleParentOnly if kind != HouseholdKind::SingleParent => {
            Err(AudienceRefusal::NotSingleParent)
        }
        Audience::Tailored if !invited => Err(AudienceRefusal::NotInvited),
        _ => Ok(()),
    }
}

/// What an activity costs a family, in euro cents. Zero by default: the handbook (§3.5) asks
/// for no financial barriers, and (§3.3) that an outing without extra funding fits the
/// group's means; a price is allowed, and the pages then say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cost(u32);

impl Cost {
    pub const FREE: Cost = Cost(0);
    /// 10,000 euro: far above any family contribution, so only a typo reaches it.
    pub const MAX_CENTS: u32 = 1_000_000;

    /// From the form. Accepts what people type: "", "0", "2,50", "2.50", "2,5", "€ 2,50",
    /// "€2", "2,-". Empty means free. Three digits after the separator ("1.000") are refused
    /// rather than guessed: in Dutch that is a thousand, in English one euro.
    pub fn parse(raw: &str) -> Result<Cost, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(Cost::FREE);
        }
        let text = text.strip_prefix('€').unwrap_or(text);
        let text = text.strip_suffix('€').unwrap_or(text);
        let text = text.trim();
        let (whole, fraction) = match text.find([',', '.']) {
            Some(at) => (&text[..at], &text[at + 1..]),
            None => (text, ""),
        };
        let fraction = match fraction {
            "-" | "--" => "",
            f => f,
        };
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty())
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > 2
        {
            return Err(FieldError::AmountInvalid);
        }
        let euros: u64 = if whole.is_empty() {
            0
        } else {
            // More digits than fit in a u64 is certainly too high, not malformed.
            whole.parse().map_err(|_| FieldError::AmountTooHigh)?
        };
        let cents: u64 = match fraction.len() {
            0 => 0,
            1 => {
                fraction
                    .parse::<u64>()
                    .map_err(|_| FieldError::AmountInvalid)?
                    * 10
            }
            _ => fraction.parse().map_err(|_| FieldError::AmountInvalid)?,
        };
        let total = euros
            .checked_mul(100)
            .and_then(|c| c.checked_add(cents))
            .ok_or(FieldError::AmountTooHigh)?;
        if total > u64::from(Self::MAX_CENTS) {
            return Err(FieldError::AmountTooHigh);
        }
        u32::try_from(total)
            .map(Cost)
            .map_err(|_| FieldError::AmountTooHigh)
    }

    /// From a stored value; `None` above the maximum, so bad data is not silently clamped.
    pub fn from_cents(cents: u32) -> Option<Cost> {
        (cents <= Self::MAX_CENTS).then_some(Cost(cents))
    }

    pub fn cents(self) -> u32 {
        self.0
    }

    pub fn is_free(self) -> bool {
        self.0 == 0
    }

    /// "€ 2,50", "€ 1.250,00". The interface says "Gratis" for a free activity itself.
    pub fn display_nl(self) -> String {
        format!(
            "€ {},{:02}",
            group_thousands(self.0 / 100, '.'),
            self.0 % 100
        )
    }

    /// "€2.50", "€1,250.00".
    pub fn display_en(self) -> String {
        format!(
            "€{}.{:02}",
            group_thousands(self.0 / 100, ','),
            self.0 % 100
        )
    }
}

fn group_thousands(n: u32, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// The bounds of an activity's number of places.
pub struct Capacity;

impl Capacity {
    pub const MIN: u32 = 1;
    /// Well above any neighbourhood activity; it catches a typo with an extra zero or two.
    pub const MAX: u32 = 1000;
}

/// Places, from the form: empty means no limit.
pub fn parse_capacity(raw: &str) -> Result<Option<u32>, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::CapacityInvalid);
    }
    text.parse::<u32>()
        .ok()
        .filter(|n| (Capacity::MIN..=Capacity::MAX).contains(n))
        .map(Some)
        .ok_or(FieldError::CapacityInvalid)
}

/// Capacity may not drop below the households already registered (bad input in the issue).
/// Nobody is pushed off an activity they were promised by editing a number.
pub fn check_capacity(capacity: Option<u32>, registered: u32) -> Result<(), FieldError> {
    match capacity {
        Some(places) if places < registered => Err(FieldError::CapacityBelowRegistered),
        _ => Ok(()),
    }
}

/// Where a household that signs up lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placement {
    Registered,
    WaitingList,
}

/// Where the next household to sign up lands, given how many are registered already.
pub fn placement(capacity: Option<u32>, registered: u32) -> Placement {
    match capacity {
        Some(places) if registered >= places => Placement::WaitingList,
        _ => Placement::Registered,
    }
}

/// Who moves up from the waiting list when a place frees up: first come, first served.
/// Returns how many of the `waiting` households, counted from the front, now get a place.
pub fn moves_up(capacity: Option<u32>, registered: u32, waiting: u32) -> u32 {
    match capacity {
        None => waiting,
        Some(places) => waiting.min(places.saturating_sub(registered)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_audiences_parse_from_their_form_values() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.as_str()), Ok(k));
        }
        for a in Audience::ALL {
            assert_eq!(Audience::parse(a.as_str()), Ok(a));
        }
        assert_eq!(
            ActivityKind::parse(" coffee_hour_open "),
            Ok(ActivityKind::CoffeeHourOpen)
        );
        assert_eq!(
            ActivityKind::parse("coffee_hour"),
            Err(FieldError::ChoiceInvalid)
        );
        assert_eq!(Audience::parse("exclusive"), Err(FieldError::ChoiceInvalid));
    }

    #[test]
    fn the_handbook_list_fixes_the_default_audience_of_each_kind() {
        use ActivityKind::*;
        for k in [CoffeeHourExclusive, Outing, ChatGroup] {
            assert_eq!(k.default_audience(), Audience::SingleParentOnly, "{k:?}");
        }
        for k in [CoffeeHourOpen, Movement, Lifestyle, Holiday] {
            assert_eq!(k.default_audience(), Audience::Open, "{k:?}");
        }
    }

    /// Handbook §3.3, list item 8: "Workshops/ themabijeenkomsten — op maat". Made to fit
    /// the topic, and it may be offered to a broad audience: a workshop starts open.
    #[test]
    fn a_workshop_made_to_measure_is_open_unless_the_worker_chooses_otherwise() {
        assert_eq!(ActivityKind::Workshop.default_audience(), Audience::Open);
        for kind in HouseholdKind::ALL {
            assert_eq!(may_join(Audience::Open, kind, false), Ok(()));
        }
    }

    #[test]
    fn only_the_coffee_hours_minutes_come_from_the_handbook() {
        for k in ActivityKind::ALL {
            let handbook = k.handbook_staff_minutes();
            match k {
                ActivityKind::CoffeeHourExclusive | ActivityKind::CoffeeHourOpen => {
                    assert_eq!(handbook.map(StaffMinutes::total), Some(180), "{k:?}");
                }
                _ => assert_eq!(handbook, None, "{k:?}"),
            }
        }
        for k in ESTIMATED_KINDS {
            assert_eq!(k.handbook_staff_minutes(), None, "{k:?}");
        }
    }

    #[test]
    fn an_organisations_estimate_replaces_ours_but_never_the_handbooks() {
        let own = StaffMinutes {
            preparation: 90,
            execution: 240,
            wrap_up: 45,
        };
        let estimates = StaffEstimates::default()
            .with(ActivityKind::Outing, own)
            .with(ActivityKind::CoffeeHourExclusive, own);
        assert_eq!(estimates.for_kind(ActivityKind::Outing), own);
        assert_eq!(
            estimates
                .for_kind(ActivityKind::CoffeeHourExclusive)
                .total(),
            180
        );
        assert_eq!(
            estimates.for_kind(ActivityKind::Workshop),
            ActivityKind::Workshop.default_staff_minutes()
        );
        // Stored as text and read back; a damaged text keeps the defaults.
        assert_eq!(StaffEstimates::from_text(&estimates.to_text()), estimates);
        assert_eq!(
            StaffEstimates::from_text("outing=1/2;holiday=x/1/1;nonsense"),
            StaffEstimates::default()
        );
        assert_eq!(StaffEstimates::from_text(""), StaffEstimates::default());
    }

    #[test]
    fn a_coffee_hour_takes_an_hour_to_prepare_an_hour_to_run_and_an_hour_to_wrap_up() {
        for k in [
            ActivityKind::CoffeeHourExclusive,
            ActivityKind::CoffeeHourOpen,
        ] {
            let m = k.default_staff_minutes();
            assert_eq!((m.preparation, m.execution, m.wrap_up), (60, 60, 60));
            assert_eq!(m.total(), 180);
        }
    }

    #[test]
    fn an_outing_costs_more_preparation_than_a_coffee_hour() {
        let outing = ActivityKind::Outing.default_staff_minutes();
        let coffee = ActivityKind::CoffeeHourExclusive.default_staff_minutes();
        assert!(outing.preparation > coffee.preparation);
        assert!(outing.execution >= 4 * 60, "half a day at least");
    }

    #[test]
    fn coffee_hours_and_movement_are_weekly() {
        let weekly: Vec<_> = ActivityKind::ALL
            .into_iter()
            .filter(|k| k.is_weekly())
            .collect();
        assert_eq!(
            weekly,
            [
                ActivityKind::CoffeeHourExclusive,
                ActivityKind::CoffeeHourOpen,
                ActivityKind::Movement
            ]
        );
    }

    #[test]
    fn a_multi_parent_household_cannot_join_the_exclusive_coffee_hour() {
        let audience = ActivityKind::CoffeeHourExclusive.default_audience();
        assert_eq!(
            may_join(audience, HouseholdKind::MultiParent, false),
            Err(AudienceRefusal::NotSingleParent)
        );
        assert_eq!(
            may_join(audience, HouseholdKind::MultiParent, true),
            Err(AudienceRefusal::NotSingleParent),
            "an invitation does not open an exclusive activity"
        );
        assert_eq!(
            may_join(audience, HouseholdKind::SingleParent, false),
            Ok(())
        );
    }

    #[test]
    fn an_open_activity_welcomes_every_household() {
        for kind in HouseholdKind::ALL {
            for invited in [false, true] {
                assert_eq!(may_join(Audience::Open, kind, invited), Ok(()));
            }
        }
    }

    #[test]
    fn a_workshop_by_invitation_is_for_the_invited_households() {
        let audience = Audience::Tailored;
        for kind in HouseholdKind::ALL {
            assert_eq!(may_join(audience, kind, true), Ok(()));
            assert_eq!(
                may_join(audience, kind, false),
                Err(AudienceRefusal::NotInvited)
            );
        }
    }

    #[test]
    fn refusals_have_message_keys() {
        assert_eq!(
            AudienceRefusal::NotSingleParent.key(),
            "audience-refused-not-single-parent"
        );
        assert_eq!(
            AudienceRefusal::NotInvited.key(),
            "audience-refused-not-invited"
        );
    }

    #[test]
    fn a_cost_is_read_the_way_people_type_it() {
        for (raw, cents) in [
            ("", 0),
            ("   ", 0),
            ("0", 0),
            ("2,50", 250),
            ("2.50", 250),
            ("2,5", 250),
            ("€ 2,50", 250),
            ("€2", 200),
            ("€\u{a0}2,50", 250),
            ("2,-", 200),
            ("2 €", 200),
            (",50", 50),
            ("10000", 1_000_000),
        ] {
            assert_eq!(Cost::parse(raw).map(Cost::cents), Ok(cents), "{raw:?}");
        }
    }

    #[test]
    fn a_negative_malformed_or_absurd_cost_is_refused() {
        for bad in [
            "-2", "twee", "2,5,0", "1.000", "2,505", "€", ",", "2 50", "1e3",
        ] {
            assert_eq!(Cost::parse(bad), Err(FieldError::AmountInvalid), "{bad:?}");
        }
        for high in ["10000,01", "20000", "99999999999999999999999"] {
            assert_eq!(
                Cost::parse(high),
                Err(FieldError::AmountTooHigh),
                "{high:?}"
            );
        }
    }

    #[test]
    fn a_cost_is_shown_in_dutch_and_english_style() {
        let c = |raw| Cost::parse(raw).unwrap_or_default();
        assert_eq!(c("2,5").display_nl(), "€ 2,50");
        assert_eq!(c("2,5").display_en(), "€2.50");
        assert_eq!(c("1250").display_nl(), "€ 1.250,00");
        assert_eq!(c("1250").display_en(), "€1,250.00");
        assert_eq!(c("0,05").display_nl(), "€ 0,05");
        assert!(c("").is_free());
        assert!(!c("0,01").is_free());
        assert_eq!(Cost::from_cents(250), Some(c("2,50")));
        assert_eq!(Cost::from_cents(Cost::MAX_CENTS + 1), None);
    }

    #[test]
    fn capacity_is_empty_for_no_limit_or_a_whole_number_up_to_a_thousand() {
        assert_eq!(parse_capacity(""), Ok(None));
        assert_eq!(parse_capacity(" 12 "), Ok(Some(12)));
        assert_eq!(parse_capacity("1000"), Ok(Some(1000)));
        for bad in ["0", "1001", "-3", "twaalf", "12.5", "+12"] {
            assert_eq!(
                parse_capacity(bad),
                Err(FieldError::CapacityInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn capacity_cannot_drop_below_the_registered_households() {
        assert_eq!(
            check_capacity(Some(8), 9),
            Err(FieldError::CapacityBelowRegistered)
        );
        assert_eq!(check_capacity(Some(9), 9), Ok(()));
        assert_eq!(check_capacity(None, 500), Ok(()));
    }

    #[test]
    fn a_full_activity_puts_the_next_household_on_the_waiting_list() {
        assert_eq!(placement(Some(12), 11), Placement::Registered);
        assert_eq!(placement(Some(12), 12), Placement::WaitingList);
        assert_eq!(placement(Some(12), 13), Placement::WaitingList);
        assert_eq!(placement(None, 1000), Placement::Registered);
    }

    #[test]
    fn freed_places_go_to_the_front_of_the_waiting_list() {
        assert_eq!(moves_up(Some(12), 10, 5), 2);
        assert_eq!(moves_up(Some(12), 10, 1), 1);
        assert_eq!(moves_up(Some(12), 12, 5), 0);
        assert_eq!(moves_up(Some(12), 14, 5), 0);
        assert_eq!(moves_up(None, 30, 4), 4);
    }
}

/// Property tests: the audience rule for every household kind, audience and invitation, and
/// the handbook's list of default audiences (§3.3), for every activity kind.
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    fn household_kind() -> impl Strategy<Value = HouseholdKind> {
        select(HouseholdKind::ALL.to_vec())
    }

    fn audience() -> impl Strategy<Value = Audience> {
        select(Audience::ALL.to_vec())
    }

    fn activity_kind() -> impl Strategy<Value = ActivityKind> {
        select(ActivityKind::ALL.to_vec())
    }

    /// The handbook's list (§3.3), written out again here rather than read from the code:
    /// 1–3 "exclusief eenoudergezinnen", 4–7 "open", 8 "op maat" (made to fit the topic, and
    /// offered to a broad audience: open until the worker chooses otherwise).
    fn handbook_audience(kind: ActivityKind) -> Audience {
        match kind {
            ActivityKind::CoffeeHourExclusive | ActivityKind::Outing | ActivityKind::ChatGroup => {
                Audience::SingleParentOnly
            }
            ActivityKind::CoffeeHourOpen
            | ActivityKind::Movement
            | ActivityKind::Lifestyle
            | ActivityKind::Holiday
            | ActivityKind::Workshop => Audience::Open,
        }
    }

    proptest! {
        #[test]
        fn a_multi_parent_household_cannot_join_the_exclusive_coffee_hour_even_when_invited(
            invited in any::<bool>(),
        ) {
            let exclusive = ActivityKind::CoffeeHourExclusive.default_audience();
            prop_assert_eq!(
                may_join(exclusive, HouseholdKind::MultiParent, invited),
                Err(AudienceRefusal::NotSingleParent)
            );
        }

        #[test]
        fn no_multi_parent_household_joins_any_activity_for_single_parents_only(
            invited in any::<bool>(),
        ) {
            prop_assert_eq!(
                may_join(Audience::SingleParentOnly, HouseholdKind::MultiParent, invited),
                Err(AudienceRefusal::NotSingleParent)
            );
        }

        #[test]
        fn a_single_parent_household_joins_every_activity_it_is_invited_to(
            audience in audience(),
        ) {
            prop_assert_eq!(may_join(audience, HouseholdKind::SingleParent, true), Ok(()));
        }

        #[test]
        fn an_open_activity_admits_every_household(
            kind in household_kind(),
            invited in any::<bool>(),
        ) {
            prop_assert_eq!(may_join(Audience::Open, kind, invited), Ok(()));
        }

        #[test]
        fn a_tailored_activity_admits_exactly_the_invited_households(
            kind in household_kind(),
            invited in any::<bool>(),
        ) {
            let expected = if invited { Ok(()) } else { Err(AudienceRefusal::NotInvited) };
            prop_assert_eq!(may_join(Audience::Tailored, kind, invited), expected);
        }

        #[test]
        fn an_invitation_never_closes_a_door(
            audience in audience(),
            kind in household_kind(),
        ) {
            if may_join(audience, kind, false).is_ok() {
                prop_assert_eq!(may_join(audience, kind, true), Ok(()));
            }
        }

        #[test]
        fn the_kind_of_household_matters_only_for_an_exclusive_activity(
            audience in audience(),
            invited in any::<bool>(),
        ) {
            let single = may_join(audience, HouseholdKind::SingleParent, invited);
            let multi = may_join(audience, HouseholdKind::MultiParent, invited);
            if audience == Audience::SingleParentOnly {
                prop_assert_eq!(single, Ok(()));
                prop_assert_eq!(multi, Err(AudienceRefusal::NotSingleParent));
            } else {
                prop_assert_eq!(single, multi);
            }
        }

        #[test]
        fn every_activity_kind_starts_with_the_audience_of_the_handbooks_list(
            kind in activity_kind(),
        ) {
            prop_assert_eq!(kind.default_audience(), handbook_audience(kind));
        }

        #[test]
        fn by_default_a_multi_parent_household_joins_exactly_the_open_activities(
            kind in activity_kind(),
            invited in any::<bool>(),
        ) {
            let joins = may_join(kind.default_audience(), HouseholdKind::MultiParent, invited).is_ok();
            let expected = match handbook_audience(kind) {
                Audience::Open => true,
                Audience::Tailored => invited,
                Audience::SingleParentOnly => false,
            };
            prop_assert_eq!(joins, expected, "{:?}", kind);
        }
    }
}
