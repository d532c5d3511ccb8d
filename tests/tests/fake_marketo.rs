//! The fake Marketo behaves as Marketo documents, over real HTTP on loopback: tokens and
//! bearer use, the envelope and its error codes, limits, leads, cookies, activities, bulk
//! extract and fault injection; synthetic leads, streamed export files with damaged rows, and
//! the `fake-marketo` binary. These tests need no wasm build and no network.

use anyhow::{Context, Result, ensure};
use chrono::{DateTime, TimeZone, Utc};
use confab_e2e::fake_marketo::{ExportProgress, FakeMarketo, FakeMarketoConfig, Fault, SYNTHETIC_FIELDS};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::sync::{Arc, Barrier};
use std::time::Duration;

/// A Munchkin cookie as the browser holds it; its `&` must be encoded in a query string.
const COOKIE: &str = "id:561-HYG-937&token:_mch-marketo.com-1427205775289-40768";
const OTHER_COOKIE: &str = "id:561-HYG-937&token:_mch-acme.example-1700000000000-12345";

/// An HTTP answer: status, body as text and as JSON (`Null` when not JSON), and the range
/// header of partial answers.
#[derive(Debug)]
struct Reply {
    status: u16,
    text: String,
    json: Value,
    content_range: Option<String>,
}

impl Reply {
    fn error_code(&self) -> Option<&str> {
        self.json.pointer("/errors/0/code").and_then(Value::as_str)
    }

    fn result(&self) -> &[Value] {
        self.json["result"].as_array().map(Vec::as_slice).unwrap_or_default()
    }

    fn succeeded(&self) -> bool {
        self.status == 200 && self.json["success"] == true
    }
}

fn send(request: ureq::Request, body: Option<&Value>) -> Result<Reply> {
    let result = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(e.into()),
    };
    let status = response.status();
    let content_range = response.header("Content-Range").map(str::to_owned);
    let text = response.into_string()?;
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Reply { status, text, json, content_range })
}

/// `pairs` as an encoded query string, as a careful client builds it.
fn query(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

fn identity(marketo: &FakeMarketo, query_string: &str) -> Result<Reply> {
    send(ureq::get(&format!("{}/oauth/token?{query_string}", marketo.identity_url())), None)
}

/// The identity query with the fake's client credentials.
fn credentials(marketo: &FakeMarketo) -> String {
    query(&[
        ("grant_type", "client_credentials"),
        ("client_id", &marketo.client_id()),
        ("client_secret", &marketo.client_secret()),
    ])
}

fn token(marketo: &FakeMarketo) -> Result<String> {
    let reply = identity(marketo, &credentials(marketo))?;
    ensure!(reply.status == 200, "identity answered {}: {}", reply.status, reply.text);
    Ok(reply.json["access_token"].as_str().context("no access_token")?.to_owned())
}

fn get(marketo: &FakeMarketo, path: &str, token: &str) -> Result<Reply> {
    send(ureq::get(&format!("{}{path}", marketo.url())).set("Authorization", &format!("Bearer {token}")), None)
}

fn post(marketo: &FakeMarketo, path: &str, token: &str, body: &Value) -> Result<Reply> {
    let request = ureq::post(&format!("{}{path}", marketo.url())).set("Authorization", &format!("Bearer {token}"));
    send(request, Some(body))
}

fn leads_by(marketo: &FakeMarketo, token: &str, filter_type: &str, values: &str) -> Result<Reply> {
    get(
        marketo,
        &format!("/rest/v1/leads.json?{}", query(&[("filterType", filter_type), ("filterValues", values)])),
        token,
    )
}

fn start() -> Result<FakeMarketo> {
    FakeMarketo::start(FakeMarketoConfig::default())
}

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).single().unwrap_or_default()
}

fn frozen() -> FakeMarketoConfig {
    FakeMarketoConfig::default().frozen_clock(noon())
}

#[test]
fn a_token_is_issued_and_used_as_a_bearer_header() -> Result<()> {
    let marketo = start()?;
    let q = credentials(&marketo);
    let issued = identity(&marketo, &q)?;
    assert_eq!(issued.status, 200);
    assert_eq!(issued.json["token_type"], "bearer");
    assert_eq!(issued.json["expires_in"], 3600);
    assert!(issued.json["scope"].as_str().is_some_and(|s| !s.is_empty()));
    let token = issued.json["access_token"].as_str().unwrap().to_owned();

    // Asking again while the token is valid returns the same token, as Marketo does.
    let again = identity(&marketo, &q)?;
    assert_eq!(again.json["access_token"], token.as_str());
    assert!(again.json["expires_in"].as_i64().unwrap() <= 3600);
    assert_eq!(marketo.tokens_issued(), 1);

    let described = get(&marketo, "/rest/v1/leads/describe.json", &token)?;
    assert!(described.succeeded(), "{}", described.text);
    assert!(described.json["requestId"].as_str().is_some_and(|id| id.contains('#')));
    let last = marketo.calls().pop().unwrap();
    assert_eq!((last.method.as_str(), last.path.as_str()), ("GET", "/rest/v1/leads/describe.json"));
    assert_eq!(last.bearer.as_deref(), Some(token.as_str()));
    assert_eq!((last.status, last.error_code), (200, None));
    Ok(())
}

#[test]
fn the_access_token_query_parameter_and_unknown_tokens_answer_601() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    let url = format!("{}/rest/v1/leads/describe.json", marketo.url());

    let in_query = send(ureq::get(&format!("{url}?access_token={token}")), None).unwrap();
    assert_eq!((in_query.status, in_query.json["success"].clone()), (200, json!(false)));
    assert_eq!(in_query.error_code(), Some("601"));
    let both =
        send(ureq::get(&format!("{url}?access_token={token}")).set("Authorization", &format!("Bearer {token}")), None);
    assert_eq!(both.unwrap().error_code(), Some("601"));
    assert_eq!(send(ureq::get(&url), None).unwrap().error_code(), Some("601"));
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", "not-a-token")?.error_code(), Some("601"));
    assert!(marketo.calls().iter().filter(|c| !c.is_identity()).all(|c| c.error_code.as_deref() == Some("601")));
    Ok(())
}

