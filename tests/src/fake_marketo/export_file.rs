//! An export job's file, fixed when the job starts processing: a header and one row per lead
//! whose `createdAt` or `updatedAt` lies in the job's window, in id order, as RFC 4180 CSV
//! (or TSV / SSV). The file is never held: its rows are generated one by one, once to count,
//! size and checksum it, and again for each download, written straight to the socket from
//! any byte offset, so a file of a million synthetic leads is served in flat memory.
//!
//! With [`super::FakeMarketoConfig::corrupt_rows`], the row of every `every`-th synthetic lead
//! (ids `every`, `2·every`, …) is damaged, cycling through: one column too many, an id that is
//! not an integer, a quoted field with a line break in it (valid CSV: the control), a value
//! that is not an integer in an integer field, an email that is not an email, one column too
//! few. A damage the exported fields cannot carry becomes one column too many (the control
//! becomes a plain row), so [`expectation`] can say exactly what a correct ingester accepts.

use super::leads::{Lead, LeadStore};
use super::synthetic::{Column, Kind, SyntheticLeads};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::sync::Arc;

/// What a correct ingester does with the rows of a full export of every lead the fake holds
/// (stored and synthetic, each lying in exactly one of the windows that cover all time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportExpectation {
    /// Data rows it accepts, the tricky-but-valid ones included.
    pub valid: u64,
    /// Data rows it must skip as malformed.
    pub corrupt: u64,
    /// Of the valid rows, those that look damaged but are valid CSV (a quoted field holding a
    /// line break, so the row spans two lines).
    pub tricky: u64,
}

/// How a synthetic lead's row is damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Damage {
    ExtraColumn,
    IdNotInteger,
    LineBreak,
    IntegerNotInteger,
    EmailNotEmail,
    MissingColumn,
}

/// The order damages cycle through.
const CYCLE: [Damage; 6] = [
    Damage::ExtraColumn,
    Damage::IdNotInteger,
    Damage::LineBreak,
    Damage::IntegerNotInteger,
    Damage::EmailNotEmail,
    Damage::MissingColumn,
];

/// Which exported columns the damages go into.
#[derive(Debug, Clone, Copy, Default)]
struct Targets {
    columns: usize,
    id: Option<usize>,
    integer: Option<usize>,
    email: Option<usize>,
    text: Option<usize>,
}

impl Targets {
    /// The targets among columns given as (field name, data type).
    fn of<'a>(columns: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut targets = Targets::default();
        for (j, (name, data_type)) in columns.enumerate() {
            targets.columns += 1;
            let slot = match (name, data_type) {
                ("id", _) => &mut targets.id,
                (_, "integer") => &mut targets.integer,
                (_, "email") => &mut targets.email,
                ("cookies", _) => continue,
                (_, "string" | "text") => &mut targets.text,
                _ => continue,
            };
            slot.get_or_insert(j);
        }
        targets
    }

    /// The damage of synthetic lead `i`'s row, if any.
    fn damage(&self, every: u64, i: u64) -> Option<Damage> {
        if every == 0 || !i.is_multiple_of(every) {
            return None;
        }
        let wanted = CYCLE[((i / every - 1) % CYCLE.len() as u64) as usize];
        let fits = match wanted {
            Damage::ExtraColumn => true,
            Damage::IdNotInteger => self.id.is_some(),
            Damage::LineBreak => self.text.is_some(),
            Damage::IntegerNotInteger => self.integer.is_some(),
            Damage::EmailNotEmail => self.email.is_some(),
            Damage::MissingColumn => self.columns >= 2,
        };
        match (fits, wanted) {
            (true, damage) => Some(damage),
            (false, Damage::LineBreak) => None,
            (false, _) => Some(Damage::ExtraColumn),
        }
    }
}

/// What a full export of `fields` holds, given the leads and the corruption period.
pub(crate) fn expectation(leads: &LeadStore, every: u64, fields: &[&str]) -> ExportExpectation {
    let targets =
        Targets::of(fields.iter().map(|f| (*f, leads.field(f).map(|d| d.data_type.as_str()).unwrap_or_default())));
    let synthetic = leads.synthetic.as_ref().map_or(0, |s| s.count);
    let total = leads.iter().count() as u64 + synthetic - leads.overriding();
    let (mut corrupt, mut tricky) = (0, 0);
    if let Some(damaged) = synthetic.checked_div(every) {
        for i in (1..=damaged).map(|k| k * every) {
            if leads.synthetic_index(i as i64).is_none() {
                continue;
            }
            match targets.damage(every, i) {
                Some(Damage::LineBreak) => tricky += 1,
                Some(_) => corrupt += 1,
                None => {}
            }
        }
    }
    ExportExpectation { valid: total - corrupt, corrupt, tricky }
}

