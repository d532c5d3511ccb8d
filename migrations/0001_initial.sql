-- Confab's initial schema. Times are stored twice where they are queried by range:
-- as RFC 3339 text (readable) and as Unix milliseconds (indexed comparisons).

CREATE TABLE sites (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    allowed_origins TEXT NOT NULL DEFAULT '[]',   -- JSON array of origins, e.g. "https://www.example.com"
    branding        TEXT NOT NULL DEFAULT '{}',   -- JSON, see domain::api::Branding
    created_at      TEXT NOT NULL
);

CREATE TABLE agents (
    id         TEXT PRIMARY KEY,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    name       TEXT NOT NULL,
    email      TEXT,
    position   INTEGER NOT NULL,                  -- place in the routing order, from 1
    schedule   TEXT NOT NULL,                     -- JSON, see domain::availability::ScheduleSpec
    active     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX agents_by_site ON agents(site_id, position);

CREATE TABLE dialogues (
    id                TEXT PRIMARY KEY,
    site_id           TEXT NOT NULL REFERENCES sites(id),
    name              TEXT NOT NULL,
    priority          INTEGER NOT NULL DEFAULT 0,
    published_version INTEGER                     -- NULL while never published
);

CREATE TABLE dialogue_versions (
    dialogue_id  TEXT NOT NULL REFERENCES dialogues(id),
    version      INTEGER NOT NULL,
    flow         TEXT NOT NULL,                   -- JSON, see domain::dialogue::Flow; immutable once written
    published_at TEXT NOT NULL,
    PRIMARY KEY (dialogue_id, version)
);

CREATE TABLE leads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id    TEXT NOT NULL REFERENCES sites(id),
    email      TEXT NOT NULL,
    first_name TEXT,
    last_name  TEXT,
    company    TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (site_id, email)
);

CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL REFERENCES sites(id),
    agent_id    TEXT NOT NULL REFERENCES agents(id),
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL,
    start_ms    INTEGER NOT NULL,
    end_ms      INTEGER NOT NULL,
    email       TEXT NOT NULL,
    name        TEXT,
    visitor_id  TEXT,
    status      TEXT NOT NULL DEFAULT 'scheduled',
    explanation TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX meetings_by_site_time ON meetings(site_id, start_ms);
CREATE INDEX meetings_by_agent_time ON meetings(agent_id, start_ms);

CREATE TABLE admins (
    email         TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,                  -- see domain::auth::hash_password
    role          TEXT NOT NULL DEFAULT 'admin',
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,               -- SHA-256 of the cookie's token; the token itself is never stored
    admin_email   TEXT NOT NULL REFERENCES admins(email),
    expires_at_ms INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
