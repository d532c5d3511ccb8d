//! The Radicale harness works, and what Radicale 3.9.0 answers is pinned: recurrence expansion
//! in `calendar-query`, the `free-busy-query` REPORT, the shape of its `207 Multi-Status`, and
//! its answers to a wrong password, a missing resource and conflicting writes. These tests need
//! Radicale installed (`cargo xtask test` does it) and no network.

use anyhow::{Context, Result, ensure};
use confab_e2e::radicale::{Radicale, USERS, parse_multistatus};

/// Builds an iCalendar object from content lines, CRLF-terminated.
fn ics(lines: &[&str]) -> String {
    let mut text = String::new();
    for line in
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Confab//Tests//EN"].iter().chain(lines).chain(&["END:VCALENDAR"])
    {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text
}

/// A one-off event in UTC.
fn event(uid: &str, start: &str, end: &str, extra: &[&str]) -> String {
    let uid = format!("UID:{uid}");
    let start = format!("DTSTART:{start}");
    let end = format!("DTEND:{end}");
    let mut lines = vec!["BEGIN:VEVENT", &uid, "DTSTAMP:20261101T000000Z", &start, &end];
    lines.extend(extra);
    lines.push("END:VEVENT");
    ics(&lines)
}

/// A daily stand-up at 15:00 UTC, five times from 1 December 2026.
fn daily() -> String {
    event("daily@test", "20261201T150000Z", "20261201T160000Z", &["RRULE:FREQ=DAILY;COUNT=5", "SUMMARY:Stand-up"])
}

/// A weekly 09:00 Paris meeting, three times from 1 December 2026, the second skipped
/// (`EXDATE`) and the third moved to 13:00.
fn weekly_paris() -> String {
    ics(&[
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:weekly@test",
        "DTSTAMP:20261101T000000Z",
        "DTSTART;TZID=Europe/Paris:20261201T090000",
        "DTEND;TZID=Europe/Paris:20261201T100000",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "EXDATE;TZID=Europe/Paris:20261208T090000",
        "SUMMARY:Weekly",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:weekly@test",
        "DTSTAMP:20261101T000000Z",
        "RECURRENCE-ID;TZID=Europe/Paris:20261215T090000",
        "DTSTART;TZID=Europe/Paris:20261215T130000",
        "DTEND;TZID=Europe/Paris:20261215T140000",
        "SUMMARY:Weekly (moved)",
        "END:VEVENT",
    ])
}

/// A `calendar-query` for the `VEVENT`s overlapping `[start, end)`, expanded when `expand`.
fn calendar_query(start: &str, end: &str, expand: bool) -> String {
    let data = if expand {
        format!("<C:calendar-data><C:expand start=\"{start}\" end=\"{end}\"/></C:calendar-data>")
    } else {
        "<C:calendar-data/>".to_owned()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
         <D:prop><D:getetag/>{data}</D:prop>\
         <C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">\
         <C:time-range start=\"{start}\" end=\"{end}\"/></C:comp-filter></C:comp-filter></C:filter>\
         </C:calendar-query>"
    )
}

/// The values of the `name` properties (any parameters) in iCalendar `text`, in order.
fn values(text: &str, name: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (key, value) = line.trim_end_matches('\r').split_once(':')?;
            (key.split(';').next() == Some(name)).then(|| value.to_owned())
        })
        .collect()
}

/// agent1's credentials.
fn agent1() -> (&'static str, &'static str) {
    ("agent1", Radicale::password("agent1").unwrap_or_default())
}

#[test]
fn radicale_serves_its_users_calendars_and_stops_on_drop() -> Result<()> {
    let radicale = Radicale::start()?;
    let port = radicale.port();
    ensure!(USERS.len() == 3, "three users");
    let (user, password) = agent1();
    let calendar = radicale.create_calendar(user, password, "work")?;
    assert_eq!(calendar, format!("{}/agent1/work/", radicale.url()));
    let url = radicale.put_event(
        &calendar,
        user,
        password,
        "a@test",
        &event("a@test", "20261201T150000Z", "20261201T160000Z", &[]),
    )?;
    assert_eq!(url, format!("{calendar}a@test.ics"));
    radicale.put_event(&calendar, user, password, "b@test", &daily())?;
    assert_eq!(radicale.event_uids(&calendar, user, password)?, ["a@test", "daily@test"]);
    let got = radicale.get(&url, user, password)?;
    assert_eq!(got.status, 200);
    assert_eq!(values(&got.body, "UID"), ["a@test"]);
    assert!(got.header("ETag").is_some_and(|e| e.starts_with('"')), "{:?}", got.headers);

    // Another user can neither read agent1's calendar nor write into it.
    let agent2 = ("agent2", Radicale::password("agent2").unwrap_or_default());
    assert_eq!(radicale.get(&url, agent2.0, agent2.1)?.status, 403);
    // A user added while Radicale runs can sign in at once.
    radicale.add_user("agent4", "four-pw")?;
    let theirs = radicale.create_calendar("agent4", "four-pw", "Sales calendar")?;
    assert!(theirs.ends_with("/agent4/Sales%20calendar/"), "{theirs}");
    assert!(radicale.event_uids(&theirs, "agent4", "four-pw")?.is_empty());

    drop(radicale);
    assert_eq!(confab_xtask::wrangler::get_status(port, "/"), None, "Radicale still answers after drop");
    Ok(())
}

