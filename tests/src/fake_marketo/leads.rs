//! The lead database: the field schema (standard fields plus configured custom ones), the
//! in-memory store over the synthetic leads (a stored lead takes the place of the synthetic
//! one with its id), and the Leads endpoints: get by filter type, get by id, sync
//! (createOrUpdate and friends), associate a Munchkin cookie, describe.

use super::clock::{parse_instant, stamp};
use super::config::CustomField;
use super::cookie;
use super::envelope::{Answer, Handled, MarketoError, error, skipped};
use super::http::Call;
use super::synthetic::SyntheticLeads;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Most records one call may read or write, and most `filterValues`.
const BATCH: usize = 300;
/// More matches than this make Get Leads by Filter Type fail.
const MAX_MATCHES: usize = 1000;
/// What Get Leads returns without a `fields` parameter.
const DEFAULT_FIELDS: [&str; 6] = ["id", "email", "updatedAt", "createdAt", "firstName", "lastName"];

/// A lead field as Describe reports it.
#[derive(Debug, Clone)]
pub(crate) struct FieldDef {
    pub id: u32,
    pub name: String,
    pub display_name: String,
    pub data_type: String,
    pub length: Option<u32>,
    pub read_only: bool,
    pub custom: bool,
}

impl FieldDef {
    /// Whether `filterType` and `lookupField` accept it.
    fn searchable(&self) -> bool {
        matches!(self.name.as_str(), "id" | "email" | "cookies")
            || (self.custom && matches!(self.data_type.as_str(), "string" | "email" | "integer"))
    }
}

/// Standard fields: name, display name, data type, length, read-only.
const STANDARD: [(&str, &str, &str, Option<u32>, bool); 23] = [
    ("id", "Id", "integer", None, true),
    ("email", "Email Address", "email", Some(255), false),
    ("firstName", "First Name", "string", Some(255), false),
    ("lastName", "Last Name", "string", Some(255), false),
    ("company", "Company Name", "string", Some(255), false),
    ("title", "Job Title", "string", Some(255), false),
    ("phone", "Phone Number", "phone", Some(255), false),
    ("leadSource", "Person Source", "string", Some(255), false),
    ("leadStatus", "Lead Status", "string", Some(255), false),
    ("leadScore", "Lead Score", "integer", None, false),
    ("mobilePhone", "Mobile Phone Number", "phone", Some(255), false),
    ("industry", "Industry", "string", Some(255), false),
    ("numberOfEmployees", "Num Employees", "integer", None, false),
    ("annualRevenue", "Annual Revenue", "currency", None, false),
    ("website", "Website", "url", Some(255), false),
    ("city", "City", "string", Some(255), false),
    ("state", "State", "string", Some(255), false),
    ("country", "Country", "string", Some(255), false),
    ("postalCode", "Postal Code", "string", Some(255), false),
    ("unsubscribed", "Unsubscribed", "boolean", None, false),
    ("createdAt", "Created At", "datetime", None, true),
    ("updatedAt", "Updated At", "datetime", None, true),
    ("cookies", "Cookies", "string", Some(255), true),
];

