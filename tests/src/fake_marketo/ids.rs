//! Identifiers the fake hands out: access tokens and export ids (random, UUID-shaped, as
//! Marketo's are) and request ids (`<seq>#<millis>`, Marketo's shape).

use chrono::{DateTime, Utc};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 64 unpredictable bits: std's randomly keyed SipHash over a counter and the time.
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_i64(Utc::now().timestamp_nanos_opt().unwrap_or_default());
    hasher.finish()
}

/// A random UUID-shaped id.
pub(crate) fn uuid() -> String {
    let (a, b) = (random_u64(), random_u64());
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// A request id in Marketo's shape, such as `e42b#14272d07d78`.
pub(crate) fn request_id(seq: u64, now: DateTime<Utc>) -> String {
    format!("{seq:x}#{:x}", now.timestamp_millis())
}
