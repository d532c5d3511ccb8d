//! A push-based reader for a bulk-extract file (`…/export/{exportId}/file.json`): RFC 4180 CSV
//! fed in chunks as they arrive, turned into [`LeadRecord`]s, with every refused row reported
//! and a byte offset to resume from with an HTTP `Range` request.
//!
//! Parsing is csv-core's state machine; this file adds what it does not know: the header, the
//! conversion of each cell by the field's data type, line numbers and the committed offset.

use super::leads::{FieldInfo, LeadRecord, lead_email};
use super::value::Kind;
use csv_core::{ReadRecordResult, Reader};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The longest record kept, in bytes of cell data. A longer one (or an unterminated quote
/// swallowing the rest of the file) is skipped as it streams, instead of filling memory.
pub const MAX_RECORD_BYTES: usize = 4 << 20;

/// The most cells a record may have; a record with more is skipped as it streams.
pub const MAX_RECORD_FIELDS: usize = 10_000;

/// The UTF-8 byte order mark, which csv-core drops at the very start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A data row of the file that did not become a [`LeadRecord`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRow {
    /// The line the row starts on, counting from 1 for the header (a quoted line break inside a
    /// cell counts as a line).
    pub line: u64,
    /// Why, in one sentence naming the column (never the value, which may be personal data).
    pub reason: String,
}

/// How a column of the file maps onto a [`LeadRecord`].
#[derive(Debug, Clone)]
enum Column {
    Id,
    Email,
    UpdatedAt,
    Attribute(Kind),
}

/// Reads a bulk-extract CSV file pushed in chunks of any size.
///
/// Column names in the header are REST field names: `id` becomes `marketo_id` (required, an
/// integer), `email` becomes `email` (checked with [`crate::email::Email::parse`], trimmed and
/// lowercased), `updatedAt` becomes `updated_at` (an RFC 3339 datetime), and every other column
/// goes to `attributes`, converted by the field's data type (see [`CsvIngest::new`]). An empty
/// cell, or the text `null` that Marketo writes for an empty field, is JSON `null` (and `None`
/// for email and updatedAt).
///
/// At most one partial record is held between chunks. Rows that cannot be read are skipped and
/// reported by [`CsvIngest::take_skipped`] with their line number; empty lines are ignored.
///
/// Resuming: after `push`, [`CsvIngest::committed_offset`] and [`CsvIngest::next_line`] say where
/// the last complete record ended. To continue later, request the file from that offset
/// (`Range: bytes=<offset>-`) and read it with
/// `CsvIngest::resume(types, header, next_line).with_base_offset(offset)`, so that offsets
/// stay absolute positions in the file.
#[derive(Debug, Clone)]
pub struct CsvIngest {
    reader: Reader,
    kinds: HashMap<String, Kind>,
    header: Option<Vec<String>>,
    columns: Vec<Column>,
    /// Cell data of the record being read, `out_len` bytes of it in use.
    out: Vec<u8>,
    out_len: usize,
    /// End offsets of its cells in `out`, `ends_len` of them in use.
    ends: Vec<usize>,
    ends_len: usize,
    /// The record being read outgrew [`MAX_RECORD_BYTES`] or [`MAX_RECORD_FIELDS`].
    oversized: bool,
    /// Offset in the file where this reader's input starts.
    base: u64,
    /// Bytes of input csv-core has consumed.
    consumed: u64,
    /// The line number at this reader's first byte.
    line_base: u64,
    /// `\n` bytes consumed.
    newlines: u64,
    /// Whether a record has begun since the last one ended (csv-core skips line breaks between
    /// records, so the first other byte starts one).
    in_record: bool,
    /// The line the record being read starts on.
    record_line: u64,
    /// `consumed` and line number at the end of the last complete record.
    committed: u64,
    committed_line: u64,
    /// Bytes held at the start of a file until it is clear whether they begin a byte order mark,
    /// so that csv-core sees the same first read whatever the chunk sizes.
    held: Vec<u8>,
    started: bool,
    /// Byte-order-mark bytes csv-core drops, not to be counted as a record's start.
    bom_left: usize,
    finished: bool,
    skipped: Vec<SkippedRow>,
    skipped_total: u64,
    rows_total: u64,
}

impl CsvIngest {
    /// A reader for a whole file, header first.
    ///
    /// `types` (from [`super::parse_describe`]) decide how each column is converted: `integer`
    /// and `score` to JSON integers; `float`, `currency` and `percent` to JSON numbers;
    /// `boolean` from `true`/`false`/`1`/`0`; `date` (`YYYY-MM-DD`) and `datetime` (RFC 3339)
    /// are checked and kept as text; every other type, and a column not in `types`, is text.
    pub fn new(types: &[FieldInfo]) -> Self {
        CsvIngest {
            reader: Reader::new(),
            kinds: types.iter().map(|f| (f.name.clone(), Kind::of(&f.data_type))).collect(),
            header: None,
            columns: Vec::new(),
            out: vec![0; 1024],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            oversized: false,
            base: 0,
            consumed: 0,
            line_base: 1,
            newlines: 0,
            in_record: false,
            record_line: 1,
            committed: 0,
            committed_line: 1,
            held: Vec::new(),
            started: false,
            bom_left: 0,
            finished: false,
            skipped: Vec::new(),
            skipped_total: 0,
            rows_total: 0,
        }
    }

