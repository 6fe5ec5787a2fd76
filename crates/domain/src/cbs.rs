//! CBS open data for the neighbourhood scan (handbook §3.1, docs/guide/scan.md).
//!
//! A team downloads two files by hand from CBS open data and uploads them: the "Kerncijfers
//! wijken en buurten" table of a year (e.g. 85984NED) and, optionally, the household
//! composition per municipality (71487ned). The app never downloads anything itself.
//!
//! The reader is tolerant of what those exports look like in practice: `;` or `,` between
//! cells, a byte-order mark, UTF-8 or Windows-1252, codes padded with spaces (`"GM0034    "`),
//! `.` or an empty cell for a figure CBS does not publish. Columns are found by the export's
//! own headers, never by position: a key such as `HuishoudensMetKinderen_31` is matched by the
//! part before its number (the number changes from year to year), a title such as
//! "Huishoudens met kinderen" by its words, and a DataProperties file, when given, turns keys
//! into titles. Everything is bounded before it is kept (bytes, rows, columns, cell length).
//! Errors name the row, the column or the code, as a message key and arguments the web layer
//! translates.

use std::collections::HashMap;

/// The largest file we read; the web layer refuses a bigger body before reading it.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// All municipalities, districts and neighbourhoods of the Netherlands are about 18,000 rows.
pub const MAX_ROWS: usize = 25_000;
/// The Kerncijfers tables have a little over a hundred columns.
pub const MAX_COLUMNS: usize = 400;
/// Longer cells are cut: no figure or code is this long.
const MAX_CELL: usize = 200;

/// A figure of the scan, for naming a missing or broken column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Region,
    Inhabitants,
    Households,
    WithChildren,
    AverageIncome,
    LowIncome,
    SocialMinimum,
    Assistance,
    SingleParents,
    PropertyKey,
}

impl Figure {
    /// The message key of the figure's name.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Region => "cbs-figure-region",
            Figure::Inhabitants => "cbs-figure-inhabitants",
            Figure::Households => "cbs-figure-households",
            Figure::WithChildren => "cbs-figure-with-children",
            Figure::AverageIncome => "cbs-figure-average-income",
            Figure::LowIncome => "cbs-figure-low-income",
            Figure::SocialMinimum => "cbs-figure-social-minimum",
            Figure::Assistance => "cbs-figure-assistance",
            Figure::SingleParents => "cbs-figure-single-parents",
            Figure::PropertyKey => "cbs-figure-property-key",
        }
    }

    /// The CBS key (without its number) and the title words that find the column.
    fn matchers(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Figure::Region => (
                &["wijkenenbuurten", "regios", "codering", "regio"],
                &["wijken en buurten", "regio's", "codering", "regiocode"],
            ),
            Figure::Inhabitants => (&["aantalinwoners"], &["aantal inwoners"]),
            Figure::Households => (
                &["huishoudenstotaal", "totaalparticulierehuishoudens"],
                &["huishoudens totaal", "totaal particuliere huishoudens"],
            ),
            Figure::WithChildren => (
                &["huishoudensmetkinderen", "totaalhuishoudensmetkinderen"],
                &["huishoudens met kinderen"],
            ),
            Figure::AverageIncome => (
                &["gemiddeldinkomenperinwoner"],
                &["gemiddeld inkomen per inwoner"],
            ),
            Figure::LowIncome => (
                &["huishoudensmeteenlaaginkomen"],
                &["huishoudens met een laag inkomen"],
            ),
            Figure::SocialMinimum => (
                &[
                    "huishonderofrondsociaalminimum",
                    "huishoudensonderofrondsociaalminimum",
                ],
                &["sociaal minimum"],
            ),
            Figure::Assistance => (&["personenpersoortuitkeringbijstand"], &["bijstand"]),
            Figure::SingleParents => (
                &[
                    "totaaleenouderhuishoudensmetkinderen",
                    "eenouderhuishoudens",
                ],
                &["eenouderhuishoudens"],
            ),
            Figure::PropertyKey => (&["key"], &["key"]),
        }
    }
}

/// What is wrong with a file. Rows are numbered as a spreadsheet shows them (the header is
/// row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CbsError {
    TooLarge,
    NotText,
    Empty,
    TooManyRows,
    TooManyColumns {
        row: usize,
    },
    Unreadable {
        row: usize,
    },
    MissingColumn(Figure),
    BadCode {
        row: usize,
        value: String,
    },
    BadNumber {
        row: usize,
        column: String,
        value: String,
    },
    CodeNotFound {
        code: String,
    },
    NoShare {
        code: String,
    },
}

