//! What the report page shows of each indicator (issue #15): the finding in a sentence, the
//! headline numbers against the period before, a chart of the main column and the tables of
//! every column. Plain view structs for `reports.html`; the handler is
//! `routes/reports.rs`, the numbers come from `mtp_domain::report::compute`.

use std::collections::HashMap;

use chrono::NaiveDate;
use mtp_domain::indicators::{Check, Share};
use mtp_domain::report::{Column, Indicators};
use uuid::Uuid;

use crate::chart::{BarChart, BarGroup, BarValue, LineChart, Series, Unit};
use crate::i18n::Tr;

/// One row of a table: a label and one cell per column.
pub struct Row {
    pub label: String,
    pub cells: Vec<String>,
}

/// A table under a chart or on its own (docs/ui.md, tables).
pub struct Table {
    pub id: String,
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Row>,
}

/// One number that matters, with its change against the period before.
pub struct Headline {
    pub label: String,
    pub value: String,
    pub change: String,
}

/// A week that missed a fidelity check, linked to its session where the reader may open it.
pub struct Missed {
    pub column: String,
    pub date: String,
    pub week: u32,
    pub failed: String,
    pub href: Option<String>,
}

/// One indicator's part of the page.
pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub finding: String,
    pub headlines: Vec<Headline>,
    /// An inline SVG chart (server-rendered, already escaped) and its caption.
    pub figure: Option<(String, String)>,
    pub tables: Vec<Table>,
    pub missed: Vec<Missed>,
}

/// How a count is shown: in full for staff, "< 5" from 1 to 4 for researchers
/// (`docs/indicators.md §10`).
#[derive(Clone, Copy)]
struct Show {
    t: Tr,
    researcher: bool,
}

impl Show {
    fn n(self, n: u32) -> String {
        if self.researcher && (1..5).contains(&n) {
            "< 5".to_string()
        } else {
            self.t.number(n)
        }
    }

    fn share(self, s: Share) -> String {
        if self.researcher && (1..5).contains(&s.whole) {
            return "< 5".to_string();
        }
        self.t.percent(s.percent())
    }

    fn opt_share(self, s: Option<Share>) -> String {
        s.map(|s| self.share(s)).unwrap_or_else(|| "–".to_string())
    }

    /// A count as a bar: no bar for a hidden small count, only its "< 5".
    fn bar(self, n: u32) -> BarValue {
        if self.researcher && (1..5).contains(&n) {
            BarValue::new(None, "< 5")
        } else {
            BarValue::new(Some(f64::from(n)), self.t.number(n))
        }
    }

    fn share_bar(self, s: Option<Share>) -> BarValue {
        match s {
            Some(s) if !(self.researcher && (1..5).contains(&s.whole)) => {
                BarValue::new(s.percent(), self.share(s))
            }
            _ => BarValue::new(None, self.opt_share(s)),
        }
    }

    /// "+4" / "−2" / "gelijk" against the period before.
    fn change(self, now: u32, before: u32) -> String {
        let t = self.t;
        if self.researcher && ((1..5).contains(&now) || (1..5).contains(&before)) {
            return String::new();
        }
        let d = i64::from(now) - i64::from(before);
        match d {
            0 => t.get("report-change-same"),
            d if d > 0 => t.get1("report-change-up", "n", d),
            d => t.get1("report-change-down", "n", -d),
        }
    }

    /// The change of a percentage, in percentage points with one decimal.
    fn change_share(self, now: Share, before: Share) -> String {
        let t = self.t;
        match (now.percent(), before.percent()) {
            (Some(a), Some(b)) => {
                let d = a - b;
                if d.abs() < 0.05 {
                    t.get("report-change-same")
                } else if d > 0.0 {
                    t.get1("report-change-points-up", "n", t.decimal(d).as_str())
                } else {
                    t.get1("report-change-points-down", "n", t.decimal(-d).as_str())
                }
            }
            _ => String::new(),
        }
    }
}

/// A bar chart of the main column (docs/ui.md §2.11) and its caption, for a section's figure.
fn bar_figure(
    t: Tr,
    main: &Column,
    id: &str,
    title: String,
    desc: String,
    unit: Unit,
    bars: Vec<(String, BarValue)>,
) -> Option<(String, String)> {
    let chart = BarChart {
        id: format!("{id}-grafiek"),
        title,
        desc,
        empty_text: t.get("report-chart-empty"),
        unit,
        series: Vec::new(),
        groups: bars
            .into_iter()
            .map(|(label, v)| BarGroup::new(label, vec![v]))
            .collect(),
        highlight: None,
    };
    Some((chart.render(), caption(t, main)))
}

