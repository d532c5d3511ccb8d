//! Confab's custom activities on a lead's Marketo timeline (dialogue triggered, engaged, goal
//! reached, meeting booked and its later changes), and the body that adds them
//! (`POST /rest/v1/activities/external.json`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Most activities one `activities/external.json` call may carry.
pub const ACTIVITY_BATCH: usize = 300;

/// Longest `primaryAttributeValue`, in characters: Marketo's limit for string attributes.
const PRIMARY_CHARS: usize = 255;

/// What happened, with what the lead's timeline shows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActivityKind {
    /// A dialogue opened for the lead.
    Triggered {
        /// The dialogue's name.
        dialogue: String,
    },
    /// The lead answered in a dialogue.
    Engaged {
        /// The dialogue's name.
        dialogue: String,
    },
    /// The lead reached a goal of a dialogue.
    ReachedGoal {
        /// The dialogue's name.
        dialogue: String,
        /// The goal's name.
        goal: String,
        /// The goal's score.
        score: u8,
    },
    /// A meeting was booked.
    MeetingScheduled {
        /// The agent's name.
        agent: String,
        /// The meeting's start, RFC 3339.
        start: String,
    },
    /// A meeting was moved.
    MeetingRescheduled {
        /// The agent's name.
        agent: String,
        /// The meeting's new start, RFC 3339.
        start: String,
    },
    /// A meeting was canceled.
    MeetingCanceled {
        /// The agent's name.
        agent: String,
        /// The canceled meeting's start, RFC 3339.
        start: String,
    },
    /// The lead did not come to a meeting.
    MeetingNoShow {
        /// The agent's name.
        agent: String,
        /// The meeting's start, RFC 3339.
        start: String,
    },
    /// A meeting took place.
    MeetingCompleted {
        /// The agent's name.
        agent: String,
        /// The meeting's start, RFC 3339.
        start: String,
    },
}

impl ActivityKind {
    /// The kind's name, as in its JSON `kind` tag and the activity's `event` attribute
    /// (`meeting_scheduled`).
    pub fn name(&self) -> &'static str {
        match self {
            ActivityKind::Triggered { .. } => "triggered",
            ActivityKind::Engaged { .. } => "engaged",
            ActivityKind::ReachedGoal { .. } => "reached_goal",
            ActivityKind::MeetingScheduled { .. } => "meeting_scheduled",
            ActivityKind::MeetingRescheduled { .. } => "meeting_rescheduled",
            ActivityKind::MeetingCanceled { .. } => "meeting_canceled",
            ActivityKind::MeetingNoShow { .. } => "meeting_no_show",
            ActivityKind::MeetingCompleted { .. } => "meeting_completed",
        }
    }

    /// A readable line for the timeline (`primaryAttributeValue`), such as
    /// `Meeting scheduled with Agent 2`; at most 255 characters.
    pub fn summary(&self) -> String {
        let text = match self {
            ActivityKind::Triggered { dialogue } => format!("Dialogue {dialogue} triggered"),
            ActivityKind::Engaged { dialogue } => format!("Engaged in dialogue {dialogue}"),
            ActivityKind::ReachedGoal { dialogue, goal, score } => {
                format!("Reached goal {goal} (score {score}) in dialogue {dialogue}")
            }
            ActivityKind::MeetingScheduled { agent, .. } => format!("Meeting scheduled with {agent}"),
            ActivityKind::MeetingRescheduled { agent, .. } => format!("Meeting rescheduled with {agent}"),
            ActivityKind::MeetingCanceled { agent, .. } => format!("Meeting canceled with {agent}"),
            ActivityKind::MeetingNoShow { agent, .. } => format!("No-show for meeting with {agent}"),
            ActivityKind::MeetingCompleted { agent, .. } => format!("Meeting completed with {agent}"),
        };
        text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(PRIMARY_CHARS).collect()
    }

    /// The kind's fields as secondary attributes, by field name.
    fn attributes(&self) -> Vec<Value> {
        let attribute = |name: &str, value: Value| json!({ "apiName": name, "value": value });
        match self {
            ActivityKind::Triggered { dialogue } | ActivityKind::Engaged { dialogue } => {
                vec![attribute("dialogue", Value::from(dialogue.as_str()))]
            }
            ActivityKind::ReachedGoal { dialogue, goal, score } => vec![
                attribute("dialogue", Value::from(dialogue.as_str())),
                attribute("goal", Value::from(goal.as_str())),
                attribute("score", Value::from(*score)),
            ],
            ActivityKind::MeetingScheduled { agent, start }
            | ActivityKind::MeetingRescheduled { agent, start }
            | ActivityKind::MeetingCanceled { agent, start }
            | ActivityKind::MeetingNoShow { agent, start }
            | ActivityKind::MeetingCompleted { agent, start } => {
                vec![attribute("agent", Value::from(agent.as_str())), attribute("start", Value::from(start.as_str()))]
            }
        }
    }
}

/// An activity waiting in Confab's outbox to be written to Marketo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxActivity {
    /// The idempotency key, unique per activity; sent as the `confabEventId` attribute so a
    /// retried batch can be recognised.
    pub key: String,
    /// The Marketo lead it belongs to.
    pub lead_id: i64,
    /// When it happened, RFC 3339.
    pub at: String,
    /// What happened.
    pub kind: ActivityKind,
}

/// The body of `POST /rest/v1/activities/external.json` for `batch`, all of the custom
/// activity type `activity_type_id`. Each input carries the lead, the date, a readable
/// `primaryAttributeValue` ([`ActivityKind::summary`]) and the attributes `confabEventId` (the
/// key), `event` ([`ActivityKind::name`]) and the kind's fields by name (`dialogue`, `goal`,
/// `score`, `agent`, `start`). At most [`ACTIVITY_BATCH`] activities per call; the caller
/// batches.
pub fn external_activities_body(activity_type_id: i64, batch: &[OutboxActivity]) -> Value {
    let input: Vec<Value> = batch
        .iter()
        .map(|activity| {
            let mut attributes = vec![
                json!({ "apiName": "confabEventId", "value": activity.key }),
                json!({ "apiName": "event", "value": activity.kind.name() }),
            ];
            attributes.extend(activity.kind.attributes());
            json!({
                "leadId": activity.lead_id,
                "activityDate": activity.at,
                "activityTypeId": activity_type_id,
                "primaryAttributeValue": activity.kind.summary(),
                "attributes": attributes,
            })
        })
        .collect();
    json!({ "input": input })
}
