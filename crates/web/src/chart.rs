//! Charts for the report pages, drawn on the server as inline SVG: no script, no chart library
//! (docs/ui.md §2.11, §3.9).
//!
//! A chart is only the `<svg>`. The template puts it in a `<figure>` with a `<figcaption>` and
//! shows the same numbers in a visible table under it ([`ChartTable`] helps with that). Every
//! text the caller hands in is escaped here, and numbers arrive formatted by the caller (Dutch
//! or English), so this module knows no language. The same input gives the same bytes.
//!
//! ```
//! use mtp_web::chart::{LineChart, Series, Unit};
//! let chart = LineChart {
//!     id: "visits".into(),
//!     title: "Bezoeken per maand".into(),
//!     desc: "Het aantal bezoeken steeg van 3 naar 7.".into(),
//!     empty_text: "Geen gegevens in deze periode".into(),
//!     unit: Unit::Count,
//!     x_labels: vec!["jan".into(), "feb".into()],
//!     series: vec![Series::new("Noord", vec![Some(3.0), Some(7.0)])],
//!     y_format: Box::new(|v| format!("{v}")),
//! };
//! let svg = chart.render(); // or `{{ chart|safe }}` in a template
//! assert!(svg.starts_with("<svg"));
//! ```

use std::fmt::{self, Write};

/// Width of every chart in viewBox units. The chart is as wide as the page column (`.chart`
/// in app.css), about 328 px on a 360 px phone, so one unit is drawn about 0.9 px there.
const WIDTH: f64 = 360.0;
const LINE_HEIGHT: f64 = 240.0;
/// Text size in viewBox units on a phone: 16 units come out at 14.6 px in a 328 px column.
/// From 40em app.css sets 10 units; the chart is then at least 576 px wide, so still 16 px.
/// Layout is computed for the phone size, so the wide size always fits too.
const FONT: f64 = 16.0;
const FONT_WIDE: f64 = 10.0;
/// An estimate of a character's width as a share of the text size; system sans-serif digits
/// and lower case stay under it, so text placed with it does not overlap.
const CHAR_WIDTH: f64 = 0.6;

const TEXT: &str = "#1b1b1b";
const TEXT_MUTED: &str = "#4f5559";
/// `--c-border-subtle`: gridlines only, they carry no information of their own.
const GRID: &str = "#b9bdc0";
/// Series colours on white: 6.5, 5.0, 5.5 and 6.9 to 1, so they also pass as text colours.
const SERIES: [&str; 4] = ["#1a5fa6", "#b45309", "#0f766e", "#7b3fa0"];
/// The second and further lines are dashed, so colour is never the only difference.
const DASHES: [&str; 4] = ["", "9 5", "2 5", "12 4 3 4"];
/// Stripe angle of the fill pattern of grouped bars from the second series on.
const STRIPES: [i32; 4] = [0, 45, -45, 90];

/// What the numbers count; a percentage axis runs to 100 unless a value goes past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
}

/// Formats an axis value for the reader's language, e.g. `|v| format!("{v} %")`.
pub type Format = Box<dyn Fn(f64) -> String + Send + Sync>;

/// One line of a [`LineChart`]: its label (drawn at the end of the line) and one value per x
/// label. `None` is a gap in the line; NaN and infinity count as `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

impl Series {
    pub fn new(label: impl Into<String>, values: Vec<Option<f64>>) -> Self {
        Series {
            label: label.into(),
            values,
        }
    }
}

/// A trend over time: one or more lines, each labelled at its end, the y axis from 0.
pub struct LineChart {
    /// Unique on the page; the ids of the title and description start with it.
    pub id: String,
    pub title: String,
    /// One sentence that says what the chart shows (read out instead of the picture).
    pub desc: String,
    /// Shown in the middle when there is nothing to draw.
    pub empty_text: String,
    pub unit: Unit,
    /// One label per point, formatted by the caller ("jan", "week 3").
    pub x_labels: Vec<String>,
    /// At most four read well: after that colours and dashes repeat.
    pub series: Vec<Series>,
    /// Formats the y axis values.
    pub y_format: Format,
}

impl fmt::Debug for LineChart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LineChart")
            .field("id", &self.id)
            .field("unit", &self.unit)
            .field("x_labels", &self.x_labels.len())
            .field("series", &self.series.len())
            .finish_non_exhaustive()
    }
}

/// One bar's number: `value` sets the length (`None` draws no bar, for a hidden count), `text`
/// is written at the bar ("12", "< 5", "40 %").
#[derive(Debug, Clone, PartialEq)]
pub struct BarValue {
    pub value: Option<f64>,
    pub text: String,
}

impl BarValue {
    pub fn new(value: Option<f64>, text: impl Into<String>) -> Self {
        BarValue {
            value,
            text: text.into(),
        }
    }
}

/// One category of a [`BarChart`]: its label above the bars and one value per series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    pub label: String,
    pub values: Vec<BarValue>,
}

