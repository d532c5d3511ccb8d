//! Delivering the outbox: due activities, at most 300 per call, to
//! `POST /rest/v1/activities/external.json`. Rows are claimed (held back) before the call
//! and all outcomes of a call are written in one batch, so a D1 failure after Marketo took a
//! batch does not resend it at once.
//!
//! A lead unknown to Marketo is created first (createOrUpdate by email, one call for the
//! whole batch). Each record's outcome decides its row: `added` → delivered; skipped →
//! failed with Marketo's reason. A failure of the whole call (outage, limits, quota) puts
//! every row of the batch back with a backoff, so activities survive outages and restarts.

use super::client::{Client, Urgency, now_ms};
use crate::error::ApiResult;
use crate::store::{leads, outbox};
use confab_domain::marketo::{
    ACTIVITY_BATCH, RecordOutcome, backoff_ms, create_or_update_body, external_activities_body, record_outcomes,
};
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

/// One batch; `Ok(false)` when the call failed and the rows were put back.
async fn deliver_batch(client: &Client, db: &D1Database, mut due: Vec<outbox::Due>) -> ApiResult<bool> {
    // Leads first: every row needs Marketo's lead id.
    let missing: Vec<String> = {
        let mut emails: Vec<String> =
            due.iter().filter(|d| d.activity.lead_id == 0).filter_map(|d| d.email.clone()).collect();
        emails.sort();
        emails.dedup();
        emails
    };
    let mut resolved: Vec<(String, i64)> = Vec::new();
    let mut ask: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    for email in missing {
        match leads::lead_by_email(db, &email).await?.and_then(|l| l.marketo_id) {
            Some(id) => resolved.push((email, id)),
            None => {
                let mut input = serde_json::Map::new();
                input.insert("email".into(), email.into());
                ask.push(input);
            }
        }
    }
    if !ask.is_empty() {
        let body = create_or_update_body(&ask);
        match client.call(Urgency::Background, Method::Post, "/rest/v1/leads.json", &[], Some(&body)).await {
            Ok(envelope) => {
                for (input, outcome) in ask.iter().zip(record_outcomes(&envelope.result)) {
                    let email = input.get("email").and_then(|e| e.as_str()).unwrap_or_default().to_owned();
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
        if row.activity.lead_id == 0 {
            let email = row.email.clone().unwrap_or_default();
            if let Some((_, id)) = resolved.iter().find(|(e, _)| *e == email) {
                row.activity.lead_id = *id;
                outbox::set_lead(db, row.id, *id).await?;
            }
        }
    }
    let (ready, orphans): (Vec<_>, Vec<_>) = due.into_iter().partition(|d| d.activity.lead_id != 0);
    let mut outcomes = Vec::new();
    for orphan in orphans {
        outcomes.push(outbox::fail(db, orphan.id, "Marketo would not create a lead for this visitor's email")?);
    }
    outbox::write(db, outcomes).await?;
    if ready.is_empty() {
        return Ok(true);
    }
    let ids: Vec<i64> = ready.iter().map(|d| d.id).collect();
    outbox::claim(db, &ids, now_ms() + CLAIM_MS).await?;
    let activities: Vec<_> = ready.iter().map(|d| d.activity.clone()).collect();
    let body = external_activities_body(client.config().activity_type_id, &activities);
    match client.call(Urgency::Background, Method::Post, "/rest/v1/activities/external.json", &[], Some(&body)).await {
        Ok(envelope) => {
            let results = record_outcomes(&envelope.result);
            let now = now_text();
            let mut outcomes = Vec::new();
            for (i, row) in ready.iter().enumerate() {
                outcomes.push(match results.get(i) {
                    Some(RecordOutcome::Added(guid) | RecordOutcome::Created(guid) | RecordOutcome::Updated(guid)) => {
                        outbox::delivered(db, row.id, row.activity.lead_id, &guid.to_string(), &now)?
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
            Ok(true)
        }
        Err(failure) => {
            put_back(client, db, &ready, &failure.describe()).await?;
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
        let age = chrono::DateTime::parse_from_rfc3339(&row.activity.at).map_or(0, |at| now - at.timestamp_millis());
        if age > MAX_AGE_MS {
            outcomes.push(outbox::fail(db, row.id, &format!("given up after a week of failures; last: {reason}"))?);
            continue;
        }
        let delay = backoff_ms(row.attempts.min(20), client.config().backoff_ms, MAX_BACKOFF_MS, 0.5);
        outcomes.push(outbox::retry_later(db, row.id, (now + delay).max(paused), reason)?);
    }
    outbox::write(db, outcomes).await
}