/// One lead.
#[derive(Debug, Clone)]
pub(crate) struct Lead {
    pub id: i64,
    values: Map<String, Value>,
    cookies: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Lead {
    /// A lead without cookies.
    pub fn new(id: i64, values: Map<String, Value>, created_at: DateTime<Utc>, updated_at: DateTime<Utc>) -> Self {
        Lead { id, values, cookies: Vec::new(), created_at, updated_at }
    }

    /// The value of `field` (`null` when unset, as Marketo implies for absent fields).
    pub fn value(&self, field: &str) -> Value {
        match field {
            "id" => Value::from(self.id),
            "createdAt" => Value::from(stamp(self.created_at)),
            "updatedAt" => Value::from(stamp(self.updated_at)),
            "cookies" if self.cookies.is_empty() => Value::Null,
            "cookies" => Value::from(self.cookies.join(",")),
            other => self.values.get(other).cloned().unwrap_or(Value::Null),
        }
    }

    /// The record with `fields`.
    pub fn render(&self, fields: &[String]) -> Value {
        Value::Object(fields.iter().map(|f| (f.clone(), self.value(f))).collect())
    }
}

/// The store: leads seeded or written, over the synthetic ones.
#[derive(Debug)]
pub(crate) struct LeadStore {
    pub fields: Vec<FieldDef>,
    leads: BTreeMap<i64, Lead>,
    pub synthetic: Option<SyntheticLeads>,
    next_id: i64,
}

impl LeadStore {
    /// A store with the standard fields, `custom` ones and the `synthetic` leads.
    pub fn new(custom: &[CustomField], synthetic: Option<SyntheticLeads>) -> Self {
        let standard = STANDARD
            .iter()
            .map(|&(name, display, data_type, length, read_only)| (name, display, data_type, length, read_only, false));
        let custom =
            custom.iter().map(|c| (c.name.as_str(), c.display_name.as_str(), c.data_type.as_str(), None, false, true));
        let fields = standard
            .chain(custom)
            .zip(1..)
            .map(|((name, display, data_type, length, read_only, custom), id)| FieldDef {
                id,
                name: name.to_owned(),
                display_name: display.to_owned(),
                data_type: data_type.to_owned(),
                length: length.or((data_type == "string").then_some(255)),
                read_only,
                custom,
            })
            .collect();
        let synthetic_count = synthetic.as_ref().map_or(0, |s| s.count as i64);
        LeadStore { fields, leads: BTreeMap::new(), synthetic, next_id: 1001.max(synthetic_count + 1) }
    }

    pub(crate) fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Every stored lead (seeded, written, or taking a synthetic lead's place), in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Lead> {
        self.leads.values()
    }

    /// The stored leads with ids from `from` on, in id order.
    pub fn stored_from(&self, from: i64) -> impl Iterator<Item = &Lead> {
        self.leads.range(from..).map(|(_, lead)| lead)
    }

    /// The index of the synthetic lead `id` when it has not been replaced by a stored one.
    pub fn synthetic_index(&self, id: i64) -> Option<u64> {
        self.synthetic.as_ref()?.index(id).filter(|_| !self.leads.contains_key(&id))
    }

    /// How many stored leads take a synthetic lead's place.
    pub fn overriding(&self) -> u64 {
        match self.synthetic.as_ref().map_or(0, |s| s.count as i64) {
            0 => 0,
            count => self.leads.range(1..=count).count() as u64,
        }
    }

    /// Lead `id`: stored, or computed when synthetic.
    pub fn get(&self, id: i64) -> Option<Cow<'_, Lead>> {
        if let Some(lead) = self.leads.get(&id) {
            return Some(Cow::Borrowed(lead));
        }
        let synthetic = self.synthetic.as_ref()?;
        synthetic.index(id).map(|i| Cow::Owned(synthetic.lead(i, &self.fields)))
    }

    /// Whether lead `id` exists.
    pub fn contains(&self, id: i64) -> bool {
        self.leads.contains_key(&id) || self.synthetic.as_ref().is_some_and(|s| s.index(id).is_some())
    }

    /// Lead `id` as a stored lead, copying the synthetic one into the store first.
    fn stored_mut(&mut self, id: i64) -> Option<&mut Lead> {
        if let Some(i) = self.synthetic_index(id)
            && let Some(synthetic) = &self.synthetic
        {
            let lead = synthetic.lead(i, &self.fields);
            self.leads.insert(id, lead);
        }
        self.leads.get_mut(&id)
    }

    /// A lead with every schema field.
    pub fn render_all(&self, id: i64) -> Option<Value> {
        let names: Vec<String> = self.fields.iter().map(|f| f.name.clone()).collect();
        self.get(id).map(|l| l.render(&names))
    }

