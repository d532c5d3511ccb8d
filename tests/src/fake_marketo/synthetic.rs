//! Synthetic leads for load and sync tests: lead `i` (1..=n) is computed from `i` and the
//! clock's start whenever it is needed and never stored, so a fake can hold a million leads
//! in no memory. Names, companies and places come from small tables picked by a hash of `i`;
//! `createdAt` and `updatedAt` are spread over the two years before the clock's start, so a
//! full bulk export needs about 24 windows of 31 days. A lead written or seeded with a
//! synthetic id takes that lead's place.

use super::leads::{FieldDef, Lead};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::fmt::Write;

/// Two years in seconds: every synthetic lead is created and last updated within them.
const SPAN: i64 = 730 * 24 * 3600;

/// The most synthetic leads a fake holds (ids stay far from `i64::MAX`).
pub(crate) const MAX_SYNTHETIC: u64 = u32::MAX as u64;

/// Twenty standard fields every synthetic lead fills, defined beside the fake's process
/// launcher so the ingest benchmark shares the list.
pub use confab_xtask::marketo_fake::SYNTHETIC_FIELDS;

const FIRST_NAMES: [&str; 16] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "José", "Margaret", "Niklaus", "Radia", "Ken",
    "Sophie", "Tim", "Hedy", "Dennis",
];
const LAST_NAMES: [&str; 16] = [
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Núñez", "Hamilton", "Wirth", "Perlman",
    "Thompson", "Wilson", "O'Neil", "Lamarr", "Ritchie",
];
/// Company names (some needing quotes in a CSV) and their web domains.
const COMPANIES: [(&str, &str); 12] = [
    ("Acme, Inc.", "acme"),
    ("Globex", "globex"),
    ("Initech", "initech"),
    ("Umbrella \"Labs\"", "umbrella"),
    ("Hooli", "hooli"),
    ("Stark Industries", "stark"),
    ("Wayne Enterprises", "wayne"),
    ("Soylent", "soylent"),
    ("Cyberdyne Systems", "cyberdyne"),
    ("Tyrell Corp.", "tyrell"),
    ("Vandelay Industries", "vandelay"),
    ("Wonka, Ltd.", "wonka"),
];
/// City, state, country, postal code.
const PLACES: [(&str, &str, &str, &str); 10] = [
    ("New York", "NY", "USA", "10001"),
    ("San Francisco", "CA", "USA", "94105"),
    ("Austin", "TX", "USA", "73301"),
    ("Chicago", "IL", "USA", "60601"),
    ("Toronto", "ON", "Canada", "M5H 2N2"),
    ("London", "England", "United Kingdom", "EC1A 1BB"),
    ("Paris", "Île-de-France", "France", "75001"),
    ("Berlin", "Berlin", "Germany", "10115"),
    ("Sydney", "NSW", "Australia", "2000"),
    ("São Paulo", "SP", "Brazil", "01000-000"),
];
const TITLES: [&str; 8] = [
    "CEO",
    "CTO",
    "VP of Sales",
    "Marketing Manager",
    "Software Engineer",
    "Head of Growth",
    "Director, Operations",
    "Analyst",
];
const INDUSTRIES: [&str; 8] =
    ["Software", "Manufacturing", "Healthcare", "Finance", "Retail", "Education", "Media", "Logistics"];
const SOURCES: [&str; 6] = ["Website", "Webinar", "Trade Show", "Referral", "Paid Search", "Chat"];
const STATUSES: [&str; 5] = ["New", "Working", "Nurturing", "Qualified", "Unqualified"];
const EMPLOYEES: [u64; 6] = [5, 25, 120, 800, 5000, 40_000];
const REVENUES: [u64; 6] = [250_000, 1_500_000, 12_000_000, 90_000_000, 750_000_000, 4_000_000_000];

/// The kind of JSON value a synthetic field holds; its text is written separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Text,
    Integer,
    Bool,
}

