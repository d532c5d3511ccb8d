//! Identifiers the fakes hand out: codes, tokens, event ids, UUIDs, Meet codes. Random (std's
//! randomly keyed SipHash over a counter and the time), so nothing a client sees is predictable.

use chrono::Utc;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Letters and digits.
pub(crate) const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// Lowercase letters.
pub(crate) const LOWERCASE: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
/// The characters of Google event ids (base32hex, lowercase).
pub(crate) const BASE32HEX: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
/// Decimal digits.
pub(crate) const DIGITS: &[u8] = b"0123456789";

/// 64 unpredictable bits.
pub(crate) fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_i64(Utc::now().timestamp_nanos_opt().unwrap_or_default());
    hasher.finish()
}

/// `len` characters drawn from `alphabet`.
pub(crate) fn random_chars(alphabet: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut bits = random_u64();
    let mut left = 8;
    for _ in 0..len {
        if left == 0 {
            bits = random_u64();
            left = 8;
        }
        let index = (bits & 0xff) as usize % alphabet.len().max(1);
        out.push(char::from(alphabet.get(index).copied().unwrap_or(b'x')));
        bits >>= 8;
        left -= 1;
    }
    out
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

/// `len` decimal digits computed from `text`, the same every time, the first one not zero
/// (Google's numeric `sub`).
pub(crate) fn stable_digits(text: &str, len: usize) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .cycle()
        .take(len)
        .enumerate()
        .map(|(i, b)| char::from(if i == 0 { b'1' + b % 9 } else { b'0' + b % 10 }))
        .collect()
}

/// A UUID computed from `text`, the same every time (Graph's user and tenant ids).
pub(crate) fn stable_uuid(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(text.as_bytes());
    let hex: String = d.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}
