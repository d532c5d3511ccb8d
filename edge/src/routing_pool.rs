//! `RoutingPool`: one Durable Object per site's routing pool, the single point that assigns
//! meetings to agents.
//!
//! Invariant: the choice of agent and the hold on their time happen in one synchronous section
//! over the object's own SQLite storage (no `await` between reading the holds and writing the
//! new one), so concurrent booking requests are decided one at a time and two meetings never
//! overlap for one agent. Whether an agent is free is `AgentSchedule::is_free` over the holds:
//! working hours and date overrides, buffers, the daily cap, notice and horizon, the same rules
//! the slot list applies. Slow work (the D1 write) happens after the hold is taken; if it
//! fails the hold and the agent's place in the queue are given back.

// The `durable_object` macro generates JS bindings without docs.
#![allow(missing_docs)]

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::store::{self, NewMeeting};
use chrono::{DateTime, Utc};
use confab_domain::api::{AgentRef, Booking};
use confab_domain::availability::{AgentRules, AgentSchedule, Interval, ScheduleSpec, SlotRules, WorkingHours};
use confab_domain::ids::{AgentId, MeetingId, SiteId};
use confab_domain::routing::{self, Member};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use wasm_bindgen::JsValue;
use worker::{DurableObject, Env, Method, Request, RequestInit, Response, Result, SqlStorage, State, durable_object};

/// The Durable Object binding name, as declared in `wrangler.toml`.
const BINDING: &str = "ROUTING_POOL";

/// A booking decision requested by the Worker.
#[derive(Debug, Serialize, Deserialize)]
pub struct BookCommand {
    /// Site the pool belongs to.
    pub site: String,
    /// Slot start, Unix milliseconds.
    pub start_ms: i64,
    /// Slot end, Unix milliseconds.
    pub end_ms: i64,
    /// Visitor's validated email.
    pub email: String,
    /// Visitor's name.
    pub name: Option<String>,
    /// Widget visitor id.
    pub visitor_id: Option<String>,
    /// The client's `Idempotency-Key`, if it sent one.
    pub idempotency_key: Option<String>,
    /// The Worker's clock when it validated the request, Unix milliseconds.
    pub now_ms: i64,
    /// The pool's slot rules (duration, notice, horizon).
    pub rules: SlotRules,
    /// Every active agent of the pool, in configured order.
    pub agents: Vec<PoolAgent>,
}

/// An agent as the pool sees them for one request.
#[derive(Debug, Serialize, Deserialize)]
pub struct PoolAgent {
    /// Agent id.
    pub id: AgentId,
    /// Display name.
    pub name: String,
    /// Configured position.
    pub position: u32,
    /// Working hours as stored.
    pub schedule: ScheduleSpec,
    /// Buffers, daily cap, stricter notice or horizon.
    pub rules: AgentRules,
}

#[derive(Debug, Serialize, Deserialize)]
struct Standing {
    agent_id: String,
    last_assigned: f64,
}

fn stub(env: &Env, site: &str) -> ApiResult<worker::Stub> {
    Ok(env.durable_object(BINDING)?.get_by_name(&format!("pool:{site}"))?)
}

/// Asks the site's pool to book `command`: the booking, or `SlotTaken`.
pub async fn book(env: &Env, command: &BookCommand) -> ApiResult<Booking> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(JsValue::from_str(&serde_json::to_string(command)?)));
    let req = Request::new_with_init("https://routing-pool/book", &init)?;
    let mut resp = stub(env, &command.site)?.fetch_with_request(req).await?;
    match resp.status_code() {
        201 => Ok(resp.json().await?),
        409 => Err(ApiError::SlotTaken),
        status => Err(ApiError::Internal(format!("routing pool answered {status}"))),
    }
}

/// Moving a held meeting to another time, same agent.
#[derive(Debug, Serialize, Deserialize)]
pub struct MoveCommand {
    /// Site the pool belongs to.
    pub site: String,
    /// The meeting.
    pub meeting_id: String,
    /// Its agent, with stored hours and rules.
    pub agent: PoolAgent,
    /// New start, Unix milliseconds.
    pub start_ms: i64,
    /// New end, Unix milliseconds.
    pub end_ms: i64,
    /// The Worker's clock, Unix milliseconds.
    pub now_ms: i64,
    /// The pool's slot rules.
    pub rules: SlotRules,
}

async fn post(env: &Env, site: &str, path: &str, body: &impl Serialize) -> ApiResult<Response> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(JsValue::from_str(&serde_json::to_string(body)?)));
    let req = Request::new_with_init(&format!("https://routing-pool{path}"), &init)?;
    Ok(stub(env, site)?.fetch_with_request(req).await?)
}

