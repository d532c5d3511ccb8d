//! Rate limits on the widget API, through Cloudflare's Rate Limiting bindings (declared in
//! `wrangler.toml`; `wrangler dev` simulates them locally): every widget API request but a
//! CORS preflight counts against its address (`CF-Connecting-IP`) before anything is looked
//! up, and the writes that carry a visitor id (events,
//! identify, bookings) also against that visitor. Over either limit the answer is 429
//! `rate_limited` with `Retry-After`, and nothing is stored. The limits are generous for a
//! person chatting and stop scripts; `RATE_LIMITS=off` (a Worker variable, used only by the
//! benchmark's load generator, which sends thousands of requests from one address) turns
//! them off. A missing binding or a limiter failure lets the request through: a visitor is
//! never refused because the limiter itself failed.

use crate::error::{ApiError, ApiResult};
use worker::{Env, Request};

/// The binding that counts requests per address.
const PER_ADDRESS: &str = "ADDRESS_LIMIT";
/// The binding that counts writes per visitor.
const PER_VISITOR: &str = "VISITOR_LIMIT";
/// What `Retry-After` says: both limits count over 60 s.
pub const RETRY_AFTER_SECONDS: u32 = 60;

fn enabled(env: &Env) -> bool {
    env.var("RATE_LIMITS").map(|v| v.to_string() != "off").unwrap_or(true)
}

async fn check(env: &Env, binding: &str, key: String) -> ApiResult<()> {
    if !enabled(env) {
        return Ok(());
    }
    let Ok(limiter) = env.rate_limiter(binding) else { return Ok(()) };
    match limiter.limit(key).await {
        Ok(outcome) if !outcome.success => Err(ApiError::RateLimited),
        Ok(_) => Ok(()),
        Err(e) => {
            worker::console_warn!("rate limiter {binding} failed: {e}");
            Ok(())
        }
    }
}

/// Counts a widget API request against its address (before the site or the origin is looked
/// at, so refused requests count too).
pub async fn address(env: &Env, req: &Request) -> ApiResult<()> {
    let ip = req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_default();
    check(env, PER_ADDRESS, format!("ip:{ip}")).await
}

/// Counts a write against the visitor who sent it (nothing when it names no valid id; a
/// visitor inventing ids each time is still held by the address limit).
pub async fn visitor(env: &Env, site: &str, visitor_id: Option<&str>) -> ApiResult<()> {
    match visitor_id.filter(|v| confab_domain::ids::is_valid_slug(v)) {
        Some(id) => check(env, PER_VISITOR, format!("{site}:{id}")).await,
        None => Ok(()),
    }
}
