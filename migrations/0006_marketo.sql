-- Marketo: the lead store becomes the mirror of one Marketo instance (one Confab deployment
-- serves one company, whose sites share its leads), plus the cookie map, the activity outbox
-- and deployment settings.

-- Leads: Marketo's id when the lead came from (or was written to) Marketo; the email in
-- lower case; every synced field by its Marketo REST name in `attributes` (JSON object).
-- Marketo allows several leads with one email, so email is unique only among leads that
-- exist here alone (no Marketo id).
CREATE TABLE leads_v2 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    marketo_id    INTEGER UNIQUE,
    email         TEXT,
    attributes    TEXT NOT NULL DEFAULT '{}',
    updated_at    TEXT NOT NULL,                -- Marketo's updatedAt, or when Confab wrote it
    synced_at_ms  INTEGER NOT NULL DEFAULT 0    -- when Confab last stored it
);
INSERT INTO leads_v2 (email, attributes, updated_at)
    SELECT lower(email),
           json_object('email', lower(email), 'firstName', first_name, 'lastName', last_name, 'company', company),
           updated_at
    FROM leads GROUP BY lower(email);
DROP TABLE leads;
ALTER TABLE leads_v2 RENAME TO leads;
CREATE INDEX leads_by_email ON leads(email);
CREATE UNIQUE INDEX leads_local_email ON leads(email) WHERE marketo_id IS NULL;

-- Munchkin cookie token (`_mch-…`) → lead. `lead_id` NULL records that Marketo knew no lead
-- for the cookie when asked at `checked_at_ms`, so a page view does not ask again at once.
CREATE TABLE lead_cookies (
    token          TEXT PRIMARY KEY,
    lead_id        INTEGER REFERENCES leads(id),
    checked_at_ms  INTEGER NOT NULL
);

-- Activities waiting for, or done with, delivery to Marketo. `key` is unique per activity
-- (sent as the activity's `confabEventId`), so enqueuing twice and delivering twice are
-- both visible and preventable.
CREATE TABLE marketo_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    key              TEXT NOT NULL UNIQUE,
    email            TEXT,                       -- to find the lead when its Marketo id is not known yet
    marketo_lead_id  INTEGER,
    at               TEXT NOT NULL,              -- when it happened, RFC 3339
    activity         TEXT NOT NULL,              -- JSON, domain::marketo::ActivityKind
    status           TEXT NOT NULL DEFAULT 'pending',  -- pending, delivered, failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    marketo_guid     TEXT,
    delivered_at     TEXT
);
CREATE INDEX marketo_outbox_due ON marketo_outbox(status, next_attempt_ms);

-- Deployment-wide settings edited in the admin, one JSON value per key (e.g.
-- `blocked_email_domains`, `marketo_fields`).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
