//! The streaming CSV reader: the recorded export file, quoting, line endings, malformed rows,
//! and properties over generated files (chunk boundaries, resuming, arbitrary bytes).

use super::*;
use proptest::prelude::*;

/// Records and skipped rows of `file` read whole.
fn read_whole(file: &[u8]) -> (Vec<LeadRecord>, Vec<SkippedRow>) {
    read_chunks(file, &[])
}

/// Records and skipped rows of `file` pushed in pieces cut at `cuts` (any order, any values).
fn read_chunks(file: &[u8], cuts: &[usize]) -> (Vec<LeadRecord>, Vec<SkippedRow>) {
    let mut ingest = CsvIngest::new(&fields());
    let mut records = Vec::new();
    for chunk in pieces(file, cuts) {
        records.extend(ingest.push(chunk));
    }
    records.extend(ingest.finish());
    let skipped = ingest.take_skipped();
    assert_eq!(ingest.skipped_total(), skipped.len() as u64);
    (records, skipped)
}

/// `file` cut at `cuts`.
fn pieces<'a>(file: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (file.len() + 1)).collect();
    cuts.sort_unstable();
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts {
        pieces.push(&file[start..cut]);
        start = cut;
    }
    pieces.push(&file[start..]);
    pieces
}

fn reasons(skipped: &[SkippedRow]) -> Vec<(u64, &str)> {
    skipped.iter().map(|s| (s.line, s.reason.as_str())).collect()
}

#[test]
fn the_recorded_export_file() {
    let file = include_bytes!("../fixtures/export.csv");
    let mut ingest = CsvIngest::new(&fields());
    let mut records = ingest.push(file);
    records.extend(ingest.finish());
    assert_eq!(
        ingest.header().unwrap(),
        [
            "id",
            "email",
            "updatedAt",
            "firstName",
            "numberOfEmployees",
            "annualRevenue",
            "unsubscribed",
            "trialEnds",
            "notes"
        ]
    );
    assert_eq!(records.len(), 3);
    assert_eq!(
        records[0],
        LeadRecord {
            marketo_id: 1001,
            email: Some("ada.lovelace@example.com".to_owned()),
            updated_at: Some("2026-11-20T09:30:00Z".to_owned()),
            attributes: object(json!({
                "firstName": "Ada",
                "numberOfEmployees": 120,
                "annualRevenue": 1_500_000.5,
                "unsubscribed": false,
                "trialEnds": "2026-12-31",
                "notes": "Likes \"engines\", math",
            })),
        }
    );
    assert_eq!(records[1].marketo_id, 1002);
    assert_eq!(records[1].email, None);
    assert_eq!(records[1].updated_at.as_deref(), Some("2026-11-21T10:00:00Z"));
    assert!(records[1].attributes.values().all(Value::is_null), "Marketo's null is JSON null");
    assert_eq!(
        Value::Object(records[2].attributes.clone()),
        json!({
            "firstName": "Linus",
            "numberOfEmployees": 7,
            "annualRevenue": 0.25,
            "unsubscribed": false,
            "trialEnds": null,
            "notes": "two\r\nlines",
        })
    );
    assert_eq!(
        reasons(&ingest.take_skipped()),
        vec![(4, "column 'numberOfEmployees': not an integer"), (5, "column 'email': not a valid email address"),]
    );
    assert!(ingest.take_skipped().is_empty(), "taken once");
    assert_eq!((ingest.rows_total(), ingest.skipped_total()), (5, 2));
    assert_eq!(ingest.committed_offset(), file.len() as u64 - 1, "just after the last record's \\r");
    assert_eq!(ingest.next_line(), 7);
}

