//! `GET /api/v1/sites/{site}/bootstrap`: branding and the dialogue to show, from D1 only (no
//! outside service is consulted, so it answers within the budget whatever Marketo does).

use crate::error::ApiResult;
use crate::http;
use crate::store::{self, Site};
use confab_domain::api::Bootstrap;
use confab_domain::ids::SiteId;
use worker::{D1Database, Response};

/// Answers the widget's bootstrap.
pub async fn get_bootstrap(db: &D1Database, site_id: &str, site: Site) -> ApiResult<Response> {
    let dialogue = store::published_dialogue(db, site_id).await?;
    http::json(200, &Bootstrap { site: SiteId::from(site_id), branding: site.branding, dialogue })
}
