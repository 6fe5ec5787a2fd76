//! A spreadsheet file as a header row and data rows of text, whatever it came as: CSV with
//! `;` or `,` (or tabs), UTF-8 with or without BOM, Windows-1252, or an Excel `.xlsx` file.
//!
//! The file comes from outside, so every size is bounded before memory is spent on it: an
//! `.xlsx` is a zip whose parts can inflate a thousandfold, and a sheet can name a cell a
//! million rows down. See docs/security.md ("Untrusted files").

use std::io::{BufRead, BufReader, Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};
use quick_xml::events::Event;

/// Larger imports are refused with a message to split the file: a worker's sheet has tens
/// or hundreds of families, and one transaction of this size still finishes in seconds.
pub const MAX_ROWS: usize = 20_000;
pub const MAX_COLUMNS: usize = 100;
/// Longer cells are cut: no field of ours needs more.
const MAX_CELL: usize = 2_000;
/// What all parts of an `.xlsx` may inflate to together. A sheet at the row and column
/// limits with short cells stays well under it; a zip bomb does not.
pub const MAX_INFLATED: u64 = 48 * 1024 * 1024;
/// Parts in one `.xlsx` package: Excel writes about ten per sheet.
const MAX_PARTS: usize = 1_000;
/// The text kept from all cells together. Shared strings let a small sheet repeat one long
/// text in every cell, so the inflated size alone does not bound this.
const MAX_TEXT: usize = 32 * 1024 * 1024;
/// Cells the row and column limits allow: a larger shared-string count is no real sheet.
const MAX_SHARED_STRINGS: u64 = (MAX_ROWS as u64 + 1) * MAX_COLUMNS as u64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableError {
    Empty,
    Binary,
    NoRows,
    TooManyRows(usize),
    TooManyColumns(usize),
    /// Inflates past [`MAX_INFLATED`] or holds more text than [`MAX_TEXT`].
    TooLarge,
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
            TableError::TooLarge => "import-error-too-large",
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
        if record.len() > MAX_COLUMNS
            && record
                .iter()
                .skip(MAX_COLUMNS)
                .any(|c| !c.trim().is_empty())
        {
            return Err(TableError::TooManyColumns(record.len()));
        }
        if total <= MAX_ROWS + 1 {
            out.push(record.iter().take(MAX_COLUMNS).map(cell).collect());
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
    check_package(bytes)?;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| TableError::Unreadable)?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(TableError::NoRows)?;
    // Cells one at a time, never calamine's `Range`: that allocates the rectangle from the
    // first to the last cell, ~550 GB for one cell in A1 and one in XFD1048576.
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|_| TableError::Unreadable)?;
    let mut grid = Grid::default();
    while let Some(c) = cells.next_cell().map_err(|_| TableError::Unreadable)? {
        let (row, col) = c.get_position();
        grid.put(row as usize, col as usize, text_of(c.get_value()))?;
    }
    grid.finish()
}

fn text_of(d: &DataRef<'_>) -> String {
    match d {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => cell(s),
        DataRef::SharedString(s) => cell(s),
        // Whole numbers without ".0": phone numbers and years are often numbers.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::Empty => String::new(),
        other => cell(&calamine::Data::from(other.clone()).to_string()),
    }
}

/// The sheet's cells as rows, growing only as far as the limits allow.
#[derive(Default)]
struct Grid {
    rows: Vec<Vec<String>>,
    text: usize,
    /// The last row index seen past the row limit: only counted, for the message.
    beyond: Option<usize>,
}

impl Grid {
    fn put(&mut self, row: usize, col: usize, text: String) -> Result<(), TableError> {
        if text.is_empty() {
            return Ok(());
        }
        if col >= MAX_COLUMNS {
            return Err(TableError::TooManyColumns(col + 1));
        }
        if row > MAX_ROWS {
            self.beyond = self.beyond.max(Some(row));
            return Ok(());
        }
        self.text += text.len();
        if self.text > MAX_TEXT {
            return Err(TableError::TooLarge);
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, String::new());
        }
        r[col] = text;
        Ok(())
    }

    fn finish(self) -> Result<Vec<Vec<String>>, TableError> {
        match self.beyond {
            // Row indexes count from 0 and the first row holds the headers.
            Some(last) => Err(TableError::TooManyRows(last)),
            None => Ok(self.rows),
        }
    }
}