#[test]
fn malformed_rows_are_skipped_with_line_and_reason() {
    let file = b"id,email,numberOfEmployees,unsubscribed,trialEnds,updatedAt\n\
        1,a@example.com,1,true,2026-01-01,2026-01-01T00:00:00Z\n\
        \n\
        2,b@example.com,1\n\
        3,c@example.com,1,true,2026-01-01,2026-01-01T00:00:00Z,extra\n\
        ,d@example.com,1,true,2026-01-01,2026-01-01T00:00:00Z\n\
        4x,e@example.com,1,true,2026-01-01,2026-01-01T00:00:00Z\n\
        5,f@example,1,true,2026-01-01,2026-01-01T00:00:00Z\n\
        6,g@example.com,1.5,true,2026-01-01,2026-01-01T00:00:00Z\n\
        7,h@example.com,1,yes,2026-01-01,2026-01-01T00:00:00Z\n\
        8,i@example.com,1,true,2026-02-30,2026-01-01T00:00:00Z\n\
        9,j@example.com,1,true,2026-01-01,yesterday\n\
        10,\xffk@example.com,1,true,2026-01-01,2026-01-01T00:00:00Z\n\
        11,l@example.com,1,true,2026-01-01,2026-01-01T00:00:00Z";
    let (records, skipped) = read_whole(file);
    assert_eq!(records.iter().map(|r| r.marketo_id).collect::<Vec<_>>(), vec![1, 11]);
    assert_eq!(
        reasons(&skipped),
        vec![
            (4, "expected 6 columns, found 3"),
            (5, "expected 6 columns, found 7"),
            (6, "id missing"),
            (7, "id is not an integer"),
            (8, "column 'email': not a valid email address"),
            (9, "column 'numberOfEmployees': not an integer"),
            (10, "column 'unsubscribed': not true, false, 1 or 0"),
            (11, "column 'trialEnds': not a date (YYYY-MM-DD)"),
            (12, "column 'updatedAt': not an RFC 3339 datetime"),
            (13, "column 'email': invalid UTF-8"),
        ]
    );
}

#[test]
fn quoting_and_line_endings() {
    let lf = b"id,notes\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"x\ny\"\n4,\"p\r\nq\"\n5,plain";
    let crlf = b"id,notes\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"x\ny\"\r\n4,\"p\r\nq\"\r\n5,plain\r\n";
    for file in [&lf[..], &crlf[..]] {
        let (records, skipped) = read_whole(file);
        assert!(skipped.is_empty());
        let notes: Vec<&Value> = records.iter().map(|r| &r.attributes["notes"]).collect();
        assert_eq!(notes, [&json!("a, b"), &json!("say \"hi\""), &json!("x\ny"), &json!("p\r\nq"), &json!("plain")]);
    }
    // Line numbers count line breaks inside quotes.
    let file = b"id,notes,n\n1,\"x\ny\",1\n2,ok,bad\n";
    let mut types = fields();
    types.push(FieldInfo { name: "n".into(), display_name: "N".into(), data_type: "integer".into(), read_only: false });
    let mut ingest = CsvIngest::new(&types);
    assert_eq!(ingest.push(file).len(), 1);
    assert_eq!(reasons(&ingest.take_skipped()), vec![(4, "column 'n': not an integer")]);
}

#[test]
fn a_final_record_without_line_break_comes_with_finish() {
    let mut ingest = CsvIngest::new(&fields());
    assert!(ingest.push(b"id,email\n1,a@example.com\n2,b@example.com").len() == 1);
    assert_eq!(ingest.committed_offset(), 25);
    let last = ingest.finish();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].email.as_deref(), Some("b@example.com"));
    assert_eq!(ingest.committed_offset(), 40);
    assert!(ingest.push(b"\n3,c@example.com\n").is_empty(), "nothing after finish");
    assert!(ingest.finish().is_empty());
}

#[test]
fn a_record_split_across_chunks_comes_with_the_chunk_that_completes_it() {
    let mut ingest = CsvIngest::new(&fields());
    assert!(ingest.push(b"id,firstName\n1,Ad").is_empty());
    assert_eq!(ingest.header().map(<[String]>::len), Some(2));
    assert_eq!(ingest.committed_offset(), 13);
    assert_eq!(ingest.next_line(), 2);
    let records = ingest.push(b"a\n2,Bo");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].attributes["firstName"], json!("Ada"));
    assert_eq!(ingest.committed_offset(), 19);
}

#[test]
fn a_header_without_id_skips_every_row() {
    let (records, skipped) = read_whole(b"email,firstName\na@example.com,A\nb@example.com,B\n");
    assert!(records.is_empty());
    assert_eq!(reasons(&skipped), vec![(2, "the header has no id column"), (3, "the header has no id column")]);
}

