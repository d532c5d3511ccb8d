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
use crate::marketo::{CONNECTED_SETTING, Config, Connection, Found};
use crate::store::{self, leads};
use client::{Client, Urgency, now_ms};
use confab_domain::marketo::Failure;
use confab_domain::marketo::{cookie_query, is_munchkin_cookie, lead_from_rest};
use serde::Deserialize;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::rc::Rc;
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
    /// `None` while Marketo is neither configured nor connected. Replaced (never mutated) by
    /// a connect or disconnect; work under way keeps the client it started with.
    client: RefCell<Option<Rc<Client>>>,
}

/// Where the admin's connection is kept in the gateway's key/value table.
const CONNECTION_KEY: &str = "connection";
/// Longest a connection check may take.
const CHECK_TIMEOUT_MS: i64 = 10_000;

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
struct ConnectBody {
    connection: Connection,
}

#[derive(Deserialize)]
struct SyncBody {
    fields: Vec<String>,
    /// Start of the initial sync's first window (Unix ms); default ten years back.
    since_ms: Option<i64>,
}

impl DurableObject for MarketoGateway {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        kv::ensure(&sql);
        let config = Config::from_env(&env)
            .or_else(|| kv::get::<Connection>(&sql, CONNECTION_KEY).map(|c| Config::from_connection(&env, c)));
        let client = config.map(|config| Rc::new(Client::new(config, sql)));
        Self { state, env, client: RefCell::new(client) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let path = req.path();
        match path.as_str() {
            "/connect" => {
                let body: ConnectBody = req.json().await?;
                return self.connect_marketo(body.connection).await;
            }
            "/disconnect" => return self.disconnect_marketo().await,
            _ => {}
        }
        let Some(client) = self.client() else {
            return unavailable("Marketo is not configured for this deployment.");
        };
        let client = client.as_ref();
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
            "/test" => Response::from_json(&self.test(client).await),
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
                    "managed_by_environment": Config::from_env(&self.env).is_some(),
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
        let Some(client) = self.client() else { return Response::ok("marketo off") };
        let client = client.as_ref();
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
    fn client(&self) -> Option<Rc<Client>> {
        self.client.borrow().clone()
    }

    /// `/connect`: checks the credentials with Marketo's identity endpoint and, only when it
    /// issues a token, keeps them (here, never in D1) and records in D1 that Marketo is on.
    /// A refusal is answered 200 with `{"error"}`, which the Worker turns into the admin's 400.
    async fn connect_marketo(&self, connection: Connection) -> Result<Response> {
        if Config::from_env(&self.env).is_some() {
            return Response::from_json(&json!({ "error": {
                "code": "managed_by_environment",
                "message": "Marketo is configured by Worker variables (MARKETO_ENDPOINT and the rest); change them there.",
            }}));
        }
        let config = Config::from_connection(&self.env, connection.clone());
        if let Err(failure) = client::fetch_token(&config, CHECK_TIMEOUT_MS).await {
            // The field the admin should look at: the secret when Marketo refused the pair, the
            // endpoint when nothing usable answered there.
            let field = match failure {
                Failure::BadCredentials(_) => "client_secret",
                _ => "endpoint",
            };
            return Response::from_json(&json!({ "error": {
                "code": "connection_failed",
                "message": connection_problem(&failure),
                "fields": { field: connection_problem(&failure) },
            }}));
        }
        let db = match store::db(&self.env) {
            Ok(db) => db,
            Err(e) => return error_response(&e),
        };
        let sql = self.state.storage().sql();
        kv::set(&sql, CONNECTION_KEY, &connection)?;
        // A token of the previous connection must never be sent to the new one.
        kv::remove(&sql, "token");
        let marker =
            json!({ "endpoint": connection.endpoint, "client_id": connection.client_id, "connected_at_ms": now_ms() });
        if let Err(e) = leads::set_setting(&db, CONNECTED_SETTING, &marker).await {
            kv::remove(&sql, CONNECTION_KEY);
            return error_response(&e);
        }
        if let Some(old) = self.client() {
            old.retire();
            // Another instance (or another account) does not inherit the quota pause and the
            // day's count of the previous one.
            let previous = old.config();
            if previous.endpoint != config.endpoint || previous.client_id != config.client_id {
                kv::remove(&sql, "paused_until");
                kv::remove(&sql, "day");
            }
        }
        *self.client.borrow_mut() = Some(Rc::new(Client::new(config, sql)));
        // Work that waited for a connection (the outbox, a sync) resumes.
        self.wake_soon().await?;
        Response::from_json(&json!({ "connected": true }))
    }

    /// `/disconnect`: forgets the admin's connection and its token. Leads, the outbox and the
    /// sync's progress stay, so connecting again resumes where it stopped.
    async fn disconnect_marketo(&self) -> Result<Response> {
        if Config::from_env(&self.env).is_some() {
            return Response::from_json(&json!({ "error": {
                "code": "managed_by_environment",
                "message": "Marketo is configured by Worker variables; remove them to disconnect.",
            }}));
        }
        let db = match store::db(&self.env) {
            Ok(db) => db,
            Err(e) => return error_response(&e),
        };
        if let Err(e) = leads::delete_setting(&db, CONNECTED_SETTING).await {
            return error_response(&e);
        }
        let sql = self.state.storage().sql();
        kv::remove(&sql, CONNECTION_KEY);
        kv::remove(&sql, "token");
        if let Some(old) = self.client.borrow_mut().take() {
            old.retire();
        }
        Response::from_json(&json!({ "connected": false }))
    }

    /// `/test`: a fresh token (the cached one stays) and a describe through the budget.
    async fn test(&self, client: &Client) -> Value {
        if let Err(failure) = client::fetch_token(client.config(), CHECK_TIMEOUT_MS).await {
            return json!({ "ok": false, "message": connection_problem(&failure) });
        }
        match sync::describe(client, Urgency::Visitor { deadline_ms: now_ms() + CHECK_TIMEOUT_MS }).await {
            Ok(fields) => json!({
                "ok": true,
                "fields": fields.len(),
                "message": format!("Connected: Marketo issued a token and describes {} lead fields.", fields.len()),
            }),
            Err(reason) => {
                json!({ "ok": false, "message": format!("Marketo issued a token, but describing leads failed: {reason}") })
            }
        }
    }

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

/// What an admin reads when Marketo refuses or cannot be reached (never the secret).
fn connection_problem(failure: &Failure) -> String {
    match failure {
        Failure::BadCredentials(reason) => {
            format!("Marketo refused the client id or secret ({reason}). Check the LaunchPoint service's credentials.")
        }
        other => format!("Could not get a token from Marketo: {}. Check the REST endpoint.", other.describe()),
    }
}
