//! Targeting: which visitors, on which pages and when, see a dialogue, and which dialogue wins.
//!
//! An [`Audience`] is data, stored as JSON with its dialogue. [`matches`] decides whether a
//! visitor, described by a [`VisitorContext`], belongs to it; [`explain`] says in one sentence
//! why not, for the admin preview; [`choose_dialogue`] picks the one dialogue to show. The
//! current time is part of the context, so everything here is a pure function of its arguments.
//!
//! Values are compared case-insensitively and after trimming. A lead attribute or query
//! parameter that is absent or blank is *unknown*: it satisfies `is_empty` and nothing else,
//! not even `not_equals`, because we cannot tell what it would have been.
//!
//! The audience also carries the dialogue's [`trigger`]s: when, once chosen, it shows itself.

mod lowercase;
mod number;
pub mod trigger;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Which visitors, by identity, an audience admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visitors {
    /// Known and anonymous visitors alike.
    #[default]
    Everyone,
    /// Only visitors identified as a lead.
    Known,
    /// Only visitors not identified as a lead.
    Anonymous,
}

/// How a [`Group`] combines its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every member must hold.
    #[default]
    All,
    /// At least one member must hold.
    Any,
}

/// A test on one named value: a lead attribute, or a query parameter of the page.
///
/// Stored as `{"op": "equals", "field": "country", "value": "US"}`. Numeric comparisons parse
/// both sides as numbers; when either side is not a finite number the condition does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Condition {
    /// The value equals `value`.
    Equals {
        /// Attribute or parameter name, matched exactly.
        field: String,
        /// The value to compare with.
        value: String,
    },
    /// The value is known and differs from `value`.
    NotEquals {
        /// Attribute or parameter name, matched exactly.
        field: String,
        /// The value to compare with.
        value: String,
    },
    /// The value contains `value`.
    Contains {
        /// Attribute or parameter name, matched exactly.
        field: String,
        /// The text to look for.
        value: String,
    },
    /// The value starts with `value`.
    StartsWith {
        /// Attribute or parameter name, matched exactly.
        field: String,
        /// The expected beginning.
        value: String,
    },
    /// The value equals one of `values`.
    InList {
        /// Attribute or parameter name, matched exactly.
        field: String,
        /// The accepted values.
        values: Vec<String>,
    },
    /// The value is absent or blank.
    IsEmpty {
        /// Attribute or parameter name, matched exactly.
        field: String,
    },
    /// The value is present and not blank.
    IsNotEmpty {
        /// Attribute or parameter name, matched exactly.
        field: String,
    },
    /// The value, as a number, is strictly greater than `value`.
    GreaterThan {
        /// Attribute or parameter name, matched exactly.
        field: String,
        /// The threshold, as text so that it is stored exactly as typed.
        value: String,
    },
    /// The value, as a number, is strictly less than `value`.
    LessThan {
        /// Attribute or parameter name, matched exactly.
        field: String,
        /// The threshold, as text so that it is stored exactly as typed.
        value: String,
    },
}

impl Condition {
    /// The attribute or parameter the condition tests.
    pub fn field(&self) -> &str {
        match self {
            Condition::Equals { field, .. }
            | Condition::NotEquals { field, .. }
            | Condition::Contains { field, .. }
            | Condition::StartsWith { field, .. }
            | Condition::InList { field, .. }
            | Condition::IsEmpty { field }
            | Condition::IsNotEmpty { field }
            | Condition::GreaterThan { field, .. }
            | Condition::LessThan { field, .. } => field,
        }
    }
}

/// Conditions on lead attributes combined with all / any, possibly with nested groups.
///
/// A group without members holds whatever its mode, so an empty audience admits everyone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Group {
    /// How the members combine.
    #[serde(default)]
    pub mode: Mode,
    /// Conditions on lead attributes.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Nested groups, combined with the conditions under the same mode.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
}

/// The pages a dialogue may show on, as URL patterns (see [`url_matches`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UrlRules {
    /// Patterns of pages to show on; empty means every page.
    pub include: Vec<String>,
    /// Patterns of pages never to show on; an exclusion wins over any inclusion.
    pub exclude: Vec<String>,
}

/// A test on the page's referrer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "match", rename_all = "snake_case")]
pub enum ReferrerCondition {
    /// The referrer URL contains `value`, case-insensitively.
    Contains {
        /// The text to look for.
        value: String,
    },
    /// The referrer URL matches `pattern`, a URL pattern as for pages (see [`url_matches`]).
    Pattern {
        /// The URL pattern.
        pattern: String,
    },
}

/// When a dialogue may show: from `start` (inclusive) until `end` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Schedule {
    /// First instant the dialogue may show; `None` for no start.
    pub start: Option<DateTime<Utc>>,
    /// First instant the dialogue no longer shows; `None` for no end.
    pub end: Option<DateTime<Utc>>,
}

/// Who a dialogue is for. Every part must hold; the default admits everyone everywhere.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Audience {
    /// Known visitors, anonymous ones, or both.
    pub visitors: Visitors,
    /// Conditions on the visitor's lead attributes.
    pub attributes: Group,
    /// Pages to show on and not to show on.
    pub pages: UrlRules,
    /// Conditions on the page's query parameters (such as `utm_source`), all of which must hold.
    pub query: Vec<Condition>,
    /// Conditions on the referrer, at least one of which must hold; empty means any referrer, or none.
    pub referrer: Vec<ReferrerCondition>,
    /// `Some(true)` for returning visitors only, `Some(false)` for first visits only.
    pub returning: Option<bool>,
    /// When the dialogue may show.
    pub schedule: Schedule,
    /// The moments it shows itself (its teaser) on the page; none waits for the visitor.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<trigger::Trigger>,
}

/// What is known about a visitor at the moment a dialogue could be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorContext {
    /// The page's full URL.
    pub page_url: String,
    /// The page's referrer, if the browser gave one.
    pub referrer: Option<String>,
    /// The page's query parameters, decoded (see [`query_parameters`]).
    pub query: BTreeMap<String, String>,
    /// Whether the visitor is identified as a lead.
    pub known: bool,
    /// The lead's fields; empty for an anonymous visitor.
    pub attributes: BTreeMap<String, String>,
    /// Whether the visitor has been on the site before.
    pub returning: bool,
    /// The current time.
    pub now: DateTime<Utc>,
    /// Ids of the dialogues this visitor has completed.
    pub completed: BTreeSet<String>,
}

