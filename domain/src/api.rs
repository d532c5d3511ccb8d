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
    /// A sentence per field, keyed by the field's name, when the request had several fields
    /// to fix (e.g. `branding.primary_color`). Empty otherwise, and then not sent.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// How the widget looks and behaves on a site. Fields added after the first release have
/// defaults, so stored brandings stay readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Branding {
    /// Name shown in the chat header.
    pub bot_name: String,
    /// Accent colour (launcher, header, buttons, visitor bubbles), `#rrggbb`.
    pub primary_color: String,
    /// Text on the accent colour, `#rrggbb`.
    pub on_primary_color: String,
    /// Panel background, `#rrggbb`.
    pub background_color: String,
    /// Text on the background, `#rrggbb`.
    pub text_color: String,
    /// `inherit` (the host page's font) or a font-family list such as `Inter, sans-serif`.
    pub font: String,
    /// `right` or `left`.
    pub launcher_position: String,
    /// Launcher distance from the side, in pixels.
    pub offset_x: u32,
    /// Launcher distance from the bottom, in pixels.
    pub offset_y: u32,
    /// The bot's avatar as a `data:image/png|jpeg|webp;base64,…` URL (at most 256 KB), or empty.
    pub avatar: String,
    /// Delay before each bot message, in milliseconds ("response time").
    pub typing_delay_ms: u32,
    /// Whether a teaser bubble shows the first message next to the launcher.
    pub teaser: bool,
    /// Whether new messages play a short sound (only after the visitor has interacted).
    pub sound: bool,
    /// The site's privacy policy, linked from the chat; empty for none.
    pub privacy_url: String,
}

impl Default for Branding {
    fn default() -> Self {
        Self {
            bot_name: "Confab".into(),
            primary_color: "#4f46e5".into(),
            on_primary_color: "#ffffff".into(),
            background_color: "#ffffff".into(),
            text_color: "#1f2937".into(),
            font: "inherit".into(),
            launcher_position: "right".into(),
            offset_x: 20,
            offset_y: 20,
            avatar: String::new(),
            typing_delay_ms: 400,
            teaser: true,
            sound: false,
            privacy_url: String::new(),
        }
    }
}

/// Largest avatar, in bytes of its `data:` URL.
pub const MAX_AVATAR_BYTES: usize = 256 * 1024;

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The relative luminance of a `#rrggbb` colour (WCAG 2.x).
fn luminance(hex: &str) -> Option<f64> {
    if !is_hex_color(hex) {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) })
    };
    Some(0.2126 * channel(1)? + 0.7152 * channel(3)? + 0.0722 * channel(5)?)
}

/// The WCAG contrast ratio of two `#rrggbb` colours (1 to 21), `None` if either is not one.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

impl Branding {
    /// Every problem at once as (field, sentence); empty when the branding can be saved.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let name = self.bot_name.trim();
        if name.is_empty() || name.chars().count() > 40 {
            out.push(("bot_name", "The bot's name must be 1 to 40 characters.".to_owned()));
        }
        for (field, value) in [
            ("primary_color", &self.primary_color),
            ("on_primary_color", &self.on_primary_color),
            ("background_color", &self.background_color),
            ("text_color", &self.text_color),
        ] {
            if !is_hex_color(value) {
                out.push((field, format!("{value:?} is not a colour like #4f46e5.")));
            }
        }
        let font_ok = self.font == "inherit"
            || (!self.font.trim().is_empty()
                && self.font.len() <= 200
                && self.font.chars().all(|c| c.is_alphanumeric() || " ,-'\"".contains(c)));
        if !font_ok {
            out.push(("font", "Use inherit, or font names separated by commas.".to_owned()));
        }
        if !matches!(self.launcher_position.as_str(), "left" | "right") {
            out.push(("launcher_position", "The launcher goes on the left or the right.".to_owned()));
        }
        if self.offset_x > 200 || self.offset_y > 200 {
            out.push(("offset_x", "Offsets are 0 to 200 pixels.".to_owned()));
        }
        if self.typing_delay_ms > 5_000 {
            out.push(("typing_delay_ms", "The typing delay is at most 5,000 ms.".to_owned()));
        }
        let image = ["data:image/png;base64,", "data:image/jpeg;base64,", "data:image/webp;base64,"];
        if !self.avatar.is_empty() {
            if !image.iter().any(|p| self.avatar.starts_with(p)) {
                out.push(("avatar", "The avatar must be a PNG, JPEG or WebP image.".to_owned()));
            } else if self.avatar.len() > MAX_AVATAR_BYTES {
                out.push(("avatar", "The avatar must be at most 256 KB.".to_owned()));
            }
        }
        if !self.privacy_url.is_empty() && (!self.privacy_url.starts_with("https://") || self.privacy_url.len() > 2_000)
        {
            out.push(("privacy_url", "The privacy policy link must be an https:// address.".to_owned()));
        }
        out
    }

    /// Colour pairs that fail WCAG AA for normal text (4.5:1), as warnings: (field, sentence).
    pub fn contrast_warnings(&self) -> Vec<(&'static str, String)> {
        let pairs = [
            ("on_primary_color", &self.on_primary_color, &self.primary_color, "text on the accent colour"),
            ("text_color", &self.text_color, &self.background_color, "text on the background"),
        ];
        pairs
            .into_iter()
            .filter_map(|(field, fg, bg, what)| {
                let ratio = contrast_ratio(fg, bg)?;
                (ratio < 4.5)
                    .then(|| (field, format!("The {what} has a contrast of {ratio:.1}:1; WCAG AA asks for 4.5:1.")))
            })
            .collect()
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
    /// Whether an agent has a free slot for the rest of the visitor's day (`?tz=`), given only
    /// when the dialogue branches on it ([`crate::dialogue::AGENTS_FREE_TODAY`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agents_free_today: Option<bool>,
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
    /// The widget's id for this event (a random UUID): a resend of an event that did arrive,
    /// only its response lost, is stored once.
    #[serde(default)]
    pub id: Option<String>,
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

#[cfg(test)]
mod branding_tests {
    use super::*;

    #[test]
    fn stored_brandings_of_the_first_release_still_read() {
        let old = r##"{"bot_name":"Ava","primary_color":"#112233","launcher_position":"left","typing_delay_ms":0}"##;
        let b: Branding = serde_json::from_str(old).unwrap_or_default();
        assert_eq!((b.bot_name.as_str(), b.launcher_position.as_str(), b.font.as_str()), ("Ava", "left", "inherit"));
        assert!(b.problems().is_empty());
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let b = Branding {
            bot_name: " ".into(),
            primary_color: "blue".into(),
            font: "x;}</style>".into(),
            launcher_position: "top".into(),
            avatar: "data:image/svg+xml;base64,PHN2Zz4=".into(),
            privacy_url: "http://example.com".into(),
            typing_delay_ms: 9_000,
            ..Branding::default()
        };
        let fields: Vec<&str> = b.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["bot_name", "primary_color", "font", "launcher_position", "typing_delay_ms", "avatar", "privacy_url"]
        );
    }

    #[test]
    fn contrast_follows_wcag() {
        assert_eq!(contrast_ratio("#000000", "#ffffff").map(|r| (r * 10.0).round()), Some(210.0));
        assert_eq!(contrast_ratio("#777777", "#777777"), Some(1.0));
        assert!(Branding::default().contrast_warnings().is_empty(), "the defaults pass AA");
        let pale = Branding { primary_color: "#ffff66".into(), ..Branding::default() };
        assert_eq!(pale.contrast_warnings().len(), 1);
        assert_eq!(pale.contrast_warnings()[0].0, "on_primary_color");
    }
}
