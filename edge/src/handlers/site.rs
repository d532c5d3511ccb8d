//! What a page gets from the edge, chosen by targeting from D1:
//! - `GET /api/v1/sites/{site}/bootstrap?url=&referrer=&mkto=&dialogue=`: branding, the dialogue
//!   to show on this page and who the visitor is (Marketo is consulted only for a Munchkin
//!   cookie never seen before, and for at most 300 ms). The widget asks it when it opens.
//! - `GET /api/v1/sites/{site}/triggers?url=&referrer=&mkto=`: the page's dialogue, its triggers
//!   and its teaser, for the loader before the visitor does anything (D1 only, never Marketo;
//!   nothing is recorded).

use super::identity;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, PublishedCandidate, Site};
use confab_domain::api::{Bootstrap, Visitor};
use confab_domain::dialogue::{self, opening};
use confab_domain::ids::SiteId;
use confab_domain::targeting::trigger::Trigger;
use confab_domain::targeting::{Candidate, VisitorContext, choose_dialogue, query_parameters};
use serde::Serialize;
use worker::{Context, D1Database, Env, Request, Response};

/// Longest page URL or referrer accepted.
const MAX_URL: usize = 2048;

/// Answers the widget's bootstrap. `mkto` is the host page's Munchkin cookie; a cookie the
/// edge knows makes the visitor known at once, an unknown one is looked up in Marketo for at
/// most [`identity::WAIT_MS`].
pub async fn get_bootstrap(
    req: &Request,
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    site_id: &str,
    site: Site,
) -> ApiResult<Response> {
    let page = page(req)?;
    let mkto = http::query(req, "mkto")?;
    let visitor = identity::resolve(env, ctx, db, mkto.as_deref()).await?;
    let published = store::published_dialogues(db, site_id).await?;
    // `Confab.start(id)` asks for one dialogue by id: it is given when it is published, whatever
    // its audience (the site's own script chose it); otherwise targeting chooses.
    let asked = http::query(req, "dialogue")?.filter(|id| published.iter().any(|p| &p.candidate.id == id));
    let chosen = asked.or_else(|| choose(&published, page, &visitor));
    let dialogue = published.into_iter().find(|p| Some(&p.candidate.id) == chosen.as_ref()).map(|p| p.dialogue);
    let agents_free_today = match &dialogue {
        Some(d) if d.flow.tests_agents_free_today() => agents_free_today(req, env, db, site_id).await,
        _ => None,
    };
    http::json(
        200,
        &Bootstrap { site: SiteId::from(site_id), branding: site.branding, dialogue, visitor, agents_free_today },
    )
}

/// Whether an agent is free for the rest of the visitor's day (`?tz=`, an IANA zone; UTC
/// when absent), for dialogues that branch on it. `None` when it cannot be told (a zone that
/// is not one, a failed read): the branch then takes its default, and the chat still opens.
pub async fn agents_free_today(req: &Request, env: &Env, db: &D1Database, site_id: &str) -> Option<bool> {
    let tz: chrono_tz::Tz = match http::query(req, "tz").ok().flatten() {
        Some(s) => s.parse().ok()?,
        None => chrono_tz::Tz::UTC,
    };
    match super::slots::free_today(env, db, site_id, tz).await {
        Ok(free) => Some(free),
        Err(e) => {
            worker::console_warn!("free slots today could not be read: {e}");
            None
        }
    }
}

/// What the loader needs before the visitor does anything.
#[derive(Serialize)]
struct PageTriggers {
    /// The dialogue targeting picks for this page and visitor, if any.
    dialogue: Option<String>,
    /// Its triggers in the loader's grammar (`time:10`, `scroll:50`, …).
    triggers: Vec<String>,
    /// The first thing its bot says, for the teaser.
    teaser: Option<String>,
}

/// Answers the loader's look at the page: the dialogue targeting picks (from D1 alone: a
/// Munchkin cookie counts only when D1 already knows it), its triggers and its opening line.
pub async fn get_triggers(req: &Request, db: &D1Database, site_id: &str) -> ApiResult<Response> {
    let page = page(req)?;
    let mkto = http::query(req, "mkto")?;
    let visitor = identity::known_locally(db, mkto.as_deref()).await?;
    let published = store::published_dialogues(db, site_id).await?;
    let chosen = choose(&published, page, &visitor);
    let picked = published.iter().find(|p| Some(&p.candidate.id) == chosen.as_ref());
    let body = match picked {
        None => PageTriggers { dialogue: None, triggers: Vec::new(), teaser: None },
        Some(p) => PageTriggers {
            dialogue: Some(p.candidate.id.clone()),
            triggers: p
                .candidate
                .audience
                .triggers
                .iter()
                .filter(|t| t.problem().is_none())
                .map(Trigger::spec)
                .collect(),
            teaser: teaser(&p.dialogue.flow, visitor.attributes),
        },
    };
    http::json(200, &body)
}

/// The dialogue's opening line for the teaser. A flow that branches on whether an agent is
/// free today may open differently either way; the loader is not told that (it would cost a
/// slot computation on every page view), so such a teaser is given only when both ways open
/// alike.
fn teaser(flow: &dialogue::Flow, attributes: std::collections::BTreeMap<String, String>) -> Option<String> {
    let with = |free: Option<bool>| {
        opening(flow, &dialogue::Context { attributes: attributes.clone(), agents_free_today: free })
    };
    if !flow.tests_agents_free_today() {
        return with(None);
    }
    let (free, busy) = (with(Some(true)), with(Some(false)));
    (free == busy).then_some(free).flatten()
}

/// The page a request describes: its URL and referrer.
struct Page {
    url: String,
    referrer: Option<String>,
}

fn page(req: &Request) -> ApiResult<Page> {
    let url = http::query(req, "url")?.unwrap_or_default();
    let referrer = http::query(req, "referrer")?.filter(|r| !r.is_empty());
    if url.len() > MAX_URL || referrer.as_ref().is_some_and(|r| r.len() > MAX_URL) {
        return Err(ApiError::bad_request(
            "url_too_long",
            format!("`url` and `referrer` may be at most {MAX_URL} bytes."),
        ));
    }
    Ok(Page { url, referrer })
}

/// The id of the dialogue targeting picks among `published` for `visitor` on `page`.
fn choose(published: &[PublishedCandidate], page: Page, visitor: &Visitor) -> Option<String> {
    let context = VisitorContext {
        query: query_parameters(&page.url),
        page_url: page.url,
        referrer: page.referrer,
        known: visitor.known,
        attributes: visitor.attributes.clone(),
        returning: false,
        now: clock::now(),
        completed: Default::default(),
    };
    let candidates: Vec<Candidate> = published.iter().map(|p| p.candidate.clone()).collect();
    choose_dialogue(&candidates, &context).map(|c| c.id.clone())
}
