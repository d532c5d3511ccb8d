//! Delivering the outbox: due activities, at most 300 per call, to
//! `POST /rest/v1/activities/external.json`. Rows are claimed (held back) before the call
//! and all outcomes of a call are written in one batch, so a D1 failure after Marketo took a
//! batch does not resend it at once.
//!
//! Identify rows (what a visitor typed, and their cookie) and leads unknown to Marketo go
//! first (createOrUpdate by email, one call for the whole batch), then each identify row's
//! cookie is associated. Each record's outcome decides its row: `added` → delivered; skipped →
//! failed with Marketo's reason. A failure of the whole call (outage, limits, quota) puts
//! every row of the batch back with a backoff, so activities survive outages and restarts.

use super::client::{Client, Urgency, now_ms};
use crate::error::ApiResult;
use crate::store::outbox::Item;
use crate::store::{leads, outbox};
use confab_domain::marketo::{
    ACTIVITY_BATCH, Failure, RecordOutcome, backoff_ms, cookie_query, create_or_update_body, external_activities_body,
    is_munchkin_cookie, record_outcomes,
};
use serde_json::{Map, Value};
use worker::{D1Database, Method};

/// Age after which an activity Marketo never took is given up as failed.
const MAX_AGE_MS: i64 = 7 * 86_400_000;
/// How long rows in a delivery call are held back if their outcome cannot be written.
const CLAIM_MS: i64 = 10 * 60_000;
/// Longest backoff between attempts of one activity.
const MAX_BACKOFF_MS: i64 = 15 * 60_000;

/// Delivers what is due; returns when the next pending row is due (None: nothing pending).
pub async fn deliver(client: &Client, db: &D1Database) -> ApiResult<Option<i64>> {
    // Several batches per wake-up while they keep succeeding; the budget paces them.
    for _ in 0..10 {
        let due = outbox::due(db, now_ms(), u32::try_from(ACTIVITY_BATCH).unwrap_or(300)).await?;
        if due.is_empty() {
            break;
        }
        if !deliver_batch(client, db, due).await? {
            break;
        }
    }
    outbox::next_due_ms(db).await
}

