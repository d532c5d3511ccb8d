//! `MarketoGateway`: the one Durable Object (named `marketo`) that talks to Marketo, so that
//! every caller in the deployment shares one token, one call budget (Confab's configured share
//! of Marketo's 100 calls per 20 s and 10 concurrent calls) and one outbox.
//!
//! The Worker asks it over internal HTTP (`marketo.rs` is the typed side): `lookup-cookie`
//! (a visitor's Munchkin cookie → lead, stored in D1 either way), `kick` (activities or a
//! visitor's identify wait in the outbox), and the admin's
//! `status`, `fields`, `sync`. Its alarm delivers the outbox and runs the lead sync; both save
//! their progress, so a restart anywhere resumes where it stopped.

// The `durable_object` macro generates JS bindings without docs.
#![allow(missing_docs)]

mod client;
mod kv;
mod outbox;
mod sync;

use crate::error::ApiError;
use crate::marketo::{Config, Found};
use crate::store::{self, leads};
use client::{Client, Urgency, now_ms};
use confab_domain::marketo::{cookie_query, is_munchkin_cookie, lead_from_rest};
use serde::Deserialize;
use serde_json::{Value, json};
use worker::{DurableObject, Env, Method, Request, Response, Result, State, durable_object};

/// How long a visitor's lookup may take inside the gateway (the Worker stops waiting much
/// sooner and lets the answer land in D1 for the next request).
const LOOKUP_DEADLINE_MS: i64 = 10_000;
/// Fields read for a visitor when no sync has chosen any.
const DEFAULT_FIELDS: &str = "id,email,firstName,lastName,company,updatedAt";

#[durable_object]
pub struct MarketoGateway {
    state: State,
    env: Env,
    client: Option<Client>,
}

fn error_response(err: &ApiError) -> Result<Response> {
    Ok(Response::from_json(&err.body())?.with_status(err.status()))
}

fn unavailable(message: impl Into<String>) -> Result<Response> {
    Response::error(message.into(), 503)
}

/// The cookie's token part (`_mch-…`), which the cookie map is keyed by.
pub fn cookie_token(cookie: &str) -> Option<&str> {
    cookie.split_once("&token:").map(|(_, token)| token)
}

#[derive(Deserialize)]
struct CookieBody {
    cookie: String,
}

#[derive(Deserialize)]
struct SyncBody {
    fields: Vec<String>,
    /// Start of the initial sync's first window (Unix ms); default ten years back.
    since_ms: Option<i64>,
}

