//! Handlers by feature. Handlers stay thin: parse the form, ask the store, render.

pub mod account;
pub mod activities;
pub mod admin;
pub mod audit_log;
pub mod auth;
pub mod calendar;
pub mod chat;
pub mod encourage;
pub mod help_referrals;
pub mod holidays;
pub mod home;
pub mod households;
pub mod import;
pub mod messages;
pub mod partners;
pub mod portal;
pub mod portal_staff;
pub mod public;
pub mod publicity;
pub mod referral_address;
pub mod referrals;
pub mod reminders;
pub mod reports;
pub mod research;
pub mod rules;
pub mod sessions;