fn now_text() -> String {
    crate::clock::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// One batch; `Ok(false)` when a call failed and rows were put back.
async fn deliver_batch(client: &Client, db: &D1Database, mut due: Vec<outbox::Due>) -> ApiResult<bool> {
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    outbox::claim(db, &ids, now_ms() + CLAIM_MS).await?;
    // Leads first: one createOrUpdate for every identify row (with the fields the visitor
    // typed) and every activity whose lead Marketo's id is not known here.
    let mut inputs: Vec<Map<String, Value>> = Vec::new();
    let mut resolved: Vec<(String, i64)> = Vec::new();
    for row in &due {
        let Some(email) = row.email.clone().filter(|e| !e.is_empty()) else { continue };
        let fields = match &row.item {
            Item::Identify { fields, .. } => Some(fields),
            Item::Activity(_) if row.lead_id != 0 => continue,
            Item::Activity(_) => None,
        };
        if let Some(input) = inputs.iter_mut().find(|i| i.get("email").and_then(Value::as_str) == Some(email.as_str()))
        {
            input.extend(fields.into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
            continue;
        }
        if fields.is_none()
            && let Some(id) = leads::lead_by_email(db, &email).await?.and_then(|l| l.marketo_id)
        {
            resolved.push((email, id));
            continue;
        }
        let mut input = fields.cloned().unwrap_or_default();
        input.insert("email".into(), email.into());
        inputs.push(input);
    }
    if !inputs.is_empty() {
        let body = create_or_update_body(&inputs);
        match client.call(Urgency::Background, Method::Post, "/rest/v1/leads.json", &[], Some(&body)).await {
            Ok(envelope) => {
                for (input, outcome) in inputs.iter().zip(record_outcomes(&envelope.result)) {
                    let email = input.get("email").and_then(Value::as_str).unwrap_or_default().to_owned();
                    if let RecordOutcome::Created(id) | RecordOutcome::Updated(id) = outcome {
                        leads::set_marketo_id(db, &email, id, &now_text()).await?;
                        resolved.push((email, id));
                    }
                }
            }
            Err(failure) => {
                put_back(client, db, &due, &failure.describe()).await?;
                return Ok(false);
            }
        }
    }
    for row in &mut due {
        let email = row.email.clone().unwrap_or_default();
        if let Some((_, id)) = resolved.iter().find(|(e, _)| *e == email)
            && row.lead_id != *id
        {
            row.lead_id = *id;
            outbox::set_lead(db, row.id, *id).await?;
        }
    }
    let mut outcomes = Vec::new();
    let (ready, orphans): (Vec<_>, Vec<_>) = due.into_iter().partition(|d| d.lead_id != 0);
    for orphan in orphans {
        outcomes.push(outbox::fail(db, orphan.id, "Marketo would not create a lead for this visitor's email")?);
    }
    // Identities: the lead exists now; associate the cookie where there is one.
    let (identities, activities): (Vec<_>, Vec<_>) =
        ready.into_iter().partition(|d| matches!(d.item, Item::Identify { .. }));
    let mut healthy = true;
    for row in identities {
        let cookie = match &row.item {
            Item::Identify { cookie, .. } => cookie.clone().filter(|c| is_munchkin_cookie(c)),
            Item::Activity(_) => None,
        };
        let Some(cookie) = cookie else {
            outcomes.push(outbox::delivered(db, row.id, row.lead_id, &row.lead_id.to_string(), &now_text())?);
            continue;
        };
        let path = format!("/rest/v1/leads/{}/associate.json", row.lead_id);
        let query = [("cookie", cookie_query(&cookie))];
        match client.call(Urgency::Background, Method::Post, &path, &query, None).await {
            Ok(_) => outcomes.push(outbox::delivered(db, row.id, row.lead_id, &row.lead_id.to_string(), &now_text())?),
            Err(Failure::Rejected { code, message }) => {
                outcomes.push(outbox::fail(db, row.id, &format!("Marketo refused the cookie ({code}): {message}"))?)
            }
            Err(failure) => {
                healthy = false;
                put_back(client, db, std::slice::from_ref(&row), &failure.describe()).await?;
            }
        }
    }
    outbox::write(db, outcomes).await?;
    if activities.is_empty() {
        return Ok(healthy);
    }
    let batch: Vec<_> = activities.iter().filter_map(outbox::Due::activity).collect();
    let body = external_activities_body(client.config().activity_type_id, &batch);
    match client.call(Urgency::Background, Method::Post, "/rest/v1/activities/external.json", &[], Some(&body)).await {
        Ok(envelope) => {
            let results = record_outcomes(&envelope.result);
            let now = now_text();
            let mut outcomes = Vec::new();
            for (i, row) in activities.iter().enumerate() {
                outcomes.push(match results.get(i) {
                    Some(RecordOutcome::Added(guid) | RecordOutcome::Created(guid) | RecordOutcome::Updated(guid)) => {
                        outbox::delivered(db, row.id, row.lead_id, &guid.to_string(), &now)?
                    }
                    Some(RecordOutcome::Skipped { code, message }) => {
                        outbox::fail(db, row.id, &format!("Marketo refused it ({code}): {message}"))?
                    }
                    None => {
                        outbox::retry_later(db, row.id, now_ms() + 60_000, "Marketo's answer had no record for it")?
                    }
                });
            }
            // All outcomes in one write: a batch is never half recorded.
            outbox::write(db, outcomes).await?;
            Ok(healthy)
        }
        Err(failure) => {
            put_back(client, db, &activities, &failure.describe()).await?;
            Ok(false)
        }
    }
}

async fn put_back(client: &Client, db: &D1Database, rows: &[outbox::Due], reason: &str) -> ApiResult<()> {
    let now = now_ms();
    let paused = client.paused_until_ms();
    let mut outcomes = Vec::new();
    for row in rows {
        // A failed call (outage, limits, quota) is Marketo's state, not the activity's: keep
        // trying, with a capped backoff, until the activity is a week old.
        let age = chrono::DateTime::parse_from_rfc3339(&row.at).map_or(0, |at| now - at.timestamp_millis());
        if age > MAX_AGE_MS {
            outcomes.push(outbox::fail(db, row.id, &format!("given up after a week of failures; last: {reason}"))?);
            continue;
        }
        let delay = backoff_ms(row.attempts.min(20), client.config().backoff_ms, MAX_BACKOFF_MS, 0.5);
        outcomes.push(outbox::retry_later(db, row.id, (now + delay).max(paused), reason)?);
    }
    outbox::write(db, outcomes).await
}
