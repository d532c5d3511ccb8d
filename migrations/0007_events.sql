-- What visitors did in the chat, per visitor and session, counted as Adobe Dynamic Chat
-- counts: `triggered`, `engaged` (the first click on a prompt) and `completed` at most once
-- per visitor, session and dialogue; a goal at most once per session; every answer and
-- capture kept, so nothing a visitor typed is lost when they close the tab.
CREATE TABLE chat_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id     TEXT NOT NULL,
    visitor_id  TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    dialogue_id TEXT NOT NULL,
    version     INTEGER NOT NULL,
    kind        TEXT NOT NULL,        -- triggered, engaged, answer, capture, goal, completed, closed
    card        TEXT,                 -- the card answered, captured or the goal reached
    value       TEXT,                 -- the answer's stored value, the captured value, the goal's score
    lead_id     INTEGER,              -- leads.id once the visitor is known
    at          TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    once_key    TEXT                  -- set for events counted once; unique
);
CREATE UNIQUE INDEX chat_events_once ON chat_events(once_key) WHERE once_key IS NOT NULL;
CREATE INDEX chat_events_by_visitor ON chat_events(site_id, visitor_id, session_id);
CREATE INDEX chat_events_by_dialogue ON chat_events(site_id, dialogue_id, kind, at_ms);