impl CbsError {
    /// The message key (crates/web/locales/*/scan.ftl).
    pub fn key(&self) -> &'static str {
        match self {
            CbsError::TooLarge => "cbs-error-too-large",
            CbsError::NotText => "cbs-error-not-text",
            CbsError::Empty => "cbs-error-empty",
            CbsError::TooManyRows => "cbs-error-too-many-rows",
            CbsError::TooManyColumns { .. } => "cbs-error-too-many-columns",
            CbsError::Unreadable { .. } => "cbs-error-unreadable",
            CbsError::MissingColumn(_) => "cbs-error-missing-column",
            CbsError::BadCode { .. } => "cbs-error-bad-code",
            CbsError::BadNumber { .. } => "cbs-error-bad-number",
            CbsError::CodeNotFound { .. } => "cbs-error-code-not-found",
            CbsError::NoShare { .. } => "cbs-error-no-share",
        }
    }

    /// The message's arguments; a `figure` argument is itself a message key to translate.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            CbsError::TooManyColumns { row } | CbsError::Unreadable { row } => {
                vec![("row", row.to_string())]
            }
            CbsError::MissingColumn(f) => vec![("figure", f.key().to_string())],
            CbsError::BadCode { row, value } => {
                vec![("row", row.to_string()), ("value", value.clone())]
            }
            CbsError::BadNumber { row, column, value } => vec![
                ("row", row.to_string()),
                ("column", column.clone()),
                ("value", value.clone()),
            ],
            CbsError::CodeNotFound { code } | CbsError::NoShare { code } => {
                vec![("code", code.clone())]
            }
            _ => vec![],
        }
    }
}

// ---------------------------------------------------------------- text and cells

