//! The one integration-test binary. Every test runs against a fresh SQLite database and, when
//! `MTP_TEST_POSTGRES_URL` is set, against a fresh PostgreSQL database as well.

// A test that cannot go on should stop with a panic: the workspace denies these lints for the
// product code, where a panic is a bug, not here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod activities;
mod admin;
mod attendance_people;
mod audit;
mod auth;
mod browser;
mod browser_door;
mod browser_encourage;
mod browser_help;
mod browser_money;
mod browser_outings;
mod browser_portal;
mod browser_questionnaire;
mod browser_referrals;
mod browser_reports;
mod browser_scan;
mod browser_talent;
mod checkin_search;
mod cli;
mod crash;
mod demo_story;
mod docs_paths;
mod encourage;
mod encourage_week;
mod erasure_requests;
mod field;
mod fuzz_corpus;
mod gate;
mod guide;
mod hardening;
mod help_referrals;
mod holidays;
mod hostile;
mod households;
mod import;
mod money;
mod outings;
mod parent_words;
mod partners;
mod portal;
mod portal_guide;
mod privacy;
mod questionnaires;
mod referral_addresses;
mod referral_report;
mod referral_source;
mod referrals;
mod reminders;
mod report_aggregates;
mod reports;
mod research;
mod scale_out;
mod scan;
mod series;
mod session_requests;
mod tables;
mod talent;
mod target_group;
mod upgrade;
mod wishes;