#[test]
fn an_expired_token_answers_602_and_the_client_can_renew_it() -> Result<()> {
    let marketo = FakeMarketo::start(frozen())?;
    let first = token(&marketo)?;
    marketo.advance_clock(Duration::from_secs(3599));
    assert!(get(&marketo, "/rest/v1/leads/describe.json", &first)?.succeeded());
    marketo.advance_clock(Duration::from_secs(1));
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &first)?.error_code(), Some("602"));

    let second = token(&marketo)?;
    assert_ne!(first, second);
    assert!(get(&marketo, "/rest/v1/leads/describe.json", &second)?.succeeded());
    assert_eq!(marketo.tokens_issued(), 2);

    // The call log shows the client's behaviour: one 602, a new token, one retry.
    let sequence: Vec<(bool, Option<String>)> =
        marketo.calls().iter().map(|c| (c.is_identity(), c.error_code.clone())).collect();
    assert_eq!(sequence, [(true, None), (false, None), (false, Some("602".to_owned())), (true, None), (false, None)]);

    marketo.expire_tokens();
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &second)?.error_code(), Some("602"));
    Ok(())
}

#[test]
fn a_short_token_lifetime_is_reported_and_enforced() -> Result<()> {
    let marketo = FakeMarketo::start(frozen().token_lifetime(Duration::from_secs(5)))?;
    let q = credentials(&marketo);
    let issued = identity(&marketo, &q)?;
    assert_eq!(issued.json["expires_in"], 5);
    let token = issued.json["access_token"].as_str().unwrap().to_owned();
    marketo.advance_clock(Duration::from_secs(2));
    assert_eq!(identity(&marketo, &q)?.json["expires_in"], 3);
    marketo.advance_clock(Duration::from_secs(3));
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.error_code(), Some("602"));
    Ok(())
}

#[test]
fn bad_credentials_answer_401() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default().client("acme-id", "acme-secret"))?;
    let wrong_secret = identity(&marketo, "grant_type=client_credentials&client_id=acme-id&client_secret=nope")?;
    assert_eq!(wrong_secret.status, 401);
    assert_eq!(wrong_secret.json, json!({ "error": "unauthorized", "error_description": "Bad client credentials" }));
    let wrong_id = identity(&marketo, "grant_type=client_credentials&client_id=other&client_secret=acme-secret")?;
    assert_eq!((wrong_id.status, wrong_id.json["error"].clone()), (401, json!("unauthorized")));
    let wrong_grant = identity(&marketo, "grant_type=password&client_id=acme-id&client_secret=acme-secret")?;
    assert_eq!(wrong_grant.status, 400);
    assert_eq!(
        identity(&marketo, "grant_type=client_credentials&client_id=acme-id&client_secret=acme-secret")?.status,
        200
    );
    Ok(())
}

#[test]
fn leads_are_found_by_email_cookie_and_id() -> Result<()> {
    let marketo = start()?;
    let id = marketo
        .insert_lead(
            json!({ "email": "Ada@Example.test", "firstName": "Ada", "lastName": "Lovelace", "cookies": COOKIE }),
        )
        .unwrap();
    marketo.insert_lead(json!({ "email": "bob@example.test", "firstName": "Bob" })).unwrap();
    let token = token(&marketo)?;

    let by_email = leads_by(&marketo, &token, "email", "ada@example.test")?;
    assert!(by_email.succeeded(), "{}", by_email.text);
    assert_eq!(by_email.result().len(), 1);
    let lead = &by_email.result()[0];
    assert_eq!((lead["id"].as_i64(), lead["firstName"].as_str()), (Some(id), Some("Ada")));
    for default_field in ["id", "email", "updatedAt", "createdAt", "firstName", "lastName"] {
        assert!(lead.get(default_field).is_some(), "{default_field} missing from {lead}");
    }

    let by_cookie = leads_by(&marketo, &token, "cookies", COOKIE)?;
    assert_eq!(by_cookie.result().iter().map(|l| l["id"].as_i64()).collect::<Vec<_>>(), [Some(id)]);

    let by_id = leads_by(&marketo, &token, "id", &format!("{id},999999"))?;
    assert_eq!(by_id.result().len(), 1);

    let path = format!(
        "/rest/v1/leads.json?{}",
        query(&[("filterType", "id"), ("filterValues", &id.to_string()), ("fields", "email,company")])
    );
    let chosen = get(&marketo, &path, &token)?;
    assert_eq!(chosen.result()[0], json!({ "email": "Ada@Example.test", "company": null }));

    assert!(leads_by(&marketo, &token, "email", "nobody@example.test")?.result().is_empty());
    assert_eq!(leads_by(&marketo, &token, "firstName", "Ada")?.error_code(), Some("1011"));
    Ok(())
}

#[test]
fn a_cookie_must_arrive_with_its_ampersand_encoded() -> Result<()> {
    let marketo = start()?;
    let id = marketo.insert_lead(json!({ "email": "ada@example.test", "cookies": [COOKIE] })).unwrap();
    let token = token(&marketo)?;

    let encoded = leads_by(&marketo, &token, "cookies", COOKIE)?;
    assert_eq!(encoded.result()[0]["id"].as_i64(), Some(id));
    let call = marketo.calls().pop().unwrap();
    assert!(call.query.contains("%26token%3A"), "{}", call.query);
    assert_eq!(call.param("filterValues"), Some(COOKIE));

    // Unencoded, the `&` splits the cookie: Marketo sees `id:561-HYG-937` and rejects it.
    let raw = get(&marketo, &format!("/rest/v1/leads.json?filterType=cookies&filterValues={COOKIE}"), &token)?;
    assert!(raw.succeeded());
    assert_eq!(raw.result().len(), 1);
    assert_eq!(raw.result()[0]["status"], "skipped");
    assert_eq!(raw.result()[0]["reasons"][0]["code"], "1012");
    Ok(())
}

