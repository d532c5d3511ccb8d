-- Dialogue editing: a draft (flow and audience) next to the published version, which stays
-- immutable; each published version keeps the audience it was published with and who did it.

ALTER TABLE dialogues ADD COLUMN draft_flow TEXT;          -- NULL: no changes since the last publish
ALTER TABLE dialogues ADD COLUMN draft_audience TEXT;      -- NULL: the published audience
ALTER TABLE dialogues ADD COLUMN updated_at TEXT;
ALTER TABLE dialogue_versions ADD COLUMN audience TEXT;
ALTER TABLE dialogue_versions ADD COLUMN published_by TEXT;