/// A dialogue competing to be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Dialogue id.
    pub id: String,
    /// Higher wins.
    pub priority: i32,
    /// Who the dialogue is for.
    pub audience: Audience,
}

/// Whether the visitor belongs to the audience.
pub fn matches(audience: &Audience, ctx: &VisitorContext) -> bool {
    first_mismatch(audience, ctx).is_ok()
}

/// Why the visitor does not belong to the audience, as one sentence naming the first condition
/// that failed; `None` when they belong. The sentence never contains the visitor's own values.
pub fn explain(audience: &Audience, ctx: &VisitorContext) -> Option<String> {
    first_mismatch(audience, ctx).err().map(|m| m.to_string())
}

/// Whether the conditions of `group` hold for these named values: what [`matches`] decides
/// for an audience whose only part is its `attributes`, without the parts that admit everyone
/// anyway. Dialogue branches use it, so a branch and an audience never disagree.
pub fn group_holds(group: &Group, values: &BTreeMap<String, String>) -> bool {
    check_group(group, values).is_ok()
}

/// The dialogue to show: among the candidates the visitor has not completed and belongs to the
/// audience of, the one with the highest priority; between equal priorities, the smallest id.
pub fn choose_dialogue<'a>(candidates: &'a [Candidate], ctx: &VisitorContext) -> Option<&'a Candidate> {
    candidates
        .iter()
        .filter(|c| !ctx.completed.contains(&c.id) && matches(&c.audience, ctx))
        .min_by(|a, b| b.priority.cmp(&a.priority).then_with(|| a.id.cmp(&b.id)))
}

/// Whether `url` matches `pattern`, where `*` stands for any run of characters, `/` included.
///
/// Case is ignored, and so are the URL's query and fragment. A pattern with a scheme
/// (`https://…`) requires that scheme; one without matches any scheme. What the rest of the
/// pattern is compared with depends on its shape:
/// - starting with `/` (`/pricing*`): the path alone, on any host;
/// - without any `/` (`*.example.com`): the host alone, so every page of that host;
/// - otherwise (`example.com/blog*`, `*/checkout`): the host followed by the path.
///
/// The port takes part only when the pattern's host has one (`localhost:8787/*`).
pub fn url_matches(pattern: &str, url: &str) -> bool {
    let url = url.to_lowercase();
    pattern_matches(pattern, &Url::parse(&url))
}

/// Whether `text` matches `pattern` as a whole, where `*` matches any run of characters,
/// including none, and every other character matches itself exactly.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    // Where to resume after the last `*`: the pattern just past it and the text it has eaten up to.
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                resume = Some((p, t));
            }
            Some(&c) if c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match resume {
                // Let the last `*` eat one more character and retry; earlier stars never need to.
                Some((after_star, eaten)) => {
                    p = after_star;
                    t = eaten + 1;
                    resume = Some((after_star, eaten + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// The query parameters of `url`, percent-decoded with `+` as a space; when a name repeats,
/// the first value wins (as `URLSearchParams.get` does).
pub fn query_parameters(url: &str) -> BTreeMap<String, String> {
    let mut params = BTreeMap::new();
    for pair in Url::parse(url).query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        params.entry(percent_decode(name)).or_insert_with(|| percent_decode(value));
    }
    params
}

/// The parts of a URL that targeting looks at, parsed leniently: nothing here is refused.
struct Url<'a> {
    scheme: &'a str,
    /// Host and, if any, `:port`.
    authority: &'a str,
    host: &'a str,
    /// Never empty: a URL without a path has the path `/`.
    path: &'a str,
    query: &'a str,
}

impl<'a> Url<'a> {
    fn parse(url: &'a str) -> Self {
        let url = url.trim();
        let url = url.split_once('#').map_or(url, |(before, _)| before);
        let (url, query) = url.split_once('?').unwrap_or((url, ""));
        let (scheme, rest, has_authority) = match url.split_once("://") {
            Some((scheme, rest)) if !scheme.contains('/') => (scheme, rest, true),
            _ => match url.strip_prefix("//") {
                Some(rest) => ("", rest, true),
                None => ("", url, !url.starts_with('/')),
            },
        };
        let (authority, path) = match rest.find('/') {
            Some(slash) if has_authority => rest.split_at(slash),
            _ if has_authority => (rest, ""),
            _ => ("", rest),
        };
        let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        let host = match authority.find(']') {
            // An IPv6 literal, whose colons are not a port separator.
            Some(bracket) if authority.starts_with('[') => authority.split_at(bracket + 1).0,
            _ => authority.split_once(':').map_or(authority, |(host, _)| host),
        };
        Url { scheme, authority, host, path: if path.is_empty() { "/" } else { path }, query }
    }
}

/// [`url_matches`] against an already parsed, lowercased URL.
fn pattern_matches(pattern: &str, url: &Url<'_>) -> bool {
    let pattern = pattern.trim().to_lowercase();
    let rest = match pattern.split_once("://") {
        Some((scheme, rest)) if !scheme.contains('/') => {
            if !wildcard_match(scheme, url.scheme) {
                return false;
            }
            rest
        }
        _ => pattern.as_str(),
    };
    let pattern_host = rest.split('/').next().unwrap_or("");
    // A colon after any IPv6 brackets means the pattern names a port.
    let names_port = pattern_host.rsplit_once(']').map_or(pattern_host, |(_, after)| after).contains(':');
    let host = if names_port { url.authority } else { url.host };
    if rest.starts_with('/') {
        wildcard_match(rest, url.path)
    } else if !rest.contains('/') {
        wildcard_match(rest, host)
    } else {
        wildcard_match(rest, &format!("{host}{}", url.path))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|&b| char::from(b).to_digit(16));
        match (byte, hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits make at most 255, so the cast is exact.
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a condition's value comes from, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Lead,
    Query,
}

/// Why a condition did not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// The value is absent or blank.
    Unknown,
    /// The value is known but not a number, and the condition compares numbers.
    NotANumber,
    /// The condition's own threshold is not a number.
    BadThreshold,
    /// The value is known and the test is false.
    False,
}

/// A condition that did not hold.
#[derive(Debug)]
struct Unmet<'a> {
    source: Source,
    condition: &'a Condition,
    why: Why,
}

/// The first part of an audience the visitor failed.
#[derive(Debug)]
enum Mismatch<'a> {
    OnlyKnown,
    OnlyAnonymous,
    NotStarted(DateTime<Utc>),
    Ended(DateTime<Utc>),
    ExcludedPage(&'a str),
    NotIncludedPage,
    Query(Unmet<'a>),
    NoReferrer,
    Referrer,
    Returning(bool),
    Attribute(Unmet<'a>),
    /// An `any` group with several members, none of which held; `first` is the first one's failure.
    AnyGroup {
        members: usize,
        first: Box<Mismatch<'a>>,
    },
}

/// Checks the parts of an audience from the cheapest to the dearest.
fn first_mismatch<'a>(audience: &'a Audience, ctx: &VisitorContext) -> Result<(), Mismatch<'a>> {
    match audience.visitors {
        Visitors::Known if !ctx.known => return Err(Mismatch::OnlyKnown),
        Visitors::Anonymous if ctx.known => return Err(Mismatch::OnlyAnonymous),
        _ => {}
    }
    if let Some(start) = audience.schedule.start
        && ctx.now < start
    {
        return Err(Mismatch::NotStarted(start));
    }
    if let Some(end) = audience.schedule.end
        && ctx.now >= end
    {
        return Err(Mismatch::Ended(end));
    }
    if let Some(returning) = audience.returning
        && returning != ctx.returning
    {
        return Err(Mismatch::Returning(returning));
    }
    check_pages(&audience.pages, &ctx.page_url)?;
    check_referrer(&audience.referrer, ctx.referrer.as_deref())?;
    for condition in &audience.query {
        check_condition(condition, Source::Query, &ctx.query).map_err(Mismatch::Query)?;
    }
    check_group(&audience.attributes, &ctx.attributes)
}

fn check_pages<'a>(rules: &'a UrlRules, page_url: &str) -> Result<(), Mismatch<'a>> {
    let lowered = page_url.to_lowercase();
    let url = Url::parse(&lowered);
    if let Some(pattern) = rules.exclude.iter().find(|p| pattern_matches(p, &url)) {
        return Err(Mismatch::ExcludedPage(pattern));
    }
    if rules.include.is_empty() || rules.include.iter().any(|p| pattern_matches(p, &url)) {
        Ok(())
    } else {
        Err(Mismatch::NotIncludedPage)
    }
}