/// (a) Radicale expands recurring events when `calendar-data` has `<C:expand>`: one `VEVENT`
/// per instance in the window, in UTC, each with a `RECURRENCE-ID` and without `RRULE`;
/// `EXDATE`s are left out and moved instances are where they were moved to.
#[test]
fn a_calendar_query_with_expand_returns_each_instance_in_utc() -> Result<()> {
    let radicale = Radicale::start()?;
    let (user, password) = agent1();
    let calendar = radicale.create_calendar(user, password, "work")?;
    radicale.put_event(&calendar, user, password, "daily@test", &daily())?;
    radicale.put_event(&calendar, user, password, "weekly@test", &weekly_paris())?;

    let reply =
        radicale.report(&calendar, user, password, &calendar_query("20261202T000000Z", "20261204T000000Z", true))?;
    assert_eq!(reply.status, 207, "{}", reply.body);
    let responses = parse_multistatus(&reply.body)?;
    assert_eq!(responses.len(), 1, "only the daily event overlaps: {}", reply.body);
    let data = responses[0].calendar_data.clone().context("no calendar-data")?;
    assert_eq!(values(&data, "DTSTART"), ["20261202T150000Z", "20261203T150000Z"]);
    assert_eq!(values(&data, "RECURRENCE-ID"), ["20261202T150000Z", "20261203T150000Z"]);
    assert!(values(&data, "RRULE").is_empty(), "{data}");

    let reply =
        radicale.report(&calendar, user, password, &calendar_query("20261130T000000Z", "20261231T000000Z", true))?;
    let weekly = parse_multistatus(&reply.body)?
        .into_iter()
        .find(|r| r.href.ends_with("/weekly%40test.ics"))
        .and_then(|r| r.calendar_data)
        .context("the weekly event is missing")?;
    // 09:00 Paris is 08:00 UTC; 8 December is excluded; 15 December moved to 13:00 Paris.
    assert_eq!(values(&weekly, "DTSTART"), ["20261201T080000Z", "20261215T120000Z"]);
    assert_eq!(values(&weekly, "RECURRENCE-ID"), ["20261201T080000Z", "20261215T080000Z"]);
    assert!(values(&weekly, "EXDATE").is_empty() && !weekly.contains("VTIMEZONE"), "{weekly}");

    // Without <C:expand> the stored object comes back as it was written, RRULE and all.
    let reply =
        radicale.report(&calendar, user, password, &calendar_query("20261202T000000Z", "20261204T000000Z", false))?;
    let data = parse_multistatus(&reply.body)?.into_iter().find_map(|r| r.calendar_data).context("no calendar-data")?;
    assert_eq!(values(&data, "RRULE"), ["FREQ=DAILY;COUNT=5"]);
    assert_eq!(values(&data, "DTSTART"), ["20261201T150000Z"]);
    Ok(())
}

