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
use confab_domain::availability::{
    AgentRules, AgentSchedule, Interval, ScheduleSpec, SlotRules, Unavailable, WorkingHours,
};
use confab_domain::ids::{AgentId, MeetingId, SiteId};
use confab_domain::routing::{
    self, Availability, Member, NORMAL_WEIGHT, Route, RoutingConfig, joining_count_at, period_key,
};
use confab_domain::targeting::VisitorContext;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
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
    /// The site's routing configuration (account routes: only those matching this visitor).
    #[serde(default)]
    pub routing: RoutingConfig,
    /// What routing rules are evaluated against.
    #[serde(default)]
    pub visitor: VisitorFacts,
    /// The dialogue the booking comes from.
    #[serde(default)]
    pub dialogue_id: Option<String>,
}

/// What routing knows about the visitor.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct VisitorFacts {
    /// The visitor's email.
    pub email: Option<String>,
    /// The lead's company.
    pub company: Option<String>,
    /// `lead.<field>` and `answer.<card id>` values, as branch conditions name them.
    pub attributes: BTreeMap<String, String>,
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
    /// Round-robin weight in percent.
    #[serde(default = "normal_weight")]
    pub weight_percent: u32,
    /// Busy time from the agent's calendar around the slot, Unix ms pairs.
    #[serde(default)]
    pub busy: Vec<(i64, i64)>,
    /// Whether the agent's calendar works (an unhealthy one takes them out of routing).
    #[serde(default = "healthy")]
    pub healthy: bool,
    /// The agent's calendar provider (`builtin`, `google`, …).
    #[serde(default = "builtin")]
    pub calendar: String,
}

fn normal_weight() -> u32 {
    NORMAL_WEIGHT
}

fn healthy() -> bool {
    true
}

fn builtin() -> String {
    "builtin".to_owned()
}