    /// A reader continuing a file mid-way, from a record boundary: `header` is the file's header
    /// (from [`CsvIngest::header`]) and `line` the [`CsvIngest::next_line`] given with the
    /// offset the input now starts at. Chain [`CsvIngest::with_base_offset`] with that offset
    /// to keep [`CsvIngest::committed_offset`] absolute.
    pub fn resume(types: &[FieldInfo], header: Vec<String>, line: u64) -> Self {
        let mut ingest = CsvIngest::new(types);
        ingest.set_header(header);
        ingest.line_base = line;
        ingest.record_line = line;
        ingest.committed_line = line;
        ingest.started = true;
        // csv-core drops a byte order mark at the start of its first read; mid-file there is
        // none to drop. Its first read, even one that reads nothing, turns that off.
        let _ = ingest.reader.read_field(b"\0", &mut []);
        ingest
    }

    /// This reader's input starts at byte `base` of the file: [`CsvIngest::committed_offset`]
    /// counts from the start of the file. Call before pushing anything.
    pub fn with_base_offset(mut self, base: u64) -> Self {
        self.base = base;
        self
    }

    /// Reads `chunk` and returns the records it completes, in file order; a record split across
    /// chunks comes out with the chunk that completes it. Pushing after
    /// [`CsvIngest::finish`] reads nothing.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<LeadRecord> {
        let mut records = Vec::new();
        if self.finished {
            return records;
        }
        if self.started {
            self.feed(chunk, false, &mut records);
        } else {
            self.held.extend_from_slice(chunk);
            if self.held.len() >= BOM.len() || !BOM.starts_with(&self.held) {
                self.start(&mut records);
            }
        }
        records
    }

    /// The end of the file: returns the last record when it has no line break after it.
    pub fn finish(&mut self) -> Vec<LeadRecord> {
        let mut records = Vec::new();
        if self.finished {
            return records;
        }
        if !self.started {
            self.start(&mut records);
        }
        self.feed(&[], true, &mut records);
        self.finished = true;
        records
    }

    /// The header's column names, once read.
    pub fn header(&self) -> Option<&[String]> {
        self.header.as_deref()
    }

    /// The offset in the file just after the last complete record read (header included, and
    /// skipped rows too): where to resume from. Counts from [`CsvIngest::with_base_offset`].
    pub fn committed_offset(&self) -> u64 {
        self.base.saturating_add(self.committed)
    }

    /// The line number at [`CsvIngest::committed_offset`], to pass to [`CsvIngest::resume`].
    /// After a record ending in CRLF the offset lies between `\r` and `\n`, so this is still
    /// that record's last line; the next record starts on a later one.
    pub fn next_line(&self) -> u64 {
        self.committed_line
    }

    /// The rows skipped since the last call, in file order.
    pub fn take_skipped(&mut self) -> Vec<SkippedRow> {
        std::mem::take(&mut self.skipped)
    }

    /// Rows skipped so far.
    pub fn skipped_total(&self) -> u64 {
        self.skipped_total
    }

    /// Data rows read so far (made into records or skipped; the header and empty lines not).
    pub fn rows_total(&self) -> u64 {
        self.rows_total
    }

    fn set_header(&mut self, header: Vec<String>) {
        self.columns = header
            .iter()
            .map(|name| match name.as_str() {
                "id" => Column::Id,
                "email" => Column::Email,
                "updatedAt" => Column::UpdatedAt,
                other => Column::Attribute(self.kinds.get(other).copied().unwrap_or(Kind::Text)),
            })
            .collect();
        self.header = Some(header);
    }

    /// Hands the held start of the file to csv-core.
    fn start(&mut self, records: &mut Vec<LeadRecord>) {
        self.started = true;
        let held = std::mem::take(&mut self.held);
        if held.starts_with(BOM) {
            self.bom_left = BOM.len();
        }
        self.feed(&held, false, records);
    }

    /// Runs csv-core over `input` (`eof`: the end of the file, with `input` empty).
    fn feed(&mut self, mut input: &[u8], eof: bool, records: &mut Vec<LeadRecord>) {
        loop {
            if input.is_empty() && !eof {
                return;
            }
            self.make_room();
            let out = self.out.get_mut(self.out_len..).unwrap_or_default();
            let ends = self.ends.get_mut(self.ends_len..).unwrap_or_default();
            let (result, nin, nout, nend) = self.reader.read_record(input, out, ends);
            let (read, rest) = input.split_at(nin.min(input.len()));
            self.track(read);
            input = rest;
            self.out_len += nout;
            self.ends_len += nend;
            match result {
                ReadRecordResult::InputEmpty if eof => return,
                ReadRecordResult::InputEmpty | ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::Record => self.end_record(records),
                ReadRecordResult::End => return,
            }
        }
    }

    /// Makes sure csv-core has room for at least one more byte and one more cell end, growing
    /// the buffers up to their limits and dropping the record's data past them.
    fn make_room(&mut self) {
        if self.out_len >= self.out.len() {
            if self.out.len() < MAX_RECORD_BYTES {
                let len = (self.out.len() * 2).clamp(1024, MAX_RECORD_BYTES);
                self.out.resize(len, 0);
            } else {
                self.oversized = true;
                self.out_len = 0;
            }
        }
        if self.ends_len >= self.ends.len() {
            if self.ends.len() < MAX_RECORD_FIELDS {
                let len = (self.ends.len() * 2).clamp(64, MAX_RECORD_FIELDS);
                self.ends.resize(len, 0);
            } else {
                self.oversized = true;
                self.ends_len = 0;
            }
        }
    }

    /// Follows the bytes csv-core consumed: line breaks, and where a record starts.
    fn track(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if self.bom_left > 0 {
                self.bom_left -= 1;
            } else if !self.in_record && byte != b'\r' && byte != b'\n' {
                self.in_record = true;
                self.record_line = self.line_base.saturating_add(self.newlines);
            }
            if byte == b'\n' {
                self.newlines += 1;
            }
        }
        self.consumed = self.consumed.saturating_add(bytes.len() as u64);
    }

    /// A complete record: the header, a lead or a skipped row.
    fn end_record(&mut self, records: &mut Vec<LeadRecord>) {
        let line = if self.in_record { self.record_line } else { self.line_base.saturating_add(self.newlines) };
        self.in_record = false;
        self.committed = self.consumed;
        self.committed_line = self.line_base.saturating_add(self.newlines);
        let oversized = std::mem::replace(&mut self.oversized, false);
        let (out_len, ends_len) = (std::mem::take(&mut self.out_len), std::mem::take(&mut self.ends_len));
        let out = self.out.get(..out_len).unwrap_or_default();
        let ends = self.ends.get(..ends_len).unwrap_or_default();
        let too_long = || format!("longer than {MAX_RECORD_BYTES} bytes or {MAX_RECORD_FIELDS} columns");
        let is_header = self.header.is_none();
        let outcome = match self.header.as_deref() {
            None => {
                let header = if oversized {
                    Vec::new()
                } else {
                    cells(out, ends).iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect()
                };
                self.set_header(header);
                if !oversized {
                    return;
                }
                Err(format!("header {}", too_long()))
            }
            Some(_) if oversized => Err(format!("row {}", too_long())),
            Some(header) => lead(header, &self.columns, &cells(out, ends)),
        };
        if !is_header {
            self.rows_total += 1;
        }
        match outcome {
            Ok(record) => records.push(record),
            Err(reason) => {
                self.skipped_total += 1;
                self.skipped.push(SkippedRow { line, reason });
            }
        }
    }
}