/// (b) Radicale answers the `free-busy-query` REPORT: 200 with a `VFREEBUSY` whose `FREEBUSY`
/// lines are the instances in the window (recurrences expanded), `BUSY-TENTATIVE` for a tentative
/// event, transparent events left out, and (unlike RFC 4791's advice) a cancelled event listed
/// as `FBTYPE=FREE`.
#[test]
fn free_busy_query_lists_busy_periods_and_leaves_transparent_events_out() -> Result<()> {
    let radicale = Radicale::start()?;
    let (user, password) = agent1();
    let calendar = radicale.create_calendar(user, password, "work")?;
    radicale.put_event(&calendar, user, password, "daily@test", &daily())?;
    let tentative = event("tentative@test", "20261202T120000Z", "20261202T123000Z", &["STATUS:TENTATIVE"]);
    radicale.put_event(&calendar, user, password, "tentative@test", &tentative)?;
    let transparent = event("transparent@test", "20261202T200000Z", "20261202T210000Z", &["TRANSP:TRANSPARENT"]);
    radicale.put_event(&calendar, user, password, "transparent@test", &transparent)?;
    let cancelled = event("cancelled@test", "20261202T220000Z", "20261202T230000Z", &["STATUS:CANCELLED"]);
    radicale.put_event(&calendar, user, password, "cancelled@test", &cancelled)?;

    let query = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                 <C:free-busy-query xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
                 <C:time-range start=\"20261202T000000Z\" end=\"20261204T000000Z\"/></C:free-busy-query>";
    let reply = radicale.report(&calendar, user, password, query)?;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.header("Content-Type").is_some_and(|t| t.starts_with("text/calendar")), "{:?}", reply.headers);
    assert_eq!(values(&reply.body, "BEGIN"), ["VCALENDAR", "VFREEBUSY"]);
    assert_eq!(values(&reply.body, "DTSTART"), ["20261202T000000Z"]);
    assert_eq!(values(&reply.body, "DTEND"), ["20261204T000000Z"]);
    let periods: Vec<String> = reply
        .body
        .lines()
        .filter(|l| l.starts_with("FREEBUSY"))
        .map(|l| l.trim_end_matches('\r').trim_start_matches("FREEBUSY;").to_owned())
        .collect();
    assert_eq!(
        periods,
        [
            "FBTYPE=BUSY-TENTATIVE:20261202T120000Z/20261202T123000Z",
            "FBTYPE=BUSY:20261202T150000Z/20261202T160000Z",
            "FBTYPE=FREE:20261202T220000Z/20261202T230000Z",
            "FBTYPE=BUSY:20261203T150000Z/20261203T160000Z",
        ]
    );
    Ok(())
}

/// (c) The `207 Multi-Status`: `text/xml; charset=utf-8`, an XML declaration in single quotes,
/// `DAV:` as the default namespace (no prefix), CalDAV under the prefix `C`, only the namespaces
/// used declared, absolute-path hrefs percent-encoded (`@` as `%40`, though the PUT had a bare
/// `@`), `HTTP/1.1 200 OK` propstat statuses, `calendar-data` with
/// the CRLF line ends of iCalendar; and HTTP/1.0 with one request per connection.
#[test]
fn the_multistatus_uses_dav_as_default_namespace_and_c_for_caldav() -> Result<()> {
    let radicale = Radicale::start()?;
    let (user, password) = agent1();
    let calendar = radicale.create_calendar(user, password, "work")?;
    radicale.put_event(
        &calendar,
        user,
        password,
        "a@test",
        &event("a@test", "20261202T150000Z", "20261202T160000Z", &[]),
    )?;
    let reply =
        radicale.report(&calendar, user, password, &calendar_query("20261202T000000Z", "20261203T000000Z", false))?;
    assert_eq!(reply.status, 207);
    assert_eq!(reply.header("Content-Type"), Some("text/xml; charset=utf-8"));
    let prefix = "<?xml version='1.0' encoding='utf-8'?>\n\
                  <multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
                  <response><href>/agent1/work/a%40test.ics</href><propstat><prop><getetag>\"";
    assert!(reply.body.starts_with(prefix), "{}", reply.body);
    assert!(reply.body.contains("<C:calendar-data>BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{}", reply.body);
    assert!(
        reply
            .body
            .ends_with("</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"),
        "{}",
        reply.body
    );
    let responses = parse_multistatus(&reply.body)?;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].href, "/agent1/work/a%40test.ics");
    assert_eq!(responses[0].propstat_statuses, ["HTTP/1.1 200 OK"]);
    assert!(
        responses[0].etag.as_deref().is_some_and(|e| e.len() == 66 && e.starts_with('"')),
        "{:?}",
        responses[0].etag
    );

    // Asked for the ETag alone, only DAV: is declared.
    let etags = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                 <C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
                 <D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>";
    let reply = radicale.report(&calendar, user, password, etags)?;
    assert!(
        reply.body.starts_with("<?xml version='1.0' encoding='utf-8'?>\n<multistatus xmlns=\"DAV:\"><response>"),
        "{}",
        reply.body
    );

    // PROPFIND: the collection first, then its members; properties it lacks in a 404 propstat.
    let propfind = "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\">\
                    <D:prop><D:resourcetype/><D:displayname/></D:prop></D:propfind>";
    let reply = radicale.request("PROPFIND", &calendar, Some((user, password)), &[("Depth", "1")], Some(propfind))?;
    assert_eq!(reply.status, 207);
    assert!(
        reply.body.contains("<resourcetype><C:calendar /><collection /></resourcetype><displayname>work</displayname>"),
        "{}",
        reply.body
    );
    let responses = parse_multistatus(&reply.body)?;
    let hrefs: Vec<&str> = responses.iter().map(|r| r.href.as_str()).collect();
    assert_eq!(hrefs, ["/agent1/work/", "/agent1/work/a%40test.ics"]);
    assert_eq!(responses[1].propstat_statuses, ["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"]);

    // HTTP/1.0, one request per connection.
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", radicale.port()))?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    write!(stream, "OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    assert!(answer.starts_with("HTTP/1.0 200 OK\r\n"), "{answer}");
    assert!(answer.contains("DAV: 1, 2, 3, calendar-access"), "{answer}");
    Ok(())
}

