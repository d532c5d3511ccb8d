-- The per-site key that signs links sent to visitors (the .ics invitation, later reschedule
-- and cancel). Empty means no links can be signed for the site.
ALTER TABLE sites ADD COLUMN link_secret TEXT NOT NULL DEFAULT '';