/// A lead field as the generator knows it, resolved once per export from the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Column {
    Id,
    Email,
    FirstName,
    LastName,
    Company,
    Title,
    Phone,
    MobilePhone,
    LeadSource,
    LeadStatus,
    LeadScore,
    Industry,
    NumberOfEmployees,
    AnnualRevenue,
    Website,
    City,
    State,
    Country,
    PostalCode,
    Unsubscribed,
    CreatedAt,
    UpdatedAt,
    /// No value on synthetic leads (the Munchkin cookies).
    Empty,
    /// A custom field: its name and Marketo data type.
    Custom(String, String),
}

impl Column {
    /// The column of schema field `def`.
    pub fn of(def: &FieldDef) -> Self {
        if def.custom {
            return Column::Custom(def.name.clone(), def.data_type.clone());
        }
        match def.name.as_str() {
            "id" => Column::Id,
            "email" => Column::Email,
            "firstName" => Column::FirstName,
            "lastName" => Column::LastName,
            "company" => Column::Company,
            "title" => Column::Title,
            "phone" => Column::Phone,
            "mobilePhone" => Column::MobilePhone,
            "leadSource" => Column::LeadSource,
            "leadStatus" => Column::LeadStatus,
            "leadScore" => Column::LeadScore,
            "industry" => Column::Industry,
            "numberOfEmployees" => Column::NumberOfEmployees,
            "annualRevenue" => Column::AnnualRevenue,
            "website" => Column::Website,
            "city" => Column::City,
            "state" => Column::State,
            "country" => Column::Country,
            "postalCode" => Column::PostalCode,
            "unsubscribed" => Column::Unsubscribed,
            "createdAt" => Column::CreatedAt,
            "updatedAt" => Column::UpdatedAt,
            _ => Column::Empty,
        }
    }
}

