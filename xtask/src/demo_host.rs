//! The demo host site: plain HTML pages on their own origin that embed the widget with one
//! script tag, exactly as a customer's site would. Served by a tiny loopback HTTP server,
//! which the benchmarks also use for their blank and peer pages.
//!
//! Besides the home page (`/`), the site has a second page (`/pricing`, with a script of the
//! site's own using `window.Confab`), a page under a strict Content-Security-Policy and hostile
//! global CSS (`/strict`), and one page per trigger (`/triggers/load`, `/triggers/time`, `/triggers/site`, `/triggers/scroll`,
//! `/triggers/exit`, `/triggers/idle`, `/triggers/visible`, `/triggers/route`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Confab's embed: the one script tag a site pastes.
pub fn confab_embed(edge: &str, site: &str) -> String {
    format!(r#"<script src="{edge}/widget.js" data-site="{site}" async></script>"#)
}

/// Confab's embed with extra attributes, e.g. `data-trigger="time:2"`.
pub fn confab_embed_with(edge: &str, site: &str, attributes: &str) -> String {
    format!(r#"<script src="{edge}/widget.js" data-site="{site}" {attributes} async></script>"#)
}

/// The Content-Security-Policy of `/strict`: what the embedding documentation tells a site
/// with the strictest policy to allow for the edge at `edge`.
pub fn strict_csp(edge: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' {edge} 'wasm-unsafe-eval'; connect-src {edge}; style-src 'self'; img-src {edge} data:"
    )
}

/// The host page with `embed` (HTML) at the end of its body.
pub fn page(embed: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Analytics: a demo host page for Confab</title>
<link rel="icon" href="data:,">
<style>
  body {{ font-family: Georgia, serif; margin: 0; color: #1f2937; background: #f8fafc; }}
  header {{ background: #0f172a; color: #f8fafc; padding: 2rem 3rem; }}
  main {{ max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.6; }}
  button.cta {{ font: inherit; padding: .6rem 1.2rem; }}
  header a {{ color: #93c5fd; }}
</style>
</head>
<body>
<header><h1>Acme Analytics</h1><p>Dashboards your finance team will actually read.</p>
<nav><a href="/">Home</a> · <a href="/pricing">Pricing</a></nav></header>
<main>
  <h2>Pricing that scales with you</h2>
  <p>This page belongs to a pretend customer. It knows nothing about Confab except the one
  script tag below; the chat in the corner is drawn inside a Shadow DOM, so neither page's
  styles leak into the other.</p>
  <p><button class="cta" type="button">A host-page button (styles stay the host's)</button></p>
</main>
{embed}
</body>
</html>
"#
    )
}

/// The second page of the demo site: its own script (`/demo.js`) offers buttons that call
/// `window.Confab` and lists the chat's events as the page receives them.
pub fn pricing_page(embed: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pricing · Acme Analytics</title>
<link rel="icon" href="data:,">
<style>
  body {{ font-family: Georgia, serif; margin: 0; color: #1f2937; background: #f8fafc; }}
  header {{ background: #0f172a; color: #f8fafc; padding: 2rem 3rem; }}
  header a {{ color: #93c5fd; }}
  main {{ max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.6; }}
  button {{ font: inherit; padding: .6rem 1.2rem; }}
</style>
<script src="/demo.js" defer></script>
</head>
<body>
<header><h1>Pricing</h1><p>One plan per team size, billed monthly.</p>
<nav><a href="/">Home</a> · <a href="/pricing">Pricing</a></nav></header>
<main>
  <section id="plans"><h2>Plans</h2><p>Starter, Team and Enterprise. Ask us which fits.</p></section>
  <p><button type="button" data-action="open">Talk to sales</button>
     <button type="button" data-action="close">Hide the chat</button></p>
  <h2>What the chat told this page</h2>
  <ol id="confab-events"></ol>
</main>
{embed}
</body>
</html>
"#
    )
}

/// The demo site's own script, as a customer would write it against `window.Confab`.
pub const DEMO_JS: &str = r#"// The demo site's own script: buttons using window.Confab, and a log of the chat's events.
document.addEventListener("click", (e) => {
  const action = e.target.closest && e.target.closest("[data-action]");
  if (!action || !window.Confab) return;
  const name = action.getAttribute("data-action");
  if (name === "open") Confab.open();
  if (name === "close") Confab.close();
  if (name === "route") history.pushState({}, "", location.pathname + "/next");
});
["ready", "triggered", "engaged", "completed", "closed", "email_captured", "meeting_booked", "goal_reached"]
  .forEach((name) => window.addEventListener("confab:" + name, (e) => {
    const log = document.getElementById("confab-events");
    if (!log) return;
    const item = document.createElement("li");
    item.textContent = name + " " + JSON.stringify(e.detail);
    log.append(item);
  }));
"#;

/// A page under [`strict_csp`] whose global stylesheet (`/hostile.css`) does its worst to
/// every element it can reach. It has no inline style or script at all.
pub fn strict_page(embed: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Strict · Acme Analytics</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/hostile.css">
</head>
<body>
<h1>A page with a strict policy and hostile CSS</h1>
<p>No inline style, no inline script, and global rules that reset or deface every element.</p>
<div><button type="button">A host-page button</button></div>
{embed}
</body>
</html>
"#
    )
}

/// Global CSS that would break a widget living in the page's own DOM.
pub const HOSTILE_CSS: &str = "* { all: unset !important; }
head, script, style, link, title { display: none !important; }
html, body, h1, p { display: block !important; }
body { font: 31px/1.1 \"Comic Sans MS\", cursive !important; color: #b91c1c !important; background: #fef08a !important; }
div { display: none !important; position: static !important; z-index: -1 !important; }
button { color: red !important; background: yellow !important; border: 5px dashed red !important; font-size: 40px !important; }
svg, img { width: 400px !important; height: 400px !important; }
p, span { font-size: 30px !important; letter-spacing: 6px !important; }
[hidden] { display: block !important; }
*::before, *::after { content: \"\\2620\" !important; }
:root { --c: #ff0000; --r: 600px; --l: 600px; --b: 600px; }
";

/// A trigger's demo page: `attributes` go on the script tag; `tall` makes the page four
/// screens long (scroll and visibility triggers), with `#plans` at the bottom.
pub fn trigger_page(name: &str, embed: &str, tall: bool) -> String {
    let filler = if tall {
        (1..=12).map(|i| format!("<p style=\"height:40vh\">Section {i} of a long page.</p>\n")).collect::<String>()
    } else {
        String::new()
    };
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trigger {name} · Acme Analytics</title>
<link rel="icon" href="data:,">
<script src="/demo.js" defer></script>
</head>
<body>
<h1>Trigger: {name}</h1>
<p><button type="button" data-action="route">Go to another view (pushState)</button></p>
{filler}<section id="plans"><h2>Plans</h2></section>
<ol id="confab-events"></ol>
{embed}
</body>
</html>
"#
    )
}

/// One file the server answers with: content type and body.
pub type Route = (&'static str, Vec<u8>);

/// One file the server answers with, and extra response headers (name, value).
#[derive(Debug, Clone)]
pub struct Page {
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The bytes.
    pub body: Vec<u8>,
    /// Extra headers, such as a `Content-Security-Policy`.
    pub headers: Vec<(String, String)>,
}

impl Page {
    /// An HTML page without extra headers.
    pub fn html(body: String) -> Self {
        Page { content_type: "text/html; charset=utf-8", body: body.into_bytes(), headers: Vec::new() }
    }
}

/// Every page of the demo site, with Confab embedded from `edge` for `site`.
pub fn site_pages(edge: &str, site: &str) -> HashMap<String, Page> {
    let embed = confab_embed(edge, site);
    let mut pages = HashMap::from([
        ("/".to_owned(), Page::html(page(&embed))),
        ("/pricing".to_owned(), Page::html(pricing_page(&embed))),
        (
            "/strict".to_owned(),
            Page {
                headers: vec![("Content-Security-Policy".into(), strict_csp(edge))],
                ..Page::html(strict_page(&embed))
            },
        ),
        (
            "/hostile.css".to_owned(),
            Page { content_type: "text/css", body: HOSTILE_CSS.as_bytes().to_vec(), headers: Vec::new() },
        ),
        (
            "/demo.js".to_owned(),
            Page { content_type: "text/javascript", body: DEMO_JS.as_bytes().to_vec(), headers: Vec::new() },
        ),
    ]);
    let triggers = [
        ("load", "load", false),
        ("time", "time:2", false),
        ("site", "site:3", false),
        ("scroll", "scroll:50", true),
        ("exit", "exit", false),
        ("idle", "idle:2", false),
        ("visible", "visible:#plans", true),
        ("route", "route", false),
    ];
    for (name, trigger, tall) in triggers {
        let attributes = format!(r#"data-trigger="{trigger}" data-teaser="Questions about {name}? Ask me.""#);
        let html = trigger_page(name, &confab_embed_with(edge, site, &attributes), tall);
        pages.insert(format!("/triggers/{name}"), Page::html(html.clone()));
        // The view `route` pushes: a reload of it serves the same page.
        pages.insert(format!("/triggers/{name}/next"), Page::html(html));
    }
    pages
}

/// A running loopback server of fixed routes (path without query → file); stops when dropped.
pub struct DemoHost {
    stop: Arc<AtomicBool>,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl DemoHost {
    /// Serves the demo site ([`site_pages`], Confab embedded from `edge` for `site`) on
    /// `127.0.0.1:port` (0 for any free port).
    pub fn start(port: u16, edge: &str, site: &str) -> std::io::Result<Self> {
        Self::serve_pages(port, site_pages(edge, site))
    }

    /// Serves `routes` on `127.0.0.1:port` (0 for any free port) in a background thread.
    pub fn serve(port: u16, routes: HashMap<String, Route>) -> std::io::Result<Self> {
        let pages = routes
            .into_iter()
            .map(|(path, (content_type, body))| (path, Page { content_type, body, headers: Vec::new() }))
            .collect();
        Self::serve_pages(port, pages)
    }

    /// Serves `pages`, each with its own headers, on `127.0.0.1:port` (0 for any free port)
    /// in a background thread.
    pub fn serve_pages(port: u16, pages: HashMap<String, Page>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => answer(&stream, &pages),
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        });
        Ok(DemoHost { stop, port })
    }

    /// The URL of the root page.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

fn answer(stream: &std::net::TcpStream, pages: &HashMap<String, Page>) {
    let _ = stream.set_nonblocking(false);
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    let _ = reader.read_line(&mut request_line);
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let (status, ctype, body, headers): (&str, &str, &[u8], &[(String, String)]) = match pages.get(path) {
        Some(page) => ("200 OK", page.content_type, &page.body, &page.headers),
        None => ("404 Not Found", "text/plain", b"not found", &[]),
    };
    let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(body);
}

impl Drop for DemoHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
