//! The demo host page: a plain HTML page on its own origin that embeds the widget with one
//! script tag, exactly as a customer's site would. Served by a tiny loopback HTTP server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The page, embedding the widget from `edge` for `site`.
pub fn page(edge: &str, site: &str) -> String {
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
<script src="{edge}/widget.js" data-site="{site}" async></script>
</body>
</html>
"#
    )
}

/// A running demo host server; stops when dropped.
pub struct DemoHost {
    stop: Arc<AtomicBool>,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl DemoHost {
    /// Serves [`page`] on `127.0.0.1:port` (0 for any free port) in a background thread.
    pub fn start(port: u16, edge: &str, site: &str) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let port = listener.local_addr()?.port();
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let body = page(edge, site);
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let mut reader = BufReader::new(&stream);
                        let mut request_line = String::new();
                        let _ = reader.read_line(&mut request_line);
                        let mut line = String::new();
                        while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                            line.clear();
                        }
                        let (status, content) =
                            if request_line.starts_with("GET / ") || request_line.starts_with("GET /?") {
                                ("200 OK", body.as_str())
                            } else {
                                ("404 Not Found", "not found")
                            };
                        let mut out = &stream;
                        let _ = write!(
                            out,
                            "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{content}",
                            content.len()
                        );
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        });
        Ok(DemoHost { stop, port })
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

impl Drop for DemoHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
