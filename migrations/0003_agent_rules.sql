-- Each agent's booking rules (domain::availability::AgentRules as JSON): buffers, daily cap,
-- stricter notice or horizon. '{}' means none.
ALTER TABLE agents ADD COLUMN rules TEXT NOT NULL DEFAULT '{}';