    /// Seeds a lead from a test: any schema fields, plus optional `id` (a synthetic lead's id
    /// replaces that lead), `cookies` (one value or a list, whole cookies or bare tokens),
    /// `createdAt` and `updatedAt`.
    pub fn insert(&mut self, seed: &Value, now: DateTime<Utc>) -> Result<i64, String> {
        let object = seed.as_object().ok_or("a lead is a JSON object")?;
        let id = match object.get("id") {
            None => self.next_id,
            Some(v) => v.as_i64().ok_or("id must be an integer")?,
        };
        if self.leads.contains_key(&id) {
            return Err(format!("lead {id} already exists"));
        }
        let mut lead = Lead { id, values: Map::new(), cookies: Vec::new(), created_at: now, updated_at: now };
        for (key, value) in object {
            match key.as_str() {
                "id" => {}
                "createdAt" | "updatedAt" => {
                    let at =
                        value.as_str().and_then(parse_instant).ok_or(format!("{key} must be an ISO-8601 datetime"))?;
                    if key == "createdAt" { lead.created_at = at } else { lead.updated_at = at }
                }
                "cookies" => {
                    let values: Vec<&Value> = match value {
                        Value::Array(list) => list.iter().collect(),
                        single => vec![single],
                    };
                    for v in values {
                        let token = v.as_str().and_then(cookie::seed_token).ok_or(format!("malformed cookie {v}"))?;
                        lead.cookies.push(token.to_owned());
                    }
                }
                name => {
                    let def = self.field(name).ok_or(format!("no lead field {name}: declare it with custom_field"))?;
                    check_value(def, value).map_err(|(_, message)| format!("{name}: {message}"))?;
                    lead.values.insert(name.to_owned(), value.clone());
                }
            }
        }
        self.next_id = self.next_id.max(id + 1);
        self.leads.insert(id, lead);
        Ok(id)
    }

    /// The `fields` parameter: named fields, all known, or the default set.
    fn requested_fields(&self, param: Option<&str>) -> Result<Vec<String>, MarketoError> {
        let names: Vec<String> = param
            .map(|p| p.split(',').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        if names.is_empty() {
            return Ok(DEFAULT_FIELDS.iter().map(|f| (*f).to_owned()).collect());
        }
        match names.iter().find(|n| self.field(n).is_none()) {
            Some(unknown) => Err(error(1006, format!("Field '{unknown}' not found"))),
            None => Ok(names),
        }
    }

    /// The leads whose `field` holds `key`, in id order: stored ones by a scan, and the one
    /// synthetic lead the key's shape names, if it really holds the key.
    fn find(&self, field: &str, key: &str) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .leads
            .values()
            .filter(|lead| match field {
                "email" => text(&lead.value("email")).is_some_and(|e| e.eq_ignore_ascii_case(key)),
                "cookies" => lead.cookies.iter().any(|c| c == key),
                _ => text(&lead.value(field)).is_some_and(|v| v == key),
            })
            .map(|lead| lead.id)
            .collect();
        if let (Some(synthetic), Some(def)) = (&self.synthetic, self.field(field))
            && let Some(i) = synthetic.candidate(def, key)
            && self.synthetic_index(i as i64).is_some()
            && synthetic.holds(i, def, key)
        {
            let at = ids.partition_point(|id| *id < i as i64);
            ids.insert(at, i as i64);
        }
        ids
    }

    /// `GET /rest/v1/leads.json?filterType=..&filterValues=..&fields=..&batchSize=..&nextPageToken=..`
    pub fn get_by_filter(&self, call: &Call) -> Handled {
        let filter_type = call.param("filterType").filter(|v| !v.is_empty()).ok_or_else(|| missing("filterType"))?;
        let values = call.param("filterValues").filter(|v| !v.is_empty()).ok_or_else(|| missing("filterValues"))?;
        let fields = self.requested_fields(call.param("fields"))?;
        let def = self.field(filter_type).ok_or_else(|| error(1006, format!("Field '{filter_type}' not found")))?;
        if !def.searchable() {
            return Err(error(1011, format!("Lookup field '{filter_type}' not supported")));
        }
        let batch = match call.param("batchSize") {
            None => BATCH,
            Some(b) => b
                .parse::<usize>()
                .ok()
                .filter(|b| (1..=BATCH).contains(b))
                .ok_or_else(|| invalid("batchSize", b, "integer"))?,
        };
        let values: Vec<&str> = values.split(',').map(str::trim).filter(|v| !v.is_empty()).collect();
        if values.len() > BATCH {
            return Err(error(1003, format!("filterValues has more than {BATCH} values")));
        }
        let mut entries = Vec::new();
        let mut seen = Vec::new();
        for value in values {
            let key = match filter_type {
                "id" => value
                    .parse::<i64>()
                    .map(|id| id.to_string())
                    .map_err(|_| invalid("filterValues", value, "integer"))?,
                "cookies" => match cookie::token_of(value) {
                    Some(token) => token.to_owned(),
                    None => {
                        entries.push(skipped(1012, format!("Invalid cookie value '{value}'")));
                        continue;
                    }
                },
                _ => value.to_owned(),
            };
            for id in self.find(filter_type, &key) {
                if !seen.contains(&id) {
                    seen.push(id);
                    if let Some(lead) = self.get(id) {
                        entries.push(lead.render(&fields));
                    }
                }
            }
        }
        if seen.len() > MAX_MATCHES {
            return Err(error(1003, "Too many results match the filter"));
        }
        let offset = match call.param("nextPageToken") {
            None => 0,
            Some(token) => decode_page_token(token).ok_or_else(|| error(1003, "Invalid nextPageToken"))?,
        };
        let page: Vec<Value> = entries.iter().skip(offset).take(batch).cloned().collect();
        let mut extra = Map::new();
        if offset + page.len() < entries.len() {
            extra.insert("nextPageToken".to_owned(), Value::from(encode_page_token(offset + page.len())));
        }
        Ok(Answer::Envelope { result: Some(page), extra })
    }

