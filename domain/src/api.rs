//! The JSON shapes of `/api/v1` (widget) and `/api/admin/v1` (admin), shared by edge, widget and
//! admin so the three cannot drift apart. Changes are additive only: new optional fields.
//! Times are RFC 3339 strings on the wire.

use crate::dialogue::Flow;
use crate::ids::{AgentId, MeetingId, SiteId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The error envelope every failing endpoint answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A machine-readable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable code, e.g. `slot_taken`.
    pub code: String,
    /// What went wrong and what to do, fit to show to a visitor.
    pub message: String,
}

/// How the widget looks and behaves on a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    /// Name shown in the chat header.
    pub bot_name: String,
    /// Accent colour, `#rrggbb`.
    pub primary_color: String,
    /// `right` or `left`.
    pub launcher_position: String,
    /// Delay before each bot message, in milliseconds ("response time").
    pub typing_delay_ms: u32,
}

impl Default for Branding {
    fn default() -> Self {
        Self {
            bot_name: "Confab".into(),
            primary_color: "#4f46e5".into(),
            launcher_position: "right".into(),
            typing_delay_ms: 400,
        }
    }
}

/// A published dialogue version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDialogue {
    /// Dialogue id.
    pub id: String,
    /// Published version number, from 1.
    pub version: u32,
    /// The flow to run.
    pub flow: Flow,
}

/// `GET /api/v1/sites/{site}/bootstrap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// The site.
    pub site: SiteId,
    /// Its branding.
    pub branding: Branding,
    /// The dialogue to show this visitor, if any.
    pub dialogue: Option<PublishedDialogue>,
    /// Who the visitor is, as far as the edge knows within its time budget.
    #[serde(default)]
    pub visitor: Visitor,
}

/// What the edge knows about the visitor (`GET …/identity`, and part of the bootstrap).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    /// Whether the visitor is a known lead.
    pub known: bool,
    /// The lead's fields by Marketo REST name (`firstName`, `email`, …), as text; empty for
    /// an anonymous visitor.
    #[serde(default)]
    pub attributes: std::collections::BTreeMap<String, String>,
    /// Whether Marketo is still being asked about the visitor's cookie: ask
    /// `GET …/identity` again shortly to upgrade an anonymous start.
    #[serde(default)]
    pub pending: bool,
}

/// `POST /api/v1/sites/{site}/identify`: the visitor typed their email (and maybe more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifyRequest {
    /// The email as typed.
    pub email: String,
    /// The host page's Munchkin cookie (`_mkto_trk`), if any.
    #[serde(default)]
    pub mkto: Option<String>,
    /// Other captured fields by lead field name.
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, String>,
    /// The widget's visitor id, so the visitor's earlier chat events join the lead.
    #[serde(default)]
    pub visitor_id: Option<String>,
}

/// `POST /api/v1/sites/{site}/events`: one thing a visitor did in the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatEvent {
    /// The widget's visitor id (kept in the host page's storage once the visitor opened the chat).
    pub visitor_id: String,
    /// The browsing session's id.
    pub session_id: String,
    /// The dialogue.
    pub dialogue: String,
    /// Its published version.
    pub version: u32,
    /// `triggered`, `engaged`, `answer`, `capture`, `goal`, `completed` or `closed`.
    pub kind: String,
    /// The card answered or captured, or the goal's name.
    #[serde(default)]
    pub card: Option<String>,
    /// The answer's stored value, the captured value, or the goal's score.
    #[serde(default)]
    pub value: Option<String>,
    /// The host page's Munchkin cookie, if any.
    #[serde(default)]
    pub mkto: Option<String>,
}

/// One bookable slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Start, RFC 3339 with the visitor's offset.
    pub start: String,
    /// End, RFC 3339 with the visitor's offset.
    pub end: String,
}

/// `GET /api/v1/sites/{site}/slots`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slots {
    /// Free slots, earliest first.
    pub slots: Vec<Slot>,
}

