//! One migration set for SQLite and PostgreSQL. One migration per file; the file name is the
//! migration's name, so never rename a file that has shipped.

use sea_orm_migration::prelude::*;

mod schema;

mod m20261128_000001_foundation;
mod m20261128_000002_households;
mod m20261128_000003_retention;
mod m20261128_000004_import;
mod m20261129_000005_activities;
mod m20261129_000006_encouragement;
mod m20261129_000007_reminders;
mod m20261129_000008_portal;
// 000009 was reserved for a branch that did not need a migration.
mod m20261129_000010_query_plan_indexes;
mod m20261129_000011_neighbourhood_contact;
mod m20261129_000012_school_holidays;
mod m20261129_000013_attendance_parent;
mod m20261129_000014_open_follow_up_index;
mod m20261206_000015_target_group_estimate;
mod m20261206_000016_research_study;
mod m20261207_000017_partners;
mod m20261207_000018_erasure_refusal;
mod m20261207_000019_visit_marks;
mod m20261208_000020_referrals;
mod m20261208_000021_help_referrals;
mod m20261208_000022_org_settings;
mod m20261209_000023_referral_addresses;
mod m20261209_000024_rules;
mod m20261209_000025_visit_log;
mod m20261210_000026_money;
mod m20261210_000027_questionnaires;
mod m20261210_000028_outings;
mod m20261210_000029_wishes_talent;
mod m20261210_000030_referrer_mail;
mod m20261210_000031_scan;
mod m20261210_000032_activity_budget;
mod m20261210_000033_reflection;
mod m20261210_000034_co_organisers_linked;
mod m20261211_000035_research_consent_indexes;
mod m20261212_000036_research_covering_indexes;
mod m20261213_000037_household_facts;
mod m20261214_000038_report_household_marks;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_households::Migration),
            Box::new(m20261128_000003_retention::Migration),
            Box::new(m20261128_000004_import::Migration),
            Box::new(m20261129_000005_activities::Migration),
            Box::new(m20261129_000006_encouragement::Migration),
            Box::new(m20261129_000007_reminders::Migration),
            Box::new(m20261129_000008_portal::Migration),
            Box::new(m20261129_000010_query_plan_indexes::Migration),
            Box::new(m20261129_000011_neighbourhood_contact::Migration),
            Box::new(m20261129_000012_school_holidays::Migration),
            Box::new(m20261129_000013_attendance_parent::Migration),
            Box::new(m20261129_000014_open_follow_up_index::Migration),
            Box::new(m20261206_000015_target_group_estimate::Migration),
            Box::new(m20261206_000016_research_study::Migration),
            Box::new(m20261207_000017_partners::Migration),
            Box::new(m20261207_000018_erasure_refusal::Migration),
            Box::new(m20261207_000019_visit_marks::Migration),
            Box::new(m20261208_000020_referrals::Migration),
            Box::new(m20261208_000021_help_referrals::Migration),
            Box::new(m20261208_000022_org_settings::Migration),
            Box::new(m20261209_000023_referral_addresses::Migration),
            Box::new(m20261209_000024_rules::Migration),
            Box::new(m20261209_000025_visit_log::Migration),
            Box::new(m20261210_000026_money::Migration),
            Box::new(m20261210_000027_questionnaires::Migration),
            Box::new(m20261210_000028_outings::Migration),
            Box::new(m20261210_000029_wishes_talent::Migration),
            Box::new(m20261210_000030_referrer_mail::Migration),
            Box::new(m20261210_000031_scan::Migration),
            Box::new(m20261210_000032_activity_budget::Migration),
            Box::new(m20261210_000033_reflection::Migration),
            Box::new(m20261210_000034_co_organisers_linked::Migration),
            Box::new(m20261211_000035_research_consent_indexes::Migration),
            Box::new(m20261212_000036_research_covering_indexes::Migration),
            Box::new(m20261213_000037_household_facts::Migration),
            Box::new(m20261214_000038_report_household_marks::Migration),
        ]
    }
}
