//! A real CalDAV server for the CalDAV tests: [`Radicale`] runs Radicale (installed by
//! `cargo xtask` under `.tools/radicale`, see `confab_xtask::install::radicale_bin`) on a free
//! loopback port, with its own storage folder, an htpasswd file of plain-text passwords
//! ([`USERS`], more with [`Radicale::add_user`]) and owner-only rights, in a process group of
//! its own; it is stopped, and its folder removed, when dropped.
//!
//! The helpers speak CalDAV as a client does: `MKCALENDAR` ([`Radicale::create_calendar`]),
//! `PUT` ([`Radicale::put_event`]), a `calendar-query` `REPORT` ([`Radicale::event_uids`]),
//! and any request at all ([`Radicale::request`]); [`parse_multistatus`] reads a `207`.
//!
//! What Radicale 3.9.0 does, pinned by `tests/radicale.rs`: it answers over HTTP/1.0, one
//! request per connection; its `207 Multi-Status` has `DAV:` as the default namespace (no
//! prefix) and CalDAV elements under the prefix `C`, declaring only the namespaces used; it
//! expands recurrences on `<C:expand>` (instances in UTC with a `RECURRENCE-ID`, `EXDATE`s and
//! moved instances honoured); it answers the `free-busy-query` REPORT with a `VFREEBUSY`; a wrong
//! password is `401` (after the configured delay, 0 here), a missing resource `404`.
//!
//! ```no_run
//! use confab_e2e::radicale::Radicale;
//! # fn main() -> anyhow::Result<()> {
//! let radicale = Radicale::start()?;
//! let (user, password) = ("agent1", Radicale::password("agent1").unwrap_or_default());
//! let calendar = radicale.create_calendar(user, password, "work")?;
//! let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n\
//!            DTSTAMP:20261101T000000Z\r\nDTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n\
//!            END:VEVENT\r\nEND:VCALENDAR\r\n";
//! radicale.put_event(&calendar, user, password, "a@t", ics)?;
//! assert_eq!(radicale.event_uids(&calendar, user, password)?, ["a@t"]);
//! # Ok(())
//! # }
//! ```

use crate::fake_oauth::base64_encode;
use anyhow::{Context, Result, bail};
use confab_xtask::wrangler::{free_port, get_status};
use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The users every [`Radicale`] starts with, and their passwords.
pub const USERS: &[(&str, &str)] =
    &[("agent1", "agent1-caldav-pw"), ("agent2", "agent2-caldav-pw"), ("agent3", "agent3-caldav-pw")];

/// WebDAV's namespace.
pub const DAV: &str = "DAV:";
/// CalDAV's namespace.
pub const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";

/// How long Radicale may take to answer its first request.
const READY: Duration = Duration::from_secs(30);
/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(20);

static INSTANCES: AtomicU64 = AtomicU64::new(0);

/// A running Radicale, stopped (with its whole process group) and its folder removed on drop.
#[derive(Debug)]
pub struct Radicale {
    child: Child,
    port: u16,
    dir: PathBuf,
    agent: ureq::Agent,
}