/// The characters Windows-1252 puts at 0x80–0x9F (the rest is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// UTF-8 (a byte-order mark is dropped), otherwise Windows-1252. Control characters other
/// than line ends and tabs mean the file is no text export.
fn decode(bytes: &[u8]) -> Result<String, CbsError> {
    if bytes.len() > MAX_BYTES {
        return Err(CbsError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(CbsError::NotText);
    }
    if text.trim().is_empty() {
        return Err(CbsError::Empty);
    }
    Ok(text)
}

/// A file as its header and rows of trimmed cells (quotes removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Read a CSV export into a [`Sheet`], with the separator the header line uses most.
pub fn read_sheet(bytes: &[u8]) -> Result<Sheet, CbsError> {
    let text = decode(bytes)?;
    let first = text.lines().next().unwrap_or("");
    let sep = [';', ',', '\t']
        .into_iter()
        .max_by_key(|d| first.chars().filter(|c| c == d).count())
        .unwrap_or(';');
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut cell = String::new();
    let mut record: Vec<String> = Vec::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let push_cell = |cell: &mut String, record: &mut Vec<String>, row: usize| {
        if record.len() >= MAX_COLUMNS {
            return Err(CbsError::TooManyColumns { row });
        }
        record.push(cell.trim().chars().take(MAX_CELL).collect());
        cell.clear();
        Ok(())
    };
    while let Some(c) = chars.next() {
        let row = records.len() + 1;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else if cell.len() < MAX_CELL * 4 {
                cell.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == sep {
            push_cell(&mut cell, &mut record, row)?;
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            push_cell(&mut cell, &mut record, row)?;
            let done = std::mem::take(&mut record);
            if done.iter().any(|c| !c.is_empty()) {
                if records.len() > MAX_ROWS {
                    return Err(CbsError::TooManyRows);
                }
                records.push(done);
            }
        } else if cell.len() < MAX_CELL * 4 {
            cell.push(c);
        }
    }
    if quoted {
        return Err(CbsError::Unreadable {
            row: records.len() + 1,
        });
    }
    if !cell.is_empty() || !record.is_empty() {
        let row = records.len() + 1;
        push_cell(&mut cell, &mut record, row)?;
        if record.iter().any(|c| !c.is_empty()) {
            if records.len() > MAX_ROWS {
                return Err(CbsError::TooManyRows);
            }
            records.push(record);
        }
    }
    let mut it = records.into_iter();
    let headers = it.next().ok_or(CbsError::Empty)?;
    Ok(Sheet {
        headers,
        rows: it.collect(),
    })
}

// ---------------------------------------------------------------- columns

/// Keys and their titles from a DataProperties file (`Key` and `Title` columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Titles(HashMap<String, String>);

/// Read a DataProperties export: the CSV export with the columns `Key` and `Title`, found by
/// their headers, or the JSON CBS open data serves (see [`read_properties_json`]).
pub fn read_properties(bytes: &[u8]) -> Result<Titles, CbsError> {
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if matches!(start, Some(b'{' | b'[')) {
        return read_properties_json(bytes);
    }
    let sheet = read_sheet(bytes)?;
    let col = |name: &str| {
        sheet
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let key = col("Key").ok_or(CbsError::MissingColumn(Figure::PropertyKey))?;
    let title = col("Title").ok_or(CbsError::MissingColumn(Figure::PropertyKey))?;
    Ok(Titles(
        sheet
            .rows
            .iter()
            .filter_map(|r| Some((r.get(key)?.clone(), r.get(title)?.clone())))
            .filter(|(k, _)| !k.is_empty())
            .collect(),
    ))
}

/// Read DataProperties as JSON: the OData answer `{"odata.metadata": …, "value": [{"Key": …,
/// "Title": …}, …]}` or the bare list. Field names are matched without regard to case;
/// entries without a key (the groups that only head other columns) are skipped, and so are
/// other fields. Bounded like the CSV: the bytes, the entries (rows) and each text (cells);
/// the JSON parser limits nesting.
pub fn read_properties_json(bytes: &[u8]) -> Result<Titles, CbsError> {
    use serde_json::Value;
    let text = decode(bytes)?;
    let v: Value =
        serde_json::from_str(&text).map_err(|e| CbsError::Unreadable { row: e.line() })?;
    let field = |o: &serde_json::Map<String, Value>, name: &str| -> Option<String> {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
            .map(|s| s.trim().chars().take(MAX_CELL).collect())
    };
    let list = match &v {
        Value::Array(list) => list,
        Value::Object(o) => o
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("value"))
            .and_then(|(_, v)| v.as_array())
            .ok_or(CbsError::MissingColumn(Figure::PropertyKey))?,
        _ => return Err(CbsError::MissingColumn(Figure::PropertyKey)),
    };
    if list.len() > MAX_ROWS {
        return Err(CbsError::TooManyRows);
    }
    let titles: HashMap<String, String> = list
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|o| Some((field(o, "Key")?, field(o, "Title")?)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    if titles.is_empty() {
        return Err(CbsError::MissingColumn(Figure::PropertyKey));
    }
    Ok(Titles(titles))
}

/// A key without its year-dependent number, lower case: `HuishoudensMetKinderen_31` →
/// `huishoudensmetkinderen`.
fn stem(header: &str) -> String {
    let h = header.trim();
    let base = match h.rsplit_once('_') {
        Some((b, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => b,
        _ => h,
    };
    base.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `phrase` occurs in `title` as whole words (so "huishoudens met kinderen" is not
/// found in "eenouderhuishoudens met kinderen").
fn has_phrase(title: &str, phrase: &str) -> bool {
    let title = title.to_lowercase();
    title.match_indices(phrase).any(|(i, _)| {
        let before = title[..i].chars().next_back();
        let after = title[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The column of a figure: by key stem first, then by title (from the properties, or the
/// header itself when the export has titles as headers).
fn column(headers: &[String], titles: Option<&Titles>, f: Figure) -> Option<usize> {
    let (keys, words) = f.matchers();
    headers
        .iter()
        .position(|h| keys.contains(&stem(h).as_str()))
        .or_else(|| {
            headers.iter().position(|h| {
                let title = titles
                    .and_then(|t| t.0.get(h.trim()))
                    .map_or(h.as_str(), String::as_str);
                words.iter().any(|w| has_phrase(title, w))
            })
        })
}

// ---------------------------------------------------------------- codes and numbers

/// A region code as CBS writes it, without padding, upper case: `GM0034`, `WK003401`,
/// `BU00340101`, `NL00`, `PV23`. Anything else is `None`.
pub fn region_code(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    let (letters, digits) = code.split_at_checked(2)?;
    let ok = letters.chars().all(|c| c.is_ascii_uppercase())
        && (2..=8).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit());
    ok.then_some(code)
}

/// A neighbourhood (`WK`) or quarter (`BU`) code the scan can be made for.
pub fn area_code(raw: &str) -> Option<String> {
    region_code(raw)
        .filter(|c| (c.starts_with("WK") && c.len() == 8) || (c.starts_with("BU") && c.len() == 10))
}

/// The municipality a district or neighbourhood code belongs to: `WK003401` → `GM0034`.
pub fn municipality_of(code: &str) -> Option<String> {
    let digits = code.get(2..6)?;
    (code.starts_with("WK") || code.starts_with("BU") || code.starts_with("GM"))
        .then(|| format!("GM{digits}"))
}

/// A count: digits (spaces allowed); `.`, `-`, `x` or empty is "not published".
fn count(raw: &str) -> Result<Option<u32>, ()> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(s.as_str(), "" | "." | "-" | "x" | "?") {
        return Ok(None);
    }
    s.parse::<u32>().map(Some).map_err(|_| ())
}

/// A figure with one decimal, in tenths: `27.3` or `27,3` → 273; missing as for [`count`].
fn tenths(raw: &str) -> Result<Option<i64>, ()> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(s.as_str(), "" | "." | "-" | "x" | "?") {
        return Ok(None);
    }
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let neg = whole.starts_with('-');
    let whole = whole.trim_start_matches('-');
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || whole.len() > 12
    {
        return Err(());
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ())?
    };
    let first = frac
        .chars()
        .next()
        .and_then(|c| c.to_digit(10))
        .map_or(0, i64::from);
    let v = w * 10 + first;
    Ok(Some(if neg { -v } else { v }))
}

// ---------------------------------------------------------------- the tables

/// The figures of one region from the Kerncijfers table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub inhabitants: Option<u32>,
    pub households: Option<u32>,
    pub with_children: Option<u32>,
    /// Average income per inhabitant, in tenths of € 1,000 (CBS publishes × 1,000 euro).
    pub average_income_tenths: Option<i64>,
    /// Share of households with a low income, in tenths of a percent.
    pub low_income_tenths: Option<i64>,
    /// Share of households at or around the social minimum, in tenths of a percent.
    pub social_minimum_tenths: Option<i64>,
    /// People on social assistance (bijstand).
    pub assistance: Option<u32>,
}

/// The Kerncijfers table: every region's figures by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kerncijfers {
    regions: HashMap<String, Figures>,
}

impl Kerncijfers {
    pub fn region(&self, code: &str) -> Option<&Figures> {
        self.regions.get(code)
    }

    pub fn len(&self) -> usize {
        self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }
}

struct Reader<'a> {
    sheet: &'a Sheet,
}

impl Reader<'_> {
    fn required(&self, titles: Option<&Titles>, f: Figure) -> Result<usize, CbsError> {
        column(&self.sheet.headers, titles, f).ok_or(CbsError::MissingColumn(f))
    }

    fn header(&self, col: usize) -> String {
        self.sheet.headers.get(col).cloned().unwrap_or_default()
    }

    fn code(&self, i: usize, row: &[String], col: usize) -> Result<String, CbsError> {
        let raw = row.get(col).map_or("", String::as_str);
        region_code(raw).ok_or_else(|| CbsError::BadCode {
            row: i + 2,
            value: raw.chars().take(40).collect(),
        })
    }

    fn count(&self, i: usize, row: &[String], col: Option<usize>) -> Result<Option<u32>, CbsError> {
        let Some(col) = col else { return Ok(None) };
        let raw = row.get(col).map_or("", String::as_str);
        count(raw).map_err(|()| CbsError::BadNumber {
            row: i + 2,
            column: self.header(col),
            value: raw.chars().take(40).collect(),
        })
    }

    fn tenths(
        &self,
        i: usize,
        row: &[String],
        col: Option<usize>,
    ) -> Result<Option<i64>, CbsError> {
        let Some(col) = col else { return Ok(None) };
        let raw = row.get(col).map_or("", String::as_str);
        tenths(raw).map_err(|()| CbsError::BadNumber {
            row: i + 2,
            column: self.header(col),
            value: raw.chars().take(40).collect(),
        })
    }
}

/// Read a "Kerncijfers wijken en buurten" export. The region code and the counts of
/// inhabitants, households and households with children must be there; income and benefit
/// figures are read when present.
pub fn read_kerncijfers(bytes: &[u8], titles: Option<&Titles>) -> Result<Kerncijfers, CbsError> {
    let sheet = read_sheet(bytes)?;
    let r = Reader { sheet: &sheet };
    let region = r.required(titles, Figure::Region)?;
    let inhabitants = r.required(titles, Figure::Inhabitants)?;
    let households = r.required(titles, Figure::Households)?;
    let with_children = r.required(titles, Figure::WithChildren)?;
    let optional = |f| column(&sheet.headers, titles, f);
    let income = optional(Figure::AverageIncome);
    let low = optional(Figure::LowIncome);
    let minimum = optional(Figure::SocialMinimum);
    let assistance = optional(Figure::Assistance);
    let mut regions = HashMap::new();
    for (i, row) in sheet.rows.iter().enumerate() {
        let code = r.code(i, row, region)?;
        let figures = Figures {
            inhabitants: r.count(i, row, Some(inhabitants))?,
            households: r.count(i, row, Some(households))?,
            with_children: r.count(i, row, Some(with_children))?,
            average_income_tenths: r.tenths(i, row, income)?,
            low_income_tenths: r.tenths(i, row, low)?,
            social_minimum_tenths: r.tenths(i, row, minimum)?,
            assistance: r.count(i, row, assistance)?,
        };
        regions.entry(code).or_insert(figures);
    }
    if regions.is_empty() {
        return Err(CbsError::Empty);
    }
    Ok(Kerncijfers { regions })
}

/// A municipality's single-parent households from the household-composition table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composition {
    /// The year of the period read (`2023JJ00` → 2023), when the table has periods.
    pub year: Option<i32>,
    pub single_parents: Option<u32>,
    /// Households with children, when this table has the total too.
    pub with_children: Option<u32>,
}

/// The household-composition table (71487ned): per region the latest period's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Households {
    regions: HashMap<String, Composition>,
}

impl Households {
    pub fn region(&self, code: &str) -> Option<&Composition> {
        self.regions.get(code)
    }
}

/// Read the household-composition export; the region and single-parent columns must be
/// there, households with children and the period are read when present.
pub fn read_households(bytes: &[u8], titles: Option<&Titles>) -> Result<Households, CbsError> {
    let sheet = read_sheet(bytes)?;
    let r = Reader { sheet: &sheet };
    let region = r.required(titles, Figure::Region)?;
    let single = r.required(titles, Figure::SingleParents)?;
    let with_children = column(&sheet.headers, titles, Figure::WithChildren);
    let period = sheet.headers.iter().position(|h| stem(h) == "perioden");
    let mut regions: HashMap<String, Composition> = HashMap::new();
    for (i, row) in sheet.rows.iter().enumerate() {
        let code = r.code(i, row, region)?;
        let year = period
            .and_then(|p| row.get(p))
            .and_then(|p| p.trim().get(..4))
            .and_then(|y| y.parse::<i32>().ok());
        let c = Composition {
            year,
            single_parents: r.count(i, row, Some(single))?,
            with_children: r.count(i, row, with_children)?,
        };
        match regions.get(&code) {
            Some(old) if old.year >= c.year => {}
            _ => {
                regions.insert(code, c);
            }
        }
    }
    if regions.is_empty() {
        return Err(CbsError::Empty);
    }
    Ok(Households { regions })
}

/// The scan of one neighbourhood: its figures and the single-parent estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub code: String,
    pub municipality: String,
    pub figures: Figures,
    /// The municipality's single-parent share of households with children, in tenths of a
    /// percent, when the household-composition table was given.
    pub share_tenths: Option<u32>,
    /// Households with children × that share, rounded.
    pub single_parent_estimate: Option<u32>,
}

/// `a × b / c`, rounded half up; `None` when `c` is 0.
fn scale(a: u32, b: u32, c: u32) -> Option<u32> {
    if c == 0 {
        return None;
    }
    let (a, b, c) = (u64::from(a), u64::from(b), u64::from(c));
    u32::try_from((2 * a * b + c) / (2 * c)).ok()
}

/// The scan for `code` (a `WK` or `BU` code): its figures from the Kerncijfers table and, with
/// the household table, the estimate of single-parent households: the neighbourhood's
/// households with children × the municipality's single-parent share. The share's
/// denominator is the household table's own total of households with children, otherwise the
/// municipality's row of the Kerncijfers table.
pub fn scan(k: &Kerncijfers, h: Option<&Households>, code: &str) -> Result<Scan, CbsError> {
    let figures = k
        .region(code)
        .ok_or_else(|| CbsError::CodeNotFound {
            code: code.to_string(),
        })?
        .clone();
    let municipality = municipality_of(code).ok_or_else(|| CbsError::CodeNotFound {
        code: code.to_string(),
    })?;
    let (share_tenths, single_parent_estimate) = match h {
        None => (None, None),
        Some(h) => {
            let comp = h
                .region(&municipality)
                .ok_or_else(|| CbsError::CodeNotFound {
                    code: municipality.clone(),
                })?;
            let no_share = || CbsError::NoShare {
                code: municipality.clone(),
            };
            let single = comp.single_parents.ok_or_else(no_share)?;
            let total = comp
                .with_children
                .or_else(|| k.region(&municipality).and_then(|m| m.with_children))
                .filter(|t| *t > 0 && *t >= single)
                .ok_or_else(no_share)?;
            (
                scale(single, 1000, total),
                figures
                    .with_children
                    .and_then(|kids| scale(kids, single, total)),
            )
        }
    };
    Ok(Scan {
        code: code.to_string(),
        municipality,
        figures,
        share_tenths,
        single_parent_estimate,
    })
}

#[cfg(test)]
// A test that cannot go on stops with a panic, as in the integration tests.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The real export's header shape (85984NED, shortened), made-up numbers.
    const KERN: &str = "\u{feff}\"ID\";\"WijkenEnBuurten\";\"Gemeentenaam_1\";\"SoortRegio_2\";\"Codering_3\";\"AantalInwoners_5\";\"HuishoudensTotaal_29\";\"HuishoudensMetKinderen_32\";\"GemiddeldInkomenPerInwoner_72\";\"HuishoudensMetEenLaagInkomen_78\";\"PersonenPerSoortUitkeringBijstand_80\"\r\n\
0;\"GM0034    \";\"Almere                                  \";\"Gemeente  \";\"GM0034    \";218000;92000;34000;\"28.4\";\"9.1\";6100\r\n\
1;\"WK003401  \";\"Almere                                  \";\"Wijk      \";\"WK003401  \";15000;6100;2400;\"26.9\";\".\";\".\"\r\n\
2;\"BU00340101\";\"Almere                                  \";\"Buurt     \";\"BU00340101\";1200;\".\";\"\";\".\";\".\";\".\"\r\n";

    const HH: &str = "ID,RegioS,Perioden,TotaalParticuliereHuishoudens_1,TotaalHuishoudensMetKinderen_9,TotaalEenouderhuishoudensMetKinderen_13\n\
1,NL01      ,2023JJ00,8000000,2645269,610633\n\
2,GM0034    ,2022JJ00,90000,33000,3000\n\
3,GM0034    ,2023JJ00,92000,34000,3060\n";

    #[test]
    fn a_real_shaped_export_is_read_by_its_headers() {
        let k = read_kerncijfers(KERN.as_bytes(), None).unwrap();
        assert_eq!(k.len(), 3);
        let w = k.region("WK003401").unwrap();
        assert_eq!(w.inhabitants, Some(15000));
        assert_eq!(w.households, Some(6100));
        assert_eq!(w.with_children, Some(2400));
        assert_eq!(w.average_income_tenths, Some(269));
        assert_eq!(w.low_income_tenths, None);
        let b = k.region("BU00340101").unwrap();
        assert_eq!((b.households, b.with_children), (None, None));
    }

    #[test]
    fn the_estimate_is_households_with_children_times_the_municipal_share() {
        let k = read_kerncijfers(KERN.as_bytes(), None).unwrap();
        let h = read_households(HH.as_bytes(), None).unwrap();
        // The latest period wins.
        assert_eq!(h.region("GM0034").unwrap().year, Some(2023));
        let s = scan(&k, Some(&h), "WK003401").unwrap();
        assert_eq!(s.municipality, "GM0034");
        // 3060 / 34000 = 9.0 %; 2400 × 9 % = 216.
        assert_eq!(s.share_tenths, Some(90));
        assert_eq!(s.single_parent_estimate, Some(216));
        // Without the household table: figures, no estimate.
        let s = scan(&k, None, "WK003401").unwrap();
        assert_eq!(s.single_parent_estimate, None);
    }

    #[test]
    fn the_national_figure_of_evaluation_md_gives_its_share() {
        // 610,633 of 2,645,269 households with children: 23.1 %.
        assert_eq!(scale(610_633, 1000, 2_645_269), Some(231));
    }

    #[test]
    fn the_share_falls_back_to_the_kerncijfers_municipality_row() {
        let k = read_kerncijfers(KERN.as_bytes(), None).unwrap();
        let hh = "RegioS;TotaalEenouderhuishoudensMetKinderen_13\nGM0034;3400\n";
        let h = read_households(hh.as_bytes(), None).unwrap();
        let s = scan(&k, Some(&h), "WK003401").unwrap();
        assert_eq!(s.share_tenths, Some(100));
        assert_eq!(s.single_parent_estimate, Some(240));
    }

    #[test]
    fn windows_1252_commas_and_titles_as_headers_are_read() {
        // A StatLine download: titles as headers, comma separator, Windows-1252 (é = 0xE9).
        let mut bytes = b"Wijken en buurten,Regio\xe9,Bevolking/Aantal inwoners (aantal),Huishoudens/Huishoudens totaal (aantal),Huishoudens/Eenpersoonshuishoudens (aantal),Huishoudens/Huishoudens met kinderen (aantal)\n".to_vec();
        bytes.extend_from_slice(b"WK036300,x,\"1.234\",500,100,200\n");
        // "1.234" is no count: the message names row and column.
        let err = read_kerncijfers(&bytes, None).unwrap_err();
        assert_eq!(
            err,
            CbsError::BadNumber {
                row: 2,
                column: "Bevolking/Aantal inwoners (aantal)".into(),
                value: "1.234".into()
            }
        );
        let ok = b"Wijken en buurten,Bevolking/Aantal inwoners (aantal),Huishoudens/Huishoudens totaal (aantal),Huishoudens/Eenpersoonshuishoudens (aantal),Huishoudens/Huishoudens met kinderen (aantal)\nWK036300,1234,500,100,200\n";
        let k = read_kerncijfers(ok, None).unwrap();
        assert_eq!(k.region("WK036300").unwrap().with_children, Some(200));
    }

    #[test]
    fn keys_are_matched_by_title_from_the_data_properties() {
        let props = "\"Index\";\"Key\";\"Title\"\n1;\"A_1\";\"Wijken en buurten\"\n2;\"B_2\";\"Aantal inwoners\"\n3;\"C_3\";\"Huishoudens totaal\"\n4;\"D_4\";\"Huishoudens met kinderen\"\n";
        let titles = read_properties(props.as_bytes()).unwrap();
        let data = "A_1;B_2;C_3;D_4\nWK003401;10;5;2\n";
        let k = read_kerncijfers(data.as_bytes(), Some(&titles)).unwrap();
        assert_eq!(k.region("WK003401").unwrap().inhabitants, Some(10));
        assert_eq!(
            read_kerncijfers(data.as_bytes(), None).unwrap_err(),
            CbsError::MissingColumn(Figure::Region)
        );
    }

    #[test]
    fn data_properties_are_read_as_json_too() {
        let json = r#"{"odata.metadata":"https://opendata.cbs.nl/ODataApi/OData/85984NED/$metadata#Cbs.OData.WebAPI.DataProperties","value":[
            {"odata.type":"Cbs.OData.Dimension","ID":0,"Position":0,"ParentID":null,"Type":"GeoDimension","Key":"A_1","Title":"Wijken en buurten","Description":"","MapYear":"2024","ReleasePolicy":true},
            {"odata.type":"Cbs.OData.TopicGroup","ID":1,"ParentID":null,"Type":"TopicGroup","Key":"","Title":"Bevolking"},
            {"ID":2,"type":"Topic","key":"B_2","title":"Aantal inwoners","Unit":"aantal","Decimals":0},
            {"ID":3,"Key":"C_3","Title":"Huishoudens totaal"},
            {"ID":4,"Key":"D_4","Title":" Huishoudens met kinderen "},
            {"ID":5,"Key":"E_5"},
            7
        ]}"#;
        let titles = read_properties(json.as_bytes()).unwrap();
        let data = "A_1;B_2;C_3;D_4\nWK003401;10;5;2\n";
        let k = read_kerncijfers(data.as_bytes(), Some(&titles)).unwrap();
        assert_eq!(k.region("WK003401").unwrap().with_children, Some(2));
        assert_eq!(k.region("WK003401").unwrap().inhabitants, Some(10));
        // The bare list, behind a byte-order mark, reads the same.
        let bare = "\u{feff}  [{\"Key\":\"A_1\",\"Title\":\"Wijken en buurten\"}]";
        assert_eq!(read_properties(bare.as_bytes()).unwrap().0.len(), 1);
        // Broken or foreign JSON says so; it never panics.
        assert_eq!(
            read_properties(b"{\"value\": [\n{\"Key\": ").unwrap_err(),
            CbsError::Unreadable { row: 2 }
        );
        for foreign in [&b"{\"rows\": []}"[..], b"[1, 2]", b"{\"value\": {}}"] {
            assert_eq!(
                read_properties(foreign).unwrap_err(),
                CbsError::MissingColumn(Figure::PropertyKey)
            );
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(read_properties(deep.as_bytes()).is_err());
        let many = format!("[{}{{}}]", "{},".repeat(MAX_ROWS + 1));
        assert_eq!(
            read_properties(many.as_bytes()).unwrap_err(),
            CbsError::TooManyRows
        );
        // The sample file in tests/fixtures/cbs names every column of the Kerncijfers sample.
        let sample =
            include_bytes!("../../../tests/fixtures/cbs/85984NED_dataproperties_2024.json");
        let titles = read_properties(sample).unwrap();
        assert_eq!(
            titles
                .0
                .get("HuishoudensMetKinderen_31")
                .map(String::as_str),
            Some("Huishoudens met kinderen")
        );
    }

    #[test]
    fn single_parent_columns_do_not_pass_for_households_with_children() {
        let data = "RegioS;AantalInwoners_5;HuishoudensTotaal_28;TotaalEenouderhuishoudensMetKinderen_13\nGM0034;1;1;1\n";
        assert_eq!(
            read_kerncijfers(data.as_bytes(), None).unwrap_err(),
            CbsError::MissingColumn(Figure::WithChildren)
        );
    }

    #[test]
    fn wrong_files_name_what_is_wrong() {
        assert_eq!(read_kerncijfers(b"", None).unwrap_err(), CbsError::Empty);
        assert_eq!(
            read_kerncijfers(b"PK\x03\x04\x00\x00binary", None).unwrap_err(),
            CbsError::NotText
        );
        let bad_code = "WijkenEnBuurten;AantalInwoners_5;HuishoudensTotaal_28;HuishoudensMetKinderen_31\nWK003401;1;1;1\nonzin;1;1;1\n";
        assert_eq!(
            read_kerncijfers(bad_code.as_bytes(), None).unwrap_err(),
            CbsError::BadCode {
                row: 3,
                value: "onzin".into()
            }
        );
        let k = read_kerncijfers(KERN.as_bytes(), None).unwrap();
        assert_eq!(
            scan(&k, None, "WK036301").unwrap_err(),
            CbsError::CodeNotFound {
                code: "WK036301".into()
            }
        );
        let hh = "RegioS;TotaalEenouderhuishoudensMetKinderen_13\nGM0363;3400\n";
        let h = read_households(hh.as_bytes(), None).unwrap();
        assert_eq!(
            scan(&k, Some(&h), "WK003401").unwrap_err(),
            CbsError::CodeNotFound {
                code: "GM0034".into()
            }
        );
        assert_eq!(
            read_sheet(b"a;\"b\nc").unwrap_err(),
            CbsError::Unreadable { row: 1 }
        );
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(read_sheet(&big).unwrap_err(), CbsError::TooLarge);
        let many = "a\n".repeat(MAX_ROWS + 3);
        assert_eq!(
            read_sheet(many.as_bytes()).unwrap_err(),
            CbsError::TooManyRows
        );
        let wide = ";".repeat(MAX_COLUMNS + 1);
        assert_eq!(
            read_sheet(wide.as_bytes()).unwrap_err(),
            CbsError::TooManyColumns { row: 1 }
        );
    }

    #[test]
    fn codes_are_unpadded_and_checked() {
        assert_eq!(region_code("  gm0034    ").as_deref(), Some("GM0034"));
        assert_eq!(area_code("BU03630000").as_deref(), Some("BU03630000"));
        assert_eq!(area_code("WK003600").as_deref(), Some("WK003600"));
        assert_eq!(area_code("GM0034"), None);
        assert_eq!(area_code("WK0036"), None);
        assert_eq!(municipality_of("BU03630000").as_deref(), Some("GM0363"));
        assert_eq!(region_code("12"), None);
    }

    #[test]
    fn numbers_are_read_with_missing_markers() {
        assert_eq!(count(" 1200 "), Ok(Some(1200)));
        assert_eq!(count("."), Ok(None));
        assert_eq!(count(""), Ok(None));
        assert_eq!(count("12a"), Err(()));
        assert_eq!(tenths("27,3"), Ok(Some(273)));
        assert_eq!(tenths("-1.5"), Ok(Some(-15)));
        assert_eq!(tenths("8"), Ok(Some(80)));
        assert_eq!(tenths("a.b"), Err(()));
    }
}