/// Inflates every part of the package into nothing, counting, before calamine reads any of
/// it: the sizes a zip declares may lie, the bytes that come out do not. Also refuses a
/// shared-string table that announces more strings than a sheet within the limits can use,
/// because calamine reserves memory for the announced number.
fn check_package(bytes: &[u8]) -> Result<(), TableError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| TableError::Unreadable)?;
    if zip.len() > MAX_PARTS {
        return Err(TableError::Unreadable);
    }
    let mut budget = MAX_INFLATED;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| TableError::Unreadable)?;
        let shared_strings = part
            .name()
            .map_err(|_| TableError::Unreadable)?
            .ends_with("sharedStrings.xml");
        // One byte more than the budget tells "too large" from "exactly the budget".
        let mut limited = (&mut part).take(budget + 1);
        let mut rest = BufReader::new(&mut limited);
        if shared_strings {
            let mut xml = quick_xml::Reader::from_reader(rest);
            check_shared_string_count(&mut xml)?;
            rest = xml.into_inner();
        }
        std::io::copy(&mut rest, &mut std::io::sink()).map_err(|_| TableError::Unreadable)?;
        drop(rest);
        let used = budget + 1 - limited.limit();
        if used > budget {
            return Err(TableError::TooLarge);
        }
        budget -= used;
    }
    Ok(())
}

