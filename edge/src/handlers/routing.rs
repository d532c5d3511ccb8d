//! `/api/admin/v1/routing…`: the round-robin order, who is next and totals per agent; the
//! routing configuration (rules, default pool, fallback, credit back, reset); account routes
//! imported from CSV (all or nothing); and the simulator.

use super::bookings::{Input, pool_command};
use super::slots::parse_time;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::routing_pool;
use crate::store;
use confab_domain::api::Routing;
use confab_domain::email::Email;
use confab_domain::ids::AgentId;
use confab_domain::ids::is_valid_slug;
use confab_domain::routing::{
    Fallback, MAX_CSV_BYTES, Member, RoutingConfig, next_in_line, parse_accounts_csv, period_key, queue,
};
use std::collections::{BTreeMap, HashMap};
use worker::{D1Database, Env, Request, Response};

/// The routing view of one site's pool (default `demo`).
pub async fn get_routing(req: &Request, env: &Env, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let agents = store::agents(db, &site).await?;
    let config = store::routing::config(db, &site).await?;
    let standing = routing_pool::standing(env, &site, &period_key(clock::now(), config.reset)).await?;
    let members: Vec<Member> = agents
        .iter()
        .map(|a| {
            let place = standing.get(&a.agent.id).copied().unwrap_or_default();
            let mut member = Member::new(a.agent.id.clone(), a.agent.name.clone(), a.position);
            member.last_assigned = place.last_assigned;
            member.count = place.count;
            member.weight_percent = a.weight_percent;
            member
        })
        .collect();
    let time = |name: &'static str| -> ApiResult<_> {
        http::query(req, name)?
            .map(|s| {
                parse_time(&s).ok_or_else(|| {
                    ApiError::bad_request("invalid_period", format!("`{name}` must be an RFC 3339 time."))
                })
            })
            .transpose()
    };
    let mut totals: BTreeMap<_, u32> = agents.iter().map(|a| (a.agent.id.clone(), 0)).collect();
    let mut by_status: BTreeMap<AgentId, BTreeMap<String, u32>> = BTreeMap::new();
    for (agent, status, n) in store::totals(db, &site, time("from")?, time("to")?).await? {
        *totals.entry(agent.clone()).or_default() += n;
        by_status.entry(agent).or_default().insert(status, n);
    }
    http::json(
        200,
        &Routing {
            order: queue(&members).into_iter().map(|m| m.agent.clone()).collect(),
            next: next_in_line(&members).map(|m| m.agent.clone()),
            totals,
            by_status,
            weights: members.iter().map(|m| (m.agent.clone(), m.weight_percent)).collect(),
            credited: members.iter().map(|m| (m.agent.clone(), m.count)).collect(),
            agents: agents.into_iter().map(|a| a.agent).collect(),
        },
    )
}

/// `GET /api/admin/v1/routing/config?site=`: rules, default pool, fallback, credit back and
/// reset, with how many account routes are stored.
pub async fn get_config(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let config = store::routing::config(db, &site).await?;
    let (_, accounts) = store::routing::accounts(db, &site, 0).await?;
    http::json(200, &serde_json::json!({ "config": config, "accounts": accounts }))
}

