//! One request's way through the fake: identity, or an API call through injected faults,
//! authentication, limits, the artificial delay and the route table; then the call log.
//! Control calls (`/__fake/…`, when enabled) skip all of that.

use super::auth;
use super::call_log::CallRecord;
use super::config::{ExportProgress, Fault};
use super::control;
use super::envelope::{Handled, Reply, documented, error};
use super::http::{Call, JsonBody};
use super::ids;
use super::state::{Shared, World};

/// Answers one request read from a connection (or the HTTP-level error found while reading
/// it) and records it in the call log.
pub(crate) fn serve(call: &Call, refused: Option<Reply>, shared: &Shared) -> Reply {
    let (at, control) = {
        let world = shared.world();
        (world.clock.now(), world.config.control)
    };
    if control && refused.is_none() && call.path.starts_with(control::PREFIX) {
        return control::answer(call, shared);
    }
    let reply = match refused {
        Some(reply) => reply,
        None => answer(call, shared),
    };
    let record = CallRecord {
        at,
        method: call.method.clone(),
        path: call.path.clone(),
        query: call.query.clone(),
        params: call.params.clone(),
        bearer: call.bearer().map(str::to_owned),
        body: call.body_text(),
        status: reply.status,
        error_code: reply.error_code.clone(),
    };
    // Recorded before the reply is written, so a test sees the call as soon as it has the answer.
    shared.world().calls.push(record);
    reply
}

fn answer(call: &Call, shared: &Shared) -> Reply {
    if call.path == "/identity/oauth/token" {
        let fault = shared.world().faults.next_identity();
        if let Some(fault) = fault {
            return fault_reply(fault, "identity", shared);
        }
        let mut world = shared.world();
        let now = world.clock.now();
        let World { config, tokens, .. } = &mut *world;
        return auth::identity(call, config, tokens, now);
    }
    if call.path.starts_with("/rest/") || call.path.starts_with("/bulk/") {
        return api_call(call, shared);
    }
    Reply::text(404, "Not Found")
}

fn fault_reply(fault: Fault, request_id: &str, shared: &Shared) -> Reply {
    match fault {
        Fault::Marketo(code) => Reply::failure(request_id, &documented(code)),
        Fault::Http(status) => Reply::empty(status),
        Fault::Timeout(wait) => {
            shared.pause(wait);
            Reply::empty(504)
        }
    }
}

fn api_call(call: &Call, shared: &Shared) -> Reply {
    let (request_id, ticket, delay) = {
        let mut world = shared.world();
        let request_id = world.request_id();
        if let Some(fault) = world.faults.next_api() {
            drop(world);
            return fault_reply(fault, &request_id, shared);
        }
        let now = world.clock.now();
        if let Err(e) = world.tokens.check(call, now) {
            return Reply::failure(&request_id, &e);
        }
        let World { limits, config, delay, .. } = &mut *world;
        match limits.admit(config, now) {
            Ok(ticket) => (request_id, ticket, *delay),
            Err(e) => return Reply::failure(&request_id, &e),
        }
    };
    // The delay is spent in flight and outside the lock, so slow calls overlap for real.
    shared.pause(delay);
    let mut world = shared.world();
    let reply = Reply::from_handled(&request_id, route(&mut world, call));
    world.limits.release(ticket, !reply.is_uncounted_failure());
    reply
}

/// The API endpoints the fake serves.
enum Endpoint<'a> {
    Leads,
    Describe,
    LeadById(&'a str),
    Associate(&'a str),
    Activities,
    ExportCreate,
    ExportList,
    ExportEnqueue(&'a str),
    ExportStatus(&'a str),
    ExportFile(&'a str),
    ExportCancel(&'a str),
}

impl<'a> Endpoint<'a> {
    /// The endpoint at `path` and the methods it accepts.
    fn of(path: &'a str) -> Option<(Self, &'static [&'static str])> {
        const GET: &[&str] = &["GET"];
        const POST: &[&str] = &["POST"];
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        Some(match segments.as_slice() {
            ["rest", "v1", "leads.json"] => (Endpoint::Leads, &["GET", "POST"]),
            ["rest", "v1", "leads", "describe.json"] => (Endpoint::Describe, GET),
            ["rest", "v1", "lead", file] => (Endpoint::LeadById(file.strip_suffix(".json")?), GET),
            ["rest", "v1", "leads", id, "associate.json"] => (Endpoint::Associate(id), POST),
            ["rest", "v1", "activities", "external.json"] => (Endpoint::Activities, POST),
            ["bulk", "v1", "leads", "export", "create.json"] => (Endpoint::ExportCreate, POST),
            ["bulk", "v1", "leads", "export.json"] => (Endpoint::ExportList, GET),
            ["bulk", "v1", "leads", "export", id, "enqueue.json"] => (Endpoint::ExportEnqueue(id), POST),
            ["bulk", "v1", "leads", "export", id, "status.json"] => (Endpoint::ExportStatus(id), GET),
            ["bulk", "v1", "leads", "export", id, "file.json"] => (Endpoint::ExportFile(id), GET),
            ["bulk", "v1", "leads", "export", id, "cancel.json"] => (Endpoint::ExportCancel(id), POST),
            _ => return None,
        })
    }
}

fn lead_id(text: &str) -> Result<i64, super::envelope::MarketoError> {
    text.parse().map_err(|_| error(1001, format!("Invalid value '{text}'. Required of type 'integer'")))
}

/// The route table.
fn route(world: &mut World, call: &Call) -> Handled {
    let Some((endpoint, methods)) = Endpoint::of(&call.path) else { return Err(documented(610)) };
    if !methods.contains(&call.method.as_str()) {
        return Err(documented(605));
    }
    let now = world.clock.now();
    let rules = world.export_rules();
    let World { config, leads, activities, exports, .. } = world;
    match endpoint {
        Endpoint::Leads if call.method == "GET" => leads.get_by_filter(call),
        Endpoint::Leads => leads.sync(&call.json_body()?, now),
        Endpoint::Describe => leads.describe(),
        Endpoint::LeadById(id) => leads.get_by_id(lead_id(id)?, call),
        Endpoint::Associate(id) => leads.associate(lead_id(id)?, call.param("cookie")),
        Endpoint::Activities => activities.add(&call.json_body()?, leads, &config.activity_types),
        Endpoint::ExportCreate => exports.create(&call.json_body()?, leads, rules, ids::uuid(), now),
        Endpoint::ExportList => exports.list(call.param("status")),
        Endpoint::ExportEnqueue(id) => exports.enqueue(id, rules, now),
        Endpoint::ExportStatus(id) => {
            exports.status(id, leads, rules, config.export_progress == ExportProgress::OnStatusPoll, now)
        }
        Endpoint::ExportFile(id) => exports.file(id, call.header("Range")),
        Endpoint::ExportCancel(id) => exports.cancel(id),
    }
}
