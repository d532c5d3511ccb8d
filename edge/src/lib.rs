//! Confab's edge: a Cloudflare Worker serving the widget API (`/api/v1`), the admin API
//! (`/api/admin/v1`) and, through the assets binding, `widget.js`, the widget and the admin.
//!
//! Requests enter at [`fetch`], go through the route table in [`router`] to one handler per
//! resource, and every failure leaves as one JSON envelope built by [`error::ApiError`].

use worker::{Context, Env, Request, Response, Result, event};

mod auth;
mod calendars;
mod clock;
mod crypto;
mod error;
mod handlers;
mod http;
mod limits;
mod marketo;
mod marketo_gateway;
mod outbound;
mod router;
mod routing_pool;
mod store;

pub use marketo_gateway::MarketoGateway;
pub use routing_pool::RoutingPool;

/// The Worker's entry point.
#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    Ok(router::handle(req, env, ctx).await)
}
