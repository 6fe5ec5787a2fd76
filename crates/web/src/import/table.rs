//! A spreadsheet file as a header row and data rows of text, whatever it came as: CSV with
//! `;` or `,` (or tabs), UTF-8 with or without BOM, Windows-1252, or an Excel `.xlsx` file.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// Larger imports are refused with a message to split the file: a worker's sheet has tens
/// or hundreds of families, and one transaction of this size still finishes in seconds.
pub const MAX_ROWS: usize = 20_000;
pub const MAX_COLUMNS: usize = 100;
/// Longer cells are cut: no field of ours needs more.
const MAX_CELL: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableError {
    Empty,
    Binary,
    NoRows,
    TooManyRows(usize),
    TooManyColumns(usize),
    Unreadable,
}

impl TableError {
    pub fn key(&self) -> &'static str {
        match self {
            TableError::Empty => "import-error-empty",
            TableError::Binary => "import-error-binary",
            TableError::NoRows => "import-error-no-rows",
            TableError::TooManyRows(_) => "import-error-too-many-rows",
            TableError::TooManyColumns(_) => "import-error-too-many-columns",
            TableError::Unreadable => "import-error-unreadable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub kind: &'static str,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn read(bytes: &[u8]) -> Result<Table, TableError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(TableError::Empty);
    }
    let (kind, mut all) = if bytes.starts_with(b"PK\x03\x04") {
        ("xlsx", read_xlsx(bytes)?)
    } else {
        ("csv", read_csv(&decode(bytes)?)?)
    };
    all.retain(|r| r.iter().any(|c| !c.is_empty()));
    if all.is_empty() {
        return Err(TableError::NoRows);
    }
    let headers = all.remove(0);
    if headers.len() > MAX_COLUMNS {
        return Err(TableError::TooManyColumns(headers.len()));
    }
    if all.is_empty() {
        return Err(TableError::NoRows);
    }
    if all.len() > MAX_ROWS {
        return Err(TableError::TooManyRows(all.len()));
    }
    let width = headers.len();
    for r in &mut all {
        r.resize(width.max(r.len()).min(MAX_COLUMNS), String::new());
    }
    Ok(Table {
        kind,
        headers,
        rows: all,
    })
}

/// UTF-8 (a BOM is dropped); otherwise Windows-1252, what Excel on Windows writes as "CSV".
/// Text with NUL bytes or other control characters is no spreadsheet.
fn decode(bytes: &[u8]) -> Result<String, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if control > 0 {
        return Err(TableError::Binary);
    }
    Ok(text)
}

fn read_csv(text: &str) -> Result<Vec<Vec<String>>, TableError> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut total = 0usize;
    for record in reader.records() {
        let record = record.map_err(|_| TableError::Unreadable)?;
        total += 1;
        // Past the limit, only count: the message says how many rows the file really has.
        if total <= MAX_ROWS + 1 {
            out.push(record.iter().map(cell).collect());
        }
    }
    if total > MAX_ROWS + 1 {
        return Err(TableError::TooManyRows(total - 1));
    }
    Ok(out)
}

fn cell(raw: &str) -> String {
    raw.trim().chars().take(MAX_CELL).collect()
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| TableError::Unreadable)?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(TableError::NoRows)?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|_| TableError::Unreadable)?;
    if range.height() > MAX_ROWS + 1 {
        return Err(TableError::TooManyRows(range.height() - 1));
    }
    Ok(range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::String(s) => cell(s),
                    // Whole numbers without ".0": phone numbers and years are often numbers.
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::Empty => String::new(),
                    other => cell(&other.to_string()),
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> Table {
        match read(bytes) {
            Ok(t) => t,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn semicolon_and_comma_files_both_read() {
        let a = ok(b"Voornaam;Telefoon\nSanne;06-12345678\n");
        let b = ok(b"Voornaam,Telefoon\nSanne,06-12345678\n");
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.headers, vec!["Voornaam", "Telefoon"]);
    }

    #[test]
    fn a_bom_is_dropped_and_windows_1252_is_read() {
        let t = ok(b"\xEF\xBB\xBFVoornaam\nSanne\n");
        assert_eq!(t.headers, vec!["Voornaam"]);
        let t = ok(b"Voornaam;Achternaam\nZo\xEB;Ba\xEFda\n");
        assert_eq!(t.rows[0], vec!["Zoë", "Baïda"]);
    }

    #[test]
    fn garbage_gets_a_clear_reason() {
        assert_eq!(read(b""), Err(TableError::Empty));
        assert_eq!(read(b"  \n "), Err(TableError::Empty));
        assert_eq!(read(b"\x00\x01\x02binary\x00"), Err(TableError::Binary));
        assert_eq!(read(b"Voornaam;Telefoon\n"), Err(TableError::NoRows));
        assert_eq!(
            read(b"PK\x03\x04not really a zip"),
            Err(TableError::Unreadable)
        );
        let mut big = String::from("Voornaam\n");
        for i in 0..(MAX_ROWS + 1) {
            big.push_str(&format!("Ouder{i}\n"));
        }
        assert_eq!(
            read(big.as_bytes()),
            Err(TableError::TooManyRows(MAX_ROWS + 1))
        );
    }

    #[test]
    fn empty_lines_are_skipped_and_short_rows_padded() {
        let t = ok(b"Voornaam;Telefoon;Postcode\n\nSanne\n;;\nFatima;0612345678;1363\n");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0], vec!["Sanne", "", ""]);
    }
}