impl BarGroup {
    pub fn new(label: impl Into<String>, values: Vec<BarValue>) -> Self {
        BarGroup {
            label: label.into(),
            values,
        }
    }
}

/// A distribution: horizontal bars, each with its category above it and its value after it.
/// With more than one series the bars of a category stand together, and each value text
/// starts with its series name.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub empty_text: String,
    pub unit: Unit,
    /// Series names for grouped bars; empty (or one name, unused) for plain bars.
    pub series: Vec<String>,
    pub groups: Vec<BarGroup>,
    /// Index of the category to stand out (the user's own neighbourhood, say).
    pub highlight: Option<usize>,
}

/// The chart's numbers as a table for the template: the header row, then one row per x label
/// or category. The strings are not escaped; askama does that.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartTable {
    pub head: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub label: String,
    pub cells: Vec<String>,
}

impl LineChart {
    pub fn render(&self) -> String {
        self.to_string()
    }

    /// Rows per x label, a column per series, values in the axis format; `missing` for a gap.
    pub fn table(&self, corner: &str, missing: &str) -> ChartTable {
        let mut head = vec![corner.to_string()];
        head.extend(self.series.iter().map(|s| s.label.clone()));
        let rows = self
            .x_labels
            .iter()
            .enumerate()
            .map(|(i, label)| TableRow {
                label: label.clone(),
                cells: self
                    .series
                    .iter()
                    .map(|s| match value_at(&s.values, i) {
                        Some(v) => (self.y_format)(v),
                        None => missing.to_string(),
                    })
                    .collect(),
            })
            .collect();
        ChartTable { head, rows }
    }
}

impl BarChart {
    pub fn render(&self) -> String {
        self.to_string()
    }

    /// Rows per category; the columns are the series, or one column `value_head` for plain bars.
    pub fn table(&self, corner: &str, value_head: &str) -> ChartTable {
        let mut head = vec![corner.to_string()];
        if self.series.len() > 1 {
            head.extend(self.series.iter().cloned());
        } else {
            head.push(value_head.to_string());
        }
        let columns = self.series.len().max(1);
        let rows = self
            .groups
            .iter()
            .map(|g| TableRow {
                label: g.label.clone(),
                cells: (0..columns)
                    .map(|j| g.values.get(j).map(|v| v.text.clone()).unwrap_or_default())
                    .collect(),
            })
            .collect();
        ChartTable { head, rows }
    }
}

/// Escapes text for SVG content and attribute values. Characters XML 1.0 does not allow
/// (most control characters) are left out: one of them would make the whole page's SVG
/// unreadable to an XML reader.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' => out.push(c),
            c if c >= '\u{10000}' => out.push(c),
            _ => {}
        }
    }
    out
}

/// A coordinate rounded to one decimal, without a trailing ".0": smaller pages, same bytes.
struct N(f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = (self.0 * 10.0).round() / 10.0;
        if !r.is_finite() || r == 0.0 {
            f.write_str("0")
        } else if r.fract() == 0.0 {
            write!(f, "{r:.0}")
        } else {
            write!(f, "{r:.1}")
        }
    }
}

fn value_at(values: &[Option<f64>], i: usize) -> Option<f64> {
    values.get(i).copied().flatten().filter(|v| v.is_finite())
}

/// Only letters, digits, `-` and `_`: the id is also a token in `aria-labelledby`.
fn clean_id(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id
    } else {
        format!("chart-{id}")
    }
}

fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH * font
}

/// Cuts text that would not fit in `width` and ends it with "…"; the table has it in full.
fn fit(text: &str, width: f64) -> String {
    if text_width(text, FONT) <= width {
        return text.to_string();
    }
    let keep = ((width / (CHAR_WIDTH * FONT)).floor() as usize).saturating_sub(1);
    let mut out: String = text.chars().take(keep).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Breaks a label into at most two lines that fit in `width`; the rest is cut with "…".
fn wrap(text: &str, width: f64) -> Vec<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text_width(&text, FONT) <= width {
        return vec![text];
    }
    let mut first = String::new();
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.peek() {
        let candidate = if first.is_empty() {
            word.to_string()
        } else {
            format!("{first} {word}")
        };
        if text_width(&candidate, FONT) > width {
            break;
        }
        first = candidate;
        words.next();
    }
    if first.is_empty() {
        // One word longer than the line: cut it.
        return vec![fit(&text, width)];
    }
    let rest = words.collect::<Vec<_>>().join(" ");
    vec![first, fit(&rest, width)]
}

/// The opening tag, title and description. The ids come from [`clean_id`].
fn open(out: &mut impl Write, id: &str, height: f64, title: &str, desc: &str) -> fmt::Result {
    write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {} {}\" class=\"chart\" \
         font-size=\"{}\" fill=\"{TEXT}\"><title id=\"{id}-title\">{}</title>\
         <desc id=\"{id}-desc\">{}</desc>",
        N(WIDTH),
        N(height),
        N(FONT),
        escape(title),
        escape(desc)
    )
}

