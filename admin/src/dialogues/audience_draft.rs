//! The audience builder's pure decisions: condition rows into the audience's conditions (with
//! each unfinished row's problem), the referrer list typed one per line, and the schedule's
//! bounds. Tested natively.

use crate::conditions::ConditionDraft;
use confab_domain::targeting::{Condition, ReferrerCondition};
use std::collections::BTreeMap;

/// Whether a row was left blank (no field, no value): it is ignored, not a problem.
fn blank(row: &ConditionDraft) -> bool {
    row.field.trim().is_empty() && row.value.trim().is_empty()
}

/// A lead field as typed: `country`, or `lead.country` (the prefix branch rules use).
pub fn lead_field(typed: &str) -> Result<String, String> {
    let name = typed.trim();
    let name = name.strip_prefix("lead.").unwrap_or(name);
    if name.is_empty() {
        return Err("Choose the lead field to test, such as country.".into());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("{name:?} is not a lead field name (letters, digits and _, as Marketo's REST names)."));
    }
    Ok(name.to_owned())
}

/// A query parameter as typed, such as `utm_source`.
pub fn query_parameter(typed: &str) -> Result<String, String> {
    let name = typed.trim();
    if name.is_empty() {
        return Err("Choose the query parameter to test, such as utm_source.".into());
    }
    if name.chars().any(|c| c.is_whitespace() || matches!(c, '&' | '=' | '?' | '#')) {
        return Err(format!("{name:?} is not a query parameter name."));
    }
    Ok(name.to_owned())
}

/// The conditions of the finished rows, and the problem of each unfinished one by row key.
pub fn conditions(
    rows: &[ConditionDraft],
    field: fn(&str) -> Result<String, String>,
) -> (Vec<Condition>, BTreeMap<u32, String>) {
    let mut done = Vec::new();
    let mut problems = BTreeMap::new();
    for row in rows.iter().filter(|r| !blank(r)) {
        match field(&row.field).and_then(|name| row.to_condition(name)) {
            Ok(condition) => done.push(condition),
            Err(problem) => {
                problems.insert(row.key, problem);
            }
        }
    }
    (done, problems)
}

/// The referrer conditions typed one per line: a line with `*` is a URL pattern (as for
/// pages), any other a text the referrer must contain.
pub fn referrer_conditions(typed: &str) -> Vec<ReferrerCondition> {
    typed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.contains('*') {
            true => ReferrerCondition::Pattern { pattern: l.to_owned() },
            false => ReferrerCondition::Contains { value: l.to_owned() },
        })
        .collect()
}

/// The referrer conditions as the builder shows them, one per line. A `contains` text with a
/// `*` cannot be written this way and is shown as it is (it would come back as a pattern).
pub fn referrer_text(conditions: &[ReferrerCondition]) -> String {
    conditions
        .iter()
        .map(|c| match c {
            ReferrerCondition::Contains { value } => value.as_str(),
            ReferrerCondition::Pattern { pattern } => pattern.as_str(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What is wrong with a schedule whose bounds are `start` and `end` (Unix ms, when set).
pub fn schedule_problem(start: Option<f64>, end: Option<f64>) -> Option<String> {
    match (start, end) {
        (Some(s), Some(e)) if e <= s => Some("The end must come after the start.".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conditions::Op;

    fn row(field: &str, op: Op, value: &str) -> ConditionDraft {
        ConditionDraft { field: field.into(), op, value: value.into(), ..ConditionDraft::new() }
    }

    #[test]
    fn finished_rows_become_conditions_and_unfinished_ones_say_why() {
        let rows = [
            row("lead.country", Op::InList, "US\n\nCA "),
            row("numberOfEmployees", Op::GreaterThan, "many"),
            row("", Op::Equals, ""),
            row("first name", Op::Equals, "Ada"),
            row("title", Op::IsNotEmpty, ""),
        ];
        let (done, problems) = conditions(&rows, lead_field);
        assert_eq!(
            done,
            vec![
                Condition::InList { field: "country".into(), values: vec!["US".into(), "CA".into()] },
                Condition::IsNotEmpty { field: "title".into() },
            ]
        );
        let said: Vec<&str> = problems.values().map(String::as_str).collect();
        assert_eq!(
            said,
            vec![
                "Enter a number, such as 500.",
                "\"first name\" is not a lead field name (letters, digits and _, as Marketo's REST names).",
            ]
        );
        assert_eq!(problems.keys().copied().collect::<Vec<_>>(), vec![rows[1].key, rows[3].key]);
    }

    #[test]
    fn query_parameters_are_names_without_url_syntax() {
        assert_eq!(query_parameter(" utm_source "), Ok("utm_source".into()));
        assert!(query_parameter("utm_source=x").is_err());
        assert!(query_parameter("").is_err());
    }

    #[test]
    fn referrers_are_one_per_line_with_patterns_where_a_star_is() {
        let typed = "google.\n\n*.linkedin.com/*\n";
        let parsed = referrer_conditions(typed);
        assert_eq!(
            parsed,
            vec![
                ReferrerCondition::Contains { value: "google.".into() },
                ReferrerCondition::Pattern { pattern: "*.linkedin.com/*".into() },
            ]
        );
        assert_eq!(referrer_text(&parsed), "google.\n*.linkedin.com/*");
    }

    #[test]
    fn a_schedule_ends_after_it_starts() {
        assert_eq!(schedule_problem(Some(2.0), Some(1.0)).as_deref(), Some("The end must come after the start."));
        assert_eq!(schedule_problem(Some(1.0), None), None);
        assert_eq!(schedule_problem(None, Some(1.0)), None);
    }
}
