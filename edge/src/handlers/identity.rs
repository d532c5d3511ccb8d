//! Who the visitor is: the Munchkin cookie → lead (`GET /api/v1/sites/{site}/identity` and
//! the bootstrap), and the email a visitor types (`POST …/identify`).
//!
//! Invariants: a known cookie is answered from D1 alone; Marketo is asked only for a cookie
//! never seen (or not seen for [`RECHECK_MS`]), and the visitor never waits more than
//! [`WAIT_MS`] for it: past that the answer is "anonymous, pending" and the lookup finishes
//! in the background, storing its answer for the next request. What a visitor types is
//! stored locally before anything else and reaches Marketo through the outbox, so Marketo
//! being down loses nothing.

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::marketo::{self, StoredLead};
use crate::marketo_gateway::cookie_token;
use crate::store::leads::{self, CookieLookup};
use crate::store::outbox;
use confab_domain::api::{IdentifyRequest, Visitor};
use confab_domain::email::Email;
use confab_domain::ids::is_valid_slug;
use confab_domain::marketo::is_munchkin_cookie;
use futures_util::future::{Either, select};
use serde_json::{Map, Value};
use std::time::Duration;
use worker::{Context, D1Database, Env, Request, Response};

/// Longest a visitor waits for Marketo to recognise their cookie.
pub const WAIT_MS: u64 = 300;
/// How long "Marketo knows no lead for this cookie" is believed before asking again.
const RECHECK_MS: i64 = 10 * 60_000;
/// Most extra fields one identify request may carry, and their sizes.
const MAX_FIELDS: usize = 20;
const MAX_FIELD_NAME: usize = 64;
const MAX_FIELD_VALUE: usize = 1_000;

/// The visitor as the widget sees them.
pub fn visitor_of(lead: &StoredLead) -> Visitor {
    let attributes = lead
        .attributes
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.clone(), text))
        })
        .collect();
    Visitor { known: true, attributes, pending: false }
}

/// What D1 alone knows of the cookie `mkto`, without asking Marketo: for the loader's look at
/// the page's dialogue, which runs on every page view, before the visitor does anything.
pub async fn known_locally(db: &D1Database, mkto: Option<&str>) -> ApiResult<Visitor> {
    let Some(token) = mkto.filter(|c| is_munchkin_cookie(c)).and_then(cookie_token) else {
        return Ok(Visitor::default());
    };
    Ok(match leads::lead_by_cookie(db, token).await? {
        CookieLookup::Lead(lead) => visitor_of(&lead),
        CookieLookup::NoLead(_) | CookieLookup::Unknown => Visitor::default(),
    })
}

/// Resolves the cookie value `mkto` (the host page's `_mkto_trk`), waiting at most
/// [`WAIT_MS`] for Marketo.
pub async fn resolve(env: &Env, ctx: &Context, db: &D1Database, mkto: Option<&str>) -> ApiResult<Visitor> {
    let Some(cookie) = mkto.filter(|c| is_munchkin_cookie(c)) else {
        return Ok(Visitor::default());
    };
    let Some(token) = cookie_token(cookie) else { return Ok(Visitor::default()) };
    let now = clock::now().timestamp_millis();
    let ask = match leads::lead_by_cookie(db, token).await? {
        CookieLookup::Lead(lead) => return Ok(visitor_of(&lead)),
        CookieLookup::NoLead(checked) => now - checked >= RECHECK_MS,
        CookieLookup::Unknown => true,
    };
    if !ask || !marketo::enabled(env, db).await {
        return Ok(Visitor::default());
    }
    let lookup_env = env.clone();
    let owned = cookie.to_owned();
    let lookup = Box::pin(async move { marketo::lookup_cookie(&lookup_env, &owned).await });
    let timer = Box::pin(worker::Delay::from(Duration::from_millis(WAIT_MS)));
    match select(lookup, timer).await {
        Either::Left((Ok(Some(lead)), _)) => Ok(visitor_of(&lead)),
        Either::Left((Ok(None), _)) => Ok(Visitor::default()),
        Either::Left((Err(e), _)) => {
            worker::console_warn!("marketo cookie lookup failed: {e}");
            Ok(Visitor::default())
        }
        Either::Right(((), lookup)) => {
            ctx.wait_until(async move {
                if let Err(e) = lookup.await {
                    worker::console_warn!("marketo cookie lookup failed: {e}");
                }
            });
            Ok(Visitor { pending: true, ..Visitor::default() })
        }
    }
}

/// `GET …/identity?mkto=`: the visitor, for a widget upgrading a pending start.
pub async fn get_identity(req: &Request, env: &Env, ctx: &Context, db: &D1Database) -> ApiResult<Response> {
    let mkto = http::query(req, "mkto")?;
    http::json(200, &resolve(env, ctx, db, mkto.as_deref()).await?)
}