#[test]
fn a_byte_order_mark_is_dropped_however_the_file_is_cut() {
    let file = b"\xef\xbb\xbfid,email\n1,a@example.com\n";
    let whole = read_whole(file);
    assert_eq!(whole.0.len(), 1);
    for cut in 0..file.len() {
        assert_eq!(read_chunks(file, &[cut]), whole, "cut at {cut}");
        assert_eq!(read_chunks(file, &[1, 2, cut]), whole, "cut at 1, 2, {cut}");
    }
    // A file shorter than a byte order mark.
    assert_eq!(read_whole(b"\xef\xbb"), (vec![], vec![]));
}

#[test]
fn an_unterminated_quote_does_not_fill_memory() {
    let mut file = b"id,notes\n1,ok\n2,\"never closed".to_vec();
    file.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
    let mut ingest = CsvIngest::new(&fields());
    let mut records = Vec::new();
    for chunk in file.chunks(64 * 1024) {
        records.extend(ingest.push(chunk));
    }
    records.extend(ingest.finish());
    assert_eq!(records.len(), 1);
    let skipped = ingest.take_skipped();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].line, 3);
    assert!(skipped[0].reason.starts_with("row longer than"), "{}", skipped[0].reason);
    // Too many columns is refused the same way, and the next row is read as usual.
    let mut file = b"id,notes\n".to_vec();
    file.extend(std::iter::repeat_n(b',', MAX_RECORD_FIELDS + 5));
    file.extend(b"\n3,fine\n");
    let (records, skipped) = read_whole(&file);
    assert_eq!(records.iter().map(|r| r.marketo_id).collect::<Vec<_>>(), vec![3]);
    assert_eq!(skipped[0].line, 2);
}

#[test]
fn resume_from_the_committed_offset_of_a_prefix() {
    let file = include_bytes!("../fixtures/export.csv");
    let (whole, whole_skipped) = read_whole(file);
    for prefix in 0..=file.len() {
        let (got, got_skipped) = read_with_restart(file, prefix, &[]);
        assert_eq!(got, whole, "restart after {prefix} bytes");
        assert_eq!(got_skipped, whole_skipped, "restart after {prefix} bytes");
    }
}

#[test]
fn a_resumed_reader_keeps_a_byte_order_mark_mid_file() {
    // Mid-file, those bytes are data: the id is not an integer, whole or resumed.
    let file = b"id,notes\n1,a\n\xef\xbb\xbf2,b\n";
    let whole = read_whole(file);
    assert_eq!(reasons(&whole.1), vec![(3, "id is not an integer")]);
    assert_eq!(read_with_restart(file, 13, &[]), whole);
}

/// Reads `file[..prefix]`, then, as after a restart, the rest of the file from the committed
/// offset with a resumed reader (cut at `cuts`).
fn read_with_restart(file: &[u8], prefix: usize, cuts: &[usize]) -> (Vec<LeadRecord>, Vec<SkippedRow>) {
    let mut first = CsvIngest::new(&fields());
    let mut records = first.push(&file[..prefix]);
    let mut skipped = first.take_skipped();
    let Some(header) = first.header().map(<[String]>::to_vec) else { return read_chunks(file, cuts) };
    let offset = first.committed_offset();
    let mut second = CsvIngest::resume(&fields(), header, first.next_line()).with_base_offset(offset);
    let rest = &file[usize::try_from(offset).unwrap()..];
    for chunk in pieces(rest, cuts) {
        records.extend(second.push(chunk));
    }
    records.extend(second.finish());
    skipped.extend(second.take_skipped());
    let mut reference = CsvIngest::new(&fields());
    reference.push(file);
    reference.finish();
    assert_eq!(second.committed_offset(), reference.committed_offset());
    assert_eq!(second.next_line(), reference.next_line());
    (records, skipped)
}

// ---- generated files

const HEADER: [&str; 7] = ["id", "email", "updatedAt", "firstName", "numberOfEmployees", "unsubscribed", "notes"];

