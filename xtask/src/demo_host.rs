//! The demo host page: a plain HTML page on its own origin that embeds the widget with one
//! script tag, exactly as a customer's site would. Served by a tiny loopback HTTP server,
//! which the benchmarks also use for their blank and peer pages.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Confab's embed: the one script tag a site pastes.
pub fn confab_embed(edge: &str, site: &str) -> String {
    format!(r#"<script src="{edge}/widget.js" data-site="{site}" async></script>"#)
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
</style>
</head>
<body>
<header><h1>Acme Analytics</h1><p>Dashboards your finance team will actually read.</p></header>
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

/// One file the server answers with: content type and body.
pub type Route = (&'static str, Vec<u8>);

/// A running loopback server of fixed routes (path without query → file); stops when dropped.
pub struct DemoHost {
    stop: Arc<AtomicBool>,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl DemoHost {
    /// Serves the demo page (Confab embedded from `edge` for `site`) on `127.0.0.1:port`
    /// (0 for any free port).
    pub fn start(port: u16, edge: &str, site: &str) -> std::io::Result<Self> {
        let page = page(&confab_embed(edge, site));
        Self::serve(port, HashMap::from([("/".to_owned(), ("text/html; charset=utf-8", page.into_bytes()))]))
    }

    /// Serves `routes` on `127.0.0.1:port` (0 for any free port) in a background thread.
    pub fn serve(port: u16, routes: HashMap<String, Route>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => answer(&stream, &routes),
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

fn answer(stream: &std::net::TcpStream, routes: &HashMap<String, Route>) {
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
    let (status, ctype, body): (&str, &str, &[u8]) = match routes.get(path) {
        Some((ctype, body)) => ("200 OK", ctype, body),
        None => ("404 Not Found", "text/plain", b"not found"),
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(body);
}

impl Drop for DemoHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
