//! Routing configuration of a site: rules, default pool, fallback, credit back and reset (one
//! JSON row), and the account owners (one row per domain or company, imported from CSV).
//!
//! Invariant: an import replaces the site's account owners in one D1 batch, so a failed
//! import leaves the previous list whole; only the routes that can match a visitor are read
//! for a booking, never the whole list.

use super::ms;
use crate::error::ApiResult;
use confab_domain::ids::AgentId;
use confab_domain::routing::{AccountKey, AccountRoute, RoutingConfig};
use serde::Deserialize;
use worker::D1Database;

/// The site's configuration without account owners (the default when none is stored).
pub async fn config(db: &D1Database, site: &str) -> ApiResult<RoutingConfig> {
    let json: Option<String> = db
        .prepare("SELECT config FROM routing_config WHERE site_id = ?1")
        .bind(&[site.into()])?
        .first(Some("config"))
        .await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
}

/// Stores the configuration (account owners are stored apart and left out here).
pub async fn set_config(db: &D1Database, site: &str, config: &RoutingConfig, now: &str) -> ApiResult<()> {
    let mut without_accounts = config.clone();
    without_accounts.accounts.clear();
    db.prepare(
        "INSERT INTO routing_config (site_id, config, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(site_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
    )
    .bind(&[site.into(), serde_json::to_string(&without_accounts)?.into(), now.into()])?
    .run()
    .await?;
    Ok(())
}

#[derive(Deserialize)]
pub(super) struct OwnerRow {
    kind: String,
    key: String,
    agent_id: String,
}

pub(super) fn route_of(row: OwnerRow) -> Option<AccountRoute> {
    let key = match row.kind.as_str() {
        "domain" => AccountKey::Domain(row.key),
        "company" => AccountKey::Company(row.key),
        _ => return None,
    };
    Some(AccountRoute { key, owner: AgentId(row.agent_id) })
}

fn stored_key(key: &AccountKey) -> (&'static str, String) {
    match key {
        AccountKey::Domain(d) => ("domain", d.to_lowercase()),
        AccountKey::Company(c) => ("company", c.trim().to_lowercase()),
    }
}

/// Every account route of the site (for the admin), with the total.
pub async fn accounts(db: &D1Database, site: &str, limit: u32) -> ApiResult<(Vec<AccountRoute>, u32)> {
    let rows: Vec<OwnerRow> = db
        .prepare("SELECT kind, key, agent_id FROM account_owners WHERE site_id = ?1 ORDER BY kind, key LIMIT ?2")
        .bind(&[site.into(), ms(i64::from(limit))])?
        .all()
        .await?
        .results()?;
    let total: Option<f64> = db
        .prepare("SELECT COUNT(*) AS n FROM account_owners WHERE site_id = ?1")
        .bind(&[site.into()])?
        .first(Some("n"))
        .await?;
    Ok((rows.into_iter().filter_map(route_of).collect(), total.unwrap_or(0.0) as u32))
}

/// Replaces the site's account routes with `routes`, atomically.
pub async fn replace_accounts(db: &D1Database, site: &str, routes: &[AccountRoute]) -> ApiResult<()> {
    let rows: Vec<[String; 3]> = routes
        .iter()
        .map(|r| {
            let (kind, key) = stored_key(&r.key);
            [kind.to_owned(), key, r.owner.as_str().to_owned()]
        })
        .collect();
    let mut batch = vec![db.prepare("DELETE FROM account_owners WHERE site_id = ?1").bind(&[site.into()])?];
    // D1 caps one bound value at about 2 MB: insert in chunks, all in the same batch.
    for chunk in rows.chunks(5_000) {
        batch.push(
            db.prepare(
                "INSERT INTO account_owners (site_id, kind, key, agent_id)
                 SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
                 FROM json_each(?2)",
            )
            .bind(&[site.into(), serde_json::to_string(chunk)?.into()])?,
        );
    }
    db.batch(batch).await?;
    Ok(())
}
