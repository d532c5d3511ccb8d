-- Calendars and routing: each agent's calendar connection and its health, the busy-time
-- cache, the calendar write-back queue, routing configuration (rules, account owners,
-- weights) and meetings' link to the event in the agent's calendar.

-- One row per agent whose calendar is not the built-in one. `credentials` is JSON and never
-- leaves the edge: OAuth tokens (Google, Microsoft) or URL, user and password (CalDAV).
CREATE TABLE calendar_connections (
    agent_id        TEXT PRIMARY KEY REFERENCES agents(id),
    provider        TEXT NOT NULL,                 -- google, microsoft, caldav
    account         TEXT NOT NULL DEFAULT '',      -- the account or calendar URL shown to admins
    credentials     TEXT NOT NULL DEFAULT '{}',
    health          TEXT NOT NULL DEFAULT '{}',    -- domain::calendar::health::Health as JSON
    busy_from_ms    INTEGER NOT NULL DEFAULT 0,    -- the window the cached busy time covers
    busy_until_ms   INTEGER NOT NULL DEFAULT 0,
    busy_fetched_ms INTEGER NOT NULL DEFAULT 0,    -- 0: never read
    connected_at    TEXT NOT NULL
);

-- Busy time read from agents' calendars, replaced as a whole per agent on each refresh.
CREATE TABLE calendar_busy (
    agent_id TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms   INTEGER NOT NULL
);
CREATE INDEX calendar_busy_by_agent ON calendar_busy(agent_id, start_ms);

-- Meetings whose agent's calendar does not match them yet (create, move or delete the event).
-- A row is claimed by pushing `next_at_ms` forward before the provider call.
CREATE TABLE calendar_sync (
    meeting_id  TEXT PRIMARY KEY REFERENCES meetings(id),
    site_id     TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at_ms  INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calendar_sync_due ON calendar_sync(site_id, next_at_ms);

ALTER TABLE meetings ADD COLUMN calendar_provider TEXT NOT NULL DEFAULT 'builtin';
ALTER TABLE meetings ADD COLUMN calendar_event_id TEXT;          -- the event in the agent's calendar
ALTER TABLE meetings ADD COLUMN calendar_synced_start_ms INTEGER; -- the start the event was last written with
ALTER TABLE meetings ADD COLUMN join_url TEXT;                   -- Meet or Teams link
ALTER TABLE meetings ADD COLUMN dialogue_id TEXT;
ALTER TABLE meetings ADD COLUMN credited INTEGER NOT NULL DEFAULT 1; -- counts in the agent's round-robin total

-- Round-robin weight in percent (100 = normal, 200 = twice the meetings, 0 = none).
ALTER TABLE agents ADD COLUMN weight_percent INTEGER NOT NULL DEFAULT 100;

-- Per site: routing rules, fallback, credit back, reset (domain::routing::RoutingConfig as
-- JSON without the account owners, which have their own table).
CREATE TABLE routing_config (
    site_id    TEXT PRIMARY KEY REFERENCES sites(id),
    config     TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

-- Account owners: a company's email domain or Marketo company name → its owner.
CREATE TABLE account_owners (
    site_id  TEXT NOT NULL REFERENCES sites(id),
    kind     TEXT NOT NULL,                        -- domain, company
    key      TEXT NOT NULL,                        -- lowercased
    agent_id TEXT NOT NULL REFERENCES agents(id),
    PRIMARY KEY (site_id, kind, key)
);