fn blocked(domain: &str, list: &[String]) -> bool {
    list.iter().any(|b| {
        let b = b.trim().trim_start_matches('@').to_ascii_lowercase();
        !b.is_empty() && (domain == b || domain.ends_with(&format!(".{b}")))
    })
}

/// The blocked email domains setting.
pub async fn blocked_domains(db: &D1Database) -> ApiResult<Vec<String>> {
    Ok(match leads::setting(db, "blocked_email_domains").await? {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    })
}

/// What an identify request may store: the email, lowercased, and the other fields by name.
/// Refuses invalid emails, blocked domains and unacceptable fields, each with a sentence.
async fn checked(db: &D1Database, body: &IdentifyRequest) -> ApiResult<(String, Map<String, Value>)> {
    let email = Email::parse(&body.email).map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    let address = email.as_str().to_lowercase();
    let domain = email.domain().to_ascii_lowercase();
    if blocked(&domain, &blocked_domains(db).await?) {
        return Err(ApiError::bad_request(
            "blocked_domain",
            format!("Please use your work email address; addresses at {domain} are not accepted here."),
        ));
    }
    if body.fields.len() > MAX_FIELDS {
        return Err(ApiError::bad_request("too_many_fields", format!("At most {MAX_FIELDS} fields at once.")));
    }
    let mut fields = Map::new();
    for (name, value) in &body.fields {
        let name_ok = !name.is_empty()
            && name.len() <= MAX_FIELD_NAME
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name != "email"
            && name != "id";
        if !name_ok || value.chars().count() > MAX_FIELD_VALUE {
            return Err(ApiError::bad_request(
                "invalid_field",
                format!(
                    "`{name}` is not a field name Confab accepts, or its value is longer than {MAX_FIELD_VALUE} characters."
                ),
            ));
        }
        fields.insert(name.clone(), Value::String(value.trim().to_owned()));
    }
    Ok((address, fields))
}

/// What an identify answers: only what the visitor typed, since an email alone must not
/// reveal what is stored about whoever owns it.
fn typed(address: &str, fields: &Map<String, Value>) -> std::collections::BTreeMap<String, String> {
    let mut attributes: std::collections::BTreeMap<String, String> =
        fields.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect();
    attributes.insert("email".into(), address.to_owned());
    attributes
}

/// `POST …/identify` from the admin's preview: checked like a visitor's, stored nowhere,
/// answered with what was typed.
pub async fn identify_preview(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let body: IdentifyRequest = http::json_body(req).await?;
    let (address, fields) = checked(db, &body).await?;
    http::json(200, &Visitor { known: true, attributes: typed(&address, &fields), pending: false })
}

/// `POST …/identify`: stores what the visitor typed against their lead (created when new),
/// maps their cookie to it, and has Marketo createOrUpdate the lead and associate the cookie
/// in the background.
pub async fn identify(req: &mut Request, env: &Env, ctx: &Context, db: &D1Database, site: &str) -> ApiResult<Response> {
    let body: IdentifyRequest = http::json_body(req).await?;
    crate::limits::visitor(env, site, body.visitor_id.as_deref()).await?;
    let (address, fields) = checked(db, &body).await?;
    let now = clock::now();
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let lead = leads::remember_visitor(db, &address, &fields, &stamp)
        .await?
        .ok_or_else(|| ApiError::Internal("the lead just stored cannot be read".into()))?;
    let attributes = typed(&address, &fields);
    let cookie = body.mkto.filter(|c| is_munchkin_cookie(c));
    if let Some(token) = cookie.as_deref().and_then(cookie_token) {
        leads::map_cookie(db, token, Some(lead.id), now.timestamp_millis()).await?;
    }
    if let Some(visitor) = body.visitor_id.as_deref().filter(|v| is_valid_slug(v)) {
        super::events::adopt(env, ctx, db, site, visitor, &lead).await?;
    }
    if marketo::enabled(env, db).await {
        // Through the outbox: Marketo being down or out of quota delays this, never loses it.
        let key = format!(
            "identify:{address}:{}:{}",
            cookie.as_deref().and_then(cookie_token).unwrap_or("-"),
            now.timestamp_millis()
        );
        match outbox::enqueue_identify(db, &key, &address, &fields, cookie.as_deref(), &stamp).await {
            Ok(()) => marketo::wake(env, ctx),
            Err(e) => worker::console_error!("marketo outbox: {e}"),
        }
    }
    http::json(200, &Visitor { known: true, attributes, pending: false })
}