#[test]
fn a_malformed_cookie_is_skipped_with_1012() -> Result<()> {
    let marketo = start()?;
    let id = marketo.insert_lead(json!({ "email": "ada@example.test", "cookies": COOKIE })).unwrap();
    let token = token(&marketo)?;
    let reply = leads_by(&marketo, &token, "cookies", &format!("not-a-cookie,{COOKIE}"))?;
    assert!(reply.succeeded(), "{}", reply.text);
    let result = reply.result();
    assert_eq!(result.len(), 2);
    assert_eq!(result[0]["status"], "skipped");
    assert_eq!(result[0]["reasons"][0]["code"], "1012");
    assert!(result[0]["reasons"][0]["message"].as_str().unwrap().contains("not-a-cookie"));
    assert_eq!(result[1]["id"].as_i64(), Some(id));
    Ok(())
}

#[test]
fn create_or_update_creates_then_updates() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    let body = json!({ "input": [{ "email": "ada@example.test", "firstName": "Ada" }] });
    let created = post(&marketo, "/rest/v1/leads.json", &token, &body)?;
    assert!(created.succeeded(), "{}", created.text);
    assert_eq!(created.result()[0]["status"], "created");
    let id = created.result()[0]["id"].as_i64().unwrap();

    let body = json!({ "action": "createOrUpdate", "lookupField": "email", "input": [{ "email": "ADA@example.test", "firstName": "Augusta" }] });
    let updated = post(&marketo, "/rest/v1/leads.json", &token, &body)?;
    assert_eq!(updated.result()[0], json!({ "id": id, "status": "updated" }));
    assert_eq!(marketo.lead(id).unwrap()["firstName"], "Augusta");
    assert_eq!(marketo.leads().len(), 1);

    let body = json!({ "action": "createOnly", "input": [{ "email": "ada@example.test" }] });
    assert_eq!(post(&marketo, "/rest/v1/leads.json", &token, &body)?.result()[0]["reasons"][0]["code"], "1005");
    let body = json!({ "action": "updateOnly", "input": [{ "email": "nobody@example.test" }] });
    assert_eq!(post(&marketo, "/rest/v1/leads.json", &token, &body)?.result()[0]["reasons"][0]["code"], "1004");
    let body = json!({ "input": [{ "email": "eve@example.test", "shoeSize": 42 }, { "email": "eve@example.test" }] });
    let mixed = post(&marketo, "/rest/v1/leads.json", &token, &body)?;
    assert_eq!(mixed.result()[0]["reasons"][0]["code"], "1006");
    assert_eq!(mixed.result()[1]["status"], "created");

    // Marketo wants a JSON content type.
    let plain = ureq::post(&format!("{}/rest/v1/leads.json", marketo.url()))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "text/plain");
    let plain = send(plain, None).unwrap();
    assert_eq!(plain.error_code(), Some("612"));
    Ok(())
}

#[test]
fn create_or_update_takes_at_most_300_records() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    let records = |n: usize| -> Value {
        json!({ "input": (0..n).map(|i| json!({ "email": format!("lead{i}@example.test") })).collect::<Vec<_>>() })
    };
    let too_many = post(&marketo, "/rest/v1/leads.json", &token, &records(301))?;
    assert_eq!((too_many.status, too_many.json["success"].clone()), (200, json!(false)));
    assert_eq!(too_many.error_code(), Some("1003"));
    assert!(marketo.leads().is_empty());

    let most = post(&marketo, "/rest/v1/leads.json", &token, &records(300))?;
    assert_eq!(most.result().len(), 300);
    assert!(most.result().iter().all(|r| r["status"] == "created"));
    Ok(())
}

#[test]
fn associating_a_cookie_makes_the_lead_known_by_it() -> Result<()> {
    let marketo = start()?;
    let id = marketo.insert_lead(json!({ "email": "ada@example.test" })).unwrap();
    let token = token(&marketo)?;
    assert!(leads_by(&marketo, &token, "cookies", OTHER_COOKIE)?.result().is_empty());

    let path = format!("/rest/v1/leads/{id}/associate.json?{}", query(&[("cookie", OTHER_COOKIE)]));
    let associated = post(&marketo, &path, &token, &json!({}))?;
    assert!(associated.succeeded(), "{}", associated.text);
    let found = leads_by(&marketo, &token, "cookies", OTHER_COOKIE)?;
    assert_eq!(found.result()[0]["id"].as_i64(), Some(id));
    assert_eq!(marketo.lead(id).unwrap()["cookies"], "_mch-acme.example-1700000000000-12345");

    let malformed = format!("/rest/v1/leads/{id}/associate.json?cookie=garbage");
    assert_eq!(post(&marketo, &malformed, &token, &json!({}))?.error_code(), Some("1012"));
    let unknown = format!("/rest/v1/leads/424242/associate.json?{}", query(&[("cookie", OTHER_COOKIE)]));
    assert_eq!(post(&marketo, &unknown, &token, &json!({}))?.error_code(), Some("1004"));
    Ok(())
}

#[test]
fn describe_lists_the_lead_fields() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default().custom_field("chatScore", "integer", "Chat Score"))?;
    let token = token(&marketo)?;
    let described = get(&marketo, "/rest/v1/leads/describe.json", &token)?;
    assert!(described.succeeded());
    let field = |name: &str| described.result().iter().find(|f| f["rest"]["name"] == name).cloned();
    let email = field("email").expect("email is described");
    assert_eq!((email["dataType"].as_str(), email["displayName"].as_str()), (Some("email"), Some("Email Address")));
    assert_eq!(email["rest"]["readOnly"], false);
    assert_eq!(field("id").unwrap()["rest"]["readOnly"], true);
    assert_eq!(field("chatScore").unwrap()["dataType"], "integer");
    assert!(described.result().iter().all(|f| f["id"].is_number() && f["displayName"].is_string()));

    // The custom field can be written and searched.
    let body = json!({ "input": [{ "email": "ada@example.test", "chatScore": 3 }] });
    assert_eq!(post(&marketo, "/rest/v1/leads.json", &token, &body)?.result()[0]["status"], "created");
    assert_eq!(leads_by(&marketo, &token, "chatScore", "3")?.result().len(), 1);
    Ok(())
}