/// `PUT /api/admin/v1/routing/config?site=`: replaces rules, default pool, fallback, credit
/// back and reset (account routes are imported apart). Every rule must name agents of the
/// site; every problem is reported at once.
pub async fn put_config(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let config: RoutingConfig = http::json_body(req).await?;
    let known: Vec<AgentId> = store::agents(db, &site).await?.into_iter().map(|a| a.agent.id).collect();
    let mut problems = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for rule in &config.rules {
        if rule.name.trim().is_empty() || rule.name.chars().count() > 100 {
            problems.push(format!("Rule \"{}\": give it a name of at most 100 characters.", rule.id));
        }
        if !ids.insert(rule.id.as_str()) || !is_valid_slug(&rule.id) {
            problems
                .push(format!("Rule \"{}\": its id must be unique and made of letters, digits, - or _.", rule.name));
        }
        if rule.agents.is_empty() {
            problems.push(format!("Rule \"{}\": choose at least one agent.", rule.name));
        }
        for agent in rule.agents.iter().filter(|a| !known.contains(a)) {
            problems.push(format!("Rule \"{}\": {} is not an agent of this site.", rule.name, agent.as_str()));
        }
    }
    for agent in config.default_agents.iter().flatten().filter(|a| !known.contains(a)) {
        problems.push(format!("Default pool: {} is not an agent of this site.", agent.as_str()));
    }
    if let Fallback::Message(message) = &config.fallback
        && message.chars().count() > 500
    {
        problems.push("The fallback message may be at most 500 characters.".to_owned());
    }
    if config.rules.len() > 100 {
        problems.push("A site may have at most 100 rules.".to_owned());
    }
    if !problems.is_empty() {
        return Err(ApiError::bad_request("invalid_routing", problems.join(" ")));
    }
    store::routing::set_config(db, &site, &config, &clock::now().to_rfc3339()).await?;
    http::json(200, &serde_json::json!({ "config": store::routing::config(db, &site).await? }))
}

/// `GET /api/admin/v1/routing/accounts?site=`: the first 1,000 account routes and the total.
pub async fn get_accounts(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let (routes, total) = store::routing::accounts(db, &site, 1_000).await?;
    http::json(200, &serde_json::json!({ "accounts": routes, "total": total }))
}

/// `PUT /api/admin/v1/routing/accounts?site=` with a CSV body (`domain,owner_email`,
/// `company,owner_email` or both key columns): replaces the site's account routes, or, if any
/// line is wrong, changes nothing and answers every wrong line with its reason.
pub async fn put_accounts(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_CSV_BYTES {
        return Err(ApiError::TooLarge);
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| ApiError::bad_request("invalid_csv", "The file must be UTF-8 text (CSV)."))?;
    let by_email: HashMap<String, AgentId> = store::agents(db, &site)
        .await?
        .into_iter()
        .filter_map(|a| Some((a.email?.to_lowercase(), a.agent.id)))
        .collect();
    match parse_accounts_csv(&text, &by_email) {
        Ok(routes) => {
            store::routing::replace_accounts(db, &site, &routes).await?;
            http::json(200, &serde_json::json!({ "imported": routes.len() }))
        }
        Err(lines) => {
            let body = serde_json::json!({
                "error": {
                    "code": "invalid_csv",
                    "message": format!(
                        "Nothing was imported: {} {} to be fixed.",
                        lines.len(),
                        if lines.len() == 1 { "line needs" } else { "lines need" }
                    ),
                    "lines": lines,
                }
            });
            http::json(400, &body)
        }
    }
}

#[derive(serde::Deserialize)]
struct SimulateBody {
    start: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    duration_minutes: Option<u32>,
    #[serde(default)]
    answers: BTreeMap<String, String>,
}

/// `POST /api/admin/v1/routing/simulate?site=`: who would get the next meeting for this
/// visitor (email, answers) at this time, and why; nothing is booked.
pub async fn simulate(req: &mut Request, env: &Env, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let body: SimulateBody = http::json_body(req).await?;
    let start = parse_time(&body.start)
        .ok_or_else(|| ApiError::bad_request("invalid_start", "`start` must be an RFC 3339 time."))?;
    let email = match body.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(Email::parse(e).map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?),
        None => None,
    };
    let input = Input {
        start,
        minutes: super::slots::duration(body.duration_minutes)?,
        email: email.as_ref().map(Email::as_str),
        name: None,
        visitor_id: None,
        answers: &body.answers,
        dialogue_id: None,
        idempotency_key: None,
    };
    let command = pool_command(db, &site, &input, clock::now()).await?;
    let route = routing_pool::simulate(env, &command).await?;
    let agent = super::bookings::assigned_agent(&command, &route);
    http::json(
        200,
        &serde_json::json!({
            "agent": agent,
            "explanation": route.trace.explanation(),
            "fallback_message": route.fallback_message(),
            "trace": route.trace,
        }),
    )
}