/// One line of a generated file: its cells, and what reading it must give.
#[derive(Debug, Clone)]
struct Row {
    cells: Vec<Vec<u8>>,
    expect: Expect,
}

#[derive(Debug, Clone)]
enum Expect {
    Lead(LeadRecord),
    Skip(&'static str),
    /// An empty line.
    Nothing,
}

fn good_row() -> impl Strategy<Value = Row> {
    let emails = prop::sample::select(vec![
        ("ada@example.com", Some("ada@example.com")),
        (" Grace.Hopper@Navy.MIL ", Some("grace.hopper@navy.mil")),
        ("", None),
        ("null", None),
    ]);
    let names =
        prop::sample::select(vec!["Ada", "O'Brien, Jr.", "say \"hi\"", "", "null", "Zoë", "two\nlines", "cr\r\nlf"]);
    let employees =
        prop::sample::select(vec![("12", json!(12)), (" -3 ", json!(-3)), ("", Value::Null), ("null", Value::Null)]);
    let flags = prop::sample::select(vec![
        ("true", json!(true)),
        ("0", json!(false)),
        ("FALSE", json!(false)),
        ("", Value::Null),
    ]);
    let notes =
        prop::sample::select(vec!["plain", "a,b", "\"quoted\"", "", "  ", "line\r\nbreak", "ünïcödé ✓", "=1+1"]);
    (1i64..1_000_000, emails, names, employees, flags, notes).prop_map(|(id, email, name, employees, flag, notes)| {
        let text = |s: &str| if s.is_empty() || s == "null" { Value::Null } else { Value::from(s) };
        let record = LeadRecord {
            marketo_id: id,
            email: email.1.map(str::to_owned),
            updated_at: Some("2026-11-20T09:30:00Z".to_owned()),
            attributes: object(json!({
                "firstName": text(name),
                "numberOfEmployees": employees.1,
                "unsubscribed": flag.1,
                "notes": text(notes),
            })),
        };
        let cells = [&id.to_string(), email.0, "2026-11-20T09:30:00Z", name, employees.0, flag.0, notes];
        Row { cells: cells.iter().map(|c| c.as_bytes().to_vec()).collect(), expect: Expect::Lead(record) }
    })
}

/// A good row with one cell replaced, and the reason it must be skipped for.
fn bad_row() -> impl Strategy<Value = Row> {
    let faults = prop::sample::select(vec![
        (0, &b"12a"[..], "id is not an integer"),
        (0, b"", "id missing"),
        (1, b"not-an-email", "column 'email': not a valid email address"),
        (2, b"soon", "column 'updatedAt': not an RFC 3339 datetime"),
        (4, b"many", "column 'numberOfEmployees': not an integer"),
        (5, b"yes", "column 'unsubscribed': not true, false, 1 or 0"),
        (6, b"bad \xff byte", "column 'notes': invalid UTF-8"),
    ]);
    (good_row(), faults).prop_map(|(mut row, (column, cell, reason))| {
        row.cells[column] = cell.to_vec();
        row.expect = Expect::Skip(reason);
        row
    })
}

fn row() -> impl Strategy<Value = Row> {
    prop_oneof![
        8 => good_row(),
        3 => bad_row(),
        1 => good_row().prop_map(|mut row| {
            row.cells.push(b"extra".to_vec());
            row.expect = Expect::Skip("expected 7 columns, found 8");
            row
        }),
        1 => good_row().prop_map(|mut row| {
            row.cells.truncate(3);
            row.expect = Expect::Skip("expected 7 columns, found 3");
            row
        }),
        1 => Just(Row { cells: Vec::new(), expect: Expect::Nothing }),
    ]
}

/// A generated file and what reading it must give (records, and skipped rows with lines).
#[derive(Debug, Clone)]
struct File {
    bytes: Vec<u8>,
    records: Vec<LeadRecord>,
    skipped: Vec<(u64, &'static str)>,
}

/// Serialises `rows` after the header: cells quoted when they must be (or when `quote_all`),
/// each line ended by LF or CRLF as `crlf` says, the last one only when `trailing`.
fn file() -> impl Strategy<Value = File> {
    (prop::collection::vec((row(), any::<bool>(), any::<bool>()), 0..25), any::<bool>()).prop_map(|(rows, trailing)| {
        let mut bytes = Vec::new();
        let header: Vec<Vec<u8>> = HEADER.iter().map(|h| h.as_bytes().to_vec()).collect();
        write_line(&mut bytes, &header, false);
        bytes.extend(b"\r\n");
        let (mut records, mut skipped) = (Vec::new(), Vec::new());
        let count = rows.len();
        for (i, (row, crlf, quote_all)) in rows.into_iter().enumerate() {
            let line = 1 + bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            write_line(&mut bytes, &row.cells, quote_all);
            if i + 1 < count || trailing || row.cells.is_empty() {
                bytes.extend(if crlf { &b"\r\n"[..] } else { b"\n" });
            }
            match row.expect {
                Expect::Lead(record) => records.push(record),
                Expect::Skip(reason) => skipped.push((line, reason)),
                Expect::Nothing => {}
            }
        }
        File { bytes, records, skipped }
    })
}

fn write_line(out: &mut Vec<u8>, cells: &[Vec<u8>], quote_all: bool) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if quote_all || cell.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            out.push(b'"');
            for &b in cell {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend(cell);
        }
    }
}