/// An HTTP answer: status, headers and body as text.
#[derive(Debug, Clone)]
pub struct DavReply {
    /// HTTP status.
    pub status: u16,
    /// Headers, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

impl DavReply {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One `response` of a `207 Multi-Status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DavResponse {
    /// Its `href`.
    pub href: String,
    /// Its own `status` (as in answers to `DELETE`), if it has one.
    pub status: Option<String>,
    /// `getetag` of a 2xx `propstat`.
    pub etag: Option<String>,
    /// `calendar-data` of a 2xx `propstat` (XML line ends: LF).
    pub calendar_data: Option<String>,
    /// The status line of every `propstat`, in order.
    pub propstat_statuses: Vec<String>,
}

impl Radicale {
    /// Starts Radicale on a free loopback port (another one if the first is taken before
    /// Radicale binds it) and waits until it answers.
    pub fn start() -> Result<Self> {
        let bin = confab_xtask::install::radicale_bin();
        if !bin.exists() {
            bail!("Radicale is not installed at {}: `cargo xtask test` installs it", bin.display());
        }
        let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("confab-radicale-{}-{instance}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("collections")).with_context(|| format!("creating {}", dir.display()))?;
        let users: String = USERS.iter().map(|(user, password)| format!("{user}:{password}\n")).collect();
        std::fs::write(dir.join("users"), users).context("writing the htpasswd file")?;
        std::fs::write(dir.join("config"), config(&dir)).context("writing Radicale's configuration")?;
        let agent = ureq::AgentBuilder::new().timeout(TIMEOUT).redirects(0).build();
        let mut last = None;
        for _ in 0..3 {
            let port = free_port()?;
            match launch(&bin, &dir, port) {
                Ok(child) => return Ok(Radicale { child, port, dir, agent }),
                Err(e) => last = Some(e),
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        Err(last.unwrap_or_else(|| anyhow::anyhow!("Radicale did not start")))
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The password of one of the [`USERS`].
    pub fn password(user: &str) -> Option<&'static str> {
        USERS.iter().find(|(u, _)| *u == user).map(|(_, p)| *p)
    }

    /// Adds a user (Radicale reads the htpasswd file on every request).
    pub fn add_user(&self, user: &str, password: &str) -> Result<()> {
        if user.is_empty() || user.contains([':', '\n', '/']) || password.contains('\n') {
            bail!("a user name must be non-empty without ':', '/' or newlines, a password without newlines");
        }
        let mut file = std::fs::OpenOptions::new().append(true).open(self.dir.join("users"))?;
        writeln!(file, "{user}:{password}")?;
        Ok(())
    }

    /// Radicale's output so far (warnings and errors).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("radicale.log")).unwrap_or_default()
    }

    /// Sends `method` to `url` (absolute, or a path on this server) with basic credentials when
    /// `auth` is given, extra `headers` and a `body`; any status is an answer.
    pub fn request(
        &self,
        method: &str,
        url: &str,
        auth: Option<(&str, &str)>,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<DavReply> {
        let url = if url.starts_with('/') { format!("{}{url}", self.url()) } else { url.to_owned() };
        let mut request = self.agent.request(method, &url);
        if let Some((user, password)) = auth {
            request = request.set("Authorization", &basic(user, password));
        }
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = match body {
            Some(body) => request.send_string(body),
            None => request.call(),
        };
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(e) => return Err(e).with_context(|| format!("{method} {url}")),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| response.header(&name).map(|value| (name.clone(), value.to_owned())))
            .collect();
        let body = response.into_string().with_context(|| format!("reading the answer to {method} {url}"))?;
        Ok(DavReply { status, headers, body })
    }

    /// `MKCALENDAR /<user>/<name>/` as `user`; the new collection's URL (ending in `/`).
    pub fn create_calendar(&self, user: &str, password: &str, name: &str) -> Result<String> {
        let url = format!("{}/{}/{}/", self.url(), segment(user), segment(name));
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
             <D:set><D:prop><D:displayname>{}</D:displayname>\
             <C:supported-calendar-component-set><C:comp name=\"VEVENT\"/></C:supported-calendar-component-set>\
             </D:prop></D:set></C:mkcalendar>",
            escape(name)
        );
        let reply = self.request(
            "MKCALENDAR",
            &url,
            Some((user, password)),
            &[("Content-Type", "application/xml; charset=utf-8")],
            Some(&body),
        )?;
        if reply.status != 201 {
            bail!("MKCALENDAR {url} answered {}: {}", reply.status, reply.body);
        }
        Ok(url)
    }

    /// `PUT <calendar><uid>.ics` with the iCalendar text `ics`; the event's URL. Creating (201)
    /// and replacing (204) both succeed.
    pub fn put_event(&self, calendar: &str, user: &str, password: &str, uid: &str, ics: &str) -> Result<String> {
        let url = format!("{}{}.ics", with_slash(calendar), segment(uid));
        let reply = self.request(
            "PUT",
            &url,
            Some((user, password)),
            &[("Content-Type", "text/calendar; charset=utf-8")],
            Some(ics),
        )?;
        if reply.status != 201 && reply.status != 204 {
            bail!("PUT {url} answered {}: {}", reply.status, reply.body);
        }
        Ok(url)
    }

    /// `GET url` as `user`.
    pub fn get(&self, url: &str, user: &str, password: &str) -> Result<DavReply> {
        self.request("GET", url, Some((user, password)), &[], None)
    }

    /// `DELETE url` as `user`.
    pub fn delete(&self, url: &str, user: &str, password: &str) -> Result<DavReply> {
        self.request("DELETE", url, Some((user, password)), &[], None)
    }

    /// `REPORT` on `calendar` with `Depth: 1` and the XML `body`, as `user`.
    pub fn report(&self, calendar: &str, user: &str, password: &str, body: &str) -> Result<DavReply> {
        self.request(
            "REPORT",
            calendar,
            Some((user, password)),
            &[("Depth", "1"), ("Content-Type", "application/xml; charset=utf-8")],
            Some(body),
        )
    }

    /// The UIDs of every event in `calendar`, sorted, from a `calendar-query` REPORT for all
    /// `VEVENT`s with their `calendar-data`.
    pub fn event_uids(&self, calendar: &str, user: &str, password: &str) -> Result<Vec<String>> {
        let query = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                     <C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
                     <D:prop><D:getetag/><C:calendar-data/></D:prop>\
                     <C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"/></C:comp-filter></C:filter>\
                     </C:calendar-query>";
        let reply = self.report(calendar, user, password, query)?;
        if reply.status != 207 {
            bail!("REPORT {calendar} answered {}: {}", reply.status, reply.body);
        }
        let mut uids: Vec<String> = parse_multistatus(&reply.body)?
            .iter()
            .filter_map(|r| r.calendar_data.as_deref())
            .flat_map(|data| {
                data.lines()
                    .filter_map(|l| l.trim_end_matches('\r').strip_prefix("UID:").map(str::to_owned))
                    .collect::<Vec<_>>()
            })
            .collect();
        uids.sort();
        uids.dedup();
        Ok(uids)
    }
}

/// Radicale's configuration: users from the htpasswd file in plain text, no delay after a
/// failed login (tests try wrong passwords), owner-only rights, no web interface, warnings only.
fn config(dir: &Path) -> String {
    format!(
        "[server]\nmax_connections = 20\ntimeout = 30\n\n\
         [auth]\ntype = htpasswd\nhtpasswd_filename = {}\nhtpasswd_encryption = plain\ndelay = 0\n\n\
         [rights]\ntype = owner_only\n\n\
         [storage]\nfilesystem_folder = {}\n\n\
         [web]\ntype = none\n\n\
         [logging]\nlevel = warning\n",
        dir.join("users").display(),
        dir.join("collections").display()
    )
}

/// Starts Radicale on `port` and waits until it answers; a Radicale that exits first (its port
/// taken, say) is an error.
fn launch(bin: &Path, dir: &Path, port: u16) -> Result<Child> {
    let log = std::fs::File::create(dir.join("radicale.log")).context("creating Radicale's log")?;
    let mut child = Command::new(bin)
        .arg("--config")
        .arg(dir.join("config"))
        .args(["--server-hosts", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let started = Instant::now();
    while started.elapsed() < READY {
        if let Some(status) = child.try_wait()? {
            let log = std::fs::read_to_string(dir.join("radicale.log")).unwrap_or_default();
            bail!("Radicale exited ({status}) before it answered:\n{log}");
        }
        if get_status(port, "/").is_some() {
            return Ok(child);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    stop(&mut child);
    bail!("Radicale did not answer on port {port} within {READY:?}")
}

/// Stops `child` and its process group: TERM, then KILL after 5 s.
fn stop(child: &mut Child) {
    if child.try_wait().ok().flatten().is_some() {
        return;
    }
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
    let _ = child.wait();
}

impl Drop for Radicale {
    fn drop(&mut self) {
        stop(&mut self.child);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `Basic <base64(user:password)>`.
fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64_encode(format!("{user}:{password}").as_bytes()))
}

/// `text` percent-encoded as one path segment.
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') { url.to_owned() } else { format!("{url}/") }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Which element of a multistatus the reader is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Multistatus,
    Response,
    Href,
    Status,
    Propstat,
    Prop,
    Etag,
    CalendarData,
    Other,
}

impl Element {
    fn of(namespace: &ResolveResult<'_>, local: &str) -> Element {
        let ns = match namespace {
            ResolveResult::Bound(ns) => ns.into_inner(),
            _ => "",
        };
        match (ns, local) {
            (DAV, "multistatus") => Element::Multistatus,
            (DAV, "response") => Element::Response,
            (DAV, "href") => Element::Href,
            (DAV, "status") => Element::Status,
            (DAV, "propstat") => Element::Propstat,
            (DAV, "prop") => Element::Prop,
            (DAV, "getetag") => Element::Etag,
            (CALDAV, "calendar-data") => Element::CalendarData,
            _ => Element::Other,
        }
    }
}

/// Reads a `207 Multi-Status` body: every `response` with its `href`, own `status`, and the
/// `getetag` and `calendar-data` of its 2xx `propstat`s. Elements are matched by namespace,
/// whatever their prefix.
pub fn parse_multistatus(body: &str) -> Result<Vec<DavResponse>> {
    let mut reader = NsReader::from_str(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut responses = Vec::new();
    let mut current = DavResponse::default();
    let mut text = String::new();
    let mut propstat = (None::<String>, None::<String>, String::new());
    loop {
        let (namespace, event) = reader.read_resolved_event().context("reading a multistatus")?;
        match event {
            Event::Start(start) => {
                let element = Element::of(&namespace, start.local_name().into_inner());
                if stack.is_empty() && element != Element::Multistatus {
                    bail!("not a multistatus: {body}");
                }
                match element {
                    Element::Response => current = DavResponse::default(),
                    Element::Propstat => propstat = (None, None, String::new()),
                    _ => {}
                }
                text.clear();
                stack.push(element);
            }
            Event::Empty(_) => {}
            Event::End(_) => {
                let element = stack.pop().unwrap_or(Element::Other);
                let parent = stack.last().copied();
                match (element, parent) {
                    (Element::Href, Some(Element::Response)) => current.href = text.trim().to_owned(),
                    (Element::Status, Some(Element::Response)) => current.status = Some(text.trim().to_owned()),
                    (Element::Status, Some(Element::Propstat)) => propstat.2 = text.trim().to_owned(),
                    (Element::Etag, Some(Element::Prop)) => propstat.0 = Some(text.trim().to_owned()),
                    (Element::CalendarData, Some(Element::Prop)) => propstat.1 = Some(text.clone()),
                    (Element::Propstat, _) => {
                        let ok = propstat.2.split(' ').nth(1).is_some_and(|code| code.starts_with('2'));
                        if ok {
                            current.etag = current.etag.take().or(propstat.0.take());
                            current.calendar_data = current.calendar_data.take().or(propstat.1.take());
                        }
                        current.propstat_statuses.push(std::mem::take(&mut propstat.2));
                    }
                    (Element::Response, _) => responses.push(std::mem::take(&mut current)),
                    _ => {}
                }
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.xml10_content()),
            Event::GeneralRef(reference) => match reference.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                Ok(None) => text.push_str(resolve_predefined_entity(&reference).unwrap_or_default()),
                Err(e) => bail!("a bad character reference in a multistatus: {e}"),
            },
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        bail!("a multistatus cut short");
    }
    Ok(responses)
}