    /// `GET /rest/v1/lead/{id}.json?fields=..`
    pub fn get_by_id(&self, id: i64, call: &Call) -> Handled {
        let fields = self.requested_fields(call.param("fields"))?;
        Ok(Answer::result(self.get(id).map(|l| l.render(&fields)).into_iter().collect()))
    }

    /// `POST /rest/v1/leads.json` (Sync Leads): `action` (createOrUpdate by default, createOnly,
    /// updateOnly, createDuplicate), `lookupField` (email by default), up to 300 `input`
    /// records, each answered created, updated or skipped with reasons.
    pub fn sync(&mut self, body: &Value, now: DateTime<Utc>) -> Handled {
        let action = body.get("action").and_then(Value::as_str).unwrap_or("createOrUpdate");
        if !matches!(action, "createOrUpdate" | "createOnly" | "updateOnly" | "createDuplicate") {
            return Err(error(1003, format!("Invalid action '{action}'")));
        }
        let lookup = body.get("lookupField").and_then(Value::as_str).unwrap_or("email");
        let def = self.field(lookup).ok_or_else(|| error(1006, format!("Field '{lookup}' not found")))?;
        if !def.searchable() || lookup == "cookies" {
            return Err(error(1011, format!("Lookup field '{lookup}' not supported")));
        }
        if lookup == "id" && action != "updateOnly" {
            return Err(error(1003, "Lookup field 'id' is only allowed with action updateOnly"));
        }
        let input = body.get("input").and_then(Value::as_array).ok_or_else(|| missing("input"))?;
        if input.is_empty() {
            return Err(error(701, "input cannot be blank"));
        }
        if input.len() > BATCH {
            return Err(error(1003, format!("Batch size of {} exceeds the limit of {BATCH} records", input.len())));
        }
        let result = input.iter().map(|record| self.sync_one(record, action, lookup, now)).collect();
        Ok(Answer::result(result))
    }

    fn sync_one(&mut self, record: &Value, action: &str, lookup: &str, now: DateTime<Utc>) -> Value {
        let Some(object) = record.as_object() else { return skipped(1003, "Invalid data") };
        for (name, value) in object {
            let Some(def) = self.field(name) else { return skipped(1006, format!("Field '{name}' not found")) };
            if def.read_only && !(name == "id" && action == "updateOnly") {
                return skipped(1003, format!("Invalid data: field '{name}' cannot be written with action {action}"));
            }
            if let Err(reason) = check_value(def, value) {
                return reason_record(reason);
            }
        }
        let key = object.get(lookup).and_then(text);
        if action == "createDuplicate" {
            return self.create(object, now);
        }
        let matches = match &key {
            Some(key) => self.find(lookup, key),
            None if action == "createOnly" => Vec::new(),
            None => return skipped(1003, format!("Invalid data: no value for lookup field '{lookup}'")),
        };
        match (matches.as_slice(), action) {
            ([], "updateOnly") => skipped(1004, "Lead not found"),
            ([], _) => self.create(object, now),
            (_, "createOnly") => skipped(1005, "Lead already exists"),
            ([id], _) => self.update(*id, object, now),
            _ => skipped(1007, "Multiple leads match the lookup criteria"),
        }
    }