fn check_referrer(conditions: &[ReferrerCondition], referrer: Option<&str>) -> Result<(), Mismatch<'static>> {
    if conditions.is_empty() {
        return Ok(());
    }
    let Some(referrer) = referrer.map(str::trim).filter(|r| !r.is_empty()) else {
        return Err(Mismatch::NoReferrer);
    };
    let referrer = referrer.to_lowercase();
    let holds = |condition: &ReferrerCondition| match condition {
        ReferrerCondition::Contains { value } => referrer.contains(&value.trim().to_lowercase()),
        ReferrerCondition::Pattern { pattern } => pattern_matches(pattern, &Url::parse(&referrer)),
    };
    if conditions.iter().any(holds) { Ok(()) } else { Err(Mismatch::Referrer) }
}

fn check_group<'a>(group: &'a Group, attributes: &BTreeMap<String, String>) -> Result<(), Mismatch<'a>> {
    let mut results = group
        .conditions
        .iter()
        .map(|c| check_condition(c, Source::Lead, attributes).map_err(Mismatch::Attribute))
        .chain(group.groups.iter().map(|g| check_group(g, attributes)));
    match group.mode {
        Mode::All => results.try_for_each(|r| r),
        Mode::Any => {
            let mut first = None;
            for result in results {
                match result {
                    Ok(()) => return Ok(()),
                    Err(mismatch) => {
                        first.get_or_insert(mismatch);
                    }
                }
            }
            let members = group.conditions.len() + group.groups.len();
            match first {
                None => Ok(()),
                Some(only) if members == 1 => Err(only),
                Some(first) => Err(Mismatch::AnyGroup { members, first: Box::new(first) }),
            }
        }
    }
}

fn check_condition<'a>(
    condition: &'a Condition,
    source: Source,
    values: &BTreeMap<String, String>,
) -> Result<(), Unmet<'a>> {
    let unmet = |why| Unmet { source, condition, why };
    let value = values.get(condition.field()).map(|v| v.trim()).filter(|v| !v.is_empty());
    let holds = match (condition, value) {
        (Condition::IsEmpty { .. }, value) => value.is_none(),
        (_, None) => return Err(unmet(Why::Unknown)),
        (Condition::IsNotEmpty { .. }, Some(_)) => true,
        (Condition::Equals { value: expected, .. }, Some(value)) => same_text(value, expected),
        (Condition::NotEquals { value: expected, .. }, Some(value)) => !same_text(value, expected),
        (Condition::Contains { value: part, .. }, Some(value)) => {
            lowercase::text(value).contains(&lowercase::text(part.trim()))
        }
        (Condition::StartsWith { value: prefix, .. }, Some(value)) => {
            lowercase::text(value).starts_with(&lowercase::text(prefix.trim()))
        }
        (Condition::InList { values: accepted, .. }, Some(value)) => accepted.iter().any(|a| same_text(value, a)),
        (Condition::GreaterThan { value: threshold, .. }, Some(value)) => {
            let (value, threshold) = numbers(value, threshold).map_err(unmet)?;
            value > threshold
        }
        (Condition::LessThan { value: threshold, .. }, Some(value)) => {
            let (value, threshold) = numbers(value, threshold).map_err(unmet)?;
            value < threshold
        }
    };
    if holds { Ok(()) } else { Err(unmet(Why::False)) }
}

/// Whether two texts are equal, ignoring case and surrounding blanks.
fn same_text(a: &str, b: &str) -> bool {
    lowercase::chars(a.trim()) == lowercase::chars(b.trim())
}

