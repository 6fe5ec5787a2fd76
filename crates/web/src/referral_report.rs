//! The referral figures of `/reports` and its workbook (issue #16;
//! docs/guide/reports.md#referrals): inbound referrals per kind of partner and per partner in
//! the report's period, the middle number of days to the first contact and the share that
//! joined an activity; referrals to help per kind and per partner, for the same period. The
//! counting is `mtp_domain::referral_figures` and `mtp_domain::help_referral::figures`; the
//! report only hooks this section and sheet in after its own.

use chrono::{DateTime, NaiveDate, Utc};
use mtp_domain::Tenant;
use mtp_domain::help_referral::{FigureLine, Figures};
use mtp_domain::indicators::Period;
use mtp_domain::referral_figures::{InboundFigures, InboundLine, inbound};
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::report_view::{Headline, Row, Section, Table};
use crate::workbook::{Cell, Sheet};

/// Both kinds of referral, counted for one period and the chosen neighbourhoods.
pub struct ReferralFigures {
    pub inbound: InboundFigures,
    pub outbound: Figures,
}

fn start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_default()
}

/// The figures of referrals made in `period` (its last day included) in `chosen`.
pub async fn gather(
    state: &AppState,
    tenant: &Tenant,
    chosen: &[Uuid],
    period: Period,
) -> Result<ReferralFigures, AppError> {
    let from = start(period.from());
    let until = start(period.to().succ_opt().unwrap_or(period.to()));
    let rows = state
        .store
        .inbound_referral_figures(tenant, chosen, from, until)
        .await?;
    let out = state
        .store
        .help_referral_figures_in(tenant, Some(chosen), from, Some(until))
        .await?;
    Ok(ReferralFigures {
        inbound: inbound(&rows),
        outbound: mtp_domain::help_referral::figures(&out),
    })
}

fn days(d: Option<i64>) -> String {
    d.map_or_else(|| "–".to_string(), |d| d.to_string())
}

fn in_row(t: &Tr, label: String, l: &InboundLine) -> Row {
    Row {
        label,
        cells: vec![
            t.number(l.referred),
            t.number(l.contact),
            t.number(l.joined),
            t.percent(l.joined_share().percent()),
            days(l.median_days_to_contact),
        ],
    }
}

fn out_row(t: &Tr, label: String, l: &FigureLine) -> Row {
    let n = |x: usize| t.number(u32::try_from(x).unwrap_or(u32::MAX));
    Row {
        label,
        cells: vec![
            n(l.made),
            n(l.sent),
            n(l.first_contact),
            n(l.help_started),
            days(l.median_days_to_contact),
        ],
    }
}

fn in_head(t: &Tr, first: &str) -> Vec<String> {
    [
        first,
        "report-referrals-in",
        "report-referrals-contact",
        "report-referrals-joined",
        "report-referrals-joined-share",
        "report-referrals-days",
    ]
    .iter()
    .map(|k| t.get(k))
    .collect()
}

fn out_head(t: &Tr, first: &str) -> Vec<String> {
    [
        first,
        "help-figures-made",
        "help-figures-sent",
        "help-figures-contact",
        "help-figures-started",
        "help-figures-days",
    ]
    .iter()
    .map(|k| t.get(k))
    .collect()
}

/// The four tables, as (id, caption, header, rows with the total last).
fn tables(t: &Tr, f: &ReferralFigures) -> Vec<Table> {
    let with_total = |mut rows: Vec<Row>, total: Row| {
        rows.push(total);
        rows
    };
    let in_total = || in_row(t, t.get("help-figures-total"), &f.inbound.total);
    let out_total = || out_row(t, t.get("help-figures-total"), &f.outbound.total);
    vec![
        Table {
            id: "referrals-in-by-kind".into(),
            caption: t.get("report-referrals-in-by-kind"),
            head: in_head(t, "field-partner-kind"),
            rows: with_total(
                f.inbound
                    .by_kind
                    .iter()
                    .map(|(k, l)| in_row(t, t.label(k), l))
                    .collect(),
                in_total(),
            ),
        },
        Table {
            id: "referrals-in-by-partner".into(),
            caption: t.get("report-referrals-in-by-partner"),
            head: in_head(t, "report-referrals-partner"),
            rows: with_total(
                f.inbound
                    .by_partner
                    .iter()
                    .map(|(p, l)| in_row(t, p.clone(), l))
                    .collect(),
                in_total(),
            ),
        },
        Table {
            id: "referrals-out-by-kind".into(),
            caption: t.get("help-figures-by-kind"),
            head: out_head(t, "field-help-kind"),
            rows: with_total(
                f.outbound
                    .by_kind
                    .iter()
                    .map(|(k, l)| out_row(t, t.label(k), l))
                    .collect(),
                out_total(),
            ),
        },
        Table {
            id: "referrals-out-by-partner".into(),
            caption: t.get("help-figures-by-partner"),
            head: out_head(t, "field-help-partner"),
            rows: with_total(
                f.outbound
                    .by_partner
                    .iter()
                    .map(|(p, l)| {
                        out_row(t, p.clone().unwrap_or_else(|| t.get("help-no-partner")), l)
                    })
                    .collect(),
                out_total(),
            ),
        },
    ]
}

