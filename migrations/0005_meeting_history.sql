-- Every change of a meeting, oldest first: who did what and when. `sequence` counts the
-- changes a calendar invitation must announce (RFC 5545 SEQUENCE).
CREATE TABLE meeting_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,              -- booked, rescheduled, canceled, completed, no_show
    actor      TEXT NOT NULL,              -- visitor, admin:<email>, system
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_events_by_meeting ON meeting_events(meeting_id, id);
ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
INSERT INTO meeting_events (meeting_id, at, kind, actor, detail)
    SELECT id, created_at, 'booked', 'visitor', '' FROM meetings;
