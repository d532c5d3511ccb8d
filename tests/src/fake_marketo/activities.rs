//! Custom activities: `POST /rest/v1/activities/external.json` stores what it receives, for
//! tests to inspect, and answers each record added or skipped.

use super::clock::parse_instant;
use super::envelope::{Answer, Handled, error, skipped};
use super::leads::{LeadStore, missing};
use serde_json::{Value, json};

/// Most activities one call may add.
const BATCH: usize = 300;

/// A custom activity the fake accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedActivity {
    /// The id the fake gave it (also its `marketoGUID`).
    pub id: i64,
    /// The lead it belongs to.
    pub lead_id: i64,
    /// The custom activity type id.
    pub activity_type_id: i64,
    /// `activityDate` as sent.
    pub activity_date: String,
    /// `primaryAttributeValue` as sent.
    pub primary_attribute_value: String,
    /// `attributes` as sent (`[{apiName|name, value}]`), empty when absent.
    pub attributes: Vec<Value>,
    /// The whole input record as sent.
    pub input: Value,
}

impl RecordedActivity {
    /// The value of the secondary attribute named `name` (by `apiName` or `name`).
    pub fn attribute(&self, name: &str) -> Option<&Value> {
        self.attributes
            .iter()
            .find(|a| a.get("apiName").or_else(|| a.get("name")).and_then(Value::as_str) == Some(name))
            .and_then(|a| a.get("value"))
    }
}

/// The activities received so far.
#[derive(Debug, Default)]
pub(crate) struct ActivityLog {
    pub recorded: Vec<RecordedActivity>,
    next_id: i64,
}

impl ActivityLog {
    /// Adds up to 300 activities; each must name an existing lead, a (declared, when any are)
    /// type, an ISO-8601 date and a primary attribute value.
    pub fn add(&mut self, body: &Value, leads: &LeadStore, types: &[i64]) -> Handled {
        let input = body.get("input").and_then(Value::as_array).ok_or_else(|| missing("input"))?;
        if input.is_empty() {
            return Err(error(701, "input cannot be blank"));
        }
        if input.len() > BATCH {
            return Err(error(1003, format!("Batch size of {} exceeds the limit of {BATCH} records", input.len())));
        }
        let result = input.iter().map(|record| self.add_one(record, leads, types)).collect();
        Ok(Answer::result(result))
    }

    fn add_one(&mut self, record: &Value, leads: &LeadStore, types: &[i64]) -> Value {
        for required in ["leadId", "activityDate", "activityTypeId", "primaryAttributeValue"] {
            if record.get(required).is_none_or(Value::is_null) {
                return skipped(1002, format!("Missing value for the required parameter '{required}'"));
            }
        }
        let Some(lead_id) = record.get("leadId").and_then(Value::as_i64) else {
            return skipped(1001, "Invalid value for 'leadId'. Required of type 'integer'");
        };
        let Some(type_id) = record.get("activityTypeId").and_then(Value::as_i64) else {
            return skipped(1001, "Invalid value for 'activityTypeId'. Required of type 'integer'");
        };
        let date = record.get("activityDate").and_then(Value::as_str).unwrap_or_default();
        if parse_instant(date).is_none() {
            return skipped(1001, format!("Invalid value '{date}' for 'activityDate'. Required of type 'datetime'"));
        }
        if !types.is_empty() && !types.contains(&type_id) {
            return skipped(1003, format!("Invalid data: activity type {type_id} not found"));
        }
        if !leads.contains(lead_id) {
            return skipped(1004, "Lead not found");
        }
        let attributes = match record.get("attributes") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list.clone(),
            Some(_) => return skipped(1001, "Invalid value for 'attributes'. Required of type 'array'"),
        };
        self.next_id += 1;
        let id = self.next_id;
        let primary = match record.get("primaryAttributeValue") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        self.recorded.push(RecordedActivity {
            id,
            lead_id,
            activity_type_id: type_id,
            activity_date: date.to_owned(),
            primary_attribute_value: primary,
            attributes,
            input: record.clone(),
        });
        json!({ "id": id, "marketoGUID": id.to_string(), "status": "added" })
    }
}