impl DurableObject for MarketoGateway {
    fn new(state: State, env: Env) -> Self {
        let client = Config::from_env(&env).map(|config| Client::new(config, state.storage().sql()));
        Self { state, env, client }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let path = req.path();
        let Some(client) = &self.client else {
            return unavailable("Marketo is not configured for this deployment.");
        };
        let db = match store::db(&self.env) {
            Ok(db) => db,
            Err(e) => return error_response(&e),
        };
        match path.as_str() {
            "/lookup-cookie" => {
                let body: CookieBody = req.json().await?;
                self.lookup_cookie(client, &db, &body.cookie).await
            }
            "/kick" => {
                self.wake_soon().await?;
                Response::from_json(&json!({ "ok": true }))
            }
            "/status" => {
                let sync = sync::load(&self.state.storage().sql());
                // Work left with no alarm to do it (an alarm lost in a restart) is picked up.
                let outbox_pending = store::outbox::next_due_ms(&db).await.ok().flatten().is_some();
                if (sync.phase != sync::Phase::Idle || outbox_pending)
                    && self.state.storage().get_alarm().await?.is_none()
                {
                    self.state.storage().set_alarm(10).await?;
                }
                let outbox = match store::outbox::summary(&db).await {
                    Ok(summary) => summary,
                    Err(e) => return error_response(&e),
                };
                let leads = leads::marketo_lead_count(&db).await.unwrap_or(0);
                Response::from_json(&json!({
                    "configured": true,
                    "endpoint": client.config().endpoint,
                    "client_id": client.config().client_id,
                    "budget": client.status(),
                    "sync": sync.report(),
                    "outbox": outbox,
                    "leads": leads,
                }))
            }
            "/fields" => match sync::describe(client, Urgency::Visitor { deadline_ms: now_ms() + 20_000 }).await {
                Ok(fields) => Response::from_json(&json!({
                    "fields": fields.iter().map(|f| json!({
                        "name": f.name, "display_name": f.display_name, "data_type": f.data_type,
                    })).collect::<Vec<_>>()
                })),
                Err(reason) => unavailable(reason),
            },
            "/sync" => {
                let body: SyncBody = req.json().await?;
                let since = body.since_ms.unwrap_or_else(|| now_ms() - 10 * 365 * 86_400_000);
                match sync::start(client, &self.state.storage().sql(), &body.fields, since).await {
                    Ok(state) => {
                        self.wake_soon().await?;
                        Response::from_json(&state.report())
                    }
                    // Answered 200: the Worker turns the refusal into the admin's 400.
                    Err(reason) => Response::from_json(&json!({
                        "error": { "code": "sync_refused", "message": reason }
                    })),
                }
            }
            _ => Response::error("no such gateway operation", 404),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let Some(client) = &self.client else { return Response::ok("marketo off") };
        let db = match store::db(&self.env) {
            Ok(db) => db,
            Err(e) => return error_response(&e),
        };
        let sql = self.state.storage().sql();
        let mut next: Vec<i64> = Vec::new();
        match outbox::deliver(client, &db).await {
            Ok(due) => next.extend(due),
            Err(e) => {
                worker::console_error!("marketo outbox: {e}");
                next.push(now_ms() + 30_000);
            }
        }
        match sync::plan_incremental(&sql) {
            Ok(due) => next.extend(due),
            Err(e) => worker::console_error!("marketo sync plan: {e}"),
        }
        match sync::step(client, &sql, &db).await {
            Ok(due) => next.extend(due),
            // An admin restarted the sync while this step ran: the new one starts now.
            Err(ApiError::Conflict { code: "superseded", .. }) => next.push(now_ms()),
            Err(e) => {
                worker::console_error!("marketo sync: {e}");
                next.push(now_ms() + 30_000);
            }
        }
        // Activities queued while the sync ran are due now, whatever was computed before.
        if let Ok(Some(due)) = store::outbox::next_due_ms(&db).await {
            next.push(due);
        }
        if let Some(at) = next.into_iter().min() {
            self.state.storage().set_alarm((at - now_ms()).max(10)).await?;
        }
        Response::ok("done")
    }
}

impl MarketoGateway {
    /// Sets the alarm to run now unless it is already due sooner.
    async fn wake_soon(&self) -> Result<()> {
        let storage = self.state.storage();
        match storage.get_alarm().await? {
            Some(at) if at <= now_ms() + 10 => Ok(()),
            _ => storage.set_alarm(10).await,
        }
    }

    async fn fields(&self, db: &worker::D1Database) -> String {
        match store::leads::setting(db, "marketo_fields").await {
            Ok(Some(Value::Array(list))) if !list.is_empty() => {
                let mut names: Vec<String> = list.iter().filter_map(Value::as_str).map(str::to_owned).collect();
                for required in ["id", "email", "updatedAt"] {
                    if !names.iter().any(|n| n == required) {
                        names.push(required.into());
                    }
                }
                names.join(",")
            }
            _ => DEFAULT_FIELDS.to_owned(),
        }
    }

    async fn lookup_cookie(&self, client: &Client, db: &worker::D1Database, cookie: &str) -> Result<Response> {
        let Some(token) = cookie_token(cookie).filter(|_| is_munchkin_cookie(cookie)) else {
            return Response::from_json(&Found { lead: None });
        };
        let fields = self.fields(db).await;
        let query = [
            ("filterType", "cookies".to_owned()),
            ("filterValues", cookie_query(cookie)),
            ("fields", cookie_query(&fields)),
        ];
        let urgency = Urgency::Visitor { deadline_ms: now_ms() + LOOKUP_DEADLINE_MS };
        let lead = match client.call(urgency, Method::Get, "/rest/v1/leads.json", &query, None).await {
            Ok(envelope) => envelope.result.iter().find_map(lead_from_rest),
            Err(failure) if failure.code() == "1012" => None,
            Err(failure) => return unavailable(failure.describe()),
        };
        let stored = match lead {
            Some(record) => {
                if let Err(e) = leads::store_marketo_leads(db, std::slice::from_ref(&record), now_ms()).await {
                    return error_response(&e);
                }
                match leads::lead_by_marketo_id(db, record.marketo_id).await {
                    Ok(lead) => lead,
                    Err(e) => return error_response(&e),
                }
            }
            None => None,
        };
        if let Err(e) = leads::map_cookie(db, token, stored.as_ref().map(|l| l.id), now_ms()).await {
            return error_response(&e);
        }
        Response::from_json(&Found { lead: stored })
    }
}