/// `POST /api/v1/sites/{site}/bookings` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRequest {
    /// Chosen slot start, RFC 3339.
    pub start: String,
    /// Visitor's email, validated by the edge.
    pub email: String,
    /// Visitor's name, optional.
    #[serde(default)]
    pub name: Option<String>,
    /// The widget's visitor id, optional.
    #[serde(default)]
    pub visitor_id: Option<String>,
    /// Meeting length in minutes, from the dialogue's booking card; 30 when absent.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// The dialogue the booking comes from.
    #[serde(default)]
    pub dialogue_id: Option<String>,
    /// The visitor's earlier answers in the dialogue, by card id, for routing rules.
    #[serde(default)]
    pub answers: std::collections::BTreeMap<String, String>,
}

/// An agent as the visitor and admin see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRef {
    /// Agent id.
    pub id: AgentId,
    /// Display name.
    pub name: String,
}

/// `POST /api/v1/sites/{site}/bookings` 201 response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    /// The meeting.
    pub meeting_id: MeetingId,
    /// The agent it was assigned to.
    pub agent: AgentRef,
    /// Start, RFC 3339 (UTC).
    pub start: String,
    /// End, RFC 3339 (UTC).
    pub end: String,
    /// `GET` it for the `.ics` invitation (signed; no account needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_url: Option<String>,
    /// `POST` it to cancel (signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_url: Option<String>,
    /// `POST` `{"start"}` to it to move the meeting (signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reschedule_url: Option<String>,
}

/// `POST /api/admin/v1/session` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// Account email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// One row of `GET /api/admin/v1/meetings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Meeting id.
    pub id: MeetingId,
    /// Site it was booked on.
    pub site: SiteId,
    /// Assigned agent.
    pub agent: AgentRef,
    /// Start, RFC 3339 (UTC).
    pub start: String,
    /// End, RFC 3339 (UTC).
    pub end: String,
    /// Visitor's email.
    pub email: String,
    /// Visitor's name, if given.
    pub name: Option<String>,
    /// `scheduled`, …
    pub status: String,
    /// Why this agent was chosen.
    pub explanation: String,
    /// When it was booked, RFC 3339 (UTC).
    pub created_at: String,
    /// The dialogue it was booked from, if known.
    #[serde(default)]
    pub dialogue_id: Option<String>,
    /// The Meet or Teams link, once the agent's calendar has the event.
    #[serde(default)]
    pub join_url: Option<String>,
    /// The agent's calendar provider (`builtin`, `google`, `microsoft`, `caldav`).
    #[serde(default)]
    pub calendar: String,
}

/// `GET /api/admin/v1/meetings`: one page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meetings {
    /// Meetings, soonest first.
    pub meetings: Vec<Meeting>,
    /// How many meetings match the filter in all.
    #[serde(default)]
    pub total: u32,
    /// The `offset` of the next page, when there is one.
    #[serde(default)]
    pub next_offset: Option<u32>,
}

/// `GET /api/admin/v1/routing`: the round-robin state of the site's pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    /// Agent ids in the order they will be offered meetings.
    pub order: Vec<AgentId>,
    /// Who gets the next meeting if free.
    pub next: Option<AgentId>,
    /// Meetings assigned per agent.
    pub totals: BTreeMap<AgentId, u32>,
    /// Names and configured positions of the pool's agents.
    pub agents: Vec<AgentRef>,
    /// Meetings per agent and status (`scheduled`, `canceled`, `no_show`, …) in the period
    /// asked for (`?from=&to=`, by start time; every meeting when absent).
    #[serde(default)]
    pub by_status: BTreeMap<AgentId, BTreeMap<String, u32>>,
    /// Each agent's round-robin weight in percent.
    #[serde(default)]
    pub weights: BTreeMap<AgentId, u32>,
    /// Meetings credited per agent in the current round-robin period (after credit backs).
    #[serde(default)]
    pub credited: BTreeMap<AgentId, u32>,
}
