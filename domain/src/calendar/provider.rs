//! Which calendar an agent's busy time comes from and meetings are written to.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an agent's calendar lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// No external calendar: Confab's own meetings are the only busy time.
    Builtin,
    /// Google Calendar (API v3), connected with OAuth.
    Google,
    /// Microsoft 365 / Outlook through Microsoft Graph (v1.0), connected with OAuth.
    Microsoft,
    /// Any CalDAV server (RFC 4791), connected with a collection URL and HTTP basic auth.
    Caldav,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 4] = [Self::Builtin, Self::Google, Self::Microsoft, Self::Caldav];

    /// The stored and wire name: `builtin`, `google`, `microsoft`, `caldav`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Builtin => "builtin",
            Self::Google => "google",
            Self::Microsoft => "microsoft",
            Self::Caldav => "caldav",
        }
    }

    /// Parses a stored or wire name (exactly as [`Provider::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The name shown to an admin: `Confab`, `Google Calendar`, `Microsoft 365`, `CalDAV`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Builtin => "Confab",
            Self::Google => "Google Calendar",
            Self::Microsoft => "Microsoft 365",
            Self::Caldav => "CalDAV",
        }
    }

    /// Whether connecting goes through the OAuth authorization-code flow ([`super::oauth`]).
    pub fn uses_oauth(self) -> bool {
        matches!(self, Self::Google | Self::Microsoft)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