fn empty(out: &mut impl Write, id: &str, title: &str, desc: &str, text: &str) -> fmt::Result {
    let height = 120.0;
    open(out, id, height, title, desc)?;
    write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{TEXT_MUTED}\">{}</text></svg>",
        N(WIDTH / 2.0),
        N(height / 2.0 + FONT * 0.35),
        escape(&fit(text, WIDTH - 8.0))
    )
}

/// A y axis from 0 (or from below 0 when a value is negative) to the first tick at or above
/// the largest value, in at most five steps of 1, 2 or 5 × 10^n.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    ticks: Vec<f64>,
}

impl Axis {
    fn new(lo: f64, hi: f64, unit: Unit) -> Axis {
        let lo = lo.min(0.0);
        let mut hi = hi.max(0.0);
        if unit == Unit::Percent {
            hi = hi.max(100.0);
        }
        if hi - lo <= 0.0 {
            hi = 1.0;
        }
        let range = hi - lo;
        let mut exp = (range / 5.0).log10().floor() as i32;
        if unit == Unit::Count {
            // Counts are whole numbers: no tick at 2.5 families.
            exp = exp.max(0);
        }
        for _ in 0..4 {
            for m in [1.0, 2.0, 5.0] {
                let step = |i: f64| {
                    if exp >= 0 {
                        i * m * 10f64.powi(exp)
                    } else {
                        i * m / 10f64.powi(-exp)
                    }
                };
                let below = (-lo / step(1.0) - 1e-9).ceil().max(0.0);
                let above = (hi / step(1.0) - 1e-9).ceil().max(1.0);
                if below + above <= 5.0 {
                    let ticks = (-(below as i64)..=above as i64)
                        .map(|i| step(i as f64))
                        .collect();
                    return Axis { ticks };
                }
            }
            exp += 1;
        }
        Axis {
            ticks: vec![lo, hi],
        }
    }

    fn lo(&self) -> f64 {
        self.ticks.first().copied().unwrap_or(0.0)
    }

    fn hi(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }
}

impl fmt::Display for LineChart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = clean_id(&self.id);
        let n = self.x_labels.len();
        let series: Vec<Vec<Option<f64>>> = self
            .series
            .iter()
            .map(|s| (0..n).map(|i| value_at(&s.values, i)).collect())
            .collect();
        let values: Vec<f64> = series.iter().flatten().flatten().copied().collect();
        if values.is_empty() {
            return empty(f, &id, &self.title, &self.desc, &self.empty_text);
        }
        let lo = values.iter().copied().fold(0.0, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        let axis = Axis::new(lo, hi, self.unit);
        let tick_texts: Vec<String> = axis.ticks.iter().map(|t| (self.y_format)(*t)).collect();

        // Direct labels at the line ends take the right margin, at most a third of the width.
        let label_room = WIDTH / 3.0;
        let ends: Vec<(usize, String, f64)> = series
            .iter()
            .enumerate()
            .filter_map(|(j, vals)| {
                let last = vals.iter().rev().find_map(|v| *v)?;
                let label = self.series.get(j).map_or("", |s| s.label.as_str());
                Some((j, fit(label, label_room), last))
            })
            .collect();
        let ends_width = ends
            .iter()
            .map(|(_, l, _)| text_width(l, FONT))
            .fold(0.0, f64::max);
        let ticks_width = tick_texts
            .iter()
            .map(|t| text_width(t, FONT))
            .fold(0.0, f64::max);
        let left = ticks_width + 10.0;
        let right = WIDTH - ends_width - 10.0;
        let top = FONT * 0.75;
        let bottom = LINE_HEIGHT - FONT * 1.9;
        let y = |v: f64| bottom - (v - axis.lo()) / (axis.hi() - axis.lo()) * (bottom - top);
        let gap = if n > 1 {
            (right - left) / (n - 1) as f64
        } else {
            0.0
        };
        let x = |i: usize| {
            if n > 1 {
                left + gap * i as f64
            } else {
                (left + right) / 2.0
            }
        };

        open(f, &id, LINE_HEIGHT, &self.title, &self.desc)?;
        for (tick, text) in axis.ticks.iter().zip(&tick_texts) {
            let colour = if *tick == 0.0 { TEXT_MUTED } else { GRID };
            write!(
                f,
                "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                N(left),
                N(right),
                N(left - 6.0),
                N(y(*tick) + FONT * 0.35),
                escape(text),
                y = N(y(*tick)),
            )?;
        }

        // Every `shown`-th x label is drawn; on a phone only every `phone`-th (the others get
        // `chart-minor`, which app.css hides below 40em).
        let widest = self.x_labels.iter().map(|l| l.chars().count()).max();
        let widest = widest.unwrap_or(0) as f64 * CHAR_WIDTH;
        let step_for = |font: f64, from: usize| {
            let mut step = from.max(1);
            while n > 1 && step < n && gap * (step as f64) < widest * font + 6.0 {
                step += from.max(1);
            }
            step
        };
        let shown = step_for(FONT_WIDE, 1);
        let phone = step_for(FONT, shown);
        for (i, label) in self.x_labels.iter().enumerate() {
            if i % shown != 0 {
                continue;
            }
            let half = text_width(label, FONT) / 2.0;
            let cx = x(i).clamp(half.min(WIDTH / 2.0), (WIDTH - half).max(WIDTH / 2.0));
            let class = if i % phone != 0 {
                " class=\"chart-minor\""
            } else {
                ""
            };
            write!(
                f,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\"{class}>{}</text>",
                N(cx),
                N(bottom + FONT * 1.3),
                escape(label)
            )?;
        }

        for (j, vals) in series.iter().enumerate() {
            let colour = SERIES[j % SERIES.len()];
            let dash = DASHES[j % DASHES.len()];
            let mut d = String::new();
            let mut dots = Vec::new();
            for (i, v) in vals.iter().enumerate() {
                let Some(v) = v else { continue };
                let joined = i > 0 && vals.get(i - 1).copied().flatten().is_some();
                let cmd = if joined { 'L' } else { 'M' };
                write!(d, "{cmd}{} {}", N(x(i)), N(y(*v)))?;
                let next = vals.get(i + 1).copied().flatten().is_some();
                if !joined && !next {
                    // A point without neighbours would be an invisible line of length 0.
                    dots.push((x(i), y(*v)));
                }
            }
            if d.is_empty() {
                continue;
            }
            write!(
                f,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"3\" \
                 stroke-linejoin=\"round\""
            )?;
            if !dash.is_empty() {
                write!(f, " stroke-dasharray=\"{dash}\"")?;
            }
            f.write_str("/>")?;
            for (cx, cy) in dots {
                write!(
                    f,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{colour}\"/>",
                    N(cx),
                    N(cy)
                )?;
            }
        }

        // Labels at the line ends, pushed apart when lines end close together.
        let mut placed: Vec<(usize, &str, f64)> = ends
            .iter()
            .map(|(j, l, v)| (*j, l.as_str(), y(*v)))
            .collect();
        placed.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
        let spacing = FONT * 1.1;
        for i in 1..placed.len() {
            let above = placed[i - 1].2;
            if placed[i].2 < above + spacing {
                placed[i].2 = above + spacing;
            }
        }
        let mut limit = bottom;
        for p in placed.iter_mut().rev() {
            p.2 = p.2.min(limit);
            limit = p.2 - spacing;
        }
        for (j, label, ly) in placed {
            write!(
                f,
                "<text x=\"{}\" y=\"{}\" fill=\"{}\" font-weight=\"700\">{}</text>",
                N(right + 6.0),
                N(ly + FONT * 0.35),
                SERIES[j % SERIES.len()],
                escape(label)
            )?;
        }
        f.write_str("</svg>")
    }
}

