//! A small HTTP/1.1 server on `std::net` for the fake vendor servers (Marketo, Google,
//! Microsoft): a listener on a loopback port and a thread per connection, so concurrent calls
//! are served concurrently and a connection held open on purpose blocks nobody else; keep-alive,
//! `Content-Length` or chunked bodies, size limits; stopped (every open connection shut down)
//! when the [`Server`] is dropped.
//!
//! A fake supplies one handler: it gets each [`Incoming`] request and answers with anything that
//! is [`Respond`] (a plain [`Response`], or a body generated while it is written), or with `None`
//! to close the connection without answering, as a server that hangs up does.
//!
//! ```no_run
//! use confab_e2e::fake_http::{Incoming, Lifecycle, Limits, Response, Server};
//! use std::sync::Arc;
//! # fn main() -> anyhow::Result<()> {
//! let life = Arc::new(Lifecycle::default());
//! let server = Server::start("echo", 0, Limits::default(), life, |incoming: Incoming, _: &Lifecycle| {
//!     Some(Response::text(200, &incoming.request.path))
//! })?;
//! println!("listening on {}", server.url());
//! # Ok(())
//! # }
//! ```

mod request;
mod response;
mod server;

pub use request::{Incoming, Limits, Refusal, Request, read_request};
pub use response::{Respond, Response, reason, write_response};
pub use server::{Lifecycle, Server};