#[test]
fn unknown_resources_and_methods_answer_610_and_605() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    assert_eq!(get(&marketo, "/rest/v1/nothing.json", &token)?.error_code(), Some("610"));
    assert_eq!(get(&marketo, "/rest/v1/activities/external.json", &token)?.error_code(), Some("605"));
    Ok(())
}

#[test]
fn custom_activities_are_recorded_with_a_status_per_record() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default().activity_type(100_001))?;
    let lead = marketo.insert_lead(json!({ "email": "ada@example.test" })).unwrap();
    let token = token(&marketo)?;
    let activity = |lead_id: i64, type_id: i64| {
        json!({
            "leadId": lead_id,
            "activityDate": "2026-03-02T12:00:00Z",
            "activityTypeId": type_id,
            "primaryAttributeValue": "Pricing dialogue",
            "attributes": [{ "apiName": "goal", "value": "booked" }],
        })
    };
    let body = json!({ "input": [activity(lead, 100_001), activity(987_654, 100_001), activity(lead, 7)] });
    let reply = post(&marketo, "/rest/v1/activities/external.json", &token, &body)?;
    assert!(reply.succeeded(), "{}", reply.text);
    let result = reply.result();
    assert_eq!(result[0]["status"], "added");
    assert!(result[0]["marketoGUID"].is_string());
    assert_eq!(result[1]["status"], "skipped");
    assert_eq!(result[1]["reasons"][0]["code"], "1004");
    assert_eq!(result[2]["status"], "skipped");

    let recorded = marketo.activities();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].lead_id, recorded[0].activity_type_id), (lead, 100_001));
    assert_eq!(recorded[0].primary_attribute_value, "Pricing dialogue");
    assert_eq!(recorded[0].attribute("goal"), Some(&json!("booked")));
    Ok(())
}

#[test]
fn one_kept_alive_connection_serves_many_calls_and_chunked_bodies() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    let agent = ureq::AgentBuilder::new().max_idle_connections_per_host(1).build();
    for _ in 0..5 {
        let request = agent
            .get(&format!("{}/rest/v1/leads/describe.json", marketo.url()))
            .set("Authorization", &format!("Bearer {token}"));
        assert!(send(request, None)?.succeeded());
    }
    // ureq sends a body read from a reader with chunked transfer encoding.
    let body = json!({ "input": [{ "email": "ada@example.test" }] }).to_string();
    let response = agent
        .post(&format!("{}/rest/v1/leads.json", marketo.url()))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json")
        .send(std::io::Cursor::new(body.into_bytes()))?;
    let created: Value = serde_json::from_str(&response.into_string()?)?;
    assert_eq!(created["result"][0]["status"], "created");
    assert_eq!(marketo.calls().last().map(|c| c.body.contains("ada@example.test")), Some(true));
    Ok(())
}

#[test]
fn more_than_100_calls_in_20_seconds_answer_606() -> Result<()> {
    let marketo = FakeMarketo::start(frozen())?;
    let token = token(&marketo)?;
    for i in 0..100 {
        assert!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.succeeded(), "call {i}");
    }
    let limited = get(&marketo, "/rest/v1/leads/describe.json", &token)?;
    assert_eq!(limited.error_code(), Some("606"));
    assert_eq!(marketo.max_calls_in(Duration::from_secs(20)), 101);

    marketo.advance_clock(Duration::from_secs(19));
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.error_code(), Some("606"));
    marketo.advance_clock(Duration::from_secs(1));
    assert!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.succeeded());
    Ok(())
}

#[test]
fn an_eleventh_concurrent_call_answers_615() -> Result<()> {
    let marketo = Arc::new(FakeMarketo::start(FakeMarketoConfig::default().delay(Duration::from_secs(3)))?);
    let token = token(&marketo)?;
    let barrier = Arc::new(Barrier::new(11));
    let handles: Vec<_> = (0..11)
        .map(|_| {
            let (marketo, token, barrier) = (marketo.clone(), token.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                get(&marketo, "/rest/v1/leads/describe.json", &token)
            })
        })
        .collect();
    let replies: Vec<Reply> = handles.into_iter().map(|h| h.join().unwrap()).collect::<Result<_>>()?;
    let served = replies.iter().filter(|r| r.succeeded()).count();
    let refused = replies.iter().filter(|r| r.error_code() == Some("615")).count();
    assert_eq!((served, refused), (10, 1));
    assert_eq!(marketo.max_in_flight(), 10);
    Ok(())
}

#[test]
fn the_daily_quota_answers_607_until_midnight_central_time() -> Result<()> {
    let marketo = FakeMarketo::start(frozen().daily_quota(3))?;
    let token = token(&marketo)?;
    for _ in 0..3 {
        assert!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.succeeded());
    }
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.error_code(), Some("607"));
    // Noon UTC is 06:00 CST, so midnight UTC is still the same Marketo day. Tokens live an
    // hour, so the client renews its token after each jump (identity calls are not counted).
    marketo.advance_clock(Duration::from_secs(12 * 3600));
    let token = self::token(&marketo)?;
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.error_code(), Some("607"));
    marketo.advance_clock(Duration::from_secs(6 * 3600));
    let token = self::token(&marketo)?;
    assert!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.succeeded());
    Ok(())
}

