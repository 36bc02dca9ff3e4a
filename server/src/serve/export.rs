//! Exports of a document's comments for editors: CSV and XLSX.
//!
//! The people who open exports are clerks in Excel or WPS, so by default the columns have Chinese
//! headers, values are labels (`修改建议`, not `suggest-change`), times are real spreadsheet dates
//! and the workbook has column widths, a frozen header row and filters. `?codes=true` gives the
//! machine-readable table instead (the former columns: snake_case headers, codes, RFC 3339
//! times), for programs.
//!
//! The XLSX is written by `rust_xlsxwriter`, which writes every text as a string cell (never a
//! formula). The CSV is written by the `csv` crate, UTF-8 with a byte-order mark (without it both
//! spreadsheets read Chinese text as mojibake) and CRLF line ends. It is defused for spreadsheets
//! in any locale: every text cell is quoted (so a `;`, the list separator where the decimal mark
//! is a comma, stays inside its cell), and a `'` goes before a formula character (`=`, `+`, `-`,
//! `@`, their full-width forms, a tab or line break) at the start of a cell and after every `,`
//! or `;` in it, so even a reader that splits on the "wrong" separator and ignores the quotes
//! finds no cell that starts with a formula.

use jiedu_core::comment::{CommentStatus, Decision, Stance, SubmitterType};
use jiedu_core::{Document, Lang, Timestamp};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::store::{EditorComment, status_str};

/// One cell of an export.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(u64),
    /// An instant as the server wrote it (RFC 3339); in the spreadsheet, its wall-clock time.
    Time(String),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt_text(s: &Option<String>) -> Cell {
        Cell::Text(s.clone().unwrap_or_default())
    }

    fn opt_time(s: &Option<String>) -> Cell {
        s.clone().map_or(Cell::Text(String::new()), Cell::Time)
    }
}

/// A column: its machine-readable and its Chinese header, and its width in characters.
struct Column {
    code: &'static str,
    zh: &'static str,
    width: f64,
    /// Only in the machine-readable table (the labelled one says the same in another column).
    codes_only: bool,
}

const fn col(code: &'static str, zh: &'static str, width: f64) -> Column {
    Column {
        code,
        zh,
        width,
        codes_only: false,
    }
}

const COLUMNS: &[Column] = &[
    col("number", "编号", 7.0),
    col("receipt", "回执号", 16.0),
    col("received_at", "收到时间", 18.0),
    Column {
        codes_only: true,
        ..col("target", "条款编号", 10.0)
    },
    col("provision", "条款", 24.0),
    col("stance", "态度", 10.0),
    col("submitter_type", "提交人类型", 11.0),
    col("name", "姓名或单位", 16.0),
    col("text", "意见内容", 60.0),
    col("proposed_wording", "建议修改为", 40.0),
    col("status", "处理状态", 12.0),
    col("decision", "处理结果", 12.0),
    Column {
        codes_only: true,
        ..col("decision_label", "处理结果", 12.0)
    },
    col("reason", "理由", 40.0),
    col("decided_by", "处理人", 12.0),
    col("decided_at", "处理时间", 18.0),
    col("duplicate_of", "重复于编号", 11.0),
    col("published_decision", "已公布的处理结果", 16.0),
];

const CONTACT_COLUMNS: &[Column] = &[
    col("consent", "同意回访", 10.0),
    col("contact", "联系方式", 24.0),
    col("ip_hash", "IP 摘要", 20.0),
];

/// The columns whose text wraps in the workbook (long free text).
const WRAPPED: &[&str] = &["text", "proposed_wording", "reason"];

/// A whole export: headers, widths and one row per comment.
#[derive(Debug)]
pub struct Table {
    /// The machine-readable table (`?codes=true`) rather than the one for people.
    pub codes: bool,
    pub headers: Vec<&'static str>,
    /// The machine-readable name of each column (the same as `headers` when `codes`).
    pub keys: Vec<&'static str>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
}

fn stance_label(s: Stance) -> &'static str {
    match s {
        Stance::Support => "赞成",
        Stance::Oppose => "反对",
        Stance::SuggestChange => "修改建议",
    }
}

fn submitter_label(s: SubmitterType) -> &'static str {
    match s {
        SubmitterType::Individual => "个人",
        SubmitterType::Organization => "单位",
    }
}

fn status_label(s: CommentStatus) -> &'static str {
    match s {
        CommentStatus::Received => "待处理",
        CommentStatus::Decided => "已处理，未公布",
        CommentStatus::Published => "已公布",
        CommentStatus::Duplicate => "重复意见",
        CommentStatus::Spam => "垃圾信息",
        CommentStatus::Hidden => "已隐藏",
    }
}