/// What the status of a completed job reports about its file.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub records: u64,
    pub size: u64,
    pub checksum: String,
}

/// One exported column.
#[derive(Debug)]
struct ExportColumn {
    name: String,
    column: Column,
}

/// What a job exports: fields, headers, separator and window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileSpec<'a> {
    pub fields: &'a [String],
    pub headers: &'a [String],
    pub separator: char,
    pub by_created: bool,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A job's file: what it needs to generate its rows again and again, identically.
#[derive(Debug)]
pub(crate) struct ExportFile {
    columns: Vec<ExportColumn>,
    headers: Vec<String>,
    separator: u8,
    by_created: bool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Stored leads in the window, in id order, as they were when the job started.
    stored: Vec<Lead>,
    /// Ids of the synthetic leads replaced by stored ones, in order.
    replaced: Vec<i64>,
    synthetic: Option<SyntheticLeads>,
    every: u64,
    targets: Targets,
}

impl ExportFile {
    /// The file of `spec` over the leads as they are now.
    pub fn snapshot(spec: FileSpec<'_>, leads: &LeadStore, every: u64) -> Self {
        let defs: Vec<(&str, &str)> = spec
            .fields
            .iter()
            .map(|f| (f.as_str(), leads.field(f).map(|d| d.data_type.as_str()).unwrap_or_default()))
            .collect();
        let targets = Targets::of(defs.iter().copied());
        let columns = spec
            .fields
            .iter()
            .map(|f| ExportColumn { name: f.clone(), column: leads.field(f).map_or(Column::Empty, Column::of) })
            .collect();
        let synthetic = leads.synthetic.clone().filter(|s| s.count > 0);
        let replaced = match &synthetic {
            Some(s) => leads.stored_from(1).map(|l| l.id).take_while(|id| *id <= s.count as i64).collect(),
            None => Vec::new(),
        };
        // A separator is one ASCII character; anything else falls back to a comma.
        let separator = u8::try_from(spec.separator).ok().filter(u8::is_ascii).unwrap_or(b',');
        let mut file = ExportFile {
            columns,
            headers: spec.headers.to_vec(),
            separator,
            by_created: spec.by_created,
            start: spec.start,
            end: spec.end,
            stored: Vec::new(),
            replaced,
            synthetic,
            every,
            targets,
        };
        file.stored = leads.iter().filter(|l| file.in_window(l.created_at, l.updated_at)).cloned().collect();
        file
    }

    fn in_window(&self, created: DateTime<Utc>, updated: DateTime<Utc>) -> bool {
        let at = if self.by_created { created } else { updated };
        self.start <= at && at <= self.end
    }