#[test]
fn injected_faults_answer_608_611_http_errors_and_timeouts() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    marketo.inject(Fault::Marketo(608), 1);
    marketo.inject(Fault::Marketo(611), 1);
    marketo.inject(Fault::Http(500), 1);
    marketo.inject(Fault::Timeout(Duration::from_secs(2)), 1);

    let unavailable = get(&marketo, "/rest/v1/leads/describe.json", &token)?;
    assert_eq!((unavailable.status, unavailable.error_code()), (200, Some("608")));
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.error_code(), Some("611"));
    assert_eq!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.status, 500);
    let impatient = ureq::get(&format!("{}/rest/v1/leads/describe.json", marketo.url()))
        .set("Authorization", &format!("Bearer {token}"))
        .timeout(Duration::from_millis(300));
    let timed_out = send(impatient, None).unwrap_err();
    assert!(matches!(timed_out.downcast_ref::<ureq::Error>(), Some(ureq::Error::Transport(_))), "{timed_out}");
    assert!(get(&marketo, "/rest/v1/leads/describe.json", &token)?.succeeded());

    marketo.inject_identity(Fault::Http(502), 1);
    let q = credentials(&marketo);
    assert_eq!(identity(&marketo, &q)?.status, 502);
    assert_eq!(identity(&marketo, &q)?.status, 200);
    Ok(())
}

fn create_export(marketo: &FakeMarketo, token: &str, start_at: &str, end_at: &str) -> Result<Reply> {
    let body = json!({
        "fields": ["id", "email", "firstName", "company"],
        "format": "CSV",
        "columnHeaderNames": { "id": "Marketo Id" },
        "filter": { "updatedAt": { "startAt": start_at, "endAt": end_at } },
    });
    post(marketo, "/bulk/v1/leads/export/create.json", token, &body)
}

fn export_path(id: &str, action: &str) -> String {
    format!("/bulk/v1/leads/export/{id}/{action}.json")
}

#[test]
fn a_bulk_extract_runs_from_created_to_a_csv_file() -> Result<()> {
    let marketo = FakeMarketo::start(frozen())?;
    let ada = marketo
        .insert_lead(json!({ "email": "ada@example.test", "firstName": "Ada, \"the Countess\"", "updatedAt": "2026-02-10T09:00:00Z" }))
        .unwrap();
    let bob = marketo
        .insert_lead(json!({ "email": "bob@example.test", "firstName": "Line\nbreak", "company": "Acme", "updatedAt": "2026-02-20T09:00:00Z" }))
        .unwrap();
    marketo.insert_lead(json!({ "email": "old@example.test", "updatedAt": "2026-01-05T09:00:00Z" })).unwrap();
    let token = token(&marketo)?;

    let created = create_export(&marketo, &token, "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z")?;
    assert!(created.succeeded(), "{}", created.text);
    assert_eq!(created.result()[0]["status"], "Created");
    let id = created.result()[0]["exportId"].as_str().unwrap().to_owned();
    assert_eq!(get(&marketo, &export_path(&id, "status"), &token)?.result()[0]["status"], "Created");
    assert_eq!(get(&marketo, &export_path(&id, "file"), &token)?.status, 404);

    let queued = post(&marketo, &export_path(&id, "enqueue"), &token, &json!({}))?;
    assert_eq!(queued.result()[0]["status"], "Queued");
    assert_eq!(get(&marketo, &export_path(&id, "status"), &token)?.result()[0]["status"], "Processing");
    let done = get(&marketo, &export_path(&id, "status"), &token)?;
    let status = &done.result()[0];
    assert_eq!(status["status"], "Completed");
    assert_eq!(status["numberOfRecords"], 2);

    let file = get(&marketo, &export_path(&id, "file"), &token)?;
    assert_eq!(file.status, 200);
    let expected = format!(
        "Marketo Id,email,firstName,company\r\n\
         {ada},ada@example.test,\"Ada, \"\"the Countess\"\"\",null\r\n\
         {bob},bob@example.test,\"Line\nbreak\",Acme\r\n"
    );
    assert_eq!(file.text, expected);
    assert_eq!(status["fileSize"], expected.len());
    let digest: String = Sha256::digest(expected.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(status["fileChecksum"], format!("sha256:{digest}"));

    let part = send(
        ureq::get(&format!("{}{}", marketo.url(), export_path(&id, "file")))
            .set("Authorization", &format!("Bearer {token}"))
            .set("Range", "bytes=0-9"),
        None,
    )
    .unwrap();
    assert_eq!(part.status, 206);
    assert_eq!(part.text, expected[..10]);
    assert_eq!(part.content_range, Some(format!("bytes 0-9/{}", expected.len())));
    Ok(())
}

#[test]
fn unknown_export_ids_are_refused() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    assert_eq!(get(&marketo, &export_path("no-such-job", "status"), &token)?.error_code(), Some("1003"));
    assert_eq!(post(&marketo, &export_path("no-such-job", "enqueue"), &token, &json!({}))?.error_code(), Some("1003"));
    let file = get(&marketo, &export_path("no-such-job", "file"), &token)?;
    assert_eq!(file.status, 404);
    assert!(file.text.contains("no-such-job"));
    Ok(())
}

