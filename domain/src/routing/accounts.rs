//! Account routing: a company's email domain or name → the agent who owns the account, and the
//! CSV import of those routes.
//!
//! Matching: a domain route matches an email whose domain is exactly the route's domain after
//! lowercasing, so `acme.com` matches `jo@ACME.com` but not `jo@eu.acme.com` (a subsidiary's
//! subdomain may have another owner: list it). A company route matches a company name equal to
//! it ignoring case and surrounding blanks. A domain match wins over a company match; among
//! routes of one kind, the first listed wins.

use crate::ids::AgentId;
use serde::{Deserialize, Serialize};
use std::fmt;

#[cfg(feature = "calendar")]
pub use csv::{MAX_CSV_BYTES, MAX_FIELD_CHARS, MAX_ROWS, parse_accounts_csv};

/// What identifies an account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKey {
    /// An email domain, lowercased, without a leading `@` (`acme.com`).
    Domain(String),
    /// A company name, compared ignoring case and surrounding blanks (the Marketo `company`
    /// field or what the visitor typed).
    Company(String),
}

impl AccountKey {
    /// A domain key from text as typed: trimmed, lowercased, a leading `@` dropped. `None`
    /// unless it is a domain as email addresses accept them ([`crate::email::Email::parse`]):
    /// dot-separated labels of letters, digits and hyphens, ending in an alphabetic top-level
    /// domain.
    pub fn domain(text: &str) -> Option<Self> {
        let domain = text.trim();
        let domain = domain.strip_prefix('@').unwrap_or(domain);
        let email = crate::email::Email::parse(&format!("x@{domain}")).ok()?;
        Some(AccountKey::Domain(email.domain().to_owned()))
    }

    /// A company key from text as typed: trimmed; `None` when blank.
    pub fn company(text: &str) -> Option<Self> {
        let company = text.trim();
        (!company.is_empty()).then(|| AccountKey::Company(company.to_owned()))
    }
}

/// One account and its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRoute {
    /// The account.
    pub key: AccountKey,
    /// The agent who owns it.
    pub owner: AgentId,
}

/// Which of the visitor's keys matched an account route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The domain of the visitor's email.
    Domain,
    /// The visitor's company.
    Company,
}

/// A line of an imported file that was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    /// The line, from 1 for the header (a line break inside a quoted cell counts as a line).
    pub line: u32,
    /// Why, in one sentence.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line {}: {}", self.line, self.message)
    }
}

/// The owner of the visitor's account, and which key matched (see the module's documentation).
pub(super) fn account_owner<'a>(
    routes: &'a [AccountRoute],
    email: Option<&str>,
    company: Option<&str>,
) -> Option<(MatchedBy, &'a AgentId)> {
    let domain = email.and_then(|e| e.trim().rsplit_once('@')).map(|(_, d)| d.trim().trim_end_matches('.'));
    if let Some(domain) = domain.filter(|d| !d.is_empty()) {
        let by_domain = routes.iter().find(|r| match &r.key {
            AccountKey::Domain(key) => {
                let key = key.trim();
                key.strip_prefix('@').unwrap_or(key).eq_ignore_ascii_case(domain)
            }
            AccountKey::Company(_) => false,
        });
        if let Some(route) = by_domain {
            return Some((MatchedBy::Domain, &route.owner));
        }
    }
    let company = company.map(str::trim).filter(|c| !c.is_empty())?;
    let lowered: String = company.chars().flat_map(char::to_lowercase).collect();
    routes
        .iter()
        .find(|r| match &r.key {
            AccountKey::Company(key) => key.trim().chars().flat_map(char::to_lowercase).eq(lowered.chars()),
            AccountKey::Domain(_) => false,
        })
        .map(|route| (MatchedBy::Company, &route.owner))
}

#[cfg(feature = "calendar")]
mod csv {
    //! The CSV import of account routes, on csv-core: all or nothing, every error reported.

    use super::{AccountKey, AccountRoute, LineError};
    use crate::ids::AgentId;
    use csv_core::{ReadRecordResult, Reader};
    use std::collections::HashMap;

    /// The most data rows a file may have.
    pub const MAX_ROWS: usize = 50_000;

    /// The most characters a cell may have.
    pub const MAX_FIELD_CHARS: usize = 200;

    /// The largest file accepted, in bytes.
    pub const MAX_CSV_BYTES: usize = 16 << 20;

