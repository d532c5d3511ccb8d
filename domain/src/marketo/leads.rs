//! Leads on Marketo's wire: the Munchkin cookie in query strings, the field schema from
//! `leads/describe.json`, the body of a createOrUpdate sync, and a lead as Confab stores it.

use crate::email::Email;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// Most leads one sync call (`POST /rest/v1/leads.json`) or lookup may carry.
pub const LEAD_BATCH: usize = 300;

/// Longest cookie value accepted, in bytes; real ones are well under 100.
const MAX_COOKIE_LEN: usize = 512;

/// `value` percent-encoded for a query string (`filterValues=`, `cookie=`): RFC 3986's
/// unreserved characters (`A–Z a–z 0–9 - . _ ~`) are kept, every other byte becomes `%XX`.
/// The Munchkin cookie holds `&` and `:`, which would otherwise split the query.
pub fn cookie_query(cookie: &str) -> String {
    let mut out = String::with_capacity(cookie.len() * 3);
    for byte in cookie.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `value` is a whole Munchkin cookie (`_mkto_trk`) Marketo accepts:
/// `id:<3 digits>-<3 letters>-<3 digits>&token:_mch-<host>-<digits>-<digits>`, for example
/// `id:561-HYG-937&token:_mch-marketo.com-1427205775289-40768`. Anything else Marketo answers
/// with 1012 (invalid cookie), so the edge refuses it before calling.
pub fn is_munchkin_cookie(value: &str) -> bool {
    if value.len() > MAX_COOKIE_LEN {
        return false;
    }
    let Some((munchkin, token)) = value.strip_prefix("id:").and_then(|rest| rest.split_once("&token:")) else {
        return false;
    };
    is_munchkin_id(munchkin) && is_token(token)
}

/// `123-ABC-456`.
fn is_munchkin_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    let run = |part: &str, digits: bool| {
        part.len() == 3 && part.bytes().all(|b| if digits { b.is_ascii_digit() } else { b.is_ascii_alphabetic() })
    };
    matches!(parts.as_slice(), [a, b, c] if run(a, true) && run(b, false) && run(c, true))
}

/// `_mch-<host>-<milliseconds>-<random digits>`; the host may itself hold dashes.
fn is_token(token: &str) -> bool {
    let Some(rest) = token.strip_prefix("_mch-") else { return false };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = rest.rsplitn(3, '-').collect();
    matches!(parts.as_slice(), [random, millis, host]
        if !host.is_empty() && !host.contains(['&', ',', ' ']) && digits(millis) && digits(random))
}

/// A lead field as `GET /rest/v1/leads/describe.json` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldInfo {
    /// The REST API name (`firstName`), used in requests, responses and export headers.
    pub name: String,
    /// The name shown in Marketo's UI (`First Name`).
    pub display_name: String,
    /// Marketo's data type: `string`, `email`, `integer`, `float`, `currency`, `boolean`,
    /// `date`, `datetime`, `phone`, `text`, `url`, ….
    pub data_type: String,
    /// Whether the REST API refuses writes to it.
    pub read_only: bool,
}

/// The REST fields of a describe result, in order. Items without a REST name (SOAP-only
/// fields) are left out; a missing display name is the REST name, a missing type `string`.
pub fn parse_describe(result: &[Value]) -> Vec<FieldInfo> {
    result
        .iter()
        .filter_map(|item| {
            let rest = item.get("rest")?;
            let name = rest.get("name")?.as_str().filter(|n| !n.is_empty())?;
            Some(FieldInfo {
                name: name.to_owned(),
                display_name: item.get("displayName").and_then(Value::as_str).unwrap_or(name).to_owned(),
                data_type: item.get("dataType").and_then(Value::as_str).unwrap_or("string").to_owned(),
                read_only: rest.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

/// The body of `POST /rest/v1/leads.json` syncing `leads` by email:
/// `{"action":"createOrUpdate","lookupField":"email","input":[…]}`. At most [`LEAD_BATCH`]
/// leads per call; the caller batches.
pub fn create_or_update_body(leads: &[Map<String, Value>]) -> Value {
    json!({
        "action": "createOrUpdate",
        "lookupField": "email",
        "input": leads.iter().cloned().map(Value::Object).collect::<Vec<_>>(),
    })
}

/// A lead as Confab stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadRecord {
    /// Marketo's lead id.
    pub marketo_id: i64,
    /// The email address, trimmed and lowercased; `None` when the lead has none.
    pub email: Option<String>,
    /// Marketo's `updatedAt`, as Marketo wrote it.
    pub updated_at: Option<String>,
    /// Every other synced field, by REST name, as typed JSON (`null` when empty).
    pub attributes: Map<String, Value>,
}

/// `text` as a lead's email: `Ok(None)` when empty, the address trimmed and lowercased when
/// [`Email::parse`] accepts it, `Err` otherwise.
pub(crate) fn lead_email(text: &str) -> Result<Option<String>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Email::parse(text).map(|e| Some(e.as_str().to_lowercase())).map_err(|_| ())
}

/// A lead from a `GET /rest/v1/leads.json` result item: `id` (a number, or a string of digits)
/// is required; `email` and `updatedAt` get their own fields, everything else goes to
/// `attributes` as it came. An email [`Email::parse`] refuses is dropped (`None`): the lead is
/// still known by its id.
pub fn lead_from_rest(item: &Value) -> Option<LeadRecord> {
    let object = item.as_object()?;
    let marketo_id = match object.get("id")? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    let email = object.get("email").and_then(Value::as_str).and_then(|e| lead_email(e).ok().flatten());
    let updated_at = object.get("updatedAt").and_then(Value::as_str).filter(|u| !u.is_empty()).map(str::to_owned);
    let attributes = object
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "id" | "email" | "updatedAt"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(LeadRecord { marketo_id, email, updated_at, attributes })
}