fn caption(t: Tr, main: &Column) -> String {
    t.get1("report-chart-caption", "name", main.name.as_str())
}

fn head(t: Tr, first: &str, columns: &[Column]) -> Vec<String> {
    std::iter::once(t.get(first))
        .chain(columns.iter().map(|c| c.name.clone()))
        .collect()
}

fn row(label: String, columns: &[Column], cell: impl Fn(&Indicators) -> String) -> Row {
    Row {
        label,
        cells: columns.iter().map(|c| cell(&c.now)).collect(),
    }
}

/// The column the headlines and charts speak about: all chosen neighbourhoods together, or
/// the only one.
fn main_column(columns: &[Column]) -> Option<&Column> {
    columns.last()
}

pub fn sections(
    t: Tr,
    cols: &[Column],
    sessions: &[HashMap<NaiveDate, Uuid>],
    researcher: bool,
) -> Vec<Section> {
    let show = Show { t, researcher };
    let Some(main) = main_column(cols) else {
        return Vec::new();
    };
    vec![
        reach_section(show, cols, main),
        turnout_section(show, cols),
        dose_section(show, cols, main),
        retention_section(show, cols, main),
        fidelity_section(show, cols, sessions, main),
        barriers_section(show, cols, main),
        encouragement_section(show, cols, main),
        time_slot_section(show, cols, main),
    ]
}

fn reach_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let (now, before) = (&main.now.reach, &main.before.reach);
    Section {
        id: "bereik",
        heading: t.get("report-reach"),
        finding: t.get2(
            "report-reach-finding",
            ("reached", show.n(now.reached.total()).as_str()),
            ("taking", show.n(now.taking_part.total()).as_str()),
        ),
        headlines: vec![
            Headline {
                label: t.get("report-reached"),
                value: show.n(now.reached.total()),
                change: show.change(now.reached.total(), before.reached.total()),
            },
            Headline {
                label: t.get("report-taking-part"),
                value: show.n(now.taking_part.total()),
                change: show.change(now.taking_part.total(), before.taking_part.total()),
            },
            Headline {
                label: t.get("report-new"),
                value: show.n(now.new.total()),
                change: show.change(now.new.total(), before.new.total()),
            },
            Headline {
                label: t.get("report-reach-percent"),
                value: show.share(now.reach),
                change: show.change_share(now.reach, before.reach),
            },
        ],
        figure: bar_figure(
            t,
            main,
            "bereik",
            t.get("report-reach-chart"),
            t.get2(
                "report-reach-finding",
                ("reached", show.n(now.reached.total()).as_str()),
                ("taking", show.n(now.taking_part.total()).as_str()),
            ),
            Unit::Count,
            vec![
                (t.get("report-reached"), show.bar(now.reached.total())),
                (
                    t.get("report-taking-part"),
                    show.bar(now.taking_part.total()),
                ),
                (t.get("report-new"), show.bar(now.new.total())),
            ],
        ),
        tables: vec![Table {
            id: "bereik-tabel".into(),
            caption: t.get("report-reach-table"),
            head: head(t, "report-what", cols),
            rows: vec![
                row(t.get("report-reached"), cols, |i| {
                    show.n(i.reach.reached.total())
                }),
                row(t.get("report-of-which-single"), cols, |i| {
                    show.n(i.reach.reached.single_parent)
                }),
                row(t.get("report-of-which-other"), cols, |i| {
                    show.n(i.reach.reached.other)
                }),
                row(t.get("report-taking-part"), cols, |i| {
                    show.n(i.reach.taking_part.total())
                }),
                row(t.get("report-of-which-single"), cols, |i| {
                    show.n(i.reach.taking_part.single_parent)
                }),
                row(t.get("report-new"), cols, |i| show.n(i.reach.new.total())),
                Row {
                    label: t.get("report-estimate"),
                    cells: cols
                        .iter()
                        .map(|c| {
                            let whole = c.now.reach.reach.whole;
                            match (whole, c.estimate_source.is_empty()) {
                                (0, _) => "–".to_string(),
                                (n, true) => t.number(n),
                                (n, false) => format!("{} ({})", t.number(n), c.estimate_source),
                            }
                        })
                        .collect(),
                },
                row(t.get("report-reach-percent"), cols, |i| {
                    show.share(i.reach.reach)
                }),
            ],
        }],
        missed: Vec::new(),
    }
}

