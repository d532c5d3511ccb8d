-- Each dialogue's audience (domain::targeting::Audience as JSON); '{}' means everyone, everywhere.
ALTER TABLE dialogues ADD COLUMN audience TEXT NOT NULL DEFAULT '{}';
