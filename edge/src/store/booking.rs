//! What a booking decision needs from D1, read in one round trip (a D1 batch of reads): the
//! site's agents, their calendar connections and cached busy time around the slot, the
//! visitor's lead, the routing configuration and the account routes that can match the
//! visitor (by email domain, or by the company of their stored lead).

use super::calendars::{BusyRow, Connection, busy_rows, busy_statement, connections_statement};
use super::leads::LeadRow;
use super::routing::{OwnerRow, route_of};
use super::{Agent, AgentRow, agents_statement, parse_agents};
use crate::error::ApiResult;
use crate::marketo::StoredLead;
use chrono::{DateTime, Utc};
use confab_domain::availability::Interval;
use confab_domain::ids::AgentId;
use confab_domain::routing::RoutingConfig;
use serde::Deserialize;
use worker::D1Database;

/// Everything [`context`] reads.
pub struct BookingContext {
    /// Active agents in order.
    pub agents: Vec<Agent>,
    /// Their calendar connections.
    pub connections: Vec<Connection>,
    /// Cached calendar busy time in the window asked for.
    pub busy: Vec<(AgentId, Interval)>,
    /// The visitor's lead, if stored.
    pub lead: Option<StoredLead>,
    /// Routing configuration with the matching account routes.
    pub routing: RoutingConfig,
}

#[derive(Deserialize)]
struct ConfigRow {
    config: String,
}

/// Reads the booking context of `site` for a visitor with `email` (lower case) around
/// `window`, in one D1 batch.
pub async fn context(
    db: &D1Database,
    site: &str,
    email: Option<&str>,
    window: (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<BookingContext> {
    let email = email.unwrap_or("");
    let domain = email.rsplit_once('@').map(|(_, d)| d.to_lowercase()).unwrap_or_default();
    let statements = vec![
        agents_statement(db, site)?,
        connections_statement(db, site)?,
        busy_statement(db, site, window.0, window.1)?,
        db.prepare(
            "SELECT id, marketo_id, attributes FROM leads WHERE email = ?1
             ORDER BY marketo_id IS NULL, updated_at DESC LIMIT 1",
        )
        .bind(&[email.into()])?,
        db.prepare("SELECT config FROM routing_config WHERE site_id = ?1").bind(&[site.into()])?,
        db.prepare(
            "SELECT kind, key, agent_id FROM account_owners WHERE site_id = ?1 AND (
               (kind = 'domain' AND key = ?2)
               OR (kind = 'company' AND key = (
                 SELECT lower(trim(json_extract(attributes, '$.company'))) FROM leads WHERE email = ?3
                 ORDER BY marketo_id IS NULL, updated_at DESC LIMIT 1)))",
        )
        .bind(&[site.into(), domain.into(), email.into()])?,
    ];
    let mut results = db.batch(statements).await?.into_iter();
    let mut next = || results.next().ok_or_else(|| crate::error::ApiError::Internal("short D1 batch".into()));
    let agents: Vec<AgentRow> = next()?.results()?;
    let connections: Vec<Connection> = next()?.results()?;
    let busy: Vec<BusyRow> = next()?.results()?;
    let lead: Vec<LeadRow> = next()?.results()?;
    let config: Vec<ConfigRow> = next()?.results()?;
    let owners: Vec<OwnerRow> = next()?.results()?;
    let mut routing: RoutingConfig =
        config.into_iter().next().and_then(|c| serde_json::from_str(&c.config).ok()).unwrap_or_default();
    routing.accounts = owners.into_iter().filter_map(route_of).collect();
    Ok(BookingContext {
        agents: parse_agents(agents),
        connections,
        busy: busy_rows(busy),
        lead: lead.into_iter().next().map(LeadRow::into_lead),
        routing,
    })
}