#[test]
fn an_export_window_longer_than_31_days_answers_1003() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    assert!(create_export(&marketo, &token, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z")?.succeeded());
    let too_long = create_export(&marketo, &token, "2026-01-01T00:00:00Z", "2026-02-01T00:00:01Z")?;
    assert_eq!(too_long.error_code(), Some("1003"));
    let backwards = create_export(&marketo, &token, "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z")?;
    assert_eq!(backwards.error_code(), Some("1003"));
    Ok(())
}

#[test]
fn at_most_2_exports_run_and_10_wait_in_the_queue() -> Result<()> {
    let marketo = start()?;
    let token = token(&marketo)?;
    let mut ids = Vec::new();
    for _ in 0..11 {
        let created = create_export(&marketo, &token, "2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z")?;
        ids.push(created.result()[0]["exportId"].as_str().unwrap().to_owned());
    }
    for id in &ids[..10] {
        assert_eq!(post(&marketo, &export_path(id, "enqueue"), &token, &json!({}))?.result()[0]["status"], "Queued");
    }
    let full = post(&marketo, &export_path(&ids[10], "enqueue"), &token, &json!({}))?;
    assert_eq!(full.error_code(), Some("1029"));
    assert_eq!(full.json["errors"][0]["message"], "Too many jobs in queue");
    assert_eq!(post(&marketo, &export_path(&ids[0], "enqueue"), &token, &json!({}))?.error_code(), Some("1029"));

    // Polling the newest job starts the two oldest; it keeps waiting.
    assert_eq!(get(&marketo, &export_path(&ids[9], "status"), &token)?.result()[0]["status"], "Queued");
    let statuses = || ids.iter().map(|id| marketo.export_status(id).unwrap()).collect::<Vec<_>>();
    assert_eq!(statuses().iter().filter(|s| **s == "Processing").count(), 2);
    assert_eq!(statuses()[..2], ["Processing", "Processing"]);

    // One completes: the next starts, and the queue has room again.
    assert_eq!(get(&marketo, &export_path(&ids[0], "status"), &token)?.result()[0]["status"], "Completed");
    assert_eq!(statuses()[..3], ["Completed", "Processing", "Processing"]);
    assert_eq!(post(&marketo, &export_path(&ids[10], "enqueue"), &token, &json!({}))?.result()[0]["status"], "Queued");

    marketo.finish_exports();
    assert!(statuses().iter().all(|s| *s == "Completed"));
    Ok(())
}

#[test]
fn manual_export_progress_moves_only_on_the_test_hook() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default().export_progress(ExportProgress::Manual))?;
    let token = token(&marketo)?;
    let created = create_export(&marketo, &token, "2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z")?;
    let id = created.result()[0]["exportId"].as_str().unwrap().to_owned();
    post(&marketo, &export_path(&id, "enqueue"), &token, &json!({}))?;
    for _ in 0..3 {
        assert_eq!(get(&marketo, &export_path(&id, "status"), &token)?.result()[0]["status"], "Queued");
    }
    marketo.advance_exports();
    assert_eq!(marketo.export_status(&id), Some("Processing"));
    marketo.advance_exports();
    assert_eq!(get(&marketo, &export_path(&id, "status"), &token)?.result()[0]["status"], "Completed");
    Ok(())
}

/// Big enough to run a whole export of many windows without meeting the rate limit.
fn unlimited(config: FakeMarketoConfig) -> FakeMarketoConfig {
    config.rate_limit(100_000, Duration::from_secs(20))
}

/// Lead `i`'s synthetic email.
fn synthetic_email(i: u64) -> String {
    format!("lead{i}@example{}.test", i % 97)
}

/// An export file or part of one: status, `Content-Range` and bytes.
fn download(
    marketo: &FakeMarketo,
    token: &str,
    id: &str,
    range: Option<&str>,
) -> Result<(u16, Option<String>, Vec<u8>)> {
    let mut request = ureq::get(&format!("{}{}", marketo.url(), export_path(id, "file")))
        .set("Authorization", &format!("Bearer {token}"));
    if let Some(range) = range {
        request = request.set("Range", range);
    }
    let response = match request.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(e.into()),
    };
    let (status, content_range) = (response.status(), response.header("Content-Range").map(str::to_owned));
    let mut bytes = Vec::new();
    response.into_reader().read_to_end(&mut bytes)?;
    Ok((status, content_range, bytes))
}

/// Runs one export job of `fields` filtered on `filter` over `[start, end]` to completion;
/// returns its id and final status.
fn run_export(
    marketo: &FakeMarketo,
    token: &str,
    fields: &[&str],
    filter: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(String, Value)> {
    let stamp = |at: DateTime<Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let body = json!({ "fields": fields, "filter": { filter: { "startAt": stamp(start), "endAt": stamp(end) } } });
    let created = post(marketo, "/bulk/v1/leads/export/create.json", token, &body)?;
    ensure!(created.succeeded(), "create: {}", created.text);
    let id = created.result()[0]["exportId"].as_str().context("no exportId")?.to_owned();
    let queued = post(marketo, &export_path(&id, "enqueue"), token, &json!({}))?;
    ensure!(queued.succeeded(), "enqueue: {}", queued.text);
    for _ in 0..5 {
        let status = get(marketo, &export_path(&id, "status"), token)?;
        if status.result()[0]["status"] == "Completed" {
            return Ok((id, status.result()[0].clone()));
        }
    }
    anyhow::bail!("export {id} did not complete")
}

/// RFC 4180 records (quotes, doubled quotes, separators and line breaks inside quotes, CRLF).
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                was_quoted = false;
            }
            c => field.push(c),
        }
    }
    ensure!(!quoted, "unterminated quoted field");
    ensure!(field.is_empty() && record.is_empty(), "the last record has no line break");
    Ok(records)
}

/// Exports `fields` of every lead through windows of 31 days covering the two years before
/// noon, checks each file against its status, and returns the header and every data record.
fn export_everything(
    marketo: &FakeMarketo,
    token: &str,
    fields: &[&str],
    filter: &str,
) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let window = chrono::TimeDelta::days(31);
    let mut start = noon() - chrono::TimeDelta::days(730);
    let (mut header, mut rows, mut windows) = (Vec::new(), Vec::new(), 0);
    while start <= noon() {
        let end = (start + window - chrono::TimeDelta::seconds(1)).min(noon());
        let (id, status) = run_export(marketo, token, fields, filter, start, end)?;
        let (code, _, bytes) = download(marketo, token, &id, None)?;
        ensure!(code == 200, "file of {id}: {code}");
        assert_eq!(status["fileSize"], bytes.len(), "fileSize of {id}");
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(status["fileChecksum"], format!("sha256:{digest}"));
        let mut records = parse_csv(std::str::from_utf8(&bytes)?)?.into_iter();
        header = records.next().context("no header")?;
        let records: Vec<Vec<String>> = records.collect();
        assert_eq!(status["numberOfRecords"], records.len(), "numberOfRecords of {id}");
        rows.extend(records);
        windows += 1;
        start += window;
    }
    assert_eq!(windows, 24);
    Ok((header, rows))
}