/// Reads up to the `<sst>` element the way calamine does and checks its `uniqueCount`.
fn check_shared_string_count<R: BufRead>(xml: &mut quick_xml::Reader<R>) -> Result<(), TableError> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for a in e.attributes() {
                    let a = a.map_err(|_| TableError::Unreadable)?;
                    if a.key.as_ref() != "uniqueCount" {
                        continue;
                    }
                    let n = Some(a.value.as_ref())
                        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                        .ok_or(TableError::Unreadable)?;
                    // Over u64 is over the limit too.
                    if n.parse::<u64>().map_or(true, |n| n > MAX_SHARED_STRINGS) {
                        return Err(TableError::TooLarge);
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Err(TableError::Unreadable),
            Ok(_) => {}
        }
    }
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

    /// A minimal `.xlsx` package: one sheet with `sheet_data` (the inside of `<sheetData>`),
    /// optionally shared strings, and extra parts as (name, size of zeros).
    fn xlsx(sheet_data: &str, shared: Option<&str>, extra: &[(&str, usize)]) -> Vec<u8> {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut part = |name: &str, body: &[u8]| {
            z.start_file(name, opts).unwrap_or_else(|e| panic!("{e}"));
            z.write_all(body).unwrap_or_else(|e| panic!("{e}"));
        };
        part(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        part(
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        part(
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        );
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
        );
        part("xl/worksheets/sheet1.xml", sheet.as_bytes());
        if let Some(sst) = shared {
            part("xl/sharedStrings.xml", sst.as_bytes());
        }
        for (name, size) in extra {
            z.start_file(*name, opts).unwrap_or_else(|e| panic!("{e}"));
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..(size >> 20) {
                z.write_all(&zeros).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        z.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
    }

    fn inline(r: &str, text: &str) -> String {
        format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
    }

    #[test]
    fn a_small_sheet_reads_cell_by_cell() {
        let data = format!(
            "<row r=\"1\">{}{}</row><row r=\"3\">{}<c r=\"B3\"><v>612345678</v></c></row>",
            inline("A1", "Voornaam"),
            inline("B1", "Telefoon"),
            inline("A3", "Sanne")
        );
        let t = ok(&xlsx(&data, None, &[]));
        assert_eq!(t.kind, "xlsx");
        assert_eq!(t.headers, vec!["Voornaam", "Telefoon"]);
        assert_eq!(t.rows, vec![vec!["Sanne".to_string(), "612345678".into()]]);
    }

    #[test]
    fn a_cell_far_away_is_refused_before_anything_is_allocated() {
        // The 1.5 KB file that once made the server allocate ~550 GB and die.
        let far = format!(
            "<row r=\"1\">{}</row><row r=\"1048576\">{}</row>",
            inline("A1", "Voornaam"),
            inline("XFD1048576", "x")
        );
        assert_eq!(
            read(&xlsx(&far, None, &[])),
            Err(TableError::TooManyColumns(16_384))
        );
        let down = format!(
            "<row r=\"1\">{}</row><row r=\"1048576\">{}</row>",
            inline("A1", "Voornaam"),
            inline("A1048576", "x")
        );
        assert_eq!(
            read(&xlsx(&down, None, &[])),
            Err(TableError::TooManyRows(1_048_575))
        );
        // Empty cells far away are no data: the sheet reads.
        let empty = format!(
            "<row r=\"1\">{}</row><row r=\"2\">{}</row><row r=\"1048576\"><c r=\"XFD1048576\"/></row>",
            inline("A1", "Voornaam"),
            inline("A2", "Sanne")
        );
        assert_eq!(ok(&xlsx(&empty, None, &[])).rows.len(), 1);
    }

    #[test]
    fn a_zip_bomb_is_refused_by_what_it_inflates_to() {
        let data = format!(
            "<row r=\"1\">{}</row><row r=\"2\">{}</row>",
            inline("A1", "Voornaam"),
            inline("A2", "Sanne")
        );
        let size = MAX_INFLATED as usize + (1 << 20);
        let bomb = xlsx(&data, None, &[("xl/media/image1.png", size)]);
        assert!(
            bomb.len() < 200 * 1024,
            "the bomb is small: {} bytes",
            bomb.len()
        );
        assert_eq!(read(&bomb), Err(TableError::TooLarge));
        // Just under the limit, the same file reads.
        let fine = xlsx(&data, None, &[("xl/media/image1.png", 8 << 20)]);
        assert_eq!(ok(&fine).rows.len(), 1);
    }

    #[test]
    fn shared_strings_cannot_announce_or_repeat_their_way_past_the_limits() {
        let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>"#;
        let sst = |count: &str| {
            format!(
                r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="{count}"><si><t>Voornaam</t></si><si><t>Sanne</t></si></sst>"#
            )
        };
        assert_eq!(
            ok(&xlsx(data, Some(&sst("2")), &[])).rows,
            vec![vec!["Sanne".to_string()]]
        );
        assert_eq!(
            read(&xlsx(data, Some(&sst("999999999999")), &[])),
            Err(TableError::TooLarge)
        );
        assert_eq!(
            read(&xlsx(data, Some(&sst("99999999999999999999999")), &[])),
            Err(TableError::TooLarge)
        );
        assert_eq!(
            read(&xlsx(data, Some(&sst("1e9")), &[])),
            Err(TableError::Unreadable)
        );
        // One long shared string in every cell: small on disk, gigabytes as text.
        let long = "x".repeat(MAX_CELL);
        let sst =
            format!(r#"<sst uniqueCount="2"><si><t>Voornaam</t></si><si><t>{long}</t></si></sst>"#);
        let mut rows = String::from(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
        for r in 2..=MAX_ROWS {
            rows.push_str(&format!("<row r=\"{r}\">"));
            for c in ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"] {
                rows.push_str(&format!(r#"<c r="{c}{r}" t="s"><v>1</v></c>"#));
            }
            rows.push_str("</row>");
        }
        assert_eq!(
            read(&xlsx(&rows, Some(&sst), &[])),
            Err(TableError::TooLarge)
        );
    }

    #[test]
    fn a_csv_row_with_a_million_columns_is_refused() {
        let mut text = String::from("Voornaam;Telefoon\nSanne");
        text.push_str(&";".repeat(1_000_000));
        text.push_str("x\n");
        assert_eq!(
            read(text.as_bytes()),
            Err(TableError::TooManyColumns(1_000_001))
        );
    }
}