fn owned(skipped: &[SkippedRow]) -> Vec<(u64, String)> {
    skipped.iter().map(|s| (s.line, s.reason.clone())).collect()
}

fn expected(skipped: &[(u64, &str)]) -> Vec<(u64, String)> {
    skipped.iter().map(|(line, reason)| (*line, (*reason).to_owned())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_files_read_as_written(file in file()) {
        let (records, skipped) = read_whole(&file.bytes);
        prop_assert_eq!(records, file.records);
        prop_assert_eq!(owned(&skipped), expected(&file.skipped));
    }

    #[test]
    fn chunk_boundaries_do_not_matter(file in file(), cuts in prop::collection::vec(any::<usize>(), 0..12)) {
        let whole = read_whole(&file.bytes);
        prop_assert_eq!(read_chunks(&file.bytes, &cuts), whole);
    }

    #[test]
    fn byte_by_byte_is_the_same(file in file()) {
        let mut ingest = CsvIngest::new(&fields());
        let mut records = Vec::new();
        for byte in &file.bytes {
            records.extend(ingest.push(std::slice::from_ref(byte)));
        }
        records.extend(ingest.finish());
        prop_assert_eq!(records, file.records);
        prop_assert_eq!(owned(&ingest.take_skipped()), expected(&file.skipped));
    }

    #[test]
    fn resuming_gives_the_rest(file in file(), prefix in any::<usize>(), cuts in prop::collection::vec(any::<usize>(), 0..6)) {
        let prefix = prefix % (file.bytes.len() + 1);
        let (records, skipped) = read_with_restart(&file.bytes, prefix, &cuts);
        prop_assert_eq!(records, file.records);
        prop_assert_eq!(owned(&skipped), expected(&file.skipped));
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..600),
        cuts in prop::collection::vec(any::<usize>(), 0..8),
        with_header in any::<bool>(),
    ) {
        let mut file = if with_header { b"id,email,numberOfEmployees,unsubscribed\n".to_vec() } else { Vec::new() };
        file.extend(body);
        let (records, skipped) = read_chunks(&file, &cuts);
        prop_assert_eq!((records, skipped), read_whole(&file));
        let mut ingest = CsvIngest::new(&fields());
        ingest.push(&file);
        ingest.finish();
        prop_assert!(ingest.committed_offset() <= file.len() as u64);
        prop_assert!(ingest.skipped_total() <= ingest.rows_total());
    }

    #[test]
    fn arbitrary_csv_like_bytes_never_panic(body in prop::collection::vec(prop::sample::select(b"a1,\"\r\n\xff ".to_vec()), 0..400)) {
        let mut file = b"id,notes\n".to_vec();
        file.extend(body);
        let (records, skipped) = read_whole(&file);
        prop_assert_eq!(read_chunks(&file, &[3, 17, 40, 41]), (records, skipped));
        let (resumed, _) = read_with_restart(&file, file.len() / 2, &[]);
        prop_assert_eq!(resumed, read_whole(&file).0);
    }
}
