//! The outcome figures of `/reports` (issue #19, docs/outcomes.md §4): perceived health below
//! "good", the loneliness categories and the support categories, at each parent's first and
//! latest measurement, for the parents with both. Fewer than ten parents: only that there are
//! too few (`mtp_domain::questionnaire::MIN_SHOWN`). Aggregates only: no household is named.
//! The counting is `mtp_domain::questionnaire::paired_outcomes`; the report hooks this section
//! in after its own.

use mtp_domain::Tenant;
use mtp_domain::questionnaire::{Distribution, Outcomes, Paired, paired_outcomes};
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::report_view::{Headline, Row, Section, Table};

/// The paired figures of the households in reach, in the chosen neighbourhoods.
pub async fn gather(
    state: &AppState,
    tenant: &Tenant,
    neighbourhoods: &[Uuid],
) -> Result<Outcomes, AppError> {
    let rounds = state
        .store
        .outcome_measurements(tenant, neighbourhoods)
        .await?;
    Ok(paired_outcomes(&rounds))
}

fn count(t: &Tr, n: usize) -> String {
    t.number(u32::try_from(n).unwrap_or(u32::MAX))
}

/// "7 van 12 (58,3%)".
fn of_n(t: &Tr, part: usize, n: usize) -> String {
    let share = (n > 0).then(|| part as f64 * 100.0 / n as f64);
    t.get2(
        "report-outcomes-of-n",
        ("part", count(t, part).as_str()),
        (
            "n",
            format!("{} ({})", count(t, n), t.percent(share)).as_str(),
        ),
    )
}

fn too_few(t: &Tr, n: usize) -> String {
    t.get1("report-outcomes-too-few", "n", count(t, n).as_str())
}

fn distribution_table<C: Copy>(
    t: &Tr,
    id: &str,
    caption_key: &str,
    paired: &Paired<Distribution<C>>,
    label: impl Fn(C) -> String,
) -> Option<Table> {
    let Paired::Shown { n, first, latest } = paired else {
        return None;
    };
    Some(Table {
        id: id.to_string(),
        caption: t.get1(caption_key, "n", count(t, *n).as_str()),
        head: vec![
            t.get("report-outcomes-category"),
            t.get("report-outcomes-first"),
            t.get("report-outcomes-latest"),
        ],
        rows: first
            .iter()
            .zip(latest)
            .map(|((c, a), (_, b))| Row {
                label: label(*c),
                cells: vec![of_n(t, *a, *n), of_n(t, *b, *n)],
            })
            .collect(),
    })
}

fn headline_value<T>(
    t: &Tr,
    paired: &Paired<T>,
    shown: impl Fn(&T, &T, usize) -> String,
) -> String {
    match paired {
        Paired::TooFew { n } => too_few(t, *n),
        Paired::Shown { n, first, latest } => shown(first, latest, *n),
    }
}

fn n_of<T>(t: &Tr, p: &Paired<T>) -> String {
    match p {
        Paired::TooFew { n } => too_few(t, *n),
        Paired::Shown { n, .. } => t.get1("report-outcomes-n", "n", count(t, *n).as_str()),
    }
}

pub fn section(t: &Tr, o: &Outcomes) -> Section {
    let health = headline_value(t, &o.health_below_good, |first, latest, n| {
        t.get2(
            "report-outcomes-change",
            ("first", of_n(t, *first, n).as_str()),
            ("latest", of_n(t, *latest, n).as_str()),
        )
    });
    let mut tables = Vec::new();
    if let Paired::Shown { n, first, latest } = &o.health_below_good {
        tables.push(Table {
            id: "outcomes-health".into(),
            caption: t.get1("report-outcomes-health-caption", "n", count(t, *n).as_str()),
            head: vec![
                String::new(),
                t.get("report-outcomes-first"),
                t.get("report-outcomes-latest"),
            ],
            rows: vec![Row {
                label: t.get("report-outcomes-health"),
                cells: vec![of_n(t, *first, *n), of_n(t, *latest, *n)],
            }],
        });
    }
    tables.extend(distribution_table(
        t,
        "outcomes-loneliness",
        "report-outcomes-loneliness-caption",
        &o.loneliness,
        |c| crate::routes::questionnaires::loneliness_label(t, c),
    ));
    tables.extend(distribution_table(
        t,
        "outcomes-support",
        "report-outcomes-support-caption",
        &o.support,
        |c| crate::routes::questionnaires::support_label(t, c),
    ));
    Section {
        id: "outcomes",
        heading: t.get("report-outcomes-heading"),
        finding: t.get("report-outcomes-finding"),
        headlines: vec![
            Headline {
                label: t.get("report-outcomes-health"),
                value: health,
                change: String::new(),
            },
            Headline {
                label: t.get("report-outcomes-loneliness"),
                value: n_of(t, &o.loneliness),
                change: String::new(),
            },
            Headline {
                label: t.get("report-outcomes-support"),
                value: n_of(t, &o.support),
                change: String::new(),
            },
        ],
        figure: None,
        tables,
        missed: Vec::new(),
    }
}