/// The cells of one comment, keyed by column code.
fn cells(doc: &Document, c: &EditorComment, codes: bool) -> Vec<(&'static str, Cell)> {
    let heading = c
        .target
        .provision_id()
        .and_then(|id| doc.provision(id))
        .map(|p| p.heading())
        .unwrap_or_else(|| doc.title.clone());
    let decision = |d: Option<Decision>| {
        Cell::text(d.map_or("", |d| {
            if codes {
                d.as_str()
            } else {
                d.label(Lang::ZhCn)
            }
        }))
    };
    let pick =
        |code: &'static str, label: &'static str| Cell::text(if codes { code } else { label });
    let decided = c.disposition.as_ref().map(|d| d.decision);
    vec![
        ("number", Cell::Number(c.number)),
        ("receipt", Cell::text(&c.receipt)),
        ("received_at", Cell::Time(c.received_at.clone())),
        ("target", Cell::text(c.target.to_string())),
        ("provision", Cell::text(heading)),
        ("stance", pick(c.stance.as_str(), stance_label(c.stance))),
        (
            "submitter_type",
            pick(c.submitter_type.as_str(), submitter_label(c.submitter_type)),
        ),
        ("name", Cell::opt_text(&c.name)),
        ("text", Cell::text(&c.text)),
        ("proposed_wording", Cell::opt_text(&c.proposed_wording)),
        ("status", pick(status_str(c.status), status_label(c.status))),
        ("decision", decision(decided)),
        (
            "decision_label",
            Cell::text(decided.map_or("", |d| d.label(doc.lang))),
        ),
        (
            "reason",
            Cell::opt_text(&c.disposition.as_ref().and_then(|d| d.reason.clone())),
        ),
        ("decided_by", Cell::opt_text(&c.decided_by)),
        ("decided_at", Cell::opt_time(&c.decided_at)),
        (
            "duplicate_of",
            c.duplicate_of.map_or(Cell::text(""), Cell::Number),
        ),
        (
            "published_decision",
            decision(c.published.as_ref().map(|d| d.decision)),
        ),
        (
            "consent",
            pick(
                if c.consent { "true" } else { "false" },
                if c.consent { "是" } else { "否" },
            ),
        ),
        ("contact", Cell::opt_text(&c.contact)),
        ("ip_hash", Cell::opt_text(&c.ip_hash)),
    ]
}

/// The export of `comments`: Chinese headers and labels, or with `codes` the machine-readable
/// table. Contact columns only with `include_contact`.
pub fn table(
    doc: &Document,
    comments: &[EditorComment],
    include_contact: bool,
    codes: bool,
) -> Table {
    let contact: &[Column] = if include_contact {
        CONTACT_COLUMNS
    } else {
        &[]
    };
    let columns: Vec<&Column> = COLUMNS
        .iter()
        .chain(contact)
        .filter(|c| codes || !c.codes_only)
        .collect();
    let rows = comments
        .iter()
        .map(|c| {
            let mut all = cells(doc, c, codes);
            columns
                .iter()
                .map(|col| {
                    let at = all.iter().position(|(k, _)| *k == col.code);
                    at.map_or(Cell::text(""), |i| all.swap_remove(i).1)
                })
                .collect()
        })
        .collect();
    Table {
        codes,
        headers: columns
            .iter()
            .map(|c| if codes { c.code } else { c.zh })
            .collect(),
        keys: columns.iter().map(|c| c.code).collect(),
        widths: columns.iter().map(|c| c.width).collect(),
        rows,
    }
}

/// Characters that make a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, their
/// full-width forms (which input methods produce and some spreadsheets accept), tab and line
/// breaks.
const FORMULA_START: [char; 11] = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

/// A text cell as it goes into the CSV, defused: a `'` goes at the start of the cell, and of
/// every part that a spreadsheet with another list separator would make a cell of its own (after
/// `,` or `;`), when a formula character follows there (after spaces and quotes).
fn defused(s: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    // Where the current part began, while only spaces and quotes have followed.
    let mut part_start = Some(0);
    let mut changed = false;
    for c in s.chars() {
        if let Some(start) = part_start
            && !matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '"')
        {
            if FORMULA_START.contains(&c) {
                out.insert(start, '\'');
                changed = true;
            }
            part_start = None;
        }
        out.push(c);
        if matches!(c, ',' | ';') {
            part_start = Some(out.len());
        }
    }
    if changed { out.into() } else { s.into() }
}

