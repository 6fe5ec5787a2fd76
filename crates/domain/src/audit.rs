//! The audit trail's tamper evidence.
//!
//! Each organisation has its own chain: every event stores the hash of the one before it, so
//! removing or changing a row breaks every hash after it. Chains are per organisation because
//! that is the shard key; events without an organisation (a sign-in with an unknown e-mail
//! address) go into the system chain.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash the first event of a chain points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain of events that belong to no organisation.
pub const SYSTEM_CHAIN: Uuid = Uuid::nil();

/// Whether an action was carried out or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
        }
    }
}

/// Declares [`Action`] from one table, so a name and its stored text cannot drift apart.
macro_rules! actions {
    ($($variant:ident => $text:literal,)*) => {
        /// What an audit event records. Its text is stored and chained into the hash
        /// (docs/architecture.md, "Audit chain"): once written, a text never changes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in the order of the table.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $text,)*
                }
            }
        }
    };
}

actions! {
    AccessDenied => "access.denied",
    AccountCreated => "account.created",
    AccountDisabled => "account.disabled",
    AccountEnabled => "account.enabled",
    AccountPasswordChanged => "account.password-changed",
    AccountPasswordReset => "account.password-reset",
    AccountSignedOutEverywhere => "account.signed-out-everywhere",
    AccountTwoFactorOff => "account.two-factor-off",
    AccountTwoFactorOn => "account.two-factor-on",
    AccountTwoFactorReset => "account.two-factor-reset",
    AccountUpdated => "account.updated",
    ActivityCreated => "activity.created",
    ActivityInvited => "activity.invited",
    ActivityRegistered => "activity.registered",
    ActivitySessionAdded => "activity.session-added",
    ActivitySessionsPlanned => "activity.sessions-planned",
    ActivityUnregistered => "activity.unregistered",
    ActivityUpdated => "activity.updated",
    AttendanceLoaded => "attendance.loaded",
    AttendanceRecorded => "attendance.recorded",
    AuditViewed => "audit.viewed",
    ChatJoin => "chat.join",
    ChatLeave => "chat.leave",
    ChatModerator => "chat.moderator",
    ChatRosterViewed => "chat.roster-viewed",
    ContactRecorded => "contact.recorded",
    DemoLoaded => "demo.loaded",
    EncourageWeekViewed => "encourage.week-viewed",
    // Referrals to help (docs/guide/help-referrals.md).
    HelpReferralClosed => "help-referral.closed",
    HelpReferralConsentWithdrawn => "help-referral.consent-withdrawn",
    HelpReferralConsented => "help-referral.consented",
    HelpReferralCreated => "help-referral.created",
    HelpReferralFirstContact => "help-referral.first-contact",
    HelpReferralFollowUpSet => "help-referral.follow-up-set",
    HelpReferralReferred => "help-referral.referred",
    HelpReferralViewed => "help-referral.viewed",
    HouseholdAnonymised => "household.anonymised",
    HouseholdCalendarRenewed => "household.calendar-renewed",
    HouseholdCalendarRevoked => "household.calendar-revoked",
    HouseholdConsentGiven => "household.consent-given",
    HouseholdConsentWithdrawn => "household.consent-withdrawn",
    HouseholdContactLogged => "household.contact-logged",
    HouseholdCreated => "household.created",
    HouseholdEmailQueued => "household.email-queued",
    HouseholdEmailUnsubscribeRepeated => "household.email-unsubscribe-repeated",
    HouseholdEmailUnsubscribed => "household.email-unsubscribed",
    HouseholdErased => "household.erased",
    // An erasure request is closed only by the erasure or by a refusal (issue #22).
    HouseholdErasureRefused => "household.erasure-refused",
    HouseholdErasureRequestErased => "household.erasure-request-erased",
    HouseholdExported => "household.exported",
    HouseholdFollowUpDone => "household.follow-up-done",
    HouseholdMerged => "household.merged",
    HouseholdParentRequestDone => "household.parent-request-done",
    HouseholdPortalEnded => "household.portal-ended",
    HouseholdPortalLink => "household.portal-link",
    // A worker said a family is not quiet after all (issue #17, `mtp_domain::quiet`).
    HouseholdQuietDismissed => "household.quiet-dismissed",
    HouseholdStatusChanged => "household.status-changed",
    HouseholdUpdated => "household.updated",
    HouseholdViewed => "household.viewed",
    HouseholdWalkedIn => "household.walked-in",
    HouseholdsListed => "households.listed",
    IdeaHidden => "idea.hidden",
    ImportCommitted => "import.committed",
    ImportUploaded => "import.uploaded",
    LoginBlocked => "login.blocked",
    LoginCodeReused => "login.code-reused",
    LoginCodeWrong => "login.code-wrong",
    LoginDisabled => "login.disabled",
    LoginFailed => "login.failed",
    LoginSucceeded => "login.succeeded",
    Logout => "logout",
    MessageTemplateSaved => "message-template.saved",
    NeighbourhoodCreated => "neighbourhood.created",
    NeighbourhoodTargetGroupSet => "neighbourhood.target-group-set",
    NeighbourhoodUpdated => "neighbourhood.updated",
    OrganisationCreated => "organisation.created",
    OrganisationUpdated => "organisation.updated",
    PartnerBriefingAdded => "partner.briefing-added",
    PartnerContactAdded => "partner.contact-added",
    PartnerContactRemoved => "partner.contact-removed",
    PartnerCreated => "partner.created",
    PartnerDeleted => "partner.deleted",
    PartnerUpdated => "partner.updated",
    ReferralAddressMade => "referral-address.made",
    ReferralAddressRefused => "referral-address.refused",
    ReferralAddressRevoked => "referral-address.revoked",
    ReferralConfirmed => "referral.confirmed",
    ReferralCreated => "referral.created",
    ReferralDeclined => "referral.declined",
    ReferralExpired => "referral.expired",
    ReferralHousehold => "referral.household",
    ReferralLinkMade => "referral.link-made",
    ReferralMerged => "referral.merged",
    ReferralStatusViewed => "referral.status-viewed",
    ReferralViewed => "referral.viewed",
    ReferralsListed => "referrals.listed",
    PortalAnswer => "portal.answer",
    PortalCalendarAddress => "portal.calendar-address",
    PortalConsentGiven => "portal.consent-given",
    PortalConsentWithdrawn => "portal.consent-withdrawn",
    PortalConsentsViewed => "portal.consents-viewed",
    PortalContactChanged => "portal.contact-changed",
    PortalDataDownloaded => "portal.data-downloaded",
    PortalDataViewed => "portal.data-viewed",
    PortalErasureRequested => "portal.erasure-requested",
    PortalHomeViewed => "portal.home-viewed",
    PortalIdeaAdded => "portal.idea-added",
    PortalIdeaUnvote => "portal.idea-unvote",
    PortalIdeaVote => "portal.idea-vote",
    PortalPinLockedOut => "portal.pin-locked-out",
    PortalPinRemoved => "portal.pin-removed",
    PortalPinSet => "portal.pin-set",
    PortalPinWrong => "portal.pin-wrong",
    PortalSignIn => "portal.sign-in",
    PortalSignOut => "portal.sign-out",
    // Parents' quotes for publicity (docs/guide/help-referrals.md).
    PublicityViewed => "publicity.viewed",
    // The parents' questionnaires (docs/guide/questionnaires.md).
    QuestionnaireAnswered => "questionnaire.answered",
    QuestionnaireIntervalChanged => "questionnaire.interval-changed",
    QuestionnaireStarted => "questionnaire.started",
    QuestionnaireViewed => "questionnaire.viewed",
    QuoteRecorded => "quote.recorded",
    QuoteRemoved => "quote.removed",
    RemindersViewed => "reminders.viewed",
    ReportExported => "report.exported",
    ReportViewed => "report.viewed",
    ResearchExported => "research.exported",
    ResearchStudyCreated => "research.study-created",
    RetentionRun => "retention.run",
    RsvpRecorded => "rsvp.recorded",
    SchoolHolidayAdded => "school-holiday.added",
    SchoolHolidayRemoved => "school-holiday.removed",
    SchoolHolidayRestored => "school-holiday.restored",
    SessionCheckinViewed => "session.checkin-viewed",
    SessionMoved => "session.moved",
    SessionPlanned => "session.planned",
    SessionRotaChanged => "session.rota-changed",
    SessionRotaReplied => "session.rota-replied",
    SessionStateChanged => "session.state-changed",
    SessionViewed => "session.viewed",
    SessionWorklistViewed => "session.worklist-viewed",
    // Time and money (issue #20, docs/guide/money.md).
    BudgetSaved => "budget.saved",
    ExpenseAdded => "expense.added",
    ExpenseReversed => "expense.reversed",
    ActivityBudgetSaved => "activity-budget.saved",
    ReceiptViewed => "receipt.viewed",
    MoneyExported => "money.exported",
    ThirdPartyHoursSaved => "third-party-hours.saved",
    TimeSaved => "time.saved",
    // The neighbourhood scan and a new site's start (issue #19, docs/guide/scan.md).
    ScanImported => "scan.imported",
    ScanImportRefused => "scan.import-refused",
    ScanInformantAdded => "scan.informant-added",
    ScanPlanSaved => "scan.plan-saved",
    StartStepTicked => "start.step-ticked",
    StartStepUnticked => "start.step-unticked",
    // Outings and holiday activities (issue #18, docs/guide/outings.md).
    OutingSaved => "outing.saved",
    OutingViewed => "outing.viewed",
    OutingOrganiserAdded => "outing.organiser-added",
    OutingOrganiserRemoved => "outing.organiser-removed",
    OutingRideAdded => "outing.ride-added",
    OutingRideRemoved => "outing.ride-removed",
    OutingCheckAdded => "outing.check-added",
    OutingCheckChanged => "outing.check-changed",
    OutingCostBooked => "outing.cost-booked",
    OutingCostRemoved => "outing.cost-removed",
    HolidayListChanged => "holiday-list.changed",
    // Wishes that become workshops, talent and return services (issue #18).
    WishesViewed => "wishes.viewed",
    WishAdded => "wish.added",
    WishHouseholdsAdded => "wish.households-added",
    WishMadeActivity => "wish.made-activity",
    IdeaMadeActivity => "idea.made-activity",
    IdeaThemeSet => "idea.theme-set",
    TalentViewed => "talent.viewed",
    TalentAdded => "talent.added",
    TalentSessionLinked => "talent.session-linked",
    TalentStateChanged => "talent.state-changed",
    ReflectionSaved => "reflection.saved",
}