fn turnout_section(show: Show, cols: &[Column]) -> Section {
    let t = show.t;
    let weeks = cols
        .first()
        .map(|c| c.now.weeks.clone())
        .unwrap_or_default();
    Section {
        id: "opkomst",
        heading: t.get("report-turnout"),
        finding: t.get("report-turnout-finding"),
        headlines: main_column(cols)
            .map(|main| {
                let total = |i: &Indicators| i.weeks.iter().map(|w| w.visits).sum::<u32>();
                vec![Headline {
                    label: t.get("report-visits-total"),
                    value: show.n(total(&main.now)),
                    change: show.change(total(&main.now), total(&main.before)),
                }]
            })
            .unwrap_or_default(),
        figure: turnout_chart(show, cols),
        tables: vec![Table {
            id: "opkomst-tabel".into(),
            caption: t.get("report-turnout-table"),
            head: head(t, "report-week", cols),
            rows: weeks
                .iter()
                .enumerate()
                .map(|(i, w)| Row {
                    label: t.get2(
                        "report-week-label",
                        ("week", w.week.week()),
                        ("date", t.day(w.monday).as_str()),
                    ),
                    cells: cols
                        .iter()
                        .map(|c| show.n(c.now.weeks.get(i).map(|w| w.visits).unwrap_or_default()))
                        .collect(),
                })
                .collect(),
        }],
        missed: Vec::new(),
    }
}

fn dose_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let most = cols
        .iter()
        .filter_map(|c| c.now.dose.distribution.keys().max().copied())
        .max()
        .unwrap_or(0);
    let median = main
        .now
        .dose
        .median
        .map(|m| t.decimal(m))
        .unwrap_or_else(|| "–".to_string());
    Section {
        id: "dosis",
        heading: t.get("report-dose"),
        finding: t.get1("report-dose-finding", "median", median.as_str()),
        headlines: vec![Headline {
            label: t.get("report-median"),
            value: median.clone(),
            change: match (main.now.dose.median, main.before.dose.median) {
                (Some(a), Some(b)) if (a - b).abs() < 0.05 => t.get("report-change-same"),
                (Some(a), Some(b)) if a > b => {
                    t.get1("report-change-up", "n", t.decimal(a - b).as_str())
                }
                (Some(a), Some(b)) => t.get1("report-change-down", "n", t.decimal(b - a).as_str()),
                _ => String::new(),
            },
        }],
        figure: bar_figure(
            t,
            main,
            "dosis",
            t.get("report-dose-table"),
            t.get1("report-dose-finding", "median", median.as_str()),
            Unit::Count,
            dose_bars(show, &main.now),
        ),
        tables: vec![
            Table {
                id: "dosis-tabel".into(),
                caption: t.get("report-dose-table"),
                head: head(t, "report-visits", cols),
                rows: (1..=most)
                    .map(|n| {
                        row(t.get1("report-times", "n", n), cols, |i| {
                            show.n(i.dose.distribution.get(&n).copied().unwrap_or(0))
                        })
                    })
                    .collect(),
            },
            Table {
                id: "dosis-soort".into(),
                caption: t.get("report-dose-kind-table"),
                head: head(t, "report-activity-kind", cols),
                rows: mtp_domain::activity::ActivityKind::ALL
                    .into_iter()
                    .filter(|k| {
                        cols.iter()
                            .any(|c| c.now.dose.per_kind.iter().any(|(kk, _)| kk == k))
                    })
                    .map(|k| {
                        row(t.label(&k), cols, |i| {
                            let d = i.dose.per_kind.iter().find(|(kk, _)| *kk == k);
                            let (v, h) = d.map(|(_, d)| (d.visits, d.households)).unwrap_or((0, 0));
                            t.get2(
                                "report-visits-by",
                                ("visits", show.n(v).as_str()),
                                ("households", show.n(h).as_str()),
                            )
                        })
                    })
                    .collect(),
            },
        ],
        missed: Vec::new(),
    }
}