impl PoolAgent {
    fn busy_intervals(&self) -> Vec<Interval> {
        self.busy.iter().map(|&(s, e)| Interval { start: from_ms(s), end: from_ms(e) }).collect()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Standing {
    agent_id: String,
    last_assigned: f64,
    #[serde(default)]
    count: f64,
    #[serde(default)]
    period: String,
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

/// Who would get the meeting `command` describes, and why, without booking it.
pub async fn simulate(env: &Env, command: &BookCommand) -> ApiResult<Route> {
    let mut resp = post(env, &command.site, "/simulate", command).await?;
    match resp.status_code() {
        200 => Ok(resp.json().await?),
        status => Err(ApiError::Internal(format!("routing pool answered {status} to a simulation"))),
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

/// What happens to a meeting's hold and credit when it is canceled or not attended.
#[derive(Debug, Serialize, Deserialize)]
pub struct Release {
    /// The meeting.
    pub meeting_id: String,
    /// Free the agent's time (a cancel); a no-show keeps it (the time has passed anyway).
    pub free_time: bool,
    /// Give the meeting back to the agent's round-robin count, if it was credited in this
    /// period (the pool's current period, when credit back is on).
    pub credit_back_period: Option<String>,
    /// The pool's agents and weights, for the agent's new place in line.
    #[serde(default)]
    pub weights: Vec<(AgentId, u32)>,
}

/// Frees a meeting's time and/or gives its credit back. Doing it twice is harmless.
pub async fn release(env: &Env, site: &str, release: &Release) -> ApiResult<()> {
    match post(env, site, "/release", release).await?.status_code() {
        200 => Ok(()),
        status => Err(ApiError::Internal(format!("routing pool answered {status} to a release"))),
    }
}

/// Asks the site's pool to run the calendar write-back at `at_ms` (or sooner if already due).
pub async fn wake(env: &Env, site: &str, at_ms: i64) -> ApiResult<()> {
    let body = serde_json::json!({ "site": site, "at_ms": at_ms });
    match post(env, site, "/wake", &body).await?.status_code() {
        200 => Ok(()),
        status => Err(ApiError::Internal(format!("routing pool answered {status} to a wake"))),
    }
}

/// One agent's place in the site's pool.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    /// Sequence number of their last assignment.
    pub last_assigned: u64,
    /// Meetings credited in the period `count_period` names.
    pub count: u32,
}

/// Each agent's place in the site's pool; counts from another period than `period` are 0.
pub async fn standing(env: &Env, site: &str, period: &str) -> ApiResult<HashMap<AgentId, Place>> {
    let mut resp = stub(env, site)?.fetch_with_str("https://routing-pool/standing").await?;
    let rows: Vec<Standing> = resp.json().await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let count = if r.period == period { r.count as u32 } else { 0 };
            (AgentId(r.agent_id), Place { last_assigned: r.last_assigned as u64, count })
        })
        .collect())
}

/// The Durable Object.
#[durable_object]
pub struct RoutingPool {
    state: State,
    env: Env,
}

#[derive(Deserialize)]
struct Wake {
    site: String,
    at_ms: i64,
}

#[derive(Deserialize)]
struct MetaValue {
    value: String,
}

impl DurableObject for RoutingPool {
    fn new(state: State, env: Env) -> Self {
        // Columns added after the first release; adding one that exists fails, harmlessly.
        let sql = state.storage().sql();
        for alter in [
            "ALTER TABLE members ADD COLUMN count INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE members ADD COLUMN period TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE holds ADD COLUMN period TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE holds ADD COLUMN credited INTEGER NOT NULL DEFAULT 1",
        ] {
            if ensure_schema(&sql).is_ok() {
                let _ = sql.exec(alter, None);
            }
        }
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
            (Method::Post, "/simulate") => {
                let command: BookCommand = req.json().await?;
                let (_, route) = self.route(&command)?;
                Response::from_json(&route)
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
                self.release_meeting(&command)?;
                Response::ok("released")
            }
            (Method::Post, "/wake") => {
                let command: Wake = req.json().await?;
                let sql = self.state.storage().sql();
                sql.exec(
                    "INSERT INTO meta (key, value) VALUES ('site', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    vec![command.site.as_str().into()],
                )?;
                let storage = self.state.storage();
                let now = clock::now().timestamp_millis();
                let wanted = command.at_ms.max(now + 10);
                match storage.get_alarm().await? {
                    Some(at) if at <= wanted => {}
                    _ => storage.set_alarm(wanted - now).await?,
                }
                Response::ok("awake")
            }
            (Method::Get, "/standing") => {
                let rows: Vec<Standing> = self
                    .state
                    .storage()
                    .sql()
                    .exec("SELECT agent_id, last_assigned, count, period FROM members", None)?
                    .to_array()?;
                Response::from_json(&rows)
            }
            _ => Response::error("not found", 404),
        }
    }

