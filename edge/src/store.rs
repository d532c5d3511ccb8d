//! D1 access: every query the edge runs, with rows read into `Deserialize` structs and
//! mapped to domain types. Handlers never write SQL themselves.

use crate::error::{ApiError, ApiResult};
use chrono::{DateTime, Utc};
use confab_domain::api::{AgentRef, Branding, Meeting, PublishedDialogue};
use confab_domain::availability::{AgentRules, Interval, ScheduleSpec, WorkingHours};
use confab_domain::dialogue::Flow;
use confab_domain::ids::{AgentId, MeetingId, SiteId};
use confab_domain::targeting::{Audience, Candidate};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, Env};

pub mod accounts;
pub mod booking;
pub mod calendars;
pub mod dialogues;
pub mod events;
pub mod leads;
pub mod outbox;
pub mod routing;

/// A Unix-millisecond (or other integer) value as D1 binds it.
fn ms(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}

/// The D1 binding name, as declared in `wrangler.toml`.
const BINDING: &str = "DB";

/// The database.
pub fn db(env: &Env) -> ApiResult<D1Database> {
    Ok(env.d1(BINDING)?)
}

/// A site's widget configuration.
pub struct Site {
    /// Origins allowed to embed the widget.
    pub allowed_origins: Vec<String>,
    /// Branding.
    pub branding: Branding,
    /// Key for signing visitor links; empty when the site has none.
    pub link_secret: String,
}

#[derive(Deserialize)]
struct SiteRow {
    allowed_origins: String,
    branding: String,
    link_secret: String,
}

/// The site `id`, or `NotFound`.
pub async fn site(db: &D1Database, id: &str) -> ApiResult<Site> {
    let row: Option<SiteRow> = db
        .prepare("SELECT allowed_origins, branding, link_secret FROM sites WHERE id = ?1")
        .bind(&[id.into()])?
        .first(None)
        .await?;
    let row = row.ok_or(ApiError::NotFound("Unknown site."))?;
    Ok(Site {
        allowed_origins: serde_json::from_str(&row.allowed_origins)?,
        branding: serde_json::from_str(&row.branding).unwrap_or_default(),
        link_secret: row.link_secret,
    })
}

#[derive(Deserialize)]
struct DialogueRow {
    id: String,
    version: u32,
    priority: i32,
    audience: String,
    flow: String,
}

/// A published dialogue with what targeting needs to choose it.
pub struct PublishedCandidate {
    /// For targeting: id, priority, audience.
    pub candidate: Candidate,
    /// The published version.
    pub dialogue: PublishedDialogue,
}

/// Every published dialogue of a site. A dialogue whose stored audience or flow cannot be
/// read is left out (and logged) rather than failing the bootstrap of every visitor.
pub async fn published_dialogues(db: &D1Database, site: &str) -> ApiResult<Vec<PublishedCandidate>> {
    let rows: Vec<DialogueRow> = db
        .prepare(
            "SELECT d.id AS id, v.version AS version, d.priority AS priority, d.audience AS audience, v.flow AS flow
             FROM dialogues d JOIN dialogue_versions v ON v.dialogue_id = d.id AND v.version = d.published_version
             WHERE d.site_id = ?1",
        )
        .bind(&[site.into()])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let parsed = serde_json::from_str::<Audience>(&r.audience)
                .and_then(|audience| Ok((audience, serde_json::from_str::<Flow>(&r.flow)?)));
            match parsed {
                Ok((audience, flow)) => Some(PublishedCandidate {
                    candidate: Candidate { id: r.id.clone(), priority: r.priority, audience },
                    dialogue: PublishedDialogue { id: r.id, version: r.version, flow },
                }),
                Err(e) => {
                    worker::console_error!("dialogue {} is unreadable: {e}", r.id);
                    None
                }
            }
        })
        .collect())
}