/// Moves a meeting's hold to the new time if its agent is free then; `SlotTaken` otherwise.
pub async fn move_meeting(env: &Env, command: &MoveCommand) -> ApiResult<()> {
    match post(env, &command.site, "/move", command).await?.status_code() {
        200 => Ok(()),
        409 => Err(ApiError::SlotTaken),
        status => Err(ApiError::Internal(format!("routing pool answered {status} to a move"))),
    }
}

/// Puts a moved meeting's hold back where it was (after the D1 write failed).
pub async fn unmove_meeting(env: &Env, site: &str, meeting_id: &str, start_ms: i64, end_ms: i64) -> ApiResult<()> {
    let body = serde_json::json!({ "meeting_id": meeting_id, "start_ms": start_ms, "end_ms": end_ms });
    match post(env, site, "/unmove", &body).await?.status_code() {
        200 => Ok(()),
        status => Err(ApiError::Internal(format!("routing pool answered {status} to an unmove"))),
    }
}

/// Frees the agent's time held by a meeting (canceled). Releasing twice is harmless.
pub async fn release(env: &Env, site: &str, meeting_id: &str) -> ApiResult<()> {
    match post(env, site, "/release", &serde_json::json!({ "meeting_id": meeting_id })).await?.status_code() {
        200 => Ok(()),
        status => Err(ApiError::Internal(format!("routing pool answered {status} to a release"))),
    }
}

/// Each agent's last assignment sequence number in the site's pool.
pub async fn standing(env: &Env, site: &str) -> ApiResult<HashMap<AgentId, u64>> {
    let mut resp = stub(env, site)?.fetch_with_str("https://routing-pool/standing").await?;
    let rows: Vec<Standing> = resp.json().await?;
    Ok(rows.into_iter().map(|r| (AgentId(r.agent_id), r.last_assigned as u64)).collect())
}

/// The Durable Object.
#[durable_object(fetch)]
pub struct RoutingPool {
    state: State,
    env: Env,
}

impl DurableObject for RoutingPool {
    fn new(state: State, env: Env) -> Self {
        if let Err(e) = ensure_schema(&state.storage().sql()) {
            worker::console_error!("routing pool schema: {e}");
        }
        Self { state, env }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match (req.method(), req.path().as_str()) {
            (Method::Post, "/book") => {
                let command: BookCommand = req.json().await?;
                self.book(command).await
            }
            (Method::Post, "/move") => {
                let command: MoveCommand = req.json().await?;
                if self.move_hold(&command)? { Response::ok("moved") } else { Response::error("slot taken", 409) }
            }
            (Method::Post, "/unmove") => {
                let command: HeldRow = req.json().await?;
                self.state.storage().sql().exec(
                    "UPDATE holds SET start_ms = ?, end_ms = ? WHERE meeting_id = ?",
                    vec![
                        (command.start_ms as i64).into(),
                        (command.end_ms as i64).into(),
                        command.meeting_id.as_str().into(),
                    ],
                )?;
                Response::ok("restored")
            }
            (Method::Post, "/release") => {
                let command: Release = req.json().await?;
                self.state
                    .storage()
                    .sql()
                    .exec("DELETE FROM holds WHERE meeting_id = ?", vec![command.meeting_id.as_str().into()])?;
                Response::ok("released")
            }
            (Method::Get, "/standing") => {
                let rows: Vec<Standing> =
                    self.state.storage().sql().exec("SELECT agent_id, last_assigned FROM members", None)?.to_array()?;
                Response::from_json(&rows)
            }
            _ => Response::error("not found", 404),
        }
    }
}

fn ensure_schema(sql: &SqlStorage) -> Result<()> {
    sql.exec(
        "CREATE TABLE IF NOT EXISTS members (agent_id TEXT PRIMARY KEY, last_assigned INTEGER NOT NULL DEFAULT 0)",
        None,
    )?;
    sql.exec(
        "CREATE TABLE IF NOT EXISTS holds (meeting_id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL)",
        None,
    )?;
    sql.exec("CREATE INDEX IF NOT EXISTS holds_by_time ON holds(start_ms, end_ms)", None)?;
    sql.exec(
        "CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, response TEXT NOT NULL)",
        None,
    )?;
    Ok(())
}

#[derive(Deserialize)]
struct Replay {
    response: String,
}

