-- Accounts: agents sign in too (role `agent`, tied to their agent record), invitations with a
-- one-time token, and the sign-in attempts that rate limiting counts.

ALTER TABLE admins ADD COLUMN agent_id TEXT REFERENCES agents(id);  -- set for role `agent`
ALTER TABLE admins ADD COLUMN name TEXT;

-- An invitation: only the token's SHA-256 is stored; accepted once, before it expires.
CREATE TABLE invites (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL,
    role          TEXT NOT NULL,             -- admin, agent
    agent_id      TEXT REFERENCES agents(id),
    invited_by    TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    accepted_at   TEXT,
    created_at    TEXT NOT NULL
);

-- Failed sign-ins per key (`account:<email>` or `ip:<address>`) in the current window.
CREATE TABLE sign_in_attempts (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    window_start_ms INTEGER NOT NULL
);
