//! How a domain value is named on a page: every enum the pages show has one Fluent message id
//! per value ([`Label`]), read with [`Tr::label`]; a select or radio group is built by
//! [`options`].

use std::borrow::Cow;

use mtp_domain::Role;
use mtp_domain::activity::{ActivityKind, Audience};
use mtp_domain::attendance::{
    AbsenceReason, AgeBand, AttendanceStatus, ChecklistItem, HostReply, SessionState,
};
use mtp_domain::consent::{ConsentMethod, Purpose};
use mtp_domain::encourage::Reason;
use mtp_domain::household::{Channel, HouseholdKind, HouseholdStatus, Source};
use mtp_domain::message::{ContactChannel, ContactOutcome, TemplatePurpose};
use mtp_domain::portal::{IdeaKind, RequestKind};
use mtp_domain::schedule::{Holiday, SchoolHoliday};
use mtp_domain::settings::{HolidayRegion, Language, PhotoPolicy, TwoFactorPolicy};

use crate::i18n::Tr;
use mtp_store::jobs::JobState;

/// A value with a name on the pages.
pub trait Label {
    /// The Fluent message id of the value's name.
    fn key(&self) -> Cow<'static, str>;
}

impl<T: Label> Label for &T {
    fn key(&self) -> Cow<'static, str> {
        (*self).key()
    }
}

/// A value people pick on a form: what the form sends, and its name.
pub trait Choice: Label {
    type Value;
    fn value(&self) -> Self::Value;
}

/// A choice that is no domain value ("seen recently"): what the form sends, and the
/// message id of its name.
impl<V: Clone, K: AsRef<str>> Label for (V, K) {
    fn key(&self) -> Cow<'static, str> {
        Cow::Owned(self.1.as_ref().to_string())
    }
}

impl<V: Clone, K: AsRef<str>> Choice for (V, K) {
    type Value = V;
    fn value(&self) -> V {
        self.0.clone()
    }
}

impl Tr {
    /// The name of a value in this language.
    pub fn label(&self, value: &impl Label) -> String {
        self.get(value.key())
    }
}

/// The options of a select or radio group, in the order given: value and name.
pub fn options<C: Choice>(t: &Tr, choices: impl IntoIterator<Item = C>) -> Vec<(C::Value, String)> {
    choices
        .into_iter()
        .map(|c| (c.value(), t.label(&c)))
        .collect()
}

/// Values whose domain type names its own message id (`key()`).
macro_rules! own_key {
    ($($t:ty),* $(,)?) => {$(
        impl Label for $t {
            fn key(&self) -> Cow<'static, str> {
                Cow::Borrowed(<$t>::key(*self))
            }
        }
    )*};
}

/// Values named by a message id of a prefix and their code (`role-` + `admin`).
macro_rules! prefixed {
    ($($t:ty => $prefix:literal),* $(,)?) => {$(
        impl Label for $t {
            fn key(&self) -> Cow<'static, str> {
                Cow::Owned(format!(concat!($prefix, "{}"), self.as_str()))
            }
        }
    )*};
}

/// Values a form sends as their code (`as_str()`).
macro_rules! choice {
    ($($t:ty),* $(,)?) => {$(
        impl Choice for $t {
            type Value = &'static str;
            fn value(&self) -> &'static str {
                self.as_str()
            }
        }
    )*};
}

own_key!(
    AbsenceReason,
    AgeBand,
    AttendanceStatus,
    ChecklistItem,
    ContactChannel,
    ContactOutcome,
    Holiday,
    HostReply,
    JobState,
    Reason,
    SchoolHoliday,
    SessionState,
    TemplatePurpose,
);

prefixed!(
    ActivityKind => "activity-kind-",
    Audience => "audience-",
    Channel => "channel-",
    ConsentMethod => "consent-method-",
    HolidayRegion => "region-",
    HouseholdKind => "household-kind-",
    HouseholdStatus => "household-status-",
    IdeaKind => "idea-kind-",
    Language => "language-",
    Purpose => "consent-purpose-",
    RequestKind => "parent-request-",
    Role => "role-",
    Source => "source-",
    TwoFactorPolicy => "two-factor-policy-",
    PhotoPolicy => "photo-policy-",
);

choice!(
    AbsenceReason,
    ActivityKind,
    Audience,
    AttendanceStatus,
    Channel,
    ConsentMethod,
    ContactChannel,
    ContactOutcome,
    HolidayRegion,
    HouseholdKind,
    HouseholdStatus,
    IdeaKind,
    Role,
    SchoolHoliday,
    SessionState,
    Source,
    TwoFactorPolicy,
    PhotoPolicy,
);

// Partner organisations (docs/guide/partners.md).
prefixed!(mtp_domain::partner::PartnerKind => "partner-kind-");
choice!(mtp_domain::partner::PartnerKind);

// Referrals to help (docs/guide/help-referrals.md).
prefixed!(
    mtp_domain::help_referral::HelpKind => "help-kind-",
    mtp_domain::help_referral::ReferralState => "help-state-",
    mtp_domain::help_referral::ReferralOutcome => "help-outcome-",
);
choice!(
    mtp_domain::help_referral::HelpKind,
    mtp_domain::help_referral::ReferralOutcome,
);