/// An active agent of a site's routing pool.
pub struct Agent {
    /// Id and name.
    pub agent: AgentRef,
    /// Place in the configured order.
    pub position: u32,
    /// Working hours, as stored (the routing pool re-validates them).
    pub schedule: ScheduleSpec,
    /// Working hours, validated.
    pub hours: WorkingHours,
    /// Buffers, daily cap, stricter notice or horizon, meeting lengths.
    pub rules: AgentRules,
    /// Round-robin weight in percent.
    pub weight_percent: u32,
    /// Email address (the organizer of calendar events).
    pub email: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct AgentRow {
    id: String,
    name: String,
    position: u32,
    schedule: String,
    rules: String,
    weight_percent: u32,
    email: Option<String>,
}

/// The site's active agents in configured order. An agent whose stored working hours cannot
/// be read is left out of routing (and logged) rather than failing every request.
pub async fn agents(db: &D1Database, site: &str) -> ApiResult<Vec<Agent>> {
    let rows: Vec<AgentRow> = agents_statement(db, site)?.all().await?.results()?;
    Ok(parse_agents(rows))
}

/// The query behind [`agents`].
pub(super) fn agents_statement(db: &D1Database, site: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "SELECT id, name, position, schedule, rules, weight_percent, email FROM agents
             WHERE site_id = ?1 AND active = 1 ORDER BY position, id",
        )
        .bind(&[site.into()])?)
}

/// Agents as stored, read into [`Agent`]s (unusable ones left out and logged).
pub(super) fn parse_agents(rows: Vec<AgentRow>) -> Vec<Agent> {
    rows.into_iter()
        .filter_map(|r| {
            let parsed = serde_json::from_str::<ScheduleSpec>(&r.schedule)
                .map_err(|e| e.to_string())
                .and_then(|spec| Ok((spec.parse().map_err(|e| e.to_string())?, spec)))
                .and_then(|(hours, spec)| {
                    Ok((hours, spec, serde_json::from_str::<AgentRules>(&r.rules).map_err(|e| e.to_string())?))
                });
            match parsed {
                Ok((hours, schedule, rules)) => Some(Agent {
                    agent: AgentRef { id: AgentId(r.id), name: r.name },
                    position: r.position,
                    schedule,
                    hours,
                    rules,
                    weight_percent: r.weight_percent,
                    email: r.email,
                }),
                Err(e) => {
                    worker::console_error!("agent {} has unusable working hours or rules: {e}", r.id);
                    None
                }
            }
        })
        .collect()
}

/// Ids of every agent of a site, active or not.
pub async fn agents_all(db: &D1Database, site: &str) -> ApiResult<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    let rows: Vec<Row> =
        db.prepare("SELECT id FROM agents WHERE site_id = ?1").bind(&[site.into()])?.all().await?.results()?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[derive(Deserialize)]
struct BusyRow {
    agent_id: String,
    start_ms: f64,
    end_ms: f64,
}

fn from_ms(ms: f64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

/// Scheduled meetings of a site overlapping `[from, until)`, as (agent, interval).
pub async fn busy(
    db: &D1Database,
    site: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> ApiResult<Vec<(AgentId, Interval)>> {
    let rows: Vec<BusyRow> = db
        .prepare(
            "SELECT agent_id, start_ms, end_ms FROM meetings
             WHERE site_id = ?1 AND status IN ('pending_calendar', 'scheduled', 'rescheduled') AND start_ms < ?3 AND end_ms > ?2",
        )
        .bind(&[
            site.into(),
            JsValue::from_f64(from.timestamp_millis() as f64),
            JsValue::from_f64(until.timestamp_millis() as f64),
        ])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .map(|r| (AgentId(r.agent_id), Interval { start: from_ms(r.start_ms), end: from_ms(r.end_ms) }))
        .collect())
}

/// A meeting about to be stored.
pub struct NewMeeting<'a> {
    /// Its id.
    pub id: &'a MeetingId,
    /// Site.
    pub site: &'a SiteId,
    /// Assigned agent.
    pub agent: &'a AgentId,
    /// When.
    pub slot: Interval,
    /// Visitor's email.
    pub email: &'a str,
    /// Visitor's name.
    pub name: Option<&'a str>,
    /// Visitor id from the widget.
    pub visitor_id: Option<&'a str>,
    /// Why this agent.
    pub explanation: &'a str,
    /// Booking time.
    pub created_at: DateTime<Utc>,
    /// The agent's calendar provider (`builtin`, `google`, …); any other than `builtin`
    /// stores the meeting as `pending_calendar` and queues the calendar write.
    pub calendar_provider: &'a str,
    /// The dialogue the booking came from.
    pub dialogue_id: Option<&'a str>,
}

