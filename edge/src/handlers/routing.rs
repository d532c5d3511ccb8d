//! `GET /api/admin/v1/routing?site=`: the round-robin order, who is next, and totals per agent.

use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::routing_pool;
use crate::store;
use confab_domain::api::Routing;
use confab_domain::ids::is_valid_slug;
use confab_domain::routing::{Member, next_in_line, queue};
use worker::{D1Database, Env, Request, Response};

/// The routing view of one site's pool (default `demo`).
pub async fn get_routing(req: &Request, env: &Env, db: &D1Database) -> ApiResult<Response> {
    let site = http::query(req, "site")?.unwrap_or_else(|| confab_domain::demo::SITE.to_owned());
    if !is_valid_slug(&site) {
        return Err(ApiError::bad_request("invalid_site", "`site` must be a site id."));
    }
    let agents = store::agents(db, &site).await?;
    let standing = routing_pool::standing(env, &site).await?;
    let members: Vec<Member> = agents
        .iter()
        .map(|a| Member {
            agent: a.agent.id.clone(),
            name: a.agent.name.clone(),
            position: a.position,
            last_assigned: standing.get(&a.agent.id).copied().unwrap_or(0),
        })
        .collect();
    let mut totals: std::collections::BTreeMap<_, u32> = agents.iter().map(|a| (a.agent.id.clone(), 0)).collect();
    for (agent, n) in store::totals(db, &site).await? {
        totals.insert(agent, n);
    }
    http::json(
        200,
        &Routing {
            order: queue(&members).into_iter().map(|m| m.agent.clone()).collect(),
            next: next_in_line(&members).map(|m| m.agent.clone()),
            totals,
            agents: agents.into_iter().map(|a| a.agent).collect(),
        },
    )
}