fn retention_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let months = mtp_domain::indicators::MILESTONES;
    let mut rows: Vec<Row> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            row(t.get1("report-after-months", "n", *m), cols, |ind| {
                show.opt_share(ind.retention.pooled.get(i).copied().flatten())
            })
        })
        .collect();
    rows.push(row(t.get("report-drop-outs"), cols, |i| {
        show.n(i.drop_outs.total())
    }));
    Section {
        id: "blijven",
        heading: t.get("report-retention"),
        finding: t.get("report-retention-finding"),
        headlines: vec![
            Headline {
                label: t.get1("report-after-months", "n", 3),
                value: show.opt_share(main.now.retention.pooled[0]),
                change: match (
                    main.now.retention.pooled[0],
                    main.before.retention.pooled[0],
                ) {
                    (Some(a), Some(b)) => show.change_share(a, b),
                    _ => String::new(),
                },
            },
            Headline {
                label: t.get("report-drop-outs"),
                value: show.n(main.now.drop_outs.total()),
                change: show.change(main.now.drop_outs.total(), main.before.drop_outs.total()),
            },
        ],
        figure: bar_figure(
            t,
            main,
            "blijven",
            t.get("report-retention-chart"),
            t.get("report-retention-desc"),
            Unit::Percent,
            months
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    (
                        t.get1("report-after-months", "n", *m),
                        show.share_bar(main.now.retention.pooled.get(i).copied().flatten()),
                    )
                })
                .collect(),
        ),
        tables: vec![
            Table {
                id: "blijven-tabel".into(),
                caption: t.get("report-retention-table"),
                head: head(t, "report-what", cols),
                rows,
            },
            Table {
                id: "blijven-cohorten".into(),
                caption: t.get1("report-cohorts-table", "name", main.name.as_str()),
                head: std::iter::once(t.get("report-first-visit"))
                    .chain(std::iter::once(t.get("report-households")))
                    .chain(
                        months
                            .iter()
                            .map(|m| t.get1("report-after-months", "n", *m)),
                    )
                    .collect(),
                rows: main
                    .now
                    .retention
                    .cohorts
                    .iter()
                    .rev()
                    .map(|c| Row {
                        label: format!("{} {}", t.month(c.month), c.year),
                        cells: std::iter::once(show.n(c.households))
                            .chain(c.still_active.iter().map(|s| show.opt_share(*s)))
                            .collect(),
                    })
                    .collect(),
            },
        ],
        missed: Vec::new(),
    }
}