#[test]
fn synthetic_leads_are_found_by_id_and_email_and_can_be_overridden() -> Result<()> {
    let config = frozen().synthetic_leads(1_000_000).custom_field("chatTopic", "string", "Chat Topic");
    let marketo = FakeMarketo::start(config.clone())?;
    let token = token(&marketo)?;

    let by_id = leads_by(&marketo, &token, "id", "1,777777,1000000,1000001")?;
    let ids: Vec<Option<i64>> = by_id.result().iter().map(|l| l["id"].as_i64()).collect();
    assert_eq!(ids, [Some(1), Some(777_777), Some(1_000_000)]);
    let lead = &by_id.result()[1];
    assert_eq!(lead["email"], synthetic_email(777_777));
    for field in ["firstName", "lastName", "updatedAt", "createdAt"] {
        assert!(lead[field].as_str().is_some_and(|v| !v.is_empty()), "{field} in {lead}");
    }
    let updated = DateTime::parse_from_rfc3339(lead["updatedAt"].as_str().unwrap())?.with_timezone(&Utc);
    assert!(noon() - chrono::TimeDelta::days(730) <= updated && updated < noon(), "{updated}");

    let by_email = leads_by(&marketo, &token, "email", &synthetic_email(777_777).to_uppercase())?;
    assert_eq!(by_email.result().len(), 1);
    assert_eq!(by_email.result()[0]["id"], 777_777);
    assert!(leads_by(&marketo, &token, "email", "lead777777@example1.test")?.result().is_empty());
    assert!(leads_by(&marketo, &token, "email", &synthetic_email(1_000_001))?.result().is_empty());
    assert_eq!(leads_by(&marketo, &token, "chatTopic", "chatTopic-5")?.result()[0]["id"], 5);

    let path = format!("/rest/v1/lead/42.json?{}", query(&[("fields", &SYNTHETIC_FIELDS.join(","))]));
    let one = get(&marketo, &path, &token)?;
    let lead = one.result()[0].as_object().context("a lead")?;
    assert_eq!(lead.len(), 20);
    assert_eq!(lead["email"], "lead42@example42.test");
    assert!(lead["leadScore"].is_i64() && lead["numberOfEmployees"].is_i64() && lead["city"].is_string());
    // Computed from the id alone: another fake holds the same lead.
    assert_eq!(FakeMarketo::start(config)?.lead(12_345), marketo.lead(12_345));
    assert!(marketo.leads().is_empty());

    // Written or seeded leads take the synthetic ones' places.
    let body = json!({ "input": [
        { "email": synthetic_email(5), "firstName": "Override" },
        { "email": "new@example.test" },
    ] });
    let synced = post(&marketo, "/rest/v1/leads.json", &token, &body)?;
    assert_eq!(synced.result()[0], json!({ "id": 5, "status": "updated" }));
    assert_eq!(synced.result()[1], json!({ "id": 1_000_001, "status": "created" }));
    assert_eq!(marketo.lead(5).unwrap()["firstName"], "Override");
    assert_eq!(marketo.lead(5).unwrap()["company"], marketo.lead(5).unwrap()["company"]);
    assert_eq!(leads_by(&marketo, &token, "email", &synthetic_email(5))?.result().len(), 1);
    marketo.insert_lead(json!({ "id": 7, "email": "seven@example.test" })).unwrap();
    assert!(leads_by(&marketo, &token, "email", &synthetic_email(7))?.result().is_empty());
    assert_eq!(leads_by(&marketo, &token, "id", "7")?.result()[0]["email"], "seven@example.test");
    assert_eq!(marketo.leads().len(), 3);
    Ok(())
}

#[test]
fn a_full_synthetic_export_over_all_windows_returns_every_lead_once() -> Result<()> {
    let marketo = FakeMarketo::start(unlimited(frozen().synthetic_leads(50_000)))?;
    let token = token(&marketo)?;
    let body = json!({ "input": [{ "email": synthetic_email(10), "firstName": "Overridden" }] });
    assert_eq!(post(&marketo, "/rest/v1/leads.json", &token, &body)?.result()[0]["status"], "updated");

    let (header, rows) = export_everything(&marketo, &token, &SYNTHETIC_FIELDS, "updatedAt")?;
    assert_eq!(header, SYNTHETIC_FIELDS);
    assert!(rows.iter().all(|r| r.len() == 20));
    let mut ids: Vec<i64> = rows.iter().map(|r| r[0].parse()).collect::<Result<_, _>>()?;
    ids.sort_unstable();
    assert_eq!(ids, (1..=50_000).collect::<Vec<i64>>());
    let expected = marketo.export_expectation(&SYNTHETIC_FIELDS);
    assert_eq!((expected.valid, expected.corrupt), (50_000, 0));

    let overridden = rows.iter().find(|r| r[0] == "10").context("lead 10")?;
    assert_eq!(overridden[2], "Overridden");
    let lead = marketo.lead(123).unwrap();
    let row = rows.iter().find(|r| r[0] == "123").context("lead 123")?;
    for (field, cell) in SYNTHETIC_FIELDS.iter().zip(row) {
        let value = match &lead[*field] {
            Value::String(s) => s.clone(),
            Value::Null => "null".to_owned(),
            other => other.to_string(),
        };
        assert_eq!(&value, cell, "{field}");
    }
    Ok(())
}

#[test]
fn an_export_file_resumes_from_a_byte_offset() -> Result<()> {
    let marketo = FakeMarketo::start(frozen().synthetic_leads(20_000).corrupt_rows(50))?;
    let token = token(&marketo)?;
    let start = noon() - chrono::TimeDelta::days(31);
    let (id, status) = run_export(&marketo, &token, &SYNTHETIC_FIELDS, "updatedAt", start, noon())?;
    let (code, _, whole) = download(&marketo, &token, &id, None)?;
    assert_eq!(code, 200);
    assert_eq!(status["fileSize"], whole.len());
    assert!(whole.len() > 100_000, "{}", whole.len());
    let total = whole.len();

    for from in [1, 1000, total / 2, total - 1] {
        let (code, range, part) = download(&marketo, &token, &id, Some(&format!("bytes={from}-")))?;
        assert_eq!(code, 206);
        assert_eq!(range, Some(format!("bytes {from}-{}/{total}", total - 1)));
        assert!(part == whole[from..], "the suffix from {from} differs");
    }
    let (code, _, part) = download(&marketo, &token, &id, Some("bytes=5000-5999"))?;
    assert_eq!(code, 206);
    assert!(part == whole[5000..6000]);
    let (code, _, part) = download(&marketo, &token, &id, Some("bytes=-10"))?;
    assert_eq!(code, 206);
    assert!(part == whole[total - 10..]);
    let (code, range, _) = download(&marketo, &token, &id, Some(&format!("bytes={total}-")))?;
    assert_eq!((code, range), (416, Some(format!("bytes */{total}"))));
    Ok(())
}