/// SplitMix64's finaliser over `i` and a salt: a cheap, well-spread hash.
fn mix(i: u64, salt: u64) -> u64 {
    let mut z = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The entry of `table` that lead `i` gets for the field salted `salt`.
fn pick<T: Copy>(table: &[T], i: u64, salt: u64) -> T {
    table[(mix(i, salt) % table.len() as u64) as usize]
}

/// Writes `n` in decimal, at least `width` digits (zero-padded). Export files are written
/// a million rows at a time, so the hot values skip `fmt`.
fn push_number(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    while n > 0 || digits.len() - start < width.max(1) {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// The civil date (year, month, day) of `days` since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u64, u64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Writes the instant `seconds` after the Unix epoch as `clock::stamp` does.
fn write_stamp(out: &mut String, seconds: i64) {
    let (year, month, day) = civil(seconds.div_euclid(86_400));
    let time = seconds.rem_euclid(86_400) as u64;
    push_number(out, year.max(0) as u64, 4);
    for (separator, value) in [('-', month), ('-', day), ('T', time / 3600), (':', time / 60 % 60), (':', time % 60)] {
        out.push(separator);
        push_number(out, value, 2);
    }
    out.push('Z');
}

/// The synthetic leads 1..=count, anchored at the clock's start.
#[derive(Debug, Clone)]
pub(crate) struct SyntheticLeads {
    pub count: u64,
    /// The clock's start, in whole seconds since the Unix epoch.
    anchor: i64,
}

impl SyntheticLeads {
    /// `count` leads updated before `anchor` (taken to the whole second).
    pub fn new(count: u64, anchor: DateTime<Utc>) -> Self {
        SyntheticLeads { count: count.min(MAX_SYNTHETIC), anchor: anchor.timestamp() }
    }

    /// The synthetic index of lead `id`, if it is in the synthetic range.
    pub fn index(&self, id: i64) -> Option<u64> {
        u64::try_from(id).ok().filter(|i| (1..=self.count).contains(i))
    }

    /// When lead `i` was created and last updated, in seconds since the Unix epoch: the update
    /// is spread evenly over the two years before the anchor, the creation between the start
    /// of those two years and the update.
    pub fn seconds(&self, i: u64) -> (i64, i64) {
        let updated_ago = (mix(i, 1) % SPAN as u64) as i64 + 1;
        let created_ago = updated_ago + (mix(i, 2) % (SPAN - updated_ago + 1) as u64) as i64;
        (self.anchor - created_ago, self.anchor - updated_ago)
    }

    /// When lead `i` was created and last updated.
    pub fn times(&self, i: u64) -> (DateTime<Utc>, DateTime<Utc>) {
        let (created, updated) = self.seconds(i);
        let at = |seconds: i64| DateTime::from_timestamp(seconds, 0).unwrap_or_default();
        (at(created), at(updated))
    }

    /// The email address of lead `i`.
    pub fn write_email(out: &mut String, i: u64) {
        out.push_str("lead");
        push_number(out, i, 1);
        out.push_str("@example");
        push_number(out, i % 97, 1);
        out.push_str(".test");
    }

    /// Writes lead `i`'s value of `column` as text into `out` (nothing for `null`) and says
    /// what kind of JSON value it is.
    pub fn write(&self, i: u64, column: &Column, out: &mut String) -> Kind {
        let company = || pick(&COMPANIES, i, 5);
        let place = || pick(&PLACES, i, 6);
        match column {
            Column::Id => {
                push_number(out, i, 1);
                return Kind::Integer;
            }
            Column::Email => Self::write_email(out, i),
            Column::FirstName => out.push_str(pick(&FIRST_NAMES, i, 3)),
            Column::LastName => out.push_str(pick(&LAST_NAMES, i, 4)),
            Column::Company => out.push_str(company().0),
            Column::Title => out.push_str(pick(&TITLES, i, 7)),
            Column::Phone => {
                out.push_str("+1-555-");
                push_number(out, i / 10_000 % 1000, 3);
                out.push('-');
                push_number(out, i % 10_000, 4);
            }
            Column::MobilePhone if mix(i, 8).is_multiple_of(3) => return Kind::Null,
            Column::MobilePhone => {
                out.push_str("+1-555-");
                push_number(out, mix(i, 9) % 10_000_000, 7);
            }
            Column::LeadSource => out.push_str(pick(&SOURCES, i, 10)),
            Column::LeadStatus => out.push_str(pick(&STATUSES, i, 11)),
            Column::LeadScore => {
                push_number(out, mix(i, 12) % 101, 1);
                return Kind::Integer;
            }
            Column::Industry => out.push_str(pick(&INDUSTRIES, i, 13)),
            Column::NumberOfEmployees => {
                push_number(out, pick(&EMPLOYEES, i, 14), 1);
                return Kind::Integer;
            }
            Column::AnnualRevenue => {
                push_number(out, pick(&REVENUES, i, 15), 1);
                return Kind::Integer;
            }
            Column::Website => {
                out.push_str("https://www.");
                out.push_str(company().1);
                out.push_str(".test");
            }
            Column::City => out.push_str(place().0),
            Column::State => out.push_str(place().1),
            Column::Country => out.push_str(place().2),
            Column::PostalCode => out.push_str(place().3),
            Column::Unsubscribed => {
                out.push_str(if i.is_multiple_of(10) { "true" } else { "false" });
                return Kind::Bool;
            }
            Column::CreatedAt => write_stamp(out, self.seconds(i).0),
            Column::UpdatedAt => write_stamp(out, self.seconds(i).1),
            Column::Empty => return Kind::Null,
            Column::Custom(name, data_type) => return self.write_custom(i, name, data_type, out),
        }
        Kind::Text
    }

    /// Custom fields get values by data type; searchable ones (string, email, integer) are
    /// unique per lead and name it, so lookups by them find synthetic leads.
    fn write_custom(&self, i: u64, name: &str, data_type: &str, out: &mut String) -> Kind {
        match data_type {
            "integer" => {
                let _ = write!(out, "{i}");
                return Kind::Integer;
            }
            "float" | "currency" => {
                let _ = write!(out, "{}", mix(i, 16) % 100_000);
                return Kind::Integer;
            }
            "boolean" => {
                out.push_str(if mix(i, 17).is_multiple_of(2) { "true" } else { "false" });
                return Kind::Bool;
            }
            "email" => {
                let _ = write!(out, "{name}.{i}@example.test");
            }
            "date" => {
                let _ = write!(out, "{}", self.times(i).0.format("%Y-%m-%d"));
            }
            "datetime" => write_stamp(out, self.seconds(i).0),
            "phone" => {
                let _ = write!(out, "+1-555-{:07}", mix(i, 18) % 10_000_000);
            }
            "url" => {
                let _ = write!(out, "https://www.example.test/{name}/{i}");
            }
            _ => {
                let _ = write!(out, "{name}-{i}");
            }
        }
        Kind::Text
    }

    /// Lead `i`'s value of `column` as JSON.
    pub fn value(&self, i: u64, column: &Column) -> Value {
        let mut text = String::new();
        match self.write(i, column, &mut text) {
            Kind::Null => Value::Null,
            Kind::Integer => text.parse::<i64>().map(Value::from).unwrap_or(Value::String(text)),
            Kind::Bool => Value::Bool(text == "true"),
            Kind::Text => Value::String(text),
        }
    }

    /// Lead `i` with every schema field, as the store would hold it.
    pub fn lead(&self, i: u64, fields: &[FieldDef]) -> Lead {
        let values: Map<String, Value> = fields
            .iter()
            .filter(|f| !matches!(f.name.as_str(), "id" | "createdAt" | "updatedAt" | "cookies"))
            .map(|f| (f.name.clone(), self.value(i, &Column::of(f))))
            .filter(|(_, v)| !v.is_null())
            .collect();
        let (created, updated) = self.times(i);
        Lead::new(i as i64, values, created, updated)
    }

    /// The synthetic lead whose `field` may hold `key`, read back from the key's shape; the
    /// caller checks that it really does.
    pub fn candidate(&self, field: &FieldDef, key: &str) -> Option<u64> {
        let number = |text: &str| text.parse::<u64>().ok();
        let i = match (field.name.as_str(), field.custom, field.data_type.as_str()) {
            ("id", false, _) => number(key),
            ("email", false, _) => number(key.get(4..)?.split_once('@')?.0),
            (_, true, "integer") => number(key),
            (name, true, "email") => number(key.get(name.len() + 1..)?.split_once('@')?.0),
            (name, true, _) => number(key.get(name.len() + 1..)?),
            _ => None,
        }?;
        (1..=self.count).contains(&i).then_some(i)
    }

    /// Whether lead `i`'s `field` holds `key` (emails compared without case, as lookups do).
    pub fn holds(&self, i: u64, field: &FieldDef, key: &str) -> bool {
        let mut text = String::new();
        if self.write(i, &Column::of(field), &mut text) == Kind::Null {
            return false;
        }
        if field.data_type == "email" { text.eq_ignore_ascii_case(key) } else { text == key }
    }
}

#[cfg(test)]
mod tests {
    use super::super::clock::stamp;
    use super::*;
    use chrono::TimeZone;

    fn anchor() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).single().unwrap_or_default()
    }

    fn leads() -> SyntheticLeads {
        SyntheticLeads::new(1_000_000, anchor())
    }

    #[test]
    fn times_lie_within_two_years_before_the_anchor_created_first() {
        let synthetic = leads();
        let earliest = synthetic.anchor - SPAN;
        for i in (1..=synthetic.count).step_by(997) {
            let (created, updated) = synthetic.seconds(i);
            assert!(earliest <= created && created <= updated && updated < synthetic.anchor, "lead {i}");
            for seconds in [created, updated] {
                let mut text = String::new();
                write_stamp(&mut text, seconds);
                assert_eq!(text, stamp(DateTime::from_timestamp(seconds, 0).unwrap_or_default()));
            }
        }
        let mut text = String::new();
        write_stamp(&mut text, 951_782_400); // a leap day
        assert_eq!(text, "2000-02-29T00:00:00Z");
    }

    #[test]
    fn a_lead_depends_on_its_index_alone() {
        let (a, b) = (leads(), SyntheticLeads::new(10, anchor()));
        for column in [Column::Email, Column::Company, Column::UpdatedAt, Column::MobilePhone] {
            assert_eq!(a.value(7, &column), b.value(7, &column));
        }
        assert_eq!(a.value(42, &Column::Email), Value::from("lead42@example42.test"));
        assert_eq!(a.value(100, &Column::Email), Value::from("lead100@example3.test"));
    }
}
