//! The demo data `cargo xtask dev` seeds and the end-to-end tests run against.

use crate::availability::ScheduleSpec;
use crate::dialogue::{Button, Card, Flow};

/// The demo site's id.
pub const SITE: &str = "demo";
/// The demo admin's email.
pub const ADMIN_EMAIL: &str = "admin@demo.test";
/// Origins the demo site's widget answers by default (the demo host page).
pub const ALLOWED_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];
/// The zone of every demo agent.
pub const AGENT_TIME_ZONE: &str = "America/New_York";

/// One demo agent: id, display name, working hours.
pub struct DemoAgent {
    /// Agent id, `agent-1` …
    pub id: String,
    /// `Agent 1` …
    pub name: String,
    /// Place in the routing order, from 1.
    pub position: u32,
    /// Weekdays 09:00–17:00 in [`AGENT_TIME_ZONE`].
    pub schedule: ScheduleSpec,
}

/// Five agents, `Agent 1` … `Agent 5`, working weekdays 09:00–17:00 New York time.
pub fn agents() -> Vec<DemoAgent> {
    (1..=5)
        .map(|i| DemoAgent {
            id: format!("agent-{i}"),
            name: format!("Agent {i}"),
            position: i,
            schedule: ScheduleSpec::weekdays(AGENT_TIME_ZONE, "09:00", "17:00"),
        })
        .collect()
}

/// A few demo leads: (email, first name, last name, company).
pub const LEADS: [(&str, &str, &str, &str); 3] = [
    ("ada@example.com", "Ada", "Lovelace", "Analytical Engines"),
    ("grace@example.org", "Grace", "Hopper", "Compilers Inc"),
    ("alan@example.net", "Alan", "Turing", "Bletchley Labs"),
];

/// The Munchkin cookie (`_mkto_trk`) the demo knows for the first demo lead, Ada: a visitor
/// whose browser carries it is greeted by name without any Marketo.
pub const KNOWN_COOKIE: &str = "id:123-ABC-456&token:_mch-127.0.0.1-1700000000000-12345";

/// The token part of [`KNOWN_COOKIE`], as the cookie map stores it.
pub const KNOWN_COOKIE_TOKEN: &str = "_mch-127.0.0.1-1700000000000-12345";

/// The published demo dialogue: a greeting, a question, a booking.
pub fn flow() -> Flow {
    Flow {
        start: "greeting".into(),
        cards: vec![
            Card::Message {
                id: "greeting".into(),
                text: "Hi {{lead.firstName:\"there\"}}! I'm Confab, the demo assistant.".into(),
                next: Some("intent".into()),
            },
            Card::Question {
                id: "intent".into(),
                text: "What brings you here today?".into(),
                buttons: vec![
                    Button { label: "Book a meeting".into(), value: "book".into(), next: "book".into() },
                    Button { label: "Just browsing".into(), value: "browse".into(), next: "bye".into() },
                ],
            },
            Card::BookMeeting { id: "book".into(), duration_minutes: 30, next: Some("thanks".into()) },
            Card::Message {
                id: "thanks".into(),
                text: "Thanks! Your meeting is confirmed. See you then.".into(),
                next: Some("end".into()),
            },
            Card::Message {
                id: "bye".into(),
                text: "No problem. I'm here if you need anything.".into(),
                next: Some("end".into()),
            },
            Card::End { id: "end".into() },
        ],
    }
}