#[derive(Deserialize)]
struct HeldRow {
    #[serde(default)]
    meeting_id: String,
    #[serde(default)]
    agent_id: String,
    start_ms: f64,
    end_ms: f64,
}

#[derive(Deserialize)]
struct Release {
    meeting_id: String,
}

#[derive(Deserialize)]
struct MaxSeq {
    seq: Option<f64>,
}

/// What the synchronous section decided.
struct Decision {
    meeting: MeetingId,
    agent: AgentRef,
    explanation: String,
    previous: u64,
}

impl RoutingPool {
    async fn book(&self, command: BookCommand) -> Result<Response> {
        // A key seen before answers with the booking it made (recorded together with the hold,
        // in the synchronous section, so even a retry racing the first request finds it).
        if let Some(key) = &command.idempotency_key {
            let seen: Vec<Replay> = self
                .state
                .storage()
                .sql()
                .exec("SELECT response FROM idempotency WHERE key = ?", vec![key.as_str().into()])?
                .to_array()?;
            if let Some(replay) = seen.into_iter().next() {
                return Ok(Response::ok(replay.response)?.with_status(201));
            }
        }
        let meeting = MeetingId(clock::random_id("m_")?);
        // Synchronous section: no await until the hold is written.
        let decision = match self.decide(&command, meeting)? {
            Some(d) => d,
            None => return Response::error("slot taken", 409),
        };
        let slot = Interval { start: from_ms(command.start_ms), end: from_ms(command.end_ms) };
        let stored = async {
            let db = store::db(&self.env)?;
            store::insert_meeting(
                &db,
                &NewMeeting {
                    id: &decision.meeting,
                    site: &SiteId(command.site.clone()),
                    agent: &decision.agent.id,
                    slot,
                    email: &command.email,
                    name: command.name.as_deref(),
                    visitor_id: command.visitor_id.as_deref(),
                    explanation: &decision.explanation,
                    created_at: clock::now(),
                },
            )
            .await
        }
        .await;
        if let Err(e) = stored {
            self.release(&decision)?;
            worker::console_error!("storing meeting failed, hold released: {e}");
            return Response::error("could not store the meeting", 500);
        }
        Response::from_json(&Booking {
            meeting_id: decision.meeting,
            agent: decision.agent,
            start: slot.start.to_rfc3339(),
            end: slot.end.to_rfc3339(),
            invite_url: None,
            cancel_url: None,
            reschedule_url: None,
        })
        .map(|r| r.with_status(201))
    }

    /// Chooses the agent and takes the hold, all over synchronous SQLite calls.
    fn decide(&self, command: &BookCommand, meeting: MeetingId) -> Result<Option<Decision>> {
        let sql = self.state.storage().sql();
        let standing: Vec<Standing> = sql.exec("SELECT agent_id, last_assigned FROM members", None)?.to_array()?;
        let last: HashMap<&str, u64> = standing.iter().map(|s| (s.agent_id.as_str(), s.last_assigned as u64)).collect();
        // Holds around the slot: two days each side covers any agent's local day (for the
        // daily cap) and any buffer.
        let margin = 2 * 24 * 3_600_000;
        let mut held: HashMap<String, Vec<Interval>> = HashMap::new();
        for h in sql
            .exec(
                "SELECT agent_id, start_ms, end_ms FROM holds WHERE start_ms < ? AND end_ms > ?",
                vec![(command.end_ms + margin).into(), (command.start_ms - margin).into()],
            )?
            .to_array::<HeldRow>()?
        {
            let span = Interval { start: from_ms(h.start_ms as i64), end: from_ms(h.end_ms as i64) };
            held.entry(h.agent_id).or_default().push(span);
        }
        let slot = Interval { start: from_ms(command.start_ms), end: from_ms(command.end_ms) };
        let now = from_ms(command.now_ms);
        // An agent whose stored hours no longer parse takes no meetings (the Worker logged it).
        let schedules: HashMap<&AgentId, (WorkingHours, AgentRules)> =
            command.agents.iter().filter_map(|a| Some((&a.id, (a.schedule.parse().ok()?, a.rules)))).collect();
        let is_free = |agent: &AgentId| {
            schedules.get(agent).is_some_and(|(hours, rules)| {
                let meetings = held.get(agent.as_str()).map(Vec::as_slice).unwrap_or_default();
                AgentSchedule { hours, rules: *rules, meetings, busy: &[] }.is_free(&slot, now, &command.rules)
            })
        };
        let members: Vec<Member> = command
            .agents
            .iter()
            .map(|a| Member {
                agent: a.id.clone(),
                name: a.name.clone(),
                position: a.position,
                last_assigned: last.get(a.id.as_str()).copied().unwrap_or(0),
            })
            .collect();
        let Some(choice) = routing::choose(&members, is_free) else {
            return Ok(None);
        };
        let seq = sql.exec("SELECT MAX(last_assigned) AS seq FROM members", None)?.one::<MaxSeq>()?.seq.unwrap_or(0.0)
            as i64
            + 1;
        sql.exec(
            "INSERT INTO holds (meeting_id, agent_id, start_ms, end_ms) VALUES (?, ?, ?, ?)",
            vec![meeting.as_str().into(), choice.agent.as_str().into(), command.start_ms.into(), command.end_ms.into()],
        )?;
        sql.exec(
            "INSERT INTO members (agent_id, last_assigned) VALUES (?, ?)
             ON CONFLICT(agent_id) DO UPDATE SET last_assigned = excluded.last_assigned",
            vec![choice.agent.as_str().into(), seq.into()],
        )?;
        let name = members.iter().find(|m| m.agent == choice.agent).map(|m| m.name.clone()).unwrap_or_default();
        if let Some(key) = &command.idempotency_key {
            let booking = Booking {
                meeting_id: meeting.clone(),
                agent: AgentRef { id: choice.agent.clone(), name: name.clone() },
                start: slot.start.to_rfc3339(),
                end: slot.end.to_rfc3339(),
                invite_url: None,
                cancel_url: None,
                reschedule_url: None,
            };
            let response = serde_json::to_string(&booking).map_err(|e| worker::Error::RustError(e.to_string()))?;
            sql.exec(
                "INSERT INTO idempotency (key, meeting_id, response) VALUES (?, ?, ?)",
                vec![key.as_str().into(), meeting.as_str().into(), response.into()],
            )?;
        }
        Ok(Some(Decision {
            meeting,
            previous: last.get(choice.agent.as_str()).copied().unwrap_or(0),
            agent: AgentRef { id: choice.agent, name },
            explanation: choice.explanation,
        }))
    }