/// How a time is written for people in the CSV: its wall-clock time as the server wrote it,
/// which spreadsheets read as a date (`2026-12-15 10:00:00`).
fn wall_clock(ts: &Timestamp) -> String {
    let d = ts.date;
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.year, d.month, d.day, ts.hour, ts.minute, ts.second
    )
}

/// The table as CSV (RFC 4180), UTF-8 with a byte-order mark, CRLF line ends; every text cell
/// quoted and defused.
pub fn csv(table: &Table) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::NonNumeric)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let write = |writer: &mut csv::Writer<Vec<u8>>, record: Vec<String>| {
        writer
            .write_record(record)
            .expect("writing CSV to memory cannot fail");
    };
    write(
        &mut writer,
        table.headers.iter().map(|h| h.to_string()).collect(),
    );
    for row in &table.rows {
        let record = row
            .iter()
            .map(|cell| match cell {
                Cell::Number(n) => n.to_string(),
                Cell::Text(s) => defused(s).into_owned(),
                Cell::Time(s) if table.codes => s.clone(),
                Cell::Time(s) => s
                    .parse::<Timestamp>()
                    .map_or_else(|_| defused(s).into_owned(), |ts| wall_clock(&ts)),
            })
            .collect();
        write(&mut writer, record);
    }
    writer
        .into_inner()
        .expect("flushing CSV to memory cannot fail")
}

/// The spreadsheet serial number of a wall-clock time: days since 1899-12-30, the time of day
/// as the fraction.
fn excel_serial(ts: &Timestamp) -> f64 {
    const DAYS_1899_12_30_TO_1970_01_01: i64 = 25_569;
    let day = ts.date.days_since_epoch() + DAYS_1899_12_30_TO_1970_01_01;
    let seconds = u32::from(ts.hour) * 3600 + u32::from(ts.minute) * 60 + u32::from(ts.second);
    day as f64 + f64::from(seconds) / 86_400.0
}

/// The table as an XLSX workbook with one sheet named `sheet_name`: bold frozen header row with
/// filters, column widths, long texts wrapped, numbers as numbers (receipts and phone numbers
/// stay text, so a spreadsheet never turns them into 1.38E+10), times as dates.
pub fn xlsx(table: &Table, sheet_name: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Sheet names are at most 31 characters and cannot hold []:*?/\ .
    let clean: String = sheet_name
        .chars()
        .filter(|c| !"[]:*?/\\'".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(if clean.is_empty() { "comments" } else { &clean })?;
    let header = Format::new()
        .set_bold()
        .set_background_color("#F2E6E5")
        .set_border_bottom(FormatBorder::Thin);
    let top = Format::new().set_align(FormatAlign::Top);
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("yyyy-mm-dd hh:mm")
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    for (c, (name, width)) in table.headers.iter().zip(&table.widths).enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *name, &header)?;
        sheet.set_column_width(c, *width)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let wrap = WRAPPED.contains(&table.keys[c]);
            let c = c as u16;
            match cell {
                Cell::Number(n) => sheet.write_number_with_format(r, c, *n as f64, &top)?,
                Cell::Text(s) if s.is_empty() => continue,
                Cell::Text(s) => {
                    sheet.write_string_with_format(r, c, s, if wrap { &wrapped } else { &top })?
                }
                Cell::Time(s) => match s.parse::<Timestamp>() {
                    Ok(ts) if !table.codes => {
                        sheet.write_number_with_format(r, c, excel_serial(&ts), &date)?
                    }
                    _ => sheet.write_string_with_format(r, c, s, &top)?,
                },
            };
        }
    }
    let last_col = table.headers.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_in_every_form() {
        for formula in [
            "=1+1",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =HYPERLINK(\"x\")",
            "\u{3000}=1",
            "＝1+1",
            "＋1",
            "－1",
            "＠A1",
        ] {
            assert_eq!(defused(formula), format!("'{formula}"), "{formula:?}");
        }
        for text in [
            "建议把“可以”改为“应当”",
            "a=b",
            "1-2",
            "中文；分号",
            "",
            "a, b; c",
        ] {
            assert_eq!(defused(text), text);
        }
        assert_eq!(defused("同意;=1+1, -2"), "同意;'=1+1,' -2");
        assert_eq!(defused("a; \"=1\""), "a;' \"=1\"");
    }

    #[test]
    fn serial_dates_are_excels() {
        let ts: Timestamp = "2026-12-15T12:00:00+08:00".parse().unwrap();
        // Excel shows 46371 as 2026-12-15.
        assert_eq!(excel_serial(&ts), 46_371.5);
    }
}