    /// The synthetic leads in the file, in id order.
    fn synthetic_ids(&self) -> impl Iterator<Item = u64> + '_ {
        let count = self.synthetic.as_ref().map_or(0, |s| s.count);
        // Stamps have whole seconds, so comparing seconds is comparing instants.
        let (start, end) =
            (self.start.timestamp() + i64::from(self.start.timestamp_subsec_nanos() > 0), self.end.timestamp());
        (1..=count).filter(move |&i| {
            self.replaced.binary_search(&(i as i64)).is_err()
                && self.synthetic.as_ref().is_some_and(|s| {
                    let (created, updated) = s.seconds(i);
                    let at = if self.by_created { created } else { updated };
                    start <= at && at <= end
                })
        })
    }

    /// Hands every line of the file (the header, then one row per record, each with its CRLF)
    /// to `visit` until it answers `false`; returns the records visited.
    fn each_row(&self, mut visit: impl FnMut(&[u8]) -> io::Result<bool>) -> io::Result<u64> {
        let mut row = Vec::with_capacity(1024);
        let mut cell = String::with_capacity(64);
        for (j, header) in self.headers.iter().enumerate() {
            self.push_cell(&mut row, j, header);
        }
        row.extend_from_slice(b"\r\n");
        if !visit(&row)? {
            return Ok(0);
        }
        let mut stored = self.stored.iter().peekable();
        let mut synthetic = self.synthetic_ids();
        let mut next = synthetic.next();
        let mut records = 0;
        loop {
            row.clear();
            if let Some(lead) = stored.next_if(|l| next.is_none_or(|i| l.id < i as i64)) {
                self.stored_row(lead, &mut row);
            } else if let (Some(i), Some(leads)) = (next, &self.synthetic) {
                self.synthetic_row(leads, i, &mut row, &mut cell);
                next = synthetic.next();
            } else {
                break;
            }
            records += 1;
            if !visit(&row)? {
                break;
            }
        }
        Ok(records)
    }

    /// Writes cell `text` as the `j`-th of its row: RFC 4180 quotes a cell holding the
    /// separator, a quote or a line break, and doubles its quotes.
    fn push_cell(&self, row: &mut Vec<u8>, j: usize, text: &str) {
        if j > 0 {
            row.push(self.separator);
        }
        if text.bytes().any(|b| matches!(b, b'"' | b'\r' | b'\n') || b == self.separator) {
            row.push(b'"');
            for b in text.bytes() {
                if b == b'"' {
                    row.push(b'"');
                }
                row.push(b);
            }
            row.push(b'"');
        } else {
            row.extend_from_slice(text.as_bytes());
        }
    }

    fn stored_row(&self, lead: &Lead, row: &mut Vec<u8>) {
        for (j, column) in self.columns.iter().enumerate() {
            self.push_cell(row, j, &cell(&lead.value(&column.name)));
        }
        row.extend_from_slice(b"\r\n");
    }

    fn synthetic_row(&self, leads: &SyntheticLeads, i: u64, row: &mut Vec<u8>, cell: &mut String) {
        let damage = self.targets.damage(self.every, i);
        let at = |target: Option<usize>, kind: Damage, j: usize| damage == Some(kind) && target == Some(j);
        let kept = self.columns.len() - usize::from(damage == Some(Damage::MissingColumn));
        for (j, column) in self.columns.iter().take(kept).enumerate() {
            cell.clear();
            if at(self.targets.id, Damage::IdNotInteger, j) {
                cell.push_str("id-");
                let _ = leads.write(i, &Column::Id, cell);
            } else if at(self.targets.integer, Damage::IntegerNotInteger, j) {
                cell.push_str("lots");
            } else if at(self.targets.email, Damage::EmailNotEmail, j) {
                let _ = leads.write(i, &column.column, cell);
                *cell = cell.replace('@', " at ");
            } else {
                if leads.write(i, &column.column, cell) == Kind::Null {
                    cell.push_str("null");
                }
                if at(self.targets.text, Damage::LineBreak, j) {
                    cell.push_str("\n(continued)");
                }
            }
            self.push_cell(row, j, cell);
        }
        if damage == Some(Damage::ExtraColumn) {
            self.push_cell(row, 1, "surplus");
        }
        row.extend_from_slice(b"\r\n");
    }

    /// Records, size and SHA-256 of the file, from one pass of generation.
    pub fn summarize(&self) -> Summary {
        let mut hasher = Sha256::new();
        let mut size = 0;
        let records = self
            .each_row(|row| {
                hasher.update(row);
                size += row.len() as u64;
                Ok(true)
            })
            .unwrap_or_default();
        let digest: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Summary { records, size, checksum: format!("sha256:{digest}") }
    }

    /// Writes bytes `from..=to` of the file to `out`, generating and dropping what comes
    /// before `from`.
    fn write_range(&self, out: &mut dyn Write, from: u64, to: u64) -> io::Result<()> {
        let mut at = 0;
        self.each_row(|row| {
            let end = at + row.len() as u64;
            if end > from && at <= to {
                let a = from.saturating_sub(at) as usize;
                let b = ((to + 1).min(end) - at) as usize;
                out.write_all(&row[a..b])?;
            }
            at = end;
            Ok(at <= to)
        })?;
        Ok(())
    }
}

/// A value in an export file: Marketo writes `null` for an empty field.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Bytes `from..=to` of a file, to be written as a reply body while it is sent.
#[derive(Debug, Clone)]
pub(crate) struct FileRange {
    pub file: Arc<ExportFile>,
    pub from: u64,
    pub to: u64,
}

impl FileRange {
    /// How many bytes the range holds.
    pub fn len(&self) -> u64 {
        (self.to + 1).saturating_sub(self.from)
    }

    /// Generates the range into `out`.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.len() == 0 {
            return Ok(());
        }
        self.file.write_range(out, self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(columns: &[(&'static str, &'static str)]) -> Targets {
        Targets::of(columns.iter().copied())
    }

    #[test]
    fn damages_cycle_and_fall_back_when_a_field_is_missing() {
        let all = targets(&[("id", "integer"), ("email", "email"), ("firstName", "string"), ("leadScore", "integer")]);
        let seen: Vec<Option<Damage>> = (1..=7).map(|k| all.damage(10, 10 * k)).collect();
        assert_eq!(seen[..6], CYCLE.map(Some));
        assert_eq!(seen[6], Some(Damage::ExtraColumn));
        assert_eq!(all.damage(10, 15), None);

        let email_only = targets(&[("email", "email")]);
        let seen: Vec<Option<Damage>> = (1..=6).map(|k| email_only.damage(1, k)).collect();
        use Damage::*;
        assert_eq!(
            seen,
            [Some(ExtraColumn), Some(ExtraColumn), None, Some(ExtraColumn), Some(EmailNotEmail), Some(ExtraColumn)]
        );
    }
}
