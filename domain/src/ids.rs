//! Identifier newtypes, so a site id can never be passed where an agent id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

id_type!(
    /// A site: one customer web property with its own widget configuration.
    SiteId
);
id_type!(
    /// A sales agent who can be assigned meetings.
    AgentId
);
id_type!(
    /// A meeting booked through the chat.
    MeetingId
);
id_type!(
    /// A card inside a dialogue flow.
    CardId
);

/// Whether `id` is acceptable as a site, agent or card identifier in a URL or a flow:
/// 1 to 64 characters of ASCII letters, digits, `-` and `_`.
pub fn is_valid_slug(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_valid_slug("demo"));
        assert!(is_valid_slug("agent-1_x"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("a/b"));
        assert!(!is_valid_slug("ä"));
        assert!(!is_valid_slug(&"x".repeat(65)));
    }
}
