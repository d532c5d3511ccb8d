//! The fake Google's route table and its answers to injected faults.

use super::calendar;
use super::errors;
use super::events::Events;
use super::oauth;
use crate::fake_http::{Request, Response};
use crate::fake_oauth::{Area, Common, Fault, Vendor};

/// The authorization page (Google's `https://accounts.google.com/o/oauth2/v2/auth`).
pub(crate) const AUTHORIZE: &str = "/o/oauth2/v2/auth";
/// The token endpoint (`https://oauth2.googleapis.com/token`).
pub(crate) const TOKEN: &str = "/token";
/// The revocation endpoint (`https://oauth2.googleapis.com/revoke`).
pub(crate) const REVOKE: &str = "/revoke";
/// The Calendar API's base path (`https://www.googleapis.com/calendar/v3`).
pub(crate) const API: &str = "/calendar/v3";

/// What only Google holds: the events.
#[derive(Debug, Default)]
pub(crate) struct Google {
    pub events: Events,
}

impl Vendor for Google {
    const NAME: &'static str = "fake-google";

    fn area(path: &str) -> Area {
        if path == AUTHORIZE {
            Area::Authorize
        } else if path == TOKEN || path == REVOKE {
            Area::Token
        } else if path.starts_with(&format!("{API}/")) {
            Area::Api
        } else {
            Area::Other
        }
    }

    fn fault_response(&self, fault: Fault, area: Area, _: &Common) -> Response {
        match (area, fault) {
            (Area::Token, Fault::Status(status)) => errors::oauth(status, "internal_failure", "Backend Error"),
            (Area::Token, Fault::RateLimit | Fault::TooManyRequests) => {
                errors::oauth(429, "rate_limit_exceeded", "Rate Limit Exceeded").with_header("Retry-After", "1")
            }
            (Area::Authorize, Fault::Status(status)) => {
                errors::page(status, "server_error", "Something went wrong. Try again later.")
            }
            (Area::Authorize, Fault::RateLimit | Fault::TooManyRequests) => {
                errors::page(429, "rate_limit_exceeded", "Too many requests. Try again later.")
            }
            (_, Fault::Status(status)) => errors::status(status),
            (_, Fault::RateLimit) => errors::rate_limited(),
            (_, Fault::TooManyRequests | Fault::Timeout) => errors::too_many_requests(),
        }
    }

    fn serve(&mut self, common: &mut Common, request: &Request) -> Response {
        match request.path.as_str() {
            AUTHORIZE => oauth::authorize(common, request),
            TOKEN => oauth::token(common, request),
            REVOKE => oauth::revoke(common, request),
            "/oauth2/v3/userinfo" | "/oauth2/v2/userinfo" | "/v1/userinfo" => oauth::userinfo(common, request),
            path if path.starts_with(&format!("{API}/")) => calendar::serve(&mut self.events, common, request),
            _ => Response::html(404, "<!DOCTYPE html><title>Error 404 (Not Found)!!1</title><p>404. That’s an error."),
        }
    }
}
