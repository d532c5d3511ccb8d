//! The analytics side of `/api/admin/v1`: per dialogue, visitors triggered, engaged and
//! completed, emails, meetings, rates and a daily series; per agent, meetings by status.
//! Built on the shared `crate::api` client.

use crate::api::{ApiError, get};
use serde::Deserialize;
use std::collections::BTreeMap;

/// `GET analytics`: the numbers of a range `[from, to)`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Analytics {
    /// Start of the range, RFC 3339.
    pub from: String,
    /// End of the range (excluded), RFC 3339.
    pub to: String,
    /// Every dialogue of the site, by priority.
    pub dialogues: Vec<DialogueStats>,
    /// Agents with meetings in the range.
    pub agents: Vec<AgentStats>,
}

/// One dialogue's numbers.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DialogueStats {
    /// Dialogue id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Visitors the dialogue was shown to.
    pub triggered: u64,
    /// Visitors who answered it.
    pub engaged: u64,
    /// Visitors who reached its end.
    pub completed: u64,
    /// Distinct emails captured.
    pub emails: u64,
    /// Meetings booked through it.
    pub meetings: u64,
    /// Engaged per triggered, in percent; `None` when nobody was triggered.
    pub engagement_rate: Option<f64>,
    /// Meetings per engaged, in percent; `None` when nobody engaged.
    pub conversion_rate: Option<f64>,
    /// Days with activity, oldest first.
    pub days: Vec<DayStats>,
}

/// One day of a dialogue's series.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DayStats {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    /// Counts by metric (`triggered`, `engaged`, `completed`, `emails`, `meetings`); a metric
    /// left out is 0.
    pub counts: BTreeMap<String, u64>,
}

/// One agent's meetings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AgentStats {
    /// Agent id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Meetings by status; a status left out is 0.
    pub by_status: BTreeMap<String, u64>,
}

impl DialogueStats {
    /// Whether anything happened in the range.
    pub fn is_quiet(&self) -> bool {
        self.triggered + self.engaged + self.completed + self.emails + self.meetings == 0
    }
}

/// The numbers of `[from, to)` (RFC 3339 times).
pub async fn analytics(from: &str, to: &str) -> Result<Analytics, ApiError> {
    let encode = |t: &str| String::from(js_sys::encode_uri_component(t));
    get(&format!("analytics?from={}&to={}", encode(from), encode(to))).await
}