    /// Moves a meeting's hold if its agent is free at the new time (its own hold aside); all
    /// synchronous, like `decide`.
    fn move_hold(&self, command: &MoveCommand) -> Result<bool> {
        let sql = self.state.storage().sql();
        let margin = 2 * 24 * 3_600_000;
        let meetings: Vec<Interval> = sql
            .exec(
                "SELECT meeting_id, agent_id, start_ms, end_ms FROM holds WHERE agent_id = ? AND meeting_id != ? AND start_ms < ? AND end_ms > ?",
                vec![
                    command.agent.id.as_str().into(),
                    command.meeting_id.as_str().into(),
                    (command.end_ms + margin).into(),
                    (command.start_ms - margin).into(),
                ],
            )?
            .to_array::<HeldRow>()?
            .into_iter()
            .map(|h| Interval { start: from_ms(h.start_ms as i64), end: from_ms(h.end_ms as i64) })
            .collect();
        let Ok(hours) = command.agent.schedule.parse() else { return Ok(false) };
        let slot = Interval { start: from_ms(command.start_ms), end: from_ms(command.end_ms) };
        let schedule = AgentSchedule { hours: &hours, rules: command.agent.rules, meetings: &meetings, busy: &[] };
        if !schedule.is_free(&slot, from_ms(command.now_ms), &command.rules) {
            return Ok(false);
        }
        sql.exec(
            "INSERT INTO holds (meeting_id, agent_id, start_ms, end_ms) VALUES (?, ?, ?, ?)
             ON CONFLICT(meeting_id) DO UPDATE SET start_ms = excluded.start_ms, end_ms = excluded.end_ms",
            vec![
                command.meeting_id.as_str().into(),
                command.agent.id.as_str().into(),
                command.start_ms.into(),
                command.end_ms.into(),
            ],
        )?;
        Ok(true)
    }

    /// Gives back a hold whose meeting could not be stored.
    fn release(&self, decision: &Decision) -> Result<()> {
        let sql = self.state.storage().sql();
        sql.exec("DELETE FROM holds WHERE meeting_id = ?", vec![decision.meeting.as_str().into()])?;
        sql.exec("DELETE FROM idempotency WHERE meeting_id = ?", vec![decision.meeting.as_str().into()])?;
        sql.exec(
            "UPDATE members SET last_assigned = ? WHERE agent_id = ?",
            vec![(decision.previous as i64).into(), decision.agent.id.as_str().into()],
        )?;
        Ok(())
    }
}

fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