    /// A column the import knows.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Column {
        Domain,
        Company,
        Owner,
    }

    impl Column {
        fn name(self) -> &'static str {
            match self {
                Column::Domain => "domain",
                Column::Company => "company",
                Column::Owner => "owner_email",
            }
        }
    }

    const HEADER_HELP: &str =
        "the first line must be a header naming the columns: domain or company (or both), and owner_email";

    /// Reads account routes from an uploaded CSV file.
    ///
    /// The first line is a header naming the columns, in any order and any case: `domain`,
    /// `company` or both, and `owner_email` (spaces and hyphens count as underscores, so
    /// `Owner Email` is fine); other columns are refused. Each data line gives a domain
    /// (`acme.com`, `@acme.com`; see [`AccountKey::domain`]), a company, or both (two routes),
    /// and the email of the owning agent, found in `agents_by_email` ignoring case. Cells may be
    /// quoted as RFC 4180 says (`"Acme, Inc."`); a byte order mark at the start, blank lines and
    /// lines of empty cells are ignored.
    ///
    /// All or nothing: any error means no route is imported, and every error is reported with
    /// its line: a missing or unknown header, an invalid domain, an unknown owner, a key that
    /// appears twice (domains compared lowercased, companies ignoring case), a cell longer than
    /// [`MAX_FIELD_CHARS`], a line with more cells than the header, more than [`MAX_ROWS`] data
    /// lines or more than [`MAX_CSV_BYTES`] bytes. The routes come back in the file's order,
    /// a line's domain route before its company route.
    pub fn parse_accounts_csv(
        text: &str,
        agents_by_email: &HashMap<String, AgentId>,
    ) -> Result<Vec<AccountRoute>, Vec<LineError>> {
        let error = |line: u32, message: String| LineError { line, message };
        if text.len() > MAX_CSV_BYTES {
            return Err(vec![error(1, format!("The file is larger than {} MB.", MAX_CSV_BYTES >> 20))]);
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut records = Records::new(text.as_bytes());
        let Some((header_line, header)) = records.next() else {
            return Err(vec![error(1, format!("The file is empty: {HEADER_HELP}."))]);
        };
        let columns = read_header(header_line, &header)?;
        let owners: HashMap<String, &AgentId> =
            agents_by_email.iter().map(|(email, agent)| (email.trim().to_lowercase(), agent)).collect();
        let mut errors = Vec::new();
        let mut routes = Vec::new();
        // Keys seen so far, companies lowercased, with the line they were first on.
        let mut seen: HashMap<AccountKey, u32> = HashMap::new();
        let mut rows = 0usize;
        while let Some((line, cells)) = records.next() {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows += 1;
            if rows > MAX_ROWS {
                errors.push(error(line, format!("The file has more than {MAX_ROWS} data lines; split it.")));
                break;
            }
            if cells.iter().skip(columns.len()).any(|c| !c.trim().is_empty()) {
                let message =
                    format!("The line has {} cells, but the header names {} columns.", cells.len(), columns.len());
                errors.push(error(line, message));
                continue;
            }
            // A column's cell, trimmed; empty when the header does not name the column.
            let cell = |column: Column| {
                columns.iter().position(|c| *c == Some(column)).and_then(|at| cells.get(at)).map_or("", |c| c.trim())
            };
            let fits = |column: Column| cell(column).chars().count() <= MAX_FIELD_CHARS;
            let mut problems = Vec::new();
            for column in [Column::Domain, Column::Company, Column::Owner] {
                if !fits(column) {
                    problems.push(format!("The {} is longer than {MAX_FIELD_CHARS} characters.", column.name()));
                }
            }
            let (domain, company, owner) = (cell(Column::Domain), cell(Column::Company), cell(Column::Owner));
            if domain.is_empty() && company.is_empty() {
                problems.push("The line has neither a domain nor a company.".to_owned());
            }
            let mut keys = Vec::new();
            if !domain.is_empty() && fits(Column::Domain) {
                match AccountKey::domain(domain) {
                    Some(key) => keys.push(key),
                    None => problems.push(format!("\"{domain}\" is not a valid domain; write it like example.com.")),
                }
            }
            if fits(Column::Company) {
                keys.extend(AccountKey::company(company));
            }
            let owner = if owner.is_empty() {
                problems.push("The owner_email is empty.".to_owned());
                None
            } else if fits(Column::Owner) {
                let found = owners.get(&owner.to_lowercase()).copied();
                if found.is_none() {
                    problems.push(format!("No agent has the email \"{owner}\"."));
                }
                found
            } else {
                None
            };
            for key in keys {
                let (folded, label, shown) = match &key {
                    AccountKey::Domain(d) => (AccountKey::Domain(d.clone()), "domain", d),
                    AccountKey::Company(c) => (AccountKey::Company(c.to_lowercase()), "company", c),
                };
                if let Some(first) = seen.get(&folded) {
                    problems.push(format!("The {label} \"{shown}\" is already on line {first}."));
                    continue;
                }
                seen.insert(folded, line);
                // Kept only if the whole file turns out to be free of errors.
                if let Some(owner) = owner {
                    routes.push(AccountRoute { key, owner: owner.clone() });
                }
            }
            errors.extend(problems.into_iter().map(|message| error(line, message)));
        }
        if errors.is_empty() { Ok(routes) } else { Err(errors) }
    }

    /// The columns named by the header, or every problem with it.
    fn read_header(line: u32, header: &[String]) -> Result<Vec<Option<Column>>, Vec<LineError>> {
        let columns: Vec<Option<Column>> = header
            .iter()
            .map(|name| match name.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
                "domain" => Some(Column::Domain),
                "company" => Some(Column::Company),
                "owner_email" => Some(Column::Owner),
                _ => None,
            })
            .collect();
        let error = |message: String| LineError { line, message };
        if columns.iter().all(Option::is_none) {
            return Err(vec![error(format!("The header is missing: {HEADER_HELP}."))]);
        }
        let mut errors = Vec::new();
        for (name, column) in header.iter().zip(&columns) {
            if column.is_none() {
                let name = name.trim();
                errors.push(error(format!(
                    "The header names an unknown column \"{}\"; the columns are domain, company and owner_email.",
                    name.chars().take(MAX_FIELD_CHARS).collect::<String>()
                )));
            }
        }
        for column in [Column::Domain, Column::Company, Column::Owner] {
            if columns.iter().filter(|c| **c == Some(column)).count() > 1 {
                errors.push(error(format!("The header names the column {} twice.", column.name())));
            }
        }
        if !columns.contains(&Some(Column::Owner)) {
            errors.push(error("The header has no owner_email column.".to_owned()));
        }
        if !columns.contains(&Some(Column::Domain)) && !columns.contains(&Some(Column::Company)) {
            errors.push(error("The header has neither a domain nor a company column.".to_owned()));
        }
        if errors.is_empty() { Ok(columns) } else { Err(errors) }
    }

    /// The records of a whole CSV text, each with the line it starts on.
    struct Records<'a> {
        reader: Reader,
        input: &'a [u8],
        /// Bytes handed to csv-core so far.
        at: usize,
        /// The line of the byte at `at`.
        line: u32,
        out: Vec<u8>,
        ends: Vec<usize>,
        done: bool,
    }

    impl<'a> Records<'a> {
        fn new(input: &'a [u8]) -> Self {
            Records { reader: Reader::new(), input, at: 0, line: 1, out: vec![0; 1024], ends: vec![0; 16], done: false }
        }

        /// Follows line breaks in the bytes csv-core consumed (`\r\n`, `\n` or a lone `\r`), and
        /// notes the line of the first byte of a record.
        fn consume(&mut self, n: usize, start: &mut Option<u32>) {
            let end = (self.at + n).min(self.input.len());
            for i in self.at..end {
                let byte = self.input[i];
                if start.is_none() && byte != b'\r' && byte != b'\n' {
                    *start = Some(self.line);
                }
                let lone_cr = byte == b'\r' && self.input.get(i + 1) != Some(&b'\n');
                if byte == b'\n' || lone_cr {
                    self.line = self.line.saturating_add(1);
                }
            }
            self.at = end;
        }

        /// The next record and the line it starts on; `None` at the end.
        fn next(&mut self) -> Option<(u32, Vec<String>)> {
            if self.done {
                return None;
            }
            let (mut out_len, mut ends_len) = (0, 0);
            let mut start = None;
            loop {
                if out_len >= self.out.len() {
                    self.out.resize(self.out.len() * 2, 0);
                }
                if ends_len >= self.ends.len() {
                    self.ends.resize(self.ends.len() * 2, 0);
                }
                let input = self.input.get(self.at..).unwrap_or_default();
                let out = self.out.get_mut(out_len..).unwrap_or_default();
                let ends = self.ends.get_mut(ends_len..).unwrap_or_default();
                let (result, read, written, ended) = self.reader.read_record(input, out, ends);
                self.consume(read, &mut start);
                out_len += written;
                ends_len += ended;
                match result {
                    ReadRecordResult::InputEmpty | ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
                    ReadRecordResult::Record => {
                        let data = self.out.get(..out_len).unwrap_or_default();
                        let mut cells = Vec::with_capacity(ends_len);
                        let mut from = 0;
                        for &to in self.ends.get(..ends_len).unwrap_or_default() {
                            cells.push(String::from_utf8_lossy(data.get(from..to).unwrap_or_default()).into_owned());
                            from = to;
                        }
                        return Some((start.unwrap_or(self.line), cells));
                    }
                    ReadRecordResult::End => {
                        self.done = true;
                        return None;
                    }
                }
            }
        }
    }
}