fn opt(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from)
}

/// Stores a meeting and its `booked` event, atomically.
pub async fn insert_meeting(db: &D1Database, m: &NewMeeting<'_>) -> ApiResult<()> {
    let external = m.calendar_provider != "builtin";
    let meeting = db
        .prepare(
            "INSERT INTO meetings (id, site_id, agent_id, start_at, end_at, start_ms, end_ms, email, name, visitor_id, status,
               explanation, created_at, calendar_provider, dialogue_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?13, ?11, ?12, ?14, ?15)",
        )
        .bind(&[
            m.id.as_str().into(),
            m.site.as_str().into(),
            m.agent.as_str().into(),
            m.slot.start.to_rfc3339().into(),
            m.slot.end.to_rfc3339().into(),
            JsValue::from_f64(m.slot.start.timestamp_millis() as f64),
            JsValue::from_f64(m.slot.end.timestamp_millis() as f64),
            m.email.into(),
            opt(m.name),
            opt(m.visitor_id),
            m.explanation.into(),
            m.created_at.to_rfc3339().into(),
            if external { "pending_calendar" } else { "scheduled" }.into(),
            m.calendar_provider.into(),
            opt(m.dialogue_id),
        ])?;
    let event = event_statement(db, m.id.as_str(), m.created_at, "booked", "visitor", "")?;
    let mut batch = vec![meeting, event];
    if external {
        batch.push(calendars::enqueue_statement(db, m.id.as_str(), m.site.as_str(), m.created_at.timestamp_millis())?);
    }
    db.batch(batch).await?;
    Ok(())
}

fn event_statement(
    db: &D1Database,
    meeting: &str,
    at: DateTime<Utc>,
    kind: &str,
    actor: &str,
    detail: &str,
) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare("INSERT INTO meeting_events (meeting_id, at, kind, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(&[meeting.into(), at.to_rfc3339().into(), kind.into(), actor.into(), detail.into()])?)
}

/// A meeting as its lifecycle needs it.
#[derive(Deserialize)]
pub struct MeetingState {
    /// Site.
    pub site_id: String,
    /// Assigned agent.
    pub agent_id: String,
    /// `scheduled`, …
    pub status: String,
    /// Start, Unix milliseconds.
    pub start_ms: f64,
    /// End, Unix milliseconds.
    pub end_ms: f64,
}

/// The lifecycle state of meeting `id`.
pub async fn meeting_state(db: &D1Database, id: &str) -> ApiResult<Option<MeetingState>> {
    Ok(db
        .prepare("SELECT site_id, agent_id, status, start_ms, end_ms FROM meetings WHERE id = ?1")
        .bind(&[id.into()])?
        .first(None)
        .await?)
}

/// Records a status change (and, for a move, the new time) with its event, atomically.
pub async fn change_meeting(
    db: &D1Database,
    id: &str,
    status: &str,
    new_slot: Option<Interval>,
    at: DateTime<Utc>,
    actor: &str,
    detail: &str,
) -> ApiResult<()> {
    let update = match new_slot {
        Some(slot) => db
            .prepare(
                "UPDATE meetings SET status = ?2, start_at = ?3, end_at = ?4, start_ms = ?5, end_ms = ?6, sequence = sequence + 1
                 WHERE id = ?1",
            )
            .bind(&[
                id.into(),
                status.into(),
                slot.start.to_rfc3339().into(),
                slot.end.to_rfc3339().into(),
                JsValue::from_f64(slot.start.timestamp_millis() as f64),
                JsValue::from_f64(slot.end.timestamp_millis() as f64),
            ])?,
        None => db
            .prepare("UPDATE meetings SET status = ?2, sequence = sequence + 1 WHERE id = ?1")
            .bind(&[id.into(), status.into()])?,
    };
    let kind = if new_slot.is_some() { "rescheduled" } else { status };
    let mut batch = vec![update, event_statement(db, id, at, kind, actor, detail)?];
    if new_slot.is_some() || status == "canceled" {
        // The agent's calendar must follow: move or delete the event.
        batch.push(
            db.prepare(
                "INSERT INTO calendar_sync (meeting_id, site_id, next_at_ms)
                 SELECT id, site_id, ?2 FROM meetings WHERE id = ?1 AND calendar_provider != 'builtin'
                 ON CONFLICT(meeting_id) DO UPDATE SET next_at_ms = MIN(next_at_ms, excluded.next_at_ms)",
            )
            .bind(&[id.into(), JsValue::from_f64(at.timestamp_millis() as f64)])?,
        );
    }
    db.batch(batch).await?;
    Ok(())
}