impl Action {
    /// The action a stored text names; `None` for a text this version does not know (an
    /// older or newer server may have written it, and the trail still shows it).
    pub fn parse(raw: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.as_str() == raw)
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fields of an audit event that the hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub chain_id: Uuid,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<Uuid>,
    pub neighbourhood_id: Option<Uuid>,
    pub outcome: &'a str,
    pub detail: &'a str,
}

/// `sha256(prev_hash ‖ fields)`, each field length-prefixed so that no two different events
/// serialise to the same bytes.
pub fn chain_hash(prev_hash: &str, f: &AuditFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    put(prev_hash);
    put(&f.chain_id.to_string());
    put(&f.seq.to_string());
    // Microseconds: what both SQLite and PostgreSQL give back unchanged.
    put(&f.at.timestamp_micros().to_string());
    put(&opt(f.actor_id));
    put(f.action);
    put(f.object_type);
    put(&opt(f.object_id));
    put(&opt(f.neighbourhood_id));
    put(f.outcome);
    put(f.detail);
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(detail: &str) -> AuditFields<'_> {
        AuditFields {
            chain_id: Uuid::nil(),
            seq: 1,
            at: DateTime::from_timestamp(1_700_000_000, 123_000).unwrap_or_default(),
            actor_id: None,
            action: "login",
            object_type: "account",
            object_id: None,
            neighbourhood_id: None,
            outcome: "allowed",
            detail,
        }
    }

    #[test]
    fn any_change_to_an_event_changes_its_hash() {
        let a = chain_hash(GENESIS, &fields("x"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, chain_hash(GENESIS, &fields("y")));
        let mut other = fields("x");
        other.seq = 2;
        assert_ne!(a, chain_hash(GENESIS, &other));
    }

    #[test]
    fn the_hash_depends_on_the_previous_event() {
        let first = chain_hash(GENESIS, &fields("x"));
        assert_ne!(
            chain_hash(&first, &fields("x")),
            chain_hash(GENESIS, &fields("x"))
        );
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = fields("");
        a.action = "ab";
        a.object_type = "c";
        let mut b = fields("");
        b.action = "a";
        b.object_type = "bc";
        assert_ne!(chain_hash(GENESIS, &a), chain_hash(GENESIS, &b));
    }

    #[test]
    fn every_action_reads_back_and_has_its_own_text() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(*a));
            assert!(seen.insert(a.as_str()), "{} twice", a.as_str());
        }
        assert_eq!(
            Action::parse("household.viewed"),
            Some(Action::HouseholdViewed)
        );
        assert_eq!(Action::parse("no.such-action"), None);
        assert_eq!(Action::ResearchExported.as_str(), "research.exported");
        assert_eq!(
            Action::ResearchStudyCreated.as_str(),
            "research.study-created"
        );
    }
}
