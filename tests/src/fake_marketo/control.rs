//! Control endpoints under `/__fake/`, served only when
//! [`super::FakeMarketoConfig::control_endpoints`] turns them on (the `fake-marketo` binary
//! does), so a client in another process can steer the fake as a test does through
//! [`super::FakeMarketo`]. They need no token, count against no limit and stay out of the
//! call log.

use super::config::Fault;
use super::envelope::Reply;
use super::http::Call;
use super::state::Shared;
use serde_json::json;
use std::time::Duration;

/// The prefix of every control path.
pub(crate) const PREFIX: &str = "/__fake/";

/// Answers a control call.
pub(crate) fn answer(call: &Call, shared: &Shared) -> Reply {
    let endpoint = call.path.strip_prefix(PREFIX).unwrap_or_default();
    match (call.method.as_str(), endpoint) {
        ("GET", "expectation") => {
            let fields: Vec<&str> =
                call.param("fields").unwrap_or_default().split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
            if fields.is_empty() {
                return Reply::text(400, "fields=a,b,… is required");
            }
            let expected = shared.world().export_expectation(&fields);
            Reply::json(
                200,
                &json!({ "valid": expected.valid, "corrupt": expected.corrupt, "tricky": expected.tricky }),
            )
        }
        ("POST", "advance-clock") => {
            let Some(seconds) = call.param("seconds").and_then(|s| s.parse::<u64>().ok()) else {
                return Reply::text(400, "seconds=S is required");
            };
            let mut world = shared.world();
            world.clock.advance(Duration::from_secs(seconds));
            Reply::json(200, &json!({ "now": super::clock::stamp(world.clock.now()) }))
        }
        ("POST", "expire-tokens") => {
            let mut world = shared.world();
            let now = world.clock.now();
            world.tokens.expire_all(now);
            Reply::json(200, &json!({}))
        }
        ("POST", "finish-exports") => {
            shared.world().finish_exports();
            Reply::json(200, &json!({}))
        }
        ("POST", "inject") => {
            let Some(fault) = call.param("fault").and_then(parse_fault) else {
                return Reply::text(400, "fault=marketo:CODE|http:STATUS|timeout-ms:MS is required");
            };
            let times = call.param("times").and_then(|t| t.parse().ok()).unwrap_or(1);
            let identity = call.param("identity") == Some("true");
            shared.world().faults.add(identity, fault, times);
            Reply::json(200, &json!({}))
        }
        (_, "expectation" | "advance-clock" | "expire-tokens" | "finish-exports" | "inject") => {
            Reply::text(405, "Method Not Allowed")
        }
        _ => Reply::text(404, "Not Found"),
    }
}

/// `marketo:608`, `http:500` or `timeout-ms:2000`.
fn parse_fault(text: &str) -> Option<Fault> {
    let (kind, value) = text.split_once(':')?;
    let value = value.trim();
    match kind.trim() {
        "marketo" => value.parse().ok().map(Fault::Marketo),
        "http" => value.parse().ok().filter(|s| (100..600).contains(s)).map(Fault::Http),
        "timeout-ms" => value.parse().ok().map(|ms| Fault::Timeout(Duration::from_millis(ms))),
        _ => None,
    }
}