/// One entry of a meeting's history.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct MeetingEvent {
    /// When, RFC 3339.
    pub at: String,
    /// `booked`, `rescheduled`, `canceled`, `completed`, `no_show`.
    pub kind: String,
    /// `visitor`, `admin:<email>` or `system`.
    pub actor: String,
    /// E.g. the old and new time of a move.
    pub detail: String,
}

/// A meeting's history, oldest first.
pub async fn meeting_history(db: &D1Database, id: &str) -> ApiResult<Vec<MeetingEvent>> {
    Ok(db
        .prepare("SELECT at, kind, actor, detail FROM meeting_events WHERE meeting_id = ?1 ORDER BY id")
        .bind(&[id.into()])?
        .all()
        .await?
        .results()?)
}

#[derive(Deserialize)]
struct MeetingRow {
    id: String,
    site_id: String,
    agent_id: String,
    agent_name: String,
    start_at: String,
    end_at: String,
    email: String,
    name: Option<String>,
    status: String,
    explanation: String,
    created_at: String,
    dialogue_id: Option<String>,
    join_url: Option<String>,
    calendar_provider: String,
}

/// Which meetings to list; `None` fields do not filter.
#[derive(Debug, Default)]
pub struct MeetingFilter {
    /// Only this status.
    pub status: Option<String>,
    /// Only this agent.
    pub agent: Option<String>,
    /// Only meetings starting at or after.
    pub from: Option<DateTime<Utc>>,
    /// Only meetings starting before.
    pub until: Option<DateTime<Utc>>,
    /// Only meetings booked from this dialogue.
    pub dialogue: Option<String>,
}

const MEETING_FILTER: &str = "(?1 IS NULL OR m.status = ?1) AND (?2 IS NULL OR m.agent_id = ?2)
               AND (?3 IS NULL OR m.start_ms >= ?3) AND (?4 IS NULL OR m.start_ms < ?4)
               AND (?5 IS NULL OR m.dialogue_id = ?5)";

fn filter_values(filter: &MeetingFilter) -> Vec<JsValue> {
    let or_null = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from);
    let ms = |v: Option<DateTime<Utc>>| v.map_or(JsValue::NULL, |t| JsValue::from_f64(t.timestamp_millis() as f64));
    vec![or_null(&filter.status), or_null(&filter.agent), ms(filter.from), ms(filter.until), or_null(&filter.dialogue)]
}

/// How many meetings match `filter`.
pub async fn count_meetings(db: &D1Database, filter: &MeetingFilter) -> ApiResult<u32> {
    let n: Option<f64> = db
        .prepare(format!("SELECT COUNT(*) AS n FROM meetings m WHERE {MEETING_FILTER}"))
        .bind(&filter_values(filter))?
        .first(Some("n"))
        .await?;
    Ok(n.unwrap_or(0.0) as u32)
}

/// Meetings matching `filter`, soonest first, `limit` of them from `offset`.
pub async fn meetings(db: &D1Database, filter: &MeetingFilter, limit: u32, offset: u32) -> ApiResult<Vec<Meeting>> {
    let mut values = filter_values(filter);
    values.push(JsValue::from_f64(f64::from(limit)));
    values.push(JsValue::from_f64(f64::from(offset)));
    let rows: Vec<MeetingRow> = db
        .prepare(format!(
            "SELECT m.id, m.site_id, m.agent_id, a.name AS agent_name, m.start_at, m.end_at, m.email, m.name,
                    m.status, m.explanation, m.created_at, m.dialogue_id, m.join_url, m.calendar_provider
             FROM meetings m JOIN agents a ON a.id = m.agent_id
             WHERE {MEETING_FILTER}
             ORDER BY m.start_ms, m.id LIMIT ?6 OFFSET ?7"
        ))
        .bind(&values)?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .map(|r| Meeting {
            id: MeetingId(r.id),
            site: SiteId(r.site_id),
            agent: AgentRef { id: AgentId(r.agent_id), name: r.agent_name },
            start: r.start_at,
            end: r.end_at,
            email: r.email,
            name: r.name,
            status: r.status,
            explanation: r.explanation,
            created_at: r.created_at,
            dialogue_id: r.dialogue_id,
            join_url: r.join_url,
            calendar: r.calendar_provider,
        })
        .collect())
}

