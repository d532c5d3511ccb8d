//! The fake Microsoft's route table and its answers to injected faults.

use super::errors;
use super::events::Events;
use super::graph;
use super::identity;
use crate::fake_http::{Request, Response};
use crate::fake_oauth::{Area, Common, Fault, Vendor};

/// Graph's base path (`https://graph.microsoft.com/v1.0`).
pub(crate) const API: &str = "/v1.0";
/// The authorization path under a tenant.
pub(crate) const AUTHORIZE: &str = "/oauth2/v2.0/authorize";
/// The token path under a tenant.
pub(crate) const TOKEN: &str = "/oauth2/v2.0/token";

/// What only Microsoft holds: the events.
#[derive(Debug, Default)]
pub(crate) struct Microsoft {
    pub events: Events,
}

/// The identity endpoint `path` names under its tenant (`/{tenant}/oauth2/v2.0/…`).
fn identity_endpoint(path: &str) -> Option<&'static str> {
    let (tenant, rest) = path.strip_prefix('/')?.split_once('/')?;
    if tenant.is_empty() {
        return None;
    }
    [AUTHORIZE, TOKEN].into_iter().find(|e| rest == e.trim_start_matches('/'))
}

impl Vendor for Microsoft {
    const NAME: &'static str = "fake-microsoft";

    fn area(path: &str) -> Area {
        match identity_endpoint(path) {
            Some(AUTHORIZE) => Area::Authorize,
            Some(_) => Area::Token,
            None if path.starts_with(&format!("{API}/")) => Area::Api,
            None => Area::Other,
        }
    }

    fn fault_response(&self, fault: Fault, area: Area, _: &Common) -> Response {
        match (area, fault) {
            (Area::Token, Fault::Status(status)) => errors::aad(
                status,
                "server_error",
                50000,
                "There was an error issuing a token or an issue with our sign-in service.",
            ),
            (Area::Token, Fault::RateLimit | Fault::TooManyRequests) => {
                errors::aad(429, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again.")
                    .with_header("Retry-After", "1")
            }
            (Area::Authorize, Fault::Status(status)) => {
                errors::page(status, 50000, "There was an error issuing a token or an issue with our sign-in service.")
            }
            (Area::Authorize, Fault::RateLimit | Fault::TooManyRequests) => {
                errors::page(429, 90033, "A transient error has occurred. Please try again.")
            }
            (_, Fault::Status(status)) => errors::status(status),
            (_, Fault::RateLimit) => errors::throttled(),
            (_, Fault::TooManyRequests | Fault::Timeout) => errors::too_many_requests(),
        }
    }

    fn serve(&mut self, common: &mut Common, request: &Request) -> Response {
        match identity_endpoint(&request.path) {
            Some(AUTHORIZE) => identity::authorize(common, request),
            Some(_) => identity::token(common, request),
            None if request.path.starts_with(&format!("{API}/")) => graph::serve(&mut self.events, common, request),
            None => errors::graph(404, "NotFound", "The requested resource was not found."),
        }
    }
}