/// The cells of a record: `out` cut at `ends`.
fn cells<'a>(out: &'a [u8], ends: &[usize]) -> Vec<&'a [u8]> {
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let cell = out.get(start..end).unwrap_or_default();
            start = end;
            cell
        })
        .collect()
}

/// A column name for a reason, shortened.
fn column_name(name: &str) -> String {
    name.chars().take(64).collect()
}

/// The lead in a data row, or why not.
fn lead(header: &[String], columns: &[Column], cells: &[&[u8]]) -> Result<LeadRecord, String> {
    if cells.len() != header.len() {
        return Err(format!("expected {} columns, found {}", header.len(), cells.len()));
    }
    if !columns.iter().any(|c| matches!(c, Column::Id)) {
        return Err("the header has no id column".to_owned());
    }
    let mut record = LeadRecord { marketo_id: 0, email: None, updated_at: None, attributes: Map::new() };
    let mut id = None;
    for ((name, column), cell) in header.iter().zip(columns).zip(cells) {
        let text = std::str::from_utf8(cell).map_err(|_| format!("column '{}': invalid UTF-8", column_name(name)))?;
        let null = text.is_empty() || text == "null";
        match column {
            Column::Id if null => return Err("id missing".to_owned()),
            Column::Id => id = Some(text.trim().parse::<i64>().map_err(|_| "id is not an integer".to_owned())?),
            Column::Email => {
                record.email = if null {
                    None
                } else {
                    lead_email(text).map_err(|()| "column 'email': not a valid email address".to_owned())?
                };
            }
            Column::UpdatedAt => {
                record.updated_at = if null {
                    None
                } else {
                    Kind::DateTime
                        .convert(text)
                        .ok_or_else(|| format!("column 'updatedAt': {}", Kind::DateTime.expected()))?;
                    Some(text.trim().to_owned())
                };
            }
            Column::Attribute(kind) => {
                let value = if null {
                    Value::Null
                } else {
                    kind.convert(text).ok_or_else(|| format!("column '{}': {}", column_name(name), kind.expected()))?
                };
                record.attributes.insert(name.clone(), value);
            }
        }
    }
    record.marketo_id = id.ok_or_else(|| "id missing".to_owned())?;
    Ok(record)
}
