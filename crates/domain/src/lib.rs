//! The domain core: plain types and the handbook's rules. No IO, no async.
//!
//! Everything a request may carry in from outside is parsed here into a type that can only
//! hold a valid value ("parse, don't validate"). Parse errors carry a stable code that the web
//! layer maps to a message in the user's language.

pub mod activity;
pub mod attendance;
pub mod audit;
pub mod cbs;
pub mod consent;
pub mod contact;
pub mod dates;
pub mod effect;
pub mod encourage;
pub mod fields;
pub mod help_referral;
pub mod household;
pub mod ical;
pub mod indicators;
pub mod message;
pub mod money;
pub mod outing;
pub mod partner;
pub mod portal;
pub mod questionnaire;
pub mod quiet;
pub mod quote;
pub mod referral;
pub mod referral_figures;
pub mod reflection;
pub mod reminder;
pub mod report;
pub mod research;
pub mod role;
pub mod scan;
pub mod schedule;
pub mod search;
pub mod settings;
pub mod talent;
pub mod wishes;

pub use consent::{ConsentMethod, ConsentRecord, Purpose, has_consent};
pub use contact::{PhoneNumber, Postcode4};
pub use fields::{CbsCode, Email, FieldError, NewPassword, PersonName, PlaceName, TotpCode};
pub use household::{
    Channel, ChildBirth, HouseholdKind, HouseholdStatus, Source, is_primary_target,
};
pub use role::{Role, Tenant};
pub use settings::{
    EstimateSource, HolidayRegion, Language, OrgSettings, PhotoPolicy, RetentionMonths,
    TargetGroupEstimate, TwoFactorPolicy,
};