    /// Runs the site's calendar write-back (meetings whose event is not yet in, or not yet
    /// like, the agent's calendar) and sets itself for the next one due.
    async fn alarm(&self) -> Result<Response> {
        let sql = self.state.storage().sql();
        let site: Option<MetaValue> =
            sql.exec("SELECT value FROM meta WHERE key = 'site'", None)?.to_array()?.into_iter().next();
        let Some(site) = site else { return Response::ok("no site") };
        let next = match store::db(&self.env) {
            Ok(db) => crate::calendars::sync::run_due(&self.env, &db, &site.value, 25).await,
            Err(e) => Err(e),
        };
        let now = clock::now().timestamp_millis();
        let at = match next {
            Ok(next) => next,
            Err(e) => {
                worker::console_error!("calendar write-back: {e}");
                Some(now + 30_000)
            }
        };
        if let Some(at) = at {
            self.state.storage().set_alarm((at - now).max(10)).await?;
        }
        Response::ok("done")
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
    sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", None)?;
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

/// What the synchronous section decided.
struct Decision {
    meeting: MeetingId,
    agent: AgentRef,
    explanation: String,
    /// The agent's place and count before this booking, to give back if it is not stored.
    previous: u64,
    previous_count: u32,
    period: String,
    calendar: String,
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
                    calendar_provider: &decision.calendar,
                    dialogue_id: command.dialogue_id.as_deref(),
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

    /// The members of the pool as routing sees them now: their place, their weight, and their
    /// count in the current period (0 for a count of an older period; a newcomer starts level
    /// with the pool, see [`joining_count_at`]).
    fn members(&self, agents: &[PoolAgent], period: &str) -> Result<(Vec<Member>, HashMap<String, Standing>)> {
        let sql = self.state.storage().sql();
        let standing: HashMap<String, Standing> = sql
            .exec("SELECT agent_id, last_assigned, count, period FROM members", None)?
            .to_array::<Standing>()?
            .into_iter()
            .map(|s| (s.agent_id.clone(), s))
            .collect();
        let mut members: Vec<Member> = Vec::with_capacity(agents.len());
        let mut newcomers = Vec::new();
        for a in agents {
            let mut member = Member::new(a.id.clone(), a.name.clone(), a.position);
            member.weight_percent = a.weight_percent;
            match standing.get(a.id.as_str()) {
                Some(s) => {
                    member.last_assigned = s.last_assigned as u64;
                    member.count = if s.period == period { s.count as u32 } else { 0 };
                }
                None => newcomers.push(members.len()),
            }
            members.push(member);
        }
        let veterans: Vec<Member> =
            members.iter().enumerate().filter(|(i, _)| !newcomers.contains(i)).map(|(_, m)| m.clone()).collect();
        for i in newcomers {
            members[i].count = joining_count_at(&veterans, members[i].weight_percent);
        }
        Ok((members, standing))
    }

    /// Routes `command` over the pool's holds and standing, all synchronous: the members and
    /// the decision. Nothing is written.
    fn route(&self, command: &BookCommand) -> Result<(Vec<Member>, Route)> {
        let sql = self.state.storage().sql();
        let now = from_ms(command.now_ms);
        let period = period_key(now, command.routing.reset);
        let (members, _) = self.members(&command.agents, &period)?;
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
        // An agent whose stored hours no longer parse takes no meetings (the Worker logged it).
        let agents: HashMap<&AgentId, (&PoolAgent, Option<WorkingHours>, Vec<Interval>)> =
            command.agents.iter().map(|a| (&a.id, (a, a.schedule.parse().ok(), a.busy_intervals()))).collect();
        let availability = |agent: &AgentId| {
            let Some((pool_agent, Some(hours), busy)) = agents.get(agent) else { return Availability::NotWorking };
            if !pool_agent.healthy {
                return Availability::UnhealthyCalendar;
            }
            let meetings = held.get(agent.as_str()).map(Vec::as_slice).unwrap_or_default();
            let schedule = AgentSchedule { hours, rules: pool_agent.rules, meetings, busy };
            match schedule.check(&slot, now, &command.rules) {
                Ok(()) => Availability::Free,
                Err(Unavailable::Busy) => Availability::Busy,
                Err(Unavailable::DailyCap) => Availability::DailyCapReached,
                Err(Unavailable::NotWorking | Unavailable::Length) => Availability::NotWorking,
            }
        };
        let context = VisitorContext {
            page_url: String::new(),
            referrer: None,
            query: BTreeMap::new(),
            known: command.visitor.email.is_some(),
            attributes: command.visitor.attributes.clone(),
            returning: false,
            now,
            completed: Default::default(),
        };
        let visitor = routing::Visitor {
            email: command.visitor.email.as_deref(),
            company: command.visitor.company.as_deref(),
            context: &context,
        };
        let route = routing::route(&command.routing, &visitor, &members, availability);
        Ok((members, route))
    }

    /// Chooses the agent and takes the hold, all over synchronous SQLite calls.
    fn decide(&self, command: &BookCommand, meeting: MeetingId) -> Result<Option<Decision>> {
        let sql = self.state.storage().sql();
        let (mut members, route) = self.route(command)?;
        let Some(choice) = route.assignment else {
            return Ok(None);
        };
        let period = period_key(from_ms(command.now_ms), command.routing.reset);
        let previous = members.iter().find(|m| m.agent == choice.agent).map(|m| (m.last_assigned, m.count));
        routing::credit(&mut members, &choice.agent);
        let Some(chosen) = members.iter().find(|m| m.agent == choice.agent) else {
            return Ok(None);
        };
        sql.exec(
            "INSERT INTO holds (meeting_id, agent_id, start_ms, end_ms, period, credited) VALUES (?, ?, ?, ?, ?, 1)",
            vec![
                meeting.as_str().into(),
                choice.agent.as_str().into(),
                command.start_ms.into(),
                command.end_ms.into(),
                period.as_str().into(),
            ],
        )?;
        sql.exec(
            "INSERT INTO members (agent_id, last_assigned, count, period) VALUES (?, ?, ?, ?)
             ON CONFLICT(agent_id) DO UPDATE SET last_assigned = excluded.last_assigned, count = excluded.count,
               period = excluded.period",
            vec![
                choice.agent.as_str().into(),
                (chosen.last_assigned as i64).into(),
                i64::from(chosen.count).into(),
                period.as_str().into(),
            ],
        )?;
        let name = chosen.name.clone();
        let calendar =
            command.agents.iter().find(|a| a.id == choice.agent).map(|a| a.calendar.clone()).unwrap_or_else(builtin);
        if let Some(key) = &command.idempotency_key {
            let slot = Interval { start: from_ms(command.start_ms), end: from_ms(command.end_ms) };
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
        let (previous, previous_count) = previous.unwrap_or((0, 0));
        Ok(Some(Decision {
            meeting,
            previous,
            previous_count,
            period,
            calendar,
            agent: AgentRef { id: choice.agent, name },
            explanation: choice.explanation,
        }))
    }

    /// Frees a meeting's time and/or gives its credit back (once, and only in the period it
    /// was credited in).
    fn release_meeting(&self, command: &Release) -> Result<()> {
        let sql = self.state.storage().sql();
        #[derive(Deserialize)]
        struct Hold {
            agent_id: String,
            period: String,
            credited: f64,
        }
        let hold: Option<Hold> = sql
            .exec(
                "SELECT agent_id, period, credited FROM holds WHERE meeting_id = ?",
                vec![command.meeting_id.as_str().into()],
            )?
            .to_array::<Hold>()?
            .into_iter()
            .next();
        if let (Some(hold), Some(period)) = (&hold, &command.credit_back_period)
            && hold.credited > 0.0
            && &hold.period == period
        {
            let agents: Vec<PoolAgent> = command
                .weights
                .iter()
                .map(|(id, w)| PoolAgent {
                    id: id.clone(),
                    name: String::new(),
                    position: 0,
                    schedule: ScheduleSpec::weekdays("UTC", "09:00", "17:00"),
                    rules: AgentRules::default(),
                    weight_percent: *w,
                    busy: Vec::new(),
                    healthy: true,
                    calendar: builtin(),
                })
                .collect();
            let (mut members, _) = self.members(&agents, period)?;
            let agent = AgentId(hold.agent_id.clone());
            routing::credit_back(&mut members, &agent);
            if let Some(m) = members.iter().find(|m| m.agent == agent) {
                sql.exec(
                    "UPDATE members SET last_assigned = ?, count = ? WHERE agent_id = ? AND period = ?",
                    vec![
                        (m.last_assigned as i64).into(),
                        i64::from(m.count).into(),
                        agent.as_str().into(),
                        period.as_str().into(),
                    ],
                )?;
            }
            sql.exec("UPDATE holds SET credited = 0 WHERE meeting_id = ?", vec![command.meeting_id.as_str().into()])?;
        }
        if command.free_time {
            sql.exec("DELETE FROM holds WHERE meeting_id = ?", vec![command.meeting_id.as_str().into()])?;
        }
        Ok(())
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
        let busy = command.agent.busy_intervals();
        let schedule = AgentSchedule { hours: &hours, rules: command.agent.rules, meetings: &meetings, busy: &busy };
        if !command.agent.healthy || !schedule.is_free(&slot, from_ms(command.now_ms), &command.rules) {
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
            "UPDATE members SET last_assigned = ?, count = ? WHERE agent_id = ? AND period = ?",
            vec![
                (decision.previous as i64).into(),
                i64::from(decision.previous_count).into(),
                decision.agent.id.as_str().into(),
                decision.period.as_str().into(),
            ],
        )?;
        Ok(())
    }
}

fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