/// A value and a threshold as finite numbers, or why they are not.
fn numbers(value: &str, threshold: &str) -> Result<(f64, f64), Why> {
    let number = |s: &str| number::finite(s.trim());
    let threshold = number(threshold).ok_or(Why::BadThreshold)?;
    let value = number(value).ok_or(Why::NotANumber)?;
    Ok((value, threshold))
}

impl fmt::Display for Unmet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, lowercase_name) = match self.source {
            Source::Lead => ("Lead field", "lead field"),
            Source::Query => ("Query parameter", "query parameter"),
        };
        let field = self.condition.field();
        match (self.why, self.condition) {
            (Why::Unknown, Condition::IsNotEmpty { .. }) => write!(f, "{name} \"{field}\" is empty."),
            (Why::Unknown, _) => write!(f, "{name} \"{field}\" is unknown."),
            (Why::NotANumber, _) => write!(f, "{name} \"{field}\" is not a number."),
            (Why::BadThreshold, Condition::GreaterThan { value, .. } | Condition::LessThan { value, .. }) => {
                write!(
                    f,
                    "The condition on {lowercase_name} \"{field}\" compares with \"{value}\", which is not a number."
                )
            }
            (Why::BadThreshold, _) => write!(f, "The condition on {lowercase_name} \"{field}\" is not a number."),
            (Why::False, Condition::Equals { value, .. }) => {
                write!(f, "{name} \"{field}\" does not equal \"{value}\".")
            }
            (Why::False, Condition::NotEquals { value, .. }) => write!(f, "{name} \"{field}\" equals \"{value}\"."),
            (Why::False, Condition::Contains { value, .. }) => {
                write!(f, "{name} \"{field}\" does not contain \"{value}\".")
            }
            (Why::False, Condition::StartsWith { value, .. }) => {
                write!(f, "{name} \"{field}\" does not start with \"{value}\".")
            }
            (Why::False, Condition::InList { values, .. }) => {
                let list: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                write!(f, "{name} \"{field}\" is not one of {}.", list.join(", "))
            }
            (Why::False, Condition::IsEmpty { .. }) => write!(f, "{name} \"{field}\" is not empty."),
            (Why::False, Condition::IsNotEmpty { .. }) => write!(f, "{name} \"{field}\" is empty."),
            (Why::False, Condition::GreaterThan { value, .. }) => {
                write!(f, "{name} \"{field}\" is not greater than {value}.")
            }
            (Why::False, Condition::LessThan { value, .. }) => {
                write!(f, "{name} \"{field}\" is not less than {value}.")
            }
        }
    }
}