/// A meeting with what an invitation needs.
#[derive(Deserialize)]
pub struct InviteRow {
    /// Start, RFC 3339.
    pub start_at: String,
    /// End, RFC 3339.
    pub end_at: String,
    /// When it was booked, RFC 3339.
    pub created_at: String,
    /// Visitor's email.
    pub email: String,
    /// Visitor's name.
    pub name: Option<String>,
    /// `scheduled`, `canceled`, …
    pub status: String,
    /// Agent's name.
    pub agent_name: String,
    /// Agent's email.
    pub agent_email: Option<String>,
    /// Changes announced so far (RFC 5545 SEQUENCE).
    pub sequence: u32,
}

/// The meeting `id` of `site`, for its invitation.
pub async fn invite(db: &D1Database, site: &str, id: &str) -> ApiResult<Option<InviteRow>> {
    Ok(db
        .prepare(
            "SELECT m.start_at, m.end_at, m.created_at, m.email, m.name, m.status, m.sequence, a.name AS agent_name, a.email AS agent_email
             FROM meetings m JOIN agents a ON a.id = m.agent_id WHERE m.site_id = ?1 AND m.id = ?2",
        )
        .bind(&[site.into(), id.into()])?
        .first(None)
        .await?)
}

#[derive(Deserialize)]
struct TotalRow {
    agent_id: String,
    status: String,
    total: u32,
}

/// Meetings per agent and status of a site, starting in `[from, until)` when given.
pub async fn totals(
    db: &D1Database,
    site: &str,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> ApiResult<Vec<(AgentId, String, u32)>> {
    let at = |t: Option<DateTime<Utc>>| t.map_or(JsValue::NULL, |t| ms(t.timestamp_millis()));
    let rows: Vec<TotalRow> = db
        .prepare(
            "SELECT agent_id, status, COUNT(*) AS total FROM meetings
             WHERE site_id = ?1 AND (?2 IS NULL OR start_ms >= ?2) AND (?3 IS NULL OR start_ms < ?3)
             GROUP BY agent_id, status",
        )
        .bind(&[site.into(), at(from), at(until)])?
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(|r| (AgentId(r.agent_id), r.status, r.total)).collect())
}

/// The stored password hash of an admin account.
pub async fn admin_password_hash(db: &D1Database, email: &str) -> ApiResult<Option<String>> {
    Ok(db
        .prepare("SELECT password_hash FROM admins WHERE email = ?1")
        .bind(&[email.into()])?
        .first(Some("password_hash"))
        .await?)
}

/// Records a session for `email` until `expires`.
pub async fn insert_session(
    db: &D1Database,
    token_hash: &str,
    email: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> ApiResult<()> {
    db.prepare("INSERT INTO sessions (token_hash, admin_email, expires_at_ms, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[
            token_hash.into(),
            email.into(),
            JsValue::from_f64(expires.timestamp_millis() as f64),
            now.to_rfc3339().into(),
        ])?
        .run()
        .await?;
    Ok(())
}

/// The account whose unexpired session has this token hash.
pub async fn session_principal(
    db: &D1Database,
    token_hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<Option<crate::auth::Principal>> {
    Ok(db
        .prepare(
            "SELECT a.email, a.role, a.agent_id FROM sessions s JOIN admins a ON a.email = s.admin_email
             WHERE s.token_hash = ?1 AND s.expires_at_ms > ?2",
        )
        .bind(&[token_hash.into(), JsValue::from_f64(now.timestamp_millis() as f64)])?
        .first(None)
        .await?)
}

/// Ends a session.
pub async fn delete_session(db: &D1Database, token_hash: &str) -> ApiResult<()> {
    db.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(&[token_hash.into()])?.run().await?;
    Ok(())
}
