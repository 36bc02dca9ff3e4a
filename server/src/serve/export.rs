//! Exports of a document's comments for editors: CSV and XLSX.
//!
//! Editors open exports in Excel or WPS, so the CSV is UTF-8 with a byte-order mark (without it
//! both read Chinese text as mojibake) and CRLF line ends, and any cell that a spreadsheet would
//! take for a formula (`=`, `+`, `-`, `@` at the start) is prefixed with `'` so that a comment
//! cannot run one. The XLSX is written here as the minimal Office Open XML package (one sheet of
//! inline strings, deflated into a zip) instead of pulling in a spreadsheet library.

use std::io::Write;

use jiedu_core::Document;
use jiedu_core::comment::Decision;

use super::store::{EditorComment, status_str};

/// The header row and one row per comment, as text cells.
pub fn table(
    doc: &Document,
    comments: &[EditorComment],
    include_contact: bool,
) -> Vec<Vec<String>> {
    let mut header: Vec<&str> = vec![
        "number",
        "receipt",
        "received_at",
        "target",
        "provision",
        "stance",
        "submitter_type",
        "name",
        "text",
        "proposed_wording",
        "status",
        "decision",
        "decision_label",
        "reason",
        "decided_by",
        "decided_at",
        "duplicate_of",
        "published_decision",
    ];
    if include_contact {
        header.extend(["consent", "contact", "ip_hash"]);
    }
    let mut rows = vec![header.into_iter().map(str::to_owned).collect::<Vec<_>>()];
    for c in comments {
        let heading = c
            .target
            .provision_id()
            .and_then(|id| doc.provision(id))
            .map(|p| p.heading())
            .unwrap_or_else(|| doc.title.clone());
        let decision = c.disposition.as_ref().map(|d| d.decision);
        let mut row = vec![
            c.number.to_string(),
            c.receipt.clone(),
            c.received_at.clone(),
            c.target.to_string(),
            heading,
            c.stance.as_str().to_owned(),
            c.submitter_type.as_str().to_owned(),
            c.name.clone().unwrap_or_default(),
            c.text.clone(),
            c.proposed_wording.clone().unwrap_or_default(),
            status_str(c.status).to_owned(),
            decision.map(Decision::as_str).unwrap_or("").to_owned(),
            decision.map(|d| d.label(doc.lang)).unwrap_or("").to_owned(),
            c.disposition
                .as_ref()
                .and_then(|d| d.reason.clone())
                .unwrap_or_default(),
            c.decided_by.clone().unwrap_or_default(),
            c.decided_at.clone().unwrap_or_default(),
            c.duplicate_of.map(|n| n.to_string()).unwrap_or_default(),
            c.published
                .as_ref()
                .map(|d| d.decision.as_str().to_owned())
                .unwrap_or_default(),
        ];
        if include_contact {
            row.push(c.consent.to_string());
            row.push(c.contact.clone().unwrap_or_default());
            row.push(c.ip_hash.clone().unwrap_or_default());
        }
        rows.push(row);
    }
    rows
}

/// The table as CSV (RFC 4180), UTF-8 with a byte-order mark, CRLF line ends.
pub fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let defused = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{cell}")
            } else {
                cell.clone()
            };
            if defused.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&defused.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&defused);
            }
        }
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Escapes text for XML and drops the characters XML 1.0 cannot hold.
fn xml_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// The spreadsheet column name of a 0-based index (`0` → `A`, `26` → `AA`).
fn column_name(mut i: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// The table as an XLSX workbook with one sheet named `sheet_name`. The header row is bold and
/// frozen.
pub fn xlsx(rows: &[Vec<String>], sheet_name: &str) -> Vec<u8> {
    let mut sheet = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
        r#"<sheetData>"#
    ));
    // Public numbers are written as numbers; everything else (receipts, phone numbers in the
    // contact column) stays text, so a spreadsheet never turns it into 1.38E+10.
    let numeric: Vec<bool> = rows.first().map_or(Vec::new(), |header| {
        header
            .iter()
            .map(|h| h == "number" || h == "duplicate_of")
            .collect()
    });
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let is_number = r > 0
                && numeric.get(c).copied().unwrap_or(false)
                && !cell.is_empty()
                && cell.len() < 16
                && cell.bytes().all(|b| b.is_ascii_digit());
            if is_number {
                sheet.push_str(&format!(
                    r#"<c r="{}{}"><v>{cell}</v></c>"#,
                    column_name(c),
                    r + 1
                ));
                continue;
            }
            let style = if r == 0 { r#" s="1""# } else { "" };
            sheet.push_str(&format!(
                r#"<c r="{}{}" t="inlineStr"{style}><is><t xml:space="preserve">"#,
                column_name(c),
                r + 1
            ));
            xml_escape(cell, &mut sheet);
            sheet.push_str("</t></is></c>");
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");

    let mut name = String::new();
    // Sheet names are at most 31 characters and cannot hold []:*?/\ .
    let clean: String = sheet_name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    xml_escape(
        if clean.is_empty() { "comments" } else { &clean },
        &mut name,
    );
    let workbook = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
        name
    );
    let files: [(&str, &[u8]); 6] = [
        (
            "[Content_Types].xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
                r#"<Default Extension="xml" ContentType="application/xml"/>"#,
                r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
                r#"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
                r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
                r#"</Types>"#
            )
            .as_bytes(),
        ),
        (
            "_rels/.rels",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
                r#"</Relationships>"#
            )
            .as_bytes(),
        ),
        ("xl/workbook.xml", workbook.as_bytes()),
        (
            "xl/_rels/workbook.xml.rels",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
                r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
                r#"</Relationships>"#
            )
            .as_bytes(),
        ),
        (
            "xl/styles.xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
                r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#,
                r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
                r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
                r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
                r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
                r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#,
                r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
                r#"</styleSheet>"#
            )
            .as_bytes(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    zip(&files)
}

/// A zip archive of the given files, each deflated. Only what OOXML readers need: no
/// directories, no extra fields, no zip64 (exports stay far below 4 GiB).
pub fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).expect("writing to memory");
        let deflated = encoder.finish().expect("writing to memory");
        let crc = crc32fast::hash(data);
        let offset = out.len() as u32;
        let fixed = |buf: &mut Vec<u8>| {
            buf.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
            buf.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: names are UTF-8
            buf.extend_from_slice(&8u16.to_le_bytes()); // method: deflate
            buf.extend_from_slice(&0u16.to_le_bytes()); // time
            buf.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
            buf.extend_from_slice(&crc.to_le_bytes());
            buf.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
            buf.extend_from_slice(&(data.len() as u32).to_le_bytes());
            buf.extend_from_slice(&(name.len() as u16).to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes()); // extra length
        };
        out.extend_from_slice(&0x04034b50u32.to_le_bytes());
        fixed(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&deflated);

        central.extend_from_slice(&0x02014b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        fixed(&mut central);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk number
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let rows = vec![
            vec!["a".into(), "b,c".into()],
            vec!["=1+1".into(), "say \"hi\"\nthere".into()],
        ];
        let out = String::from_utf8(csv(&rows)).unwrap();
        assert_eq!(
            out,
            "\u{feff}a,\"b,c\"\r\n'=1+1,\"say \"\"hi\"\"\nthere\"\r\n"
        );
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
    }
}