/// (d) A wrong password is 401 with a Basic challenge (and nothing is written); a missing
/// resource is 404; deleting an existing one is 200 with a multistatus; another user's
/// collection is 403.
#[test]
fn a_wrong_password_is_401_and_a_missing_resource_404() -> Result<()> {
    let radicale = Radicale::start()?;
    let (user, password) = agent1();
    let calendar = radicale.create_calendar(user, password, "work")?;
    let body = event("a@test", "20261202T150000Z", "20261202T160000Z", &[]);
    let put = |auth: Option<(&str, &str)>| {
        radicale.request(
            "PUT",
            &format!("{calendar}a@test.ics"),
            auth,
            &[("Content-Type", "text/calendar")],
            Some(&body),
        )
    };
    for auth in [Some((user, "not-the-password")), Some(("nobody", "x")), None] {
        let reply = put(auth)?;
        assert_eq!(reply.status, 401, "{auth:?}: {}", reply.body);
        assert_eq!(reply.header("WWW-Authenticate"), Some("Basic realm=\"Radicale - Password Required\""));
        assert_eq!(reply.body, "Access to the requested resource forbidden.");
    }
    assert!(radicale.event_uids(&calendar, user, password)?.is_empty(), "a refused PUT wrote something");

    let missing = radicale.delete(&format!("{calendar}missing.ics"), user, password)?;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, "The requested resource could not be found.");
    assert_eq!(radicale.get(&format!("{calendar}missing.ics"), user, password)?.status, 404);

    assert_eq!(put(Some((user, password)))?.status, 201);
    let deleted = radicale.delete(&format!("{calendar}a@test.ics"), user, password)?;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    let responses = parse_multistatus(&deleted.body)?;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].href, "/agent1/work/a%40test.ics");
    assert_eq!(responses[0].status.as_deref(), Some("HTTP/1.1 200 OK"));
    assert!(radicale.event_uids(&calendar, user, password)?.is_empty());

    let agent2 = Radicale::password("agent2").unwrap_or_default();
    let reply = radicale.request("PUT", &format!("{calendar}b.ics"), Some(("agent2", agent2)), &[], Some(&body))?;
    assert_eq!(reply.status, 403);
    Ok(())
}

/// Writes that conflict: the same UID under another href is 409 `no-uid-conflict`,
/// `If-None-Match: *` on an existing resource is 412, a second `MKCALENDAR` is 409
/// `resource-must-be-null`, a PUT over an existing resource is 204 with its ETag, and text that
/// is not iCalendar is 400.
#[test]
fn conflicting_writes_are_refused() -> Result<()> {
    let radicale = Radicale::start()?;
    let (user, password) = agent1();
    let calendar = radicale.create_calendar(user, password, "work")?;
    let body = event("a@test", "20261202T150000Z", "20261202T160000Z", &[]);
    let put = |name: &str, headers: &[(&str, &str)], body: &str| {
        let mut headers = headers.to_vec();
        headers.push(("Content-Type", "text/calendar; charset=utf-8"));
        radicale.request("PUT", &format!("{calendar}{name}"), Some((user, password)), &headers, Some(body))
    };
    let created = put("a.ics", &[], &body)?;
    assert_eq!(created.status, 201);
    let etag = created.header("ETag").map(str::to_owned);

    let other = put("other.ics", &[], &body)?;
    assert_eq!(other.status, 409);
    assert!(other.body.contains("<C:no-uid-conflict />"), "{}", other.body);

    assert_eq!(put("a.ics", &[("If-None-Match", "*")], &body)?.status, 412);
    let replaced = put("a.ics", &[], &body)?;
    assert_eq!(replaced.status, 204);
    assert_eq!(replaced.header("ETag").map(str::to_owned), etag, "the same text keeps its ETag");
    assert_eq!(put("bad.ics", &[], "not a calendar")?.status, 400);

    let again = radicale.request("MKCALENDAR", &calendar, Some((user, password)), &[], None)?;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("<resource-must-be-null />"), "{}", again.body);
    Ok(())
}