    fn create(&mut self, object: &Map<String, Value>, now: DateTime<Utc>) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let values = object.iter().filter(|(k, _)| k.as_str() != "id").map(|(k, v)| (k.clone(), v.clone())).collect();
        self.leads.insert(id, Lead { id, values, cookies: Vec::new(), created_at: now, updated_at: now });
        json!({ "id": id, "status": "created" })
    }

    fn update(&mut self, id: i64, object: &Map<String, Value>, now: DateTime<Utc>) -> Value {
        if let Some(lead) = self.stored_mut(id) {
            let mut changed = false;
            for (name, value) in object.iter().filter(|(k, _)| k.as_str() != "id") {
                if lead.values.get(name) != Some(value) {
                    lead.values.insert(name.clone(), value.clone());
                    changed = true;
                }
            }
            if changed {
                lead.updated_at = now;
            }
        }
        json!({ "id": id, "status": "updated" })
    }

    /// `POST /rest/v1/leads/{id}/associate.json?cookie=..`: the cookie now points at this lead.
    pub fn associate(&mut self, id: i64, cookie_value: Option<&str>) -> Handled {
        let value = cookie_value.filter(|c| !c.is_empty()).ok_or_else(|| missing("cookie"))?;
        if !self.contains(id) {
            return Err(error(1004, "Lead not found"));
        }
        let token = cookie::token_of(value).ok_or_else(|| error(1012, format!("Invalid cookie value '{value}'")))?;
        for lead in self.leads.values_mut() {
            lead.cookies.retain(|c| c != token);
        }
        if let Some(lead) = self.stored_mut(id) {
            lead.cookies.push(token.to_owned());
        }
        Ok(Answer::done())
    }

    /// `GET /rest/v1/leads/describe.json`
    pub fn describe(&self) -> Handled {
        let result = self
            .fields
            .iter()
            .map(|f| {
                let mut entry = json!({
                    "id": f.id,
                    "displayName": f.display_name,
                    "dataType": f.data_type,
                    "rest": { "name": f.name, "readOnly": f.read_only },
                });
                if let (Some(length), Some(object)) = (f.length, entry.as_object_mut()) {
                    object.insert("length".to_owned(), Value::from(length));
                }
                entry
            })
            .collect();
        Ok(Answer::result(result))
    }
}

/// A value as text, for lookups: strings as they are, numbers and booleans printed.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Checks `value` against the field's data type; the error is a record-level reason.
fn check_value(def: &FieldDef, value: &Value) -> Result<(), (u16, String)> {
    let wrong_type = || (1001, format!("Invalid value '{value}'. Required of type '{}'", def.data_type));
    match (def.data_type.as_str(), value) {
        (_, Value::Null) => Ok(()),
        ("email", Value::String(s)) => {
            let valid = s.is_ascii()
                && s.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
            if valid { Ok(()) } else { Err((1003, format!("Invalid email address '{s}'"))) }
        }
        ("email", _) => Err(wrong_type()),
        ("integer", v) if v.is_i64() || v.as_str().is_some_and(|s| s.parse::<i64>().is_ok()) => Ok(()),
        ("integer", _) => Err(wrong_type()),
        ("boolean", Value::Bool(_)) => Ok(()),
        ("boolean", Value::String(s)) if matches!(s.as_str(), "true" | "false") => Ok(()),
        ("boolean", _) => Err(wrong_type()),
        ("float" | "currency", v) if v.is_number() => Ok(()),
        ("float" | "currency", _) => Err(wrong_type()),
        (_, Value::String(_) | Value::Number(_) | Value::Bool(_)) => Ok(()),
        _ => Err(wrong_type()),
    }
}

fn reason_record((code, message): (u16, String)) -> Value {
    skipped(code, message)
}

/// Marketo's 1002 for a missing required parameter.
pub(crate) fn missing(name: &str) -> MarketoError {
    error(1002, format!("Missing value for the required parameter '{name}'"))
}

/// Marketo's 1001 for a value of the wrong type.
pub(crate) fn invalid(name: &str, value: &str, data_type: &str) -> MarketoError {
    error(1001, format!("Invalid value '{value}' for '{name}'. Required of type '{data_type}'"))
}

fn encode_page_token(offset: usize) -> String {
    format!("FAKEPT{offset:08X}")
}

fn decode_page_token(token: &str) -> Option<usize> {
    usize::from_str_radix(token.strip_prefix("FAKEPT")?, 16).ok()
}