impl fmt::Display for BarChart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = clean_id(&self.id);
        if self.groups.is_empty() {
            return empty(f, &id, &self.title, &self.desc, &self.empty_text);
        }
        let grouped = self.series.len() > 1;
        let columns = self.series.len().max(1);
        let start = 2.0;
        let bar_height = FONT * 1.25;
        let bar_gap = 4.0;

        // What is written after each bar; with series, the series name first.
        let texts: Vec<Vec<String>> = self
            .groups
            .iter()
            .map(|g| {
                (0..columns)
                    .map(|j| {
                        let text = g.values.get(j).map_or("", |v| v.text.as_str());
                        let text = match self.series.get(j) {
                            Some(name) if grouped => format!("{name}: {text}"),
                            _ => text.to_string(),
                        };
                        fit(&text, WIDTH / 2.0)
                    })
                    .collect()
            })
            .collect();
        let text_room = texts
            .iter()
            .flatten()
            .map(|t| text_width(t, FONT))
            .fold(0.0, f64::max);
        let room = WIDTH - start - text_room - 10.0;
        let values = self
            .groups
            .iter()
            .flat_map(|g| g.values.iter().take(columns))
            .filter_map(|v| v.value.filter(|v| v.is_finite()));
        let mut top = values.fold(0.0, f64::max);
        if self.unit == Unit::Percent {
            top = top.max(100.0);
        }
        let length = |v: f64| {
            if top > 0.0 {
                v.max(0.0) / top * room
            } else {
                0.0
            }
        };

        let mut body = String::new();
        let mut y = 0.0;
        for (gi, group) in self.groups.iter().enumerate() {
            let highlighted = self.highlight == Some(gi);
            let weight = if highlighted {
                " font-weight=\"700\""
            } else {
                ""
            };
            for line in wrap(&group.label, WIDTH - start - 2.0) {
                y += FONT * 1.25;
                write!(
                    body,
                    "<text x=\"{}\" y=\"{}\"{weight}>{}</text>",
                    N(start),
                    N(y - FONT * 0.25),
                    escape(&line)
                )?;
            }
            y += bar_gap;
            for (j, text) in texts.get(gi).into_iter().flatten().enumerate() {
                let value = group
                    .values
                    .get(j)
                    .and_then(|v| v.value)
                    .filter(|v| v.is_finite());
                let mut end = start;
                if let Some(v) = value {
                    // A zero stays visible as a thin bar, so "0" is not read as "missing".
                    let width = length(v).max(2.0);
                    end = start + width;
                    let colour = if !grouped && self.highlight.is_some() && !highlighted {
                        TEXT_MUTED
                    } else {
                        SERIES[j % SERIES.len()]
                    };
                    let fill = if j == 0 {
                        colour.to_string()
                    } else {
                        format!("url(#{id}-s{j})")
                    };
                    write!(
                        body,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"",
                        N(start),
                        N(y),
                        N(width),
                        N(bar_height)
                    )?;
                    if highlighted {
                        write!(body, " stroke=\"{TEXT}\" stroke-width=\"2\"")?;
                    } else if j > 0 {
                        write!(body, " stroke=\"{colour}\" stroke-width=\"1.5\"")?;
                    }
                    body.push_str("/>");
                }
                write!(
                    body,
                    "<text x=\"{}\" y=\"{}\"{weight}>{}</text>",
                    N(end + 6.0),
                    N(y + bar_height / 2.0 + FONT * 0.35),
                    escape(text)
                )?;
                y += bar_height + bar_gap;
            }
            y += FONT * 0.75;
        }

        open(f, &id, y, &self.title, &self.desc)?;
        if grouped {
            f.write_str("<defs>")?;
            for j in 1..columns {
                let colour = SERIES[j % SERIES.len()];
                write!(
                    f,
                    "<pattern id=\"{id}-s{j}\" width=\"6\" height=\"6\" \
                     patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate({})\">\
                     <rect width=\"6\" height=\"6\" fill=\"#fff\"/>\
                     <rect width=\"3\" height=\"6\" fill=\"{colour}\"/></pattern>",
                    STRIPES[j % STRIPES.len()]
                )?;
            }
            f.write_str("</defs>")?;
        }
        f.write_str(&body)?;
        f.write_str("</svg>")
    }
}