/// Whether a record of `fields` is one a correct ingester accepts (`null` is an empty value).
fn acceptable(fields: &[&str], record: &[String]) -> bool {
    record.len() == fields.len()
        && fields.iter().zip(record).all(|(field, cell)| match *field {
            "id" => cell.parse::<i64>().is_ok(),
            "leadScore" | "numberOfEmployees" => cell == "null" || cell.parse::<i64>().is_ok(),
            "email" => {
                cell.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !cell.contains(' '))
            }
            _ => true,
        })
}

#[test]
fn corrupt_rows_are_in_the_export_as_announced() -> Result<()> {
    let marketo = FakeMarketo::start(unlimited(frozen().synthetic_leads(6_000).corrupt_rows(7)))?;
    marketo.insert_lead(json!({ "email": "ada@example.test", "updatedAt": "2026-02-10T09:00:00Z" })).unwrap();
    let token = token(&marketo)?;

    let (_, rows) = export_everything(&marketo, &token, &SYNTHETIC_FIELDS, "updatedAt")?;
    let expected = marketo.export_expectation(&SYNTHETIC_FIELDS);
    let valid = rows.iter().filter(|r| acceptable(&SYNTHETIC_FIELDS, r)).count() as u64;
    assert_eq!((valid, rows.len() as u64 - valid), (expected.valid, expected.corrupt));
    assert_eq!(expected.valid + expected.corrupt, 6_001);
    // 857 damaged leads: one in six is the valid control, with a line break inside quotes.
    assert_eq!((expected.corrupt, expected.tricky), (714, 143));
    let tricky = rows.iter().filter(|r| acceptable(&SYNTHETIC_FIELDS, r) && r.iter().any(|c| c.contains('\n')));
    assert_eq!(tricky.count() as u64, expected.tricky);

    // Every kind of damage is there.
    let count = |test: &dyn Fn(&Vec<String>) -> bool| rows.iter().filter(|r| test(r)).count();
    assert!(count(&|r| r.len() == 21) > 0, "a column too many");
    assert!(count(&|r| r.len() == 19) > 0, "a column too few");
    assert!(count(&|r| r.len() == 20 && r[0].starts_with("id-")) > 0, "an id that is not an integer");
    let score = SYNTHETIC_FIELDS.iter().position(|f| *f == "leadScore").context("leadScore")?;
    assert!(count(&|r| r.len() == 20 && r[score] == "lots") > 0, "a non-integer in an integer field");
    assert!(count(&|r| r.len() == 20 && r[1].contains(" at ")) > 0, "an email that is not an email");

    // With fewer fields, damages the fields cannot carry become a column too many, and the
    // control (no text field to hold a line break) a plain row.
    let few = ["email", "leadScore"];
    let (_, rows) = export_everything(&marketo, &token, &few, "createdAt")?;
    let expected = marketo.export_expectation(&few);
    let valid = rows.iter().filter(|r| acceptable(&few, r)).count() as u64;
    assert_eq!((valid, rows.len() as u64 - valid), (expected.valid, expected.corrupt));
    assert_eq!((expected.valid, expected.corrupt, expected.tricky), (6_001 - 714, 714, 0));
    Ok(())
}

#[test]
fn the_binary_prints_its_url_serves_and_stops_when_stdin_closes() -> Result<()> {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-marketo"))
        .args(["--leads", "1000", "--corrupt-every", "7", "--rate-window-ms", "1000", "--token-lifetime-s", "60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
    let mut words = line.split_whitespace();
    let url = words.next().and_then(|w| w.strip_prefix("FAKE_MARKETO_URL=")).context("no URL")?.to_owned();
    let id = words.next().and_then(|w| w.strip_prefix("client_id=")).context("no client_id")?;
    let secret = words.next().and_then(|w| w.strip_prefix("client_secret=")).context("no client_secret")?;
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");

    let q = query(&[("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret)]);
    let issued = send(ureq::get(&format!("{url}/identity/oauth/token?{q}")), None)?;
    assert_eq!(issued.json["expires_in"], 60);
    let token = issued.json["access_token"].as_str().context("a token")?;
    let lead =
        send(ureq::get(&format!("{url}/rest/v1/lead/5.json")).set("Authorization", &format!("Bearer {token}")), None)?;
    assert_eq!(lead.result()[0]["email"], synthetic_email(5));

    let fields = "id,email,firstName";
    let expected = FakeMarketo::start(FakeMarketoConfig::default().synthetic_leads(1000).corrupt_rows(7))?
        .export_expectation(&fields.split(',').collect::<Vec<_>>());
    let control = send(ureq::get(&format!("{url}/__fake/expectation?fields={fields}")), None)?;
    assert_eq!(
        control.json,
        json!({ "valid": expected.valid, "corrupt": expected.corrupt, "tricky": expected.tricky })
    );
    let advanced = send(ureq::post(&format!("{url}/__fake/advance-clock?seconds=61")), Some(&json!({})))?;
    assert_eq!(advanced.status, 200);
    let expired =
        send(ureq::get(&format!("{url}/rest/v1/lead/5.json")).set("Authorization", &format!("Bearer {token}")), None)?;
    assert_eq!(expired.error_code(), Some("602"));

    drop(child.stdin.take());
    for _ in 0..100 {
        if let Some(status) = child.try_wait()? {
            assert!(status.success(), "{status}");
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill()?;
    anyhow::bail!("the fake did not stop when its stdin closed")
}
