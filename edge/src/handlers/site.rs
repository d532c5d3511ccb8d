//! `GET /api/v1/sites/{site}/bootstrap?url=&referrer=`: branding and the dialogue to show on
//! this page and who the visitor is, chosen by targeting from D1 (Marketo is consulted only
//! for a Munchkin cookie never seen before, and for at most 300 ms).

use super::identity;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, Site};
use confab_domain::api::Bootstrap;
use confab_domain::ids::SiteId;
use confab_domain::targeting::{Candidate, VisitorContext, choose_dialogue, query_parameters};
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
    let page_url = http::query(req, "url")?.unwrap_or_default();
    let referrer = http::query(req, "referrer")?.filter(|r| !r.is_empty());
    if page_url.len() > MAX_URL || referrer.as_ref().is_some_and(|r| r.len() > MAX_URL) {
        return Err(ApiError::bad_request(
            "url_too_long",
            format!("`url` and `referrer` may be at most {MAX_URL} bytes."),
        ));
    }
    let mkto = http::query(req, "mkto")?;
    let visitor = identity::resolve(env, ctx, db, mkto.as_deref()).await?;
    let context = VisitorContext {
        query: query_parameters(&page_url),
        page_url,
        referrer,
        known: visitor.known,
        attributes: visitor.attributes.clone(),
        returning: false,
        now: clock::now(),
        completed: Default::default(),
    };
    let published = store::published_dialogues(db, site_id).await?;
    let candidates: Vec<Candidate> = published.iter().map(|p| p.candidate.clone()).collect();
    // `Confab.start(id)` asks for one dialogue by id: it is given when it is published, whatever
    // its audience (the site's own script chose it); otherwise targeting chooses.
    let asked = http::query(req, "dialogue")?.filter(|id| candidates.iter().any(|c| &c.id == id));
    let chosen = asked.or_else(|| choose_dialogue(&candidates, &context).map(|c| c.id.clone()));
    let dialogue = published.into_iter().find(|p| Some(&p.candidate.id) == chosen.as_ref()).map(|p| p.dialogue);
    http::json(200, &Bootstrap { site: SiteId::from(site_id), branding: site.branding, dialogue, visitor })
}