fn fidelity_section(
    show: Show,
    cols: &[Column],
    sessions: &[HashMap<NaiveDate, Uuid>],
    main: &Column,
) -> Section {
    let t = show.t;
    let failed_text = |failed: &[Check]| {
        failed
            .iter()
            .map(|c| t.get(c.key()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut missed = Vec::new();
    // The pooled column repeats the neighbourhoods' weeks; list each neighbourhood's own.
    for (i, c) in cols.iter().enumerate().take(sessions.len()) {
        for m in &c.now.fidelity.missed {
            missed.push(Missed {
                column: c.name.clone(),
                date: t.day(m.date),
                week: m.week.week(),
                failed: failed_text(&m.failed),
                href: (!show.researcher)
                    .then(|| sessions.get(i).and_then(|s| s.get(&m.date)))
                    .flatten()
                    .map(|id| format!("/sessions/{id}")),
            });
        }
    }
    Section {
        id: "trouw",
        heading: t.get("report-fidelity"),
        finding: t.get1(
            "report-fidelity-finding",
            "weeks",
            u32::try_from(missed.len()).unwrap_or(u32::MAX),
        ),
        headlines: vec![Headline {
            label: t.get("report-fidelity-score"),
            value: show.t.percent(main.now.fidelity.score.percent()),
            change: show.change_share(main.now.fidelity.score, main.before.fidelity.score),
        }],
        figure: bar_figure(
            t,
            main,
            "trouw",
            t.get("report-fidelity-table"),
            t.get("report-fidelity-desc"),
            Unit::Percent,
            Check::ALL
                .into_iter()
                .map(|check| {
                    let share = main
                        .now
                        .fidelity
                        .per_check
                        .iter()
                        .find(|(c, _)| *c == check)
                        .map(|(_, s)| *s)
                        .filter(|s| s.whole > 0);
                    (
                        t.get(check.key()),
                        BarValue::new(
                            share.and_then(|s| s.percent()),
                            t.percent(share.and_then(|s| s.percent())),
                        ),
                    )
                })
                .collect(),
        ),
        tables: vec![Table {
            id: "trouw-tabel".into(),
            caption: t.get("report-fidelity-table"),
            head: head(t, "report-check", cols),
            rows: std::iter::once(row(t.get("report-fidelity-score"), cols, |i| {
                t.percent(i.fidelity.score.percent())
            }))
            .chain(Check::ALL.into_iter().map(|check| {
                row(t.get(check.key()), cols, |i| {
                    i.fidelity
                        .per_check
                        .iter()
                        .find(|(c, _)| *c == check)
                        .map(|(_, s)| t.percent(s.percent()))
                        .unwrap_or_else(|| "–".to_string())
                })
            }))
            .collect(),
        }],
        missed,
    }
}

fn barriers_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let reason_label = |r: Option<mtp_domain::attendance::AbsenceReason>| match r {
        Some(r) => t.label(&r),
        None => t.get("report-reason-unknown"),
    };
    let reasons: Vec<Option<mtp_domain::attendance::AbsenceReason>> =
        mtp_domain::attendance::AbsenceReason::ALL
            .into_iter()
            .map(Some)
            .chain(std::iter::once(None))
            .collect();
    let count_of = |list: &[mtp_domain::indicators::ReasonCount], r| {
        list.iter()
            .find(|c| c.reason == r)
            .map(|c| c.count)
            .unwrap_or(0)
    };
    let top = main
        .now
        .barriers
        .absences
        .first()
        .map(|c| reason_label(c.reason));
    Section {
        id: "drempels",
        heading: t.get("report-barriers"),
        finding: match top {
            Some(reason) => t.get1("report-barriers-finding", "reason", reason.as_str()),
            None => t.get("report-barriers-none"),
        },
        headlines: vec![Headline {
            label: t.get("report-childcare-requests"),
            value: show.n(main.now.barriers.childcare_requests),
            change: show.change(
                main.now.barriers.childcare_requests,
                main.before.barriers.childcare_requests,
            ),
        }],
        figure: bar_figure(
            t,
            main,
            "drempels",
            t.get("report-absences-table"),
            t.get("report-barriers-desc"),
            Unit::Count,
            main.now
                .barriers
                .absences
                .iter()
                .map(|c| (reason_label(c.reason), show.bar(c.count)))
                .collect(),
        ),
        tables: vec![
            Table {
                id: "drempels-afwezig".into(),
                caption: t.get("report-absences-table"),
                head: head(t, "report-reason", cols),
                rows: reasons
                    .iter()
                    .map(|r| {
                        row(reason_label(*r), cols, |i| {
                            show.n(count_of(&i.barriers.absences, *r))
                        })
                    })
                    .collect(),
            },
            Table {
                id: "drempels-kan-niet".into(),
                caption: t.get("report-cant-come-table"),
                head: head(t, "report-reason", cols),
                rows: reasons
                    .iter()
                    .map(|r| {
                        row(reason_label(*r), cols, |i| {
                            show.n(count_of(&i.barriers.cant_come, *r))
                        })
                    })
                    .chain(std::iter::once(row(
                        t.get("report-childcare-requests"),
                        cols,
                        |i| show.n(i.barriers.childcare_requests),
                    )))
                    .collect(),
            },
        ],
        missed: Vec::new(),
    }
}

fn encouragement_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let e = &main.now.encouragement;
    let came = |s: Share| {
        t.get2(
            "report-came-of",
            ("came", show.n(s.part).as_str()),
            ("of", show.n(s.whole).as_str()),
        )
    };
    Section {
        id: "aanmoedigen",
        heading: t.get("report-encouragement"),
        finding: t.get2(
            "report-encouragement-finding",
            ("reached", show.share(e.reached_came).as_str()),
            ("not", show.share(e.not_reached_came).as_str()),
        ),
        headlines: vec![Headline {
            label: t.get("report-reached-came"),
            value: show.share(e.reached_came),
            change: show.change_share(e.reached_came, main.before.encouragement.reached_came),
        }],
        figure: bar_figure(
            t,
            main,
            "aanmoedigen",
            t.get("report-encouragement-table"),
            t.get2(
                "report-encouragement-finding",
                ("reached", show.share(e.reached_came).as_str()),
                ("not", show.share(e.not_reached_came).as_str()),
            ),
            Unit::Percent,
            vec![
                (
                    t.get("report-reached-came"),
                    show.share_bar(Some(e.reached_came)),
                ),
                (
                    t.get("report-not-reached-came"),
                    show.share_bar(Some(e.not_reached_came)),
                ),
            ],
        ),
        tables: vec![Table {
            id: "aanmoedigen-tabel".into(),
            caption: t.get("report-encouragement-table"),
            head: head(t, "report-what", cols),
            rows: vec![
                row(t.get("report-reached-came"), cols, |i| {
                    format!(
                        "{} ({})",
                        show.share(i.encouragement.reached_came),
                        came(i.encouragement.reached_came)
                    )
                }),
                row(t.get("report-not-reached-came"), cols, |i| {
                    format!(
                        "{} ({})",
                        show.share(i.encouragement.not_reached_came),
                        came(i.encouragement.not_reached_came)
                    )
                }),
                row(t.get("report-not-judged"), cols, |i| {
                    show.n(i.encouragement.not_judged)
                }),
            ],
        }],
        missed: Vec::new(),
    }
}

fn time_slot_section(show: Show, cols: &[Column], main: &Column) -> Section {
    let t = show.t;
    let fit = &main.now.time_slot_fit;
    let best = fit
        .days
        .iter()
        .filter(|d| !d.activity_runs && d.can_come > 0)
        .max_by_key(|d| d.can_come);
    Section {
        id: "dagen",
        heading: t.get("report-time-slot"),
        finding: match best {
            Some(d) => t.get2(
                "report-time-slot-finding",
                ("day", t.weekday(d.weekday)),
                ("n", show.n(d.can_come).as_str()),
            ),
            None => t.get("report-time-slot-none"),
        },
        headlines: vec![Headline {
            label: t.get("report-working-parent"),
            value: show.share(fit.working_parent),
            change: show.change_share(fit.working_parent, main.before.time_slot_fit.working_parent),
        }],
        figure: bar_figure(
            t,
            main,
            "dagen",
            t.get("report-time-slot-table"),
            t.get("report-time-slot-desc"),
            Unit::Count,
            fit.days
                .iter()
                .map(|d| (t.weekday(d.weekday).to_string(), show.bar(d.can_come)))
                .collect(),
        ),
        tables: vec![Table {
            id: "dagen-tabel".into(),
            caption: t.get("report-time-slot-table"),
            head: head(t, "report-weekday", cols),
            rows: fit
                .days
                .iter()
                .enumerate()
                .map(|(n, d)| {
                    row(t.weekday(d.weekday).to_string(), cols, |i| {
                        let day = i.time_slot_fit.days.get(n);
                        let can = show.n(day.map(|d| d.can_come).unwrap_or(0));
                        if day.is_some_and(|d| d.activity_runs) {
                            t.get1("report-can-come-runs", "n", can.as_str())
                        } else {
                            can
                        }
                    })
                })
                .collect(),
        }],
        missed: Vec::new(),
    }
}

/// Visits per week as a line: one line per neighbourhood when there are a few, otherwise the
/// main column alone (more than four lines repeat colours and dashes).
fn turnout_chart(show: Show, cols: &[Column]) -> Option<(String, String)> {
    let t = show.t;
    let main = main_column(cols)?;
    let shown: Vec<&Column> = if (2..=5).contains(&cols.len()) {
        cols.iter().take(cols.len() - 1).collect()
    } else {
        vec![main]
    };
    let chart = LineChart {
        id: "opkomst-grafiek".into(),
        title: t.get("report-turnout"),
        desc: t.get("report-turnout-finding"),
        empty_text: t.get("report-chart-empty"),
        unit: Unit::Count,
        x_labels: main
            .now
            .weeks
            .iter()
            .map(|w| t.get1("report-week-number", "week", w.week.week()))
            .collect(),
        series: shown
            .iter()
            .map(|c| {
                Series::new(
                    c.name.clone(),
                    c.now
                        .weeks
                        .iter()
                        .map(|w| show.bar(w.visits).value)
                        .collect(),
                )
            })
            .collect(),
        y_format: Box::new(move |v| {
            t.decimal(v)
                .trim_end_matches(",0")
                .trim_end_matches(".0")
                .to_string()
        }),
    };
    Some((chart.render(), caption(t, main)))
}

/// The distribution of visits as bars: 1 to 9 visits each, then "10 or more" together, so a
/// year's report stays a readable chart (the table keeps every number).
fn dose_bars(show: Show, i: &Indicators) -> Vec<(String, BarValue)> {
    let t = show.t;
    let mut bars: Vec<(String, BarValue)> = (1..10)
        .filter(|n| i.dose.distribution.keys().any(|k| k >= n))
        .map(|n| {
            (
                t.get1("report-times", "n", n),
                show.bar(i.dose.distribution.get(&n).copied().unwrap_or(0)),
            )
        })
        .collect();
    let many: u32 = i.dose.distribution.range(10..).map(|(_, h)| *h).sum();
    if many > 0 {
        bars.push((t.get("report-times-many"), show.bar(many)));
    }
    bars
}
