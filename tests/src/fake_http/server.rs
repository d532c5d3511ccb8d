//! [`Server`]: a listener on a loopback port with a thread per connection, serving requests
//! one after the other while the client keeps the connection open; and its [`Lifecycle`] (the
//! stop flag and the open connections), which handlers use to wait without outliving the server.

use super::request::{Incoming, Limits, read_request};
use super::response::{Respond, Response, write_response};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::BufReader;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a kept-alive connection may stay idle.
const IDLE: Duration = Duration::from_secs(30);

/// The stop flag and the open connections of a [`Server`], shared by its threads, its handler
/// and whoever stops it.
#[derive(Debug, Default)]
pub struct Lifecycle {
    stop: AtomicBool,
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
}

impl Lifecycle {
    /// Marks the server stopped: no new connection is served and kept-alive ones close after
    /// their current request.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Whether the server was stopped.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Waits `duration` of real time, cut short when the server stops.
    pub fn pause(&self, duration: Duration) {
        let until = Instant::now() + duration;
        while !self.stopped() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    }

    /// Remembers an open connection, so stopping can close it; `None` once stopped.
    fn track(&self, stream: &TcpStream) -> Option<u64> {
        let key = self.next_connection.fetch_add(1, Ordering::Relaxed);
        let clone = stream.try_clone().ok()?;
        self.connections.lock().unwrap_or_else(PoisonError::into_inner).insert(key, clone);
        if self.stopped() {
            self.untrack(key);
            return None;
        }
        Some(key)
    }

    /// Forgets a closed connection.
    fn untrack(&self, key: u64) {
        self.connections.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
    }

    /// Shuts every open connection down, waking the threads that wait on them.
    fn close_connections(&self) {
        for stream in self.connections.lock().unwrap_or_else(PoisonError::into_inner).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// A running server on `127.0.0.1`, stopped when dropped.
#[derive(Debug)]
pub struct Server {
    life: Arc<Lifecycle>,
    port: u16,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Listens on `127.0.0.1:port` (a free port when `port` is 0) and answers every request with
    /// `handler`, on threads named after `name`. A handler answering `None` closes the
    /// connection without a response. `life` is the server's [`Lifecycle`]; the handler gets it
    /// too, to wait with [`Lifecycle::pause`].
    pub fn start<H, R>(name: &str, port: u16, limits: Limits, life: Arc<Lifecycle>, handler: H) -> Result<Self>
    where
        H: Fn(Incoming, &Lifecycle) -> Option<R> + Send + Sync + 'static,
        R: Respond,
    {
        let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| format!("binding the {name}"))?;
        let port = listener.local_addr()?.port();
        let inner = life.clone();
        let handler = Arc::new(handler);
        let connection_name = format!("{name}-connection");
        let acceptor = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || accept(&listener, &inner, limits, &handler, &connection_name))
            .with_context(|| format!("starting the {name}"))?;
        Ok(Server { life, port, acceptor: Some(acceptor) })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Its lifecycle.
    pub fn lifecycle(&self) -> &Arc<Lifecycle> {
        &self.life
    }
}

/// Hands each connection to a thread of its own until the server stops.
fn accept<H, R>(listener: &TcpListener, life: &Arc<Lifecycle>, limits: Limits, handler: &Arc<H>, name: &str)
where
    H: Fn(Incoming, &Lifecycle) -> Option<R> + Send + Sync + 'static,
    R: Respond,
{
    for stream in listener.incoming() {
        if life.stopped() {
            break;
        }
        match stream {
            Ok(stream) => {
                let life = life.clone();
                let handler = handler.clone();
                // If no thread can be had, the connection is dropped and the client sees it close.
                let _ = std::thread::Builder::new()
                    .name(name.to_owned())
                    .spawn(move || connection(stream, &life, limits, handler.as_ref()));
            }
            // Out of file descriptors, for instance: give the other threads a moment.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Serves the requests of one connection, one after the other, while the client keeps it open.
fn connection<H, R>(stream: TcpStream, life: &Lifecycle, limits: Limits, handler: &H)
where
    H: Fn(Incoming, &Lifecycle) -> Option<R>,
    R: Respond,
{
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Some(key) = life.track(&stream) else { return };
    if let Ok(mut writer) = stream.try_clone() {
        let mut reader = BufReader::new(stream);
        while let Ok(Some(incoming)) = read_request(&mut reader, limits) {
            let keep_alive = incoming.keep_alive && incoming.refused.is_none();
            // A handler that panics (a bug in a fake) answers 500 and closes the connection,
            // instead of leaving the client waiting.
            let answered = std::panic::catch_unwind(AssertUnwindSafe(|| handler(incoming, life)));
            let sent = match answered {
                Ok(Some(response)) => {
                    let keep_alive = keep_alive && !life.stopped();
                    write_response(&mut writer, &response, keep_alive).is_ok() && keep_alive
                }
                Ok(None) => false,
                Err(_) => {
                    let _ = write_response(&mut writer, &Response::text(500, "the fake server panicked"), false);
                    false
                }
            };
            if !sent {
                break;
            }
        }
    }
    life.untrack(key);
}

impl Drop for Server {
    fn drop(&mut self) {
        self.life.stop();
        self.life.close_connections();
        // The acceptor blocks in accept(): a connection of our own wakes it to see the stop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}