/// The report's section on referrals.
pub fn section(t: &Tr, f: &ReferralFigures) -> Section {
    let total = &f.inbound.total;
    Section {
        id: "referrals",
        heading: t.get("report-referrals-heading"),
        finding: t.get("report-referrals-finding"),
        headlines: vec![
            Headline {
                label: t.get("report-referrals-in"),
                value: t.number(total.referred),
                change: String::new(),
            },
            Headline {
                label: t.get("report-referrals-joined-share"),
                value: t.percent(total.joined_share().percent()),
                change: String::new(),
            },
            Headline {
                label: t.get("report-referrals-days"),
                value: days(total.median_days_to_contact),
                change: String::new(),
            },
            Headline {
                label: t.get("report-referrals-out"),
                value: t.number(u32::try_from(f.outbound.total.made).unwrap_or(u32::MAX)),
                change: String::new(),
            },
        ],
        figure: None,
        tables: tables(t, f),
        missed: Vec::new(),
    }
}

/// The workbook's sheet: the same four tables, numbers as numbers.
pub fn sheet(t: &Tr, f: &ReferralFigures) -> Sheet {
    let num = |x: u32| Cell::Number(f64::from(x));
    let days = |d: Option<i64>| d.map_or(Cell::Empty, |d| Cell::Number(d as f64));
    let in_cells = |l: &InboundLine| {
        let s = l.joined_share();
        vec![
            num(l.referred),
            num(l.contact),
            num(l.joined),
            if s.whole == 0 {
                Cell::Empty
            } else {
                Cell::Percent(f64::from(s.part) / f64::from(s.whole))
            },
            days(l.median_days_to_contact),
        ]
    };
    let out_cells = |l: &FigureLine| {
        let n = |x: usize| Cell::Number(x as f64);
        vec![
            n(l.made),
            n(l.sent),
            n(l.first_contact),
            n(l.help_started),
            days(l.median_days_to_contact),
        ]
    };
    let mut s = Sheet::new(
        t.get("workbook-sheet-referrals"),
        vec![t.get("report-referrals-in-by-kind")],
    );
    s.row(
        in_head(t, "field-partner-kind")
            .into_iter()
            .map(Cell::Bold)
            .collect(),
    );
    for (k, l) in &f.inbound.by_kind {
        s.labelled(t.label(k), in_cells(l));
    }
    s.labelled(t.get("help-figures-total"), in_cells(&f.inbound.total));
    s.table(
        t.get("report-referrals-in-by-partner"),
        in_head(t, "report-referrals-partner"),
    );
    for (p, l) in &f.inbound.by_partner {
        s.labelled(p.clone(), in_cells(l));
    }
    s.labelled(t.get("help-figures-total"), in_cells(&f.inbound.total));
    s.table(
        t.get("help-figures-by-kind"),
        out_head(t, "field-help-kind"),
    );
    for (k, l) in &f.outbound.by_kind {
        s.labelled(t.label(k), out_cells(l));
    }
    s.labelled(t.get("help-figures-total"), out_cells(&f.outbound.total));
    s.table(
        t.get("help-figures-by-partner"),
        out_head(t, "field-help-partner"),
    );
    for (p, l) in &f.outbound.by_partner {
        s.labelled(
            p.clone().unwrap_or_else(|| t.get("help-no-partner")),
            out_cells(l),
        );
    }
    s.labelled(t.get("help-figures-total"), out_cells(&f.outbound.total));
    s
}