#[cfg(test)]
// As in tests/main.rs: a failed unwrap in a test is a failed test, not a panic in a request.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    /// An element's name, its attributes and its decoded text.
    type Element = (String, Vec<(String, String)>, String);

    /// Reads the SVG with a real XML reader and returns every element's name with its
    /// attributes and its decoded text, in document order; fails on anything malformed.
    fn parse(svg: &str) -> Vec<Element> {
        let mut reader = quick_xml::Reader::from_str(svg);
        reader.config_mut().check_end_names = true;
        let mut elements: Vec<Element> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut roots = 0;
        loop {
            let (e, empty) = match reader.read_event().unwrap() {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => {
                    open.pop().unwrap();
                    continue;
                }
                Event::Text(t) => {
                    let text = t.xml10_content().into_owned();
                    assert!(text.chars().all(|c| !c.is_control() || c == '\n'));
                    elements[*open.last().unwrap()].2.push_str(&text);
                    continue;
                }
                Event::GeneralRef(r) => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().unwrap().unwrap()
                    } else {
                        match &*r {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            other => panic!("unknown entity {other:?}"),
                        }
                    };
                    elements[*open.last().unwrap()].2.push(c);
                    continue;
                }
                Event::Eof => break,
                other => panic!("unexpected {other:?}"),
            };
            if open.is_empty() {
                roots += 1;
            }
            let name = e.name().into_inner().to_string();
            let attrs = e
                .attributes()
                .with_checks(true)
                .map(|a| {
                    let a = a.unwrap();
                    let key = a.key.into_inner().to_string();
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned();
                    (key, value)
                })
                .collect();
            elements.push((name, attrs, String::new()));
            if !empty {
                open.push(elements.len() - 1);
            }
        }
        assert!(open.is_empty(), "unclosed elements");
        assert_eq!(roots, 1);
        elements
    }

    fn attr<'a>(element: &'a Element, key: &str) -> &'a str {
        element
            .1
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {key} on {}", element.0))
    }

    fn texts(svg: &str) -> Vec<String> {
        parse(svg)
            .into_iter()
            .filter(|e| e.0 == "text")
            .map(|e| e.2)
            .collect()
    }

    fn line(series: Vec<Series>, x: usize, unit: Unit) -> LineChart {
        LineChart {
            id: "trend".into(),
            title: "Bezoeken".into(),
            desc: "Het aantal bezoeken steeg.".into(),
            empty_text: "Geen gegevens in deze periode".into(),
            unit,
            x_labels: (1..=x).map(|i| format!("m{i}")).collect(),
            series,
            y_format: Box::new(|v| format!("{v}")),
        }
    }

    fn bars(groups: Vec<BarGroup>) -> BarChart {
        BarChart {
            id: "spread".into(),
            title: "Gezinnen per wijk".into(),
            desc: "Noord heeft de meeste gezinnen.".into(),
            empty_text: "Geen gegevens in deze periode".into(),
            unit: Unit::Count,
            series: vec![],
            groups,
            highlight: None,
        }
    }

    fn bar(label: &str, value: f64) -> BarGroup {
        BarGroup::new(label, vec![BarValue::new(Some(value), format!("{value}"))])
    }

    #[test]
    fn escape_makes_markup_plain_text() {
        let nasty = "<script>&\"'";
        assert_eq!(escape(nasty), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(escape("a\u{0}b\u{1b}c\té"), "abc\té");
        // Round trip through a real XML reader: the reader sees the text, not markup.
        let mut chart = bars(vec![bar(nasty, 3.0)]);
        chart.title = nasty.into();
        let svg = chart.render();
        assert!(!svg.contains("<script"));
        let elements = parse(&svg);
        assert!(elements.iter().all(|e| e.0 != "script"));
        assert_eq!(elements.iter().find(|e| e.0 == "title").unwrap().2, nasty);
        assert!(texts(&svg).contains(&nasty.to_string()));
    }

    #[test]
    fn title_and_desc_ids_match_aria_labelledby() {
        let mut chart = line(
            vec![Series::new("Noord", vec![Some(1.0), Some(2.0)])],
            2,
            Unit::Count,
        );
        chart.id = "wijk 1\"x".into();
        for svg in [chart.render(), bars(vec![bar("Noord", 1.0)]).render()] {
            let elements = parse(&svg);
            let root = &elements[0];
            assert_eq!(root.0, "svg");
            assert_eq!(attr(root, "role"), "img");
            assert_eq!(attr(root, "class"), "chart");
            let ids: Vec<&str> = attr(root, "aria-labelledby").split(' ').collect();
            assert_eq!(ids.len(), 2);
            let title = elements.iter().find(|e| e.0 == "title").unwrap();
            let desc = elements.iter().find(|e| e.0 == "desc").unwrap();
            assert_eq!(attr(title, "id"), ids[0]);
            assert_eq!(attr(desc, "id"), ids[1]);
            assert!(ids[0].ends_with("-title") && ids[1].ends_with("-desc"));
            assert!(!desc.2.is_empty());
        }
        assert!(chart.render().contains("id=\"wijk-1-x-title\""));
    }

    #[test]
    fn two_series_draw_two_lines_the_second_dashed_each_labelled_at_its_end() {
        let chart = line(
            vec![
                Series::new("Noord", vec![Some(1.0), Some(4.0), Some(6.0)]),
                Series::new("Zuid & Oost", vec![Some(2.0), Some(3.0), Some(2.0)]),
            ],
            3,
            Unit::Count,
        );
        let svg = chart.render();
        let elements = parse(&svg);
        let lines: Vec<_> = elements
            .iter()
            .filter(|e| e.0 == "path" || e.0 == "polyline")
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].1.iter().all(|(k, _)| k != "stroke-dasharray"));
        assert!(!attr(lines[1], "stroke-dasharray").is_empty());
        assert_ne!(attr(lines[0], "stroke"), attr(lines[1], "stroke"));
        let labels: Vec<_> = elements
            .iter()
            .filter(|e| e.0 == "text" && (e.2 == "Noord" || e.2 == "Zuid & Oost"))
            .collect();
        assert_eq!(labels.len(), 2);
        // Each label takes its line's colour and sits right of the last point.
        let noord = labels.iter().find(|l| l.2 == "Noord").unwrap();
        let zuid = labels.iter().find(|l| l.2 == "Zuid & Oost").unwrap();
        assert_eq!(attr(noord, "fill"), attr(lines[0], "stroke"));
        assert_eq!(attr(zuid, "fill"), attr(lines[1], "stroke"));
        let last_x: f64 = attr(lines[0], "d")
            .rsplit('L')
            .next()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            labels
                .iter()
                .all(|l| attr(l, "x").parse::<f64>().unwrap() > last_x)
        );
        // Same input, same bytes.
        assert_eq!(svg, chart.render());
    }

    #[test]
    fn y_ticks_are_nice_numbers_from_zero_that_cover_the_largest_value() {
        for (max, want) in [
            (6.0, vec![0.0, 2.0, 4.0, 6.0]),
            (7.0, vec![0.0, 2.0, 4.0, 6.0, 8.0]),
            (37.0, vec![0.0, 10.0, 20.0, 30.0, 40.0]),
            (1234.0, vec![0.0, 500.0, 1000.0, 1500.0]),
            (3.0, vec![0.0, 1.0, 2.0, 3.0]),
            (0.0, vec![0.0, 1.0]),
        ] {
            assert_eq!(Axis::new(0.0, max, Unit::Count).ticks, want, "max {max}");
        }
        for max in [0.3, 1.0, 9.9, 11.0, 99.0, 101.0, 12345.6, 1e9] {
            let ticks = Axis::new(0.0, max, Unit::Count).ticks;
            assert_eq!(ticks[0], 0.0);
            assert!(*ticks.last().unwrap() >= max);
            assert!((2..=6).contains(&ticks.len()), "{max}: {ticks:?}");
            let step = ticks[1];
            let mantissa = step / 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
                "{max}: step {step}"
            );
        }
        // Negative values get ticks below zero.
        assert_eq!(
            Axis::new(-3.0, 6.0, Unit::Count).ticks,
            vec![-4.0, -2.0, 0.0, 2.0, 4.0, 6.0]
        );
        // The rendered axis labels are the caller's formatting of those ticks.
        let mut chart = line(vec![Series::new("Noord", vec![Some(7.0)])], 1, Unit::Count);
        chart.y_format = Box::new(|v| format!("{v:.0} st."));
        let t = texts(&chart.render());
        for want in ["0 st.", "2 st.", "8 st."] {
            assert!(t.contains(&want.to_string()), "{t:?}");
        }
        assert!(!t.contains(&"10 st.".to_string()));
    }

    #[test]
    fn a_percent_axis_runs_to_100_unless_a_value_goes_past_it() {
        assert_eq!(
            *Axis::new(0.0, 12.0, Unit::Percent).ticks.last().unwrap(),
            100.0
        );
        assert!(*Axis::new(0.0, 130.0, Unit::Percent).ticks.last().unwrap() >= 130.0);
        let chart = line(
            vec![Series::new("Noord", vec![Some(12.0), Some(30.0)])],
            2,
            Unit::Percent,
        );
        let t = texts(&chart.render());
        assert!(t.contains(&"100".to_string()), "{t:?}");
        assert!(!t.contains(&"120".to_string()));
    }

    #[test]
    fn a_missing_value_breaks_the_line_instead_of_dropping_to_zero() {
        let chart = line(
            vec![Series::new(
                "Noord",
                vec![
                    Some(4.0),
                    Some(5.0),
                    None,
                    Some(f64::NAN),
                    Some(6.0),
                    Some(4.0),
                ],
            )],
            6,
            Unit::Count,
        );
        let svg = chart.render();
        let elements = parse(&svg);
        let path = elements.iter().find(|e| e.0 == "path").unwrap();
        let d = attr(path, "d");
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 2, "{d}");
        // No point sits on the zero line.
        let zero_y = elements
            .iter()
            .find(|e| e.0 == "line" && attr(e, "stroke") == TEXT_MUTED)
            .map(|e| attr(e, "y1").to_string())
            .unwrap();
        assert!(!d.contains(&format!(" {zero_y}")), "{d}");
        // A single point between gaps is still drawn.
        let lonely = line(
            vec![Series::new("Zuid", vec![Some(1.0), None, Some(2.0), None])],
            4,
            Unit::Count,
        );
        let elements = parse(&lonely.render());
        assert_eq!(elements.iter().filter(|e| e.0 == "circle").count(), 2);
    }

    #[test]
    fn crowded_x_labels_are_thinned_on_a_phone() {
        let chart = line(
            vec![Series::new(
                "Noord",
                (0..12).map(|i| Some(f64::from(i))).collect(),
            )],
            12,
            Unit::Count,
        );
        let elements = parse(&chart.render());
        let x_labels: Vec<_> = elements
            .iter()
            .filter(|e| e.0 == "text" && e.2.starts_with('m'))
            .collect();
        assert_eq!(x_labels.first().unwrap().2, "m1");
        let minor = x_labels
            .iter()
            .filter(|e| e.1.iter().any(|(k, v)| k == "class" && v == "chart-minor"))
            .count();
        assert!(
            minor > 0 && minor < x_labels.len(),
            "{minor} of {}",
            x_labels.len()
        );
        let few = line(
            vec![Series::new("Noord", vec![Some(1.0), Some(2.0)])],
            2,
            Unit::Count,
        );
        assert!(!few.render().contains("chart-minor"));
    }

    #[test]
    fn bar_length_is_proportional_to_the_value() {
        let chart = bars(vec![bar("Noord", 10.0), bar("Zuid", 5.0), bar("Oost", 0.0)]);
        let svg = chart.render();
        let elements = parse(&svg);
        let widths: Vec<f64> = elements
            .iter()
            .filter(|e| e.0 == "rect")
            .map(|e| attr(e, "width").parse().unwrap())
            .collect();
        assert_eq!(widths.len(), 3);
        assert!((widths[0] - 2.0 * widths[1]).abs() <= 0.2, "{widths:?}");
        assert!(widths[0] > 100.0);
        // Zero is a thin visible bar, and its label and value are still written.
        assert!(widths[2] > 0.0 && widths[2] < 5.0, "{widths:?}");
        let t = texts(&svg);
        for want in ["Noord", "10", "Zuid", "5", "Oost", "0"] {
            assert!(t.contains(&want.to_string()), "{want} in {t:?}");
        }
    }

    #[test]
    fn a_hidden_count_draws_no_bar_but_keeps_its_text() {
        let chart = bars(vec![
            bar("Noord", 10.0),
            BarGroup::new("Zuid", vec![BarValue::new(None, "< 5")]),
        ]);
        let svg = chart.render();
        assert_eq!(parse(&svg).iter().filter(|e| e.0 == "rect").count(), 1);
        assert!(texts(&svg).contains(&"< 5".to_string()));
    }

    #[test]
    fn grouped_bars_differ_by_pattern_and_name_their_series() {
        let mut chart = bars(vec![
            BarGroup::new(
                "Eerste keer",
                vec![BarValue::new(Some(8.0), "8"), BarValue::new(Some(4.0), "4")],
            ),
            BarGroup::new(
                "Terug",
                vec![BarValue::new(Some(2.0), "2"), BarValue::new(Some(0.0), "0")],
            ),
        ]);
        chart.series = vec!["Noord".into(), "Zuid".into()];
        chart.highlight = Some(1);
        let svg = chart.render();
        let elements = parse(&svg);
        let rects: Vec<_> = elements
            .iter()
            .filter(|e| e.0 == "rect" && e.1.iter().any(|(k, _)| k == "x"))
            .collect();
        assert_eq!(rects.len(), 4);
        assert_eq!(attr(rects[0], "fill"), SERIES[0]);
        assert_eq!(attr(rects[1], "fill"), "url(#spread-s1)");
        assert!(
            elements
                .iter()
                .any(|e| e.0 == "pattern" && attr(e, "id") == "spread-s1")
        );
        let t = texts(&svg);
        for want in ["Noord: 8", "Zuid: 4", "Noord: 2", "Zuid: 0"] {
            assert!(t.contains(&want.to_string()), "{want} in {t:?}");
        }
        let terug = elements.iter().find(|e| e.2 == "Terug").unwrap();
        assert_eq!(attr(terug, "font-weight"), "700");
        let table = chart.table("Bezoek", "Aantal");
        assert_eq!(table.head, vec!["Bezoek", "Noord", "Zuid"]);
        assert_eq!(table.rows[1].cells, vec!["2", "0"]);
    }

    #[test]
    fn long_labels_wrap_to_two_lines_and_stay_inside() {
        let long = "Activiteitencentrum De Bolder aan de Hoofdstraat in het oude centrum van de \
                    stad, naast de bibliotheek";
        let svg = bars(vec![bar(long, 3.0)]).render();
        let t = texts(&svg);
        assert!(t[0].starts_with("Activiteitencentrum"));
        assert!(t[1].ends_with('…'));
        for line in &t[..2] {
            assert!(text_width(line, FONT) <= WIDTH, "{line}");
        }
    }

    #[test]
    fn no_data_renders_the_empty_text() {
        let empty_line = line(
            vec![Series::new("Noord", vec![None, Some(f64::INFINITY)])],
            2,
            Unit::Count,
        );
        let no_x = line(vec![Series::new("Noord", vec![Some(1.0)])], 0, Unit::Count);
        let no_series = line(vec![], 3, Unit::Percent);
        for svg in [
            empty_line.render(),
            no_x.render(),
            no_series.render(),
            bars(vec![]).render(),
        ] {
            let elements = parse(&svg);
            assert_eq!(
                texts(&svg),
                vec!["Geen gegevens in deze periode".to_string()]
            );
            assert!(elements.iter().any(|e| e.0 == "title"));
            assert!(elements.iter().all(|e| e.0 != "path" && e.0 != "rect"));
        }
        // All zeros is data, not nothing.
        let zeros = line(
            vec![Series::new("Noord", vec![Some(0.0), Some(0.0)])],
            2,
            Unit::Count,
        );
        assert_eq!(
            parse(&zeros.render())
                .iter()
                .filter(|e| e.0 == "path")
                .count(),
            1
        );
        let zero_bars = bars(vec![bar("Noord", 0.0)]).render();
        assert_eq!(
            parse(&zero_bars).iter().filter(|e| e.0 == "rect").count(),
            1
        );
    }

    #[test]
    fn line_table_uses_the_axis_format_and_marks_gaps() {
        let chart = line(
            vec![
                Series::new("Noord", vec![Some(1.5), None]),
                Series::new("Zuid", vec![Some(2.0)]),
            ],
            2,
            Unit::Count,
        );
        let table = chart.table("Maand", "–");
        assert_eq!(table.head, vec!["Maand", "Noord", "Zuid"]);
        assert_eq!(table.rows[0].label, "m1");
        assert_eq!(table.rows[0].cells, vec!["1.5", "2"]);
        assert_eq!(table.rows[1].cells, vec!["–", "–"]);
    }

    #[test]
    fn coordinates_have_at_most_one_decimal() {
        assert_eq!(N(1.25).to_string(), "1.3");
        assert_eq!(N(2.0).to_string(), "2");
        assert_eq!(N(-0.01).to_string(), "0");
        assert_eq!(N(f64::NAN).to_string(), "0");
        let svg = line(
            vec![Series::new(
                "Noord",
                vec![Some(1.0 / 3.0), Some(2.0 / 3.0), Some(0.7)],
            )],
            3,
            Unit::Count,
        )
        .render();
        assert!(!svg.contains(".33"), "{svg}");
    }
}