impl fmt::Display for Mismatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let instant = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
        match self {
            Mismatch::OnlyKnown => f.write_str("The audience is known visitors only, and this visitor is anonymous."),
            Mismatch::OnlyAnonymous => {
                f.write_str("The audience is anonymous visitors only, and this visitor is known.")
            }
            Mismatch::NotStarted(start) => write!(f, "The dialogue starts at {}.", instant(start)),
            Mismatch::Ended(end) => write!(f, "The dialogue ended at {}.", instant(end)),
            Mismatch::ExcludedPage(pattern) => write!(f, "The page is excluded by the pattern \"{pattern}\"."),
            Mismatch::NotIncludedPage => f.write_str("The page matches none of the included URL patterns."),
            Mismatch::Query(unmet) | Mismatch::Attribute(unmet) => unmet.fmt(f),
            Mismatch::NoReferrer => f.write_str("The visit has no referrer."),
            Mismatch::Referrer => f.write_str("The referrer matches none of the referrer conditions."),
            Mismatch::Returning(true) => {
                f.write_str("The audience is returning visitors only, and this is a first visit.")
            }
            Mismatch::Returning(false) => {
                f.write_str("The audience is first visits only, and this visitor has been here before.")
            }
            Mismatch::AnyGroup { members, first } => {
                write!(f, "None of the {members} conditions of an \"any\" group holds; the first: {first}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn at(instant: &str) -> DateTime<Utc> {
        instant.parse().expect("a valid RFC 3339 instant")
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())).collect()
    }

    /// An anonymous first-time visitor on the pricing page, with nothing else known.
    fn visitor() -> VisitorContext {
        VisitorContext {
            page_url: "https://www.example.com/pricing".to_owned(),
            referrer: None,
            query: BTreeMap::new(),
            known: false,
            attributes: BTreeMap::new(),
            returning: false,
            now: at("2025-03-15T12:00:00Z"),
            completed: BTreeSet::new(),
        }
    }

    /// A condition as it is stored; for `in_list`, `value` holds the accepted values separated by `|`.
    fn cond(op: &str, field: &str, value: &str) -> Condition {
        let values: Vec<&str> = value.split('|').collect();
        serde_json::from_value(json!({ "op": op, "field": field, "value": value, "values": values }))
            .expect("a valid condition")
    }

    fn group(mode: Mode, conditions: Vec<Condition>, groups: Vec<Group>) -> Group {
        Group { mode, conditions, groups }
    }

    #[test]
    fn operators() {
        let lead = map(&[
            ("country", "United States"),
            ("industry", "Software"),
            ("employees", "250"),
            ("revenue", "n/a"),
            ("huge", "inf"),
            ("blank", "   "),
        ]);
        let check = |op: &str, field: &str, value: &str, expected: bool| {
            let condition = cond(op, field, value);
            let actual = check_condition(&condition, Source::Lead, &lead).is_ok();
            assert_eq!(actual, expected, "{op} {field} {value:?}");
        };
        check("equals", "country", "United States", true);
        check("equals", "country", "uNITED sTATES", true);
        check("equals", "country", "  united states ", true);
        check("equals", "country", "Canada", false);
        check("equals", "country", "United", false);
        check("equals", "missing", "x", false);
        check("equals", "blank", "", false);
        check("equals", "Country", "United States", false);

        check("not_equals", "country", "Canada", true);
        check("not_equals", "country", "UNITED STATES", false);
        check("not_equals", "missing", "Canada", false);
        check("not_equals", "blank", "Canada", false);

        check("contains", "industry", "soft", true);
        check("contains", "industry", "WARE", true);
        check("contains", "industry", "hard", false);
        check("contains", "missing", "soft", false);

        check("starts_with", "country", "united", true);
        check("starts_with", "country", "UNITED ST", true);
        check("starts_with", "country", "states", false);
        check("starts_with", "missing", "united", false);

        check("in_list", "country", "Canada|united states|Mexico", true);
        check("in_list", "country", "Canada|Mexico", false);
        check("in_list", "country", "United", false);
        check("in_list", "missing", "Canada|Mexico", false);

        check("is_empty", "missing", "", true);
        check("is_empty", "blank", "", true);
        check("is_empty", "country", "", false);

        check("is_not_empty", "country", "", true);
        check("is_not_empty", "missing", "", false);
        check("is_not_empty", "blank", "", false);

        check("greater_than", "employees", "100", true);
        check("greater_than", "employees", " 99.5 ", true);
        check("greater_than", "employees", "-1e3", true);
        check("greater_than", "employees", "250", false);
        check("greater_than", "employees", "1000", false);
        check("greater_than", "revenue", "1", false);
        check("greater_than", "huge", "1", false);
        check("greater_than", "employees", "many", false);
        check("greater_than", "employees", "NaN", false);
        check("greater_than", "missing", "0", false);

        check("less_than", "employees", "1000", true);
        check("less_than", "employees", "250.5", true);
        check("less_than", "employees", "250", false);
        check("less_than", "employees", "100", false);
        check("less_than", "revenue", "1", false);
        check("less_than", "employees", "few", false);
        check("less_than", "missing", "1000", false);
    }

    #[test]
    fn wildcards() {
        let check = |pattern: &str, text: &str, expected: bool| {
            assert_eq!(wildcard_match(pattern, text), expected, "{pattern:?} against {text:?}");
        };
        // No star: the whole text, exactly.
        check("", "", true);
        check("", "a", false);
        check("abc", "abc", true);
        check("abc", "abd", false);
        check("abc", "abcd", false);
        check("abc", "ab", false);
        // A star alone, or several.
        check("*", "", true);
        check("*", "anything/at all", true);
        check("**", "", true);
        check("a**b", "ab", true);
        // Leading, trailing, middle.
        check("*.example.com", "www.example.com", true);
        check("*.example.com", "example.com", false);
        check("blog*", "blog", true);
        check("blog*", "blog/post", true);
        check("blog*", "blo", false);
        check("a*c", "ac", true);
        check("a*c", "abbbc", true);
        check("a*c", "acb", false);
        // Several stars, and cases that need the star to give back what it took.
        check("*a*b*", "xxaxxbxx", true);
        check("*a*b*", "xxbxxaxx", false);
        check("*ab", "aab", true);
        check("*aab", "aaab", true);
        check("a*b*c", "abxbxc", true);
        check("a*b*c", "abxbxcd", false);
        // Multi-byte characters match as wholes.
        check("ä*ö", "äxyzö", true);
        check("ä*", "a", false);
    }

    #[test]
    fn url_patterns() {
        let check = |pattern: &str, url: &str, expected: bool| {
            assert_eq!(url_matches(pattern, url), expected, "{pattern:?} against {url:?}");
        };
        // Host and path, with leading, trailing and middle stars.
        check("*.example.com/pricing/*", "https://www.example.com/pricing/enterprise", true);
        check("*.example.com/pricing/*", "https://example.com/pricing/enterprise", false);
        check("*.example.com/pricing/*", "https://www.example.com/pricing", false);
        check("example.com/blog*", "http://example.com/blog", true);
        check("example.com/blog*", "https://example.com/blog/post-1?page=2", true);
        check("example.com/blog*", "https://example.com/about", false);
        check("*/checkout", "https://shop.example.com/checkout", true);
        check("*/checkout", "https://shop.example.com/cart/checkout", true);
        check("*/checkout", "https://shop.example.com/checkout/done", false);
        check("example.com/*/pricing", "https://example.com/en/pricing", true);
        check("example.com/*/pricing", "https://example.com/pricing", false);
        check("*.example.*/*/docs/*", "https://eu.example.org/v2/docs/intro", true);
        // Host only: every page of the host.
        check("example.com", "https://example.com/any/page", true);
        check("example.com", "https://example.com", true);
        check("example.com", "https://www.example.com/", false);
        check("*.example.com", "https://app.example.com/x", true);
        check("*", "https://anything.test/", true);
        // Path only: that path on any host.
        check("/pricing", "https://example.com/pricing", true);
        check("/pricing", "https://other.test/pricing#plans", true);
        check("/pricing", "https://example.com/pricing/team", false);
        check("/docs/*", "https://example.com/docs/a/b", true);
        check("/", "https://example.com", true);
        // No star: that page exactly.
        check("example.com/pricing", "https://example.com/pricing", true);
        check("example.com/pricing", "https://example.com/pricing/", false);
        check("example.com/", "https://example.com", true);
        // Schemes: required when given, any otherwise.
        check("https://example.com/*", "https://example.com/a", true);
        check("https://example.com/*", "http://example.com/a", false);
        check("example.com/a", "http://example.com/a", true);
        check("*://example.com/a", "http://example.com/a", true);
        // Case, ports, credentials, query and fragment.
        check("EXAMPLE.com/Pricing", "https://Example.COM/pricing", true);
        check("example.com/a", "https://example.com:8443/a", true);
        check("example.com:8443/a", "https://example.com:8443/a", true);
        check("example.com:8443/a", "https://example.com/a", false);
        check("localhost:*", "http://localhost:8787/", true);
        check("[::1]/a", "http://[::1]:8080/a", true);
        check("example.com/a", "https://user:secret@example.com/a", true);
        check("example.com/a", "https://example.com/a?utm_source=x#top", true);
        check("example.com/a", "//example.com/a", true);
        check("/a", "/a?x=1", true);
    }

    #[test]
    fn excludes_win_over_includes_and_no_include_means_every_page() {
        let audience = |include: &[&str], exclude: &[&str]| Audience {
            pages: UrlRules {
                include: include.iter().map(|p| p.to_string()).collect(),
                exclude: exclude.iter().map(|p| p.to_string()).collect(),
            },
            ..Audience::default()
        };
        let check = |audience: &Audience, url: &str, expected: bool| {
            let ctx = VisitorContext { page_url: url.to_owned(), ..visitor() };
            assert_eq!(matches(audience, &ctx), expected, "{url}");
        };
        let site_but_checkout = audience(&["*.example.com"], &["*/checkout*"]);
        check(&site_but_checkout, "https://www.example.com/pricing", true);
        check(&site_but_checkout, "https://www.example.com/checkout/step-2", false);
        check(&site_but_checkout, "https://www.other.test/pricing", false);

        let both = audience(&["example.com/checkout"], &["example.com/checkout"]);
        check(&both, "https://example.com/checkout", false);

        let everywhere_but_careers = audience(&[], &["/careers*"]);
        check(&everywhere_but_careers, "https://anything.test/", true);
        check(&everywhere_but_careers, "https://anything.test/careers/engineer", false);

        check(&Audience::default(), "https://anything.test/any", true);
    }

    #[test]
    fn query_parameters_are_decoded_and_tested() {
        let params = query_parameters(
            "https://x.test/p?utm_source=News%20letter&utm_medium=email+blast&flag&utm_source=second&bad=%zz%4#top",
        );
        assert_eq!(
            params,
            map(&[("bad", "%zz%4"), ("flag", ""), ("utm_medium", "email blast"), ("utm_source", "News letter")])
        );
        assert_eq!(query_parameters("https://x.test/p"), BTreeMap::new());
        assert_eq!(query_parameters("https://x.test/p?caf%C3%A9=%C3%A9t%C3%A9"), map(&[("café", "été")]));

        let audience = Audience {
            query: vec![cond("equals", "utm_source", "newsletter"), cond("is_not_empty", "utm_campaign", "")],
            ..Audience::default()
        };
        let check = |query: &[(&str, &str)], expected: bool| {
            let ctx = VisitorContext { query: map(query), ..visitor() };
            assert_eq!(matches(&audience, &ctx), expected, "{query:?}");
        };
        check(&[("utm_source", "Newsletter"), ("utm_campaign", "spring")], true);
        check(&[("utm_source", "newsletter")], false);
        check(&[("utm_source", "ads"), ("utm_campaign", "spring")], false);
        check(&[], false);
        // Query conditions read the query parameters, never the lead.
        let ctx =
            VisitorContext { attributes: map(&[("utm_source", "newsletter"), ("utm_campaign", "x")]), ..visitor() };
        assert!(!matches(&audience, &ctx));
    }

    #[test]
    fn referrer() {
        let check = |conditions: Vec<ReferrerCondition>, referrer: Option<&str>, expected: bool| {
            let audience = Audience { referrer: conditions.clone(), ..Audience::default() };
            let ctx = VisitorContext { referrer: referrer.map(str::to_owned), ..visitor() };
            assert_eq!(matches(&audience, &ctx), expected, "{conditions:?} with {referrer:?}");
        };
        let contains = |value: &str| ReferrerCondition::Contains { value: value.to_owned() };
        let pattern = |pattern: &str| ReferrerCondition::Pattern { pattern: pattern.to_owned() };
        check(vec![], None, true);
        check(vec![], Some("https://google.com/"), true);
        check(vec![contains("google")], Some("https://www.Google.com/search?q=x"), true);
        check(vec![contains("GOOGLE")], Some("https://www.google.com/"), true);
        check(vec![contains("google")], Some("https://bing.com/"), false);
        check(vec![contains("google")], None, false);
        check(vec![contains("google")], Some("  "), false);
        check(vec![pattern("*.google.*")], Some("https://www.google.de/"), true);
        check(vec![pattern("*.google.*")], Some("https://news.example.com/google"), false);
        check(vec![pattern("*/newsletter/*")], Some("https://mail.example.com/newsletter/42"), true);
        check(vec![contains("bing"), pattern("*.google.*")], Some("https://www.google.com/"), true);
        check(vec![contains("bing"), pattern("*.google.*")], Some("https://duckduckgo.com/"), false);
    }

    #[test]
    fn returning_visitors() {
        let check = |required: Option<bool>, returning: bool, expected: bool| {
            let audience = Audience { returning: required, ..Audience::default() };
            let ctx = VisitorContext { returning, ..visitor() };
            assert_eq!(matches(&audience, &ctx), expected, "{required:?} with {returning}");
        };
        check(None, false, true);
        check(None, true, true);
        check(Some(true), true, true);
        check(Some(true), false, false);
        check(Some(false), false, true);
        check(Some(false), true, false);
    }

    #[test]
    fn schedule_starts_inclusive_and_ends_exclusive() {
        let window = Schedule { start: Some(at("2025-03-01T00:00:00Z")), end: Some(at("2025-04-01T00:00:00Z")) };
        let check = |schedule: Schedule, now: &str, expected: bool| {
            let audience = Audience { schedule, ..Audience::default() };
            let ctx = VisitorContext { now: at(now), ..visitor() };
            assert_eq!(matches(&audience, &ctx), expected, "{schedule:?} at {now}");
        };
        check(window, "2025-02-28T23:59:59Z", false);
        check(window, "2025-03-01T00:00:00Z", true);
        check(window, "2025-03-31T23:59:59Z", true);
        check(window, "2025-04-01T00:00:00Z", false);
        check(window, "2025-03-01T01:00:00+01:00", true);
        check(Schedule { end: None, ..window }, "2030-01-01T00:00:00Z", true);
        check(Schedule { end: None, ..window }, "2025-01-01T00:00:00Z", false);
        check(Schedule { start: None, ..window }, "2000-01-01T00:00:00Z", true);
        check(Schedule { start: None, ..window }, "2025-04-01T00:00:00Z", false);
        check(Schedule::default(), "1970-01-01T00:00:00Z", true);
    }

    #[test]
    fn known_and_anonymous_visitors() {
        let check = |visitors: Visitors, known: bool, expected: bool| {
            let audience = Audience { visitors, ..Audience::default() };
            let ctx = VisitorContext { known, ..visitor() };
            assert_eq!(matches(&audience, &ctx), expected, "{visitors:?} with known={known}");
        };
        check(Visitors::Everyone, false, true);
        check(Visitors::Everyone, true, true);
        check(Visitors::Known, true, true);
        check(Visitors::Known, false, false);
        check(Visitors::Anonymous, false, true);
        check(Visitors::Anonymous, true, false);
    }

    #[test]
    fn all_and_any_groups() {
        let us = || cond("equals", "country", "US");
        let software = || cond("equals", "industry", "software");
        let large = || cond("greater_than", "employees", "1000");
        // Country is US, and either software or large.
        let nested = group(Mode::All, vec![us()], vec![group(Mode::Any, vec![software(), large()], vec![])]);
        let check = |group: &Group, lead: &[(&str, &str)], expected: bool| {
            let audience = Audience { attributes: group.clone(), ..Audience::default() };
            let ctx = VisitorContext { known: true, attributes: map(lead), ..visitor() };
            assert_eq!(matches(&audience, &ctx), expected, "{lead:?}");
        };
        let all = group(Mode::All, vec![us(), software()], vec![]);
        check(&all, &[("country", "us"), ("industry", "Software")], true);
        check(&all, &[("country", "us"), ("industry", "Retail")], false);
        check(&all, &[("country", "us")], false);
        let any = group(Mode::Any, vec![us(), software()], vec![]);
        check(&any, &[("country", "DE"), ("industry", "Software")], true);
        check(&any, &[("country", "US")], true);
        check(&any, &[("country", "DE"), ("industry", "Retail")], false);
        check(&any, &[], false);
        check(&nested, &[("country", "US"), ("industry", "Retail"), ("employees", "5000")], true);
        check(&nested, &[("country", "US"), ("industry", "software"), ("employees", "50")], true);
        check(&nested, &[("country", "US"), ("industry", "Retail"), ("employees", "50")], false);
        check(&nested, &[("country", "DE"), ("industry", "software"), ("employees", "5000")], false);
        // Empty groups hold, whatever their mode.
        check(&group(Mode::All, vec![], vec![]), &[], true);
        check(&group(Mode::Any, vec![], vec![]), &[], true);
        check(&group(Mode::Any, vec![us()], vec![group(Mode::Any, vec![], vec![])]), &[], true);
    }

    #[test]
    fn explanations_name_the_first_failure() {
        let check = |audience: Audience, ctx: VisitorContext, expected: Option<&str>| {
            assert_eq!(explain(&audience, &ctx).as_deref(), expected, "{audience:?}");
            assert_eq!(matches(&audience, &ctx), expected.is_none());
        };
        let base = Audience::default;
        let known = || VisitorContext { known: true, ..visitor() };
        let lead = |pairs: &[(&str, &str)]| VisitorContext { known: true, attributes: map(pairs), ..visitor() };
        let attributes = |mode: Mode, conditions: Vec<Condition>| Audience {
            attributes: group(mode, conditions, vec![]),
            ..Audience::default()
        };
        check(base(), visitor(), None);
        check(
            Audience { visitors: Visitors::Known, ..base() },
            visitor(),
            Some("The audience is known visitors only, and this visitor is anonymous."),
        );
        check(
            Audience { visitors: Visitors::Anonymous, ..base() },
            known(),
            Some("The audience is anonymous visitors only, and this visitor is known."),
        );
        check(
            Audience { schedule: Schedule { start: Some(at("2026-01-01T00:00:00Z")), end: None }, ..base() },
            visitor(),
            Some("The dialogue starts at 2026-01-01T00:00:00Z."),
        );
        check(
            Audience { schedule: Schedule { start: None, end: Some(at("2025-01-01T00:00:00Z")) }, ..base() },
            visitor(),
            Some("The dialogue ended at 2025-01-01T00:00:00Z."),
        );
        check(
            Audience { returning: Some(true), ..base() },
            visitor(),
            Some("The audience is returning visitors only, and this is a first visit."),
        );
        check(
            Audience { returning: Some(false), ..base() },
            VisitorContext { returning: true, ..visitor() },
            Some("The audience is first visits only, and this visitor has been here before."),
        );
        check(
            Audience { pages: UrlRules { include: vec![], exclude: vec!["/pricing".into()] }, ..base() },
            visitor(),
            Some("The page is excluded by the pattern \"/pricing\"."),
        );
        check(
            Audience { pages: UrlRules { include: vec!["/blog*".into()], exclude: vec![] }, ..base() },
            visitor(),
            Some("The page matches none of the included URL patterns."),
        );
        check(
            Audience { referrer: vec![ReferrerCondition::Contains { value: "google".into() }], ..base() },
            visitor(),
            Some("The visit has no referrer."),
        );
        check(
            Audience { referrer: vec![ReferrerCondition::Contains { value: "google".into() }], ..base() },
            VisitorContext { referrer: Some("https://bing.com/".into()), ..visitor() },
            Some("The referrer matches none of the referrer conditions."),
        );
        check(
            Audience { query: vec![cond("equals", "utm_source", "newsletter")], ..base() },
            visitor(),
            Some("Query parameter \"utm_source\" is unknown."),
        );
        check(
            attributes(Mode::All, vec![cond("equals", "country", "US")]),
            lead(&[("country", "DE")]),
            Some("Lead field \"country\" does not equal \"US\"."),
        );
        check(
            attributes(Mode::All, vec![cond("not_equals", "country", "US")]),
            lead(&[("country", "us")]),
            Some("Lead field \"country\" equals \"US\"."),
        );
        check(
            attributes(Mode::All, vec![cond("contains", "industry", "soft")]),
            lead(&[("industry", "Retail")]),
            Some("Lead field \"industry\" does not contain \"soft\"."),
        );
        check(
            attributes(Mode::All, vec![cond("starts_with", "industry", "soft")]),
            lead(&[("industry", "Retail")]),
            Some("Lead field \"industry\" does not start with \"soft\"."),
        );
        check(
            attributes(Mode::All, vec![cond("in_list", "country", "US|CA")]),
            lead(&[("country", "DE")]),
            Some("Lead field \"country\" is not one of \"US\", \"CA\"."),
        );
        check(
            attributes(Mode::All, vec![cond("is_empty", "email", "")]),
            lead(&[("email", "a@b.test")]),
            Some("Lead field \"email\" is not empty."),
        );
        check(
            attributes(Mode::All, vec![cond("is_not_empty", "email", "")]),
            lead(&[]),
            Some("Lead field \"email\" is empty."),
        );
        check(
            attributes(Mode::All, vec![cond("greater_than", "employees", "100")]),
            lead(&[("employees", "50")]),
            Some("Lead field \"employees\" is not greater than 100."),
        );
        check(
            attributes(Mode::All, vec![cond("less_than", "employees", "100")]),
            lead(&[("employees", "500")]),
            Some("Lead field \"employees\" is not less than 100."),
        );
        check(
            attributes(Mode::All, vec![cond("less_than", "employees", "100")]),
            lead(&[("employees", "lots")]),
            Some("Lead field \"employees\" is not a number."),
        );
        check(
            attributes(Mode::All, vec![cond("less_than", "employees", "a hundred")]),
            lead(&[("employees", "5")]),
            Some("The condition on lead field \"employees\" compares with \"a hundred\", which is not a number."),
        );
        check(
            attributes(Mode::Any, vec![cond("equals", "country", "US"), cond("equals", "country", "CA")]),
            lead(&[("country", "DE")]),
            Some(
                "None of the 2 conditions of an \"any\" group holds; the first: Lead field \"country\" does not equal \"US\".",
            ),
        );
        check(
            attributes(Mode::Any, vec![cond("equals", "country", "US")]),
            lead(&[]),
            Some("Lead field \"country\" is unknown."),
        );
        // The explanation shows what the author wrote, never what the visitor's lead holds.
        let explanation =
            explain(&attributes(Mode::All, vec![cond("equals", "email", "x")]), &lead(&[("email", "jo@secret.test")]));
        assert!(explanation.is_some_and(|e| !e.contains("secret")));
    }

    #[test]
    fn the_highest_priority_eligible_dialogue_wins() {
        let candidate =
            |id: &str, priority: i32, audience: Audience| Candidate { id: id.to_owned(), priority, audience };
        let known_only = Audience { visitors: Visitors::Known, ..Audience::default() };
        let candidates = vec![
            candidate("welcome", 1, Audience::default()),
            candidate("pricing-help", 5, Audience::default()),
            candidate("vip", 9, known_only),
            candidate("also-five", 5, Audience::default()),
        ];
        let check = |ctx: VisitorContext, expected: Option<&str>| {
            assert_eq!(choose_dialogue(&candidates, &ctx).map(|c| c.id.as_str()), expected);
        };
        let completed = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect::<BTreeSet<_>>();
        check(VisitorContext { known: true, ..visitor() }, Some("vip"));
        // Not eligible for "vip"; between the two fives the smaller id wins.
        check(visitor(), Some("also-five"));
        check(VisitorContext { completed: completed(&["also-five"]), ..visitor() }, Some("pricing-help"));
        check(VisitorContext { known: true, completed: completed(&["vip"]), ..visitor() }, Some("also-five"));
        check(VisitorContext { completed: completed(&["also-five", "pricing-help", "welcome"]), ..visitor() }, None);
        assert_eq!(choose_dialogue(&[], &visitor()), None);
        // Order in the slice does not matter.
        let mut reversed = candidates.clone();
        reversed.reverse();
        assert_eq!(choose_dialogue(&reversed, &visitor()).map(|c| c.id.as_str()), Some("also-five"));
    }

    #[test]
    fn audiences_are_stored_as_json() {
        let stored = json!({
            "visitors": "known",
            "attributes": {
                "mode": "all",
                "conditions": [{ "op": "in_list", "field": "country", "values": ["US", "CA"] }],
                "groups": [{
                    "mode": "any",
                    "conditions": [
                        { "op": "equals", "field": "industry", "value": "Software" },
                        { "op": "greater_than", "field": "employees", "value": "1000" }
                    ]
                }]
            },
            "pages": { "include": ["*.example.com/pricing*"], "exclude": ["*/checkout"] },
            "query": [{ "op": "equals", "field": "utm_source", "value": "newsletter" }],
            "referrer": [{ "match": "contains", "value": "google" }, { "match": "pattern", "pattern": "*.bing.com" }],
            "returning": true,
            "schedule": { "start": "2025-03-01T00:00:00Z", "end": null }
        });
        let audience: Audience = serde_json::from_value(stored.clone()).expect("a valid audience");
        assert_eq!(audience.visitors, Visitors::Known);
        assert_eq!(audience.attributes.groups[0].conditions[1], cond("greater_than", "employees", "1000"));
        assert_eq!(audience.schedule.start, Some(at("2025-03-01T00:00:00Z")));
        assert_eq!(serde_json::to_value(&audience).expect("serialisable"), stored);

        // Every part is optional; an empty object admits everyone.
        let empty: Audience = serde_json::from_value(json!({})).expect("a valid audience");
        assert_eq!(empty, Audience::default());
        assert!(matches(&empty, &visitor()));
    }

    proptest! {
        /// Matching never panics, whatever the pattern and text, URL-shaped or not.
        #[test]
        fn wildcard_matching_never_panics(pattern in "[a*./:?#@\\[\\]é]{0,16}", text in "\\PC{0,32}") {
            let _ = wildcard_match(&pattern, &text);
            let _ = url_matches(&pattern, &text);
            let _ = url_matches(&text, &pattern);
            let _ = query_parameters(&text);
        }

        /// A pattern without stars matches exactly its own text.
        #[test]
        fn a_pattern_without_stars_matches_itself(text in "[^*]{0,32}", other in "[^*]{0,32}") {
            prop_assert!(wildcard_match(&text, &text));
            prop_assert_eq!(wildcard_match(&text, &other), text == other);
        }

        /// `*part*` matches exactly the texts containing `part`.
        #[test]
        fn surrounding_stars_mean_contains(text in "[ab/]{0,16}", part in "[ab/]{0,4}") {
            prop_assert_eq!(wildcard_match(&format!("*{part}*"), &text), text.contains(&part));
        }
    }
}
