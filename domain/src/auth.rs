//! Password hashing (PBKDF2-HMAC-SHA256), token digests for admin sessions, and HMAC
//! signatures for links sent to visitors (no account needed to open them).
//!
//! Stored hashes are self-describing strings, `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`,
//! so the iteration count can be raised later without invalidating existing accounts.

use sha2::{Digest, Sha256};

/// Iterations used for new password hashes.
pub const ITERATIONS: u32 = 100_000;

/// Hashes `password` with `salt` (at least 16 random bytes, supplied by the caller).
pub fn hash_password(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut out);
    format_hash(iterations, salt, &out)
}

/// The stored form of a derived key (computed here or by WebCrypto).
pub fn format_hash(iterations: u32, salt: &[u8], derived: &[u8]) -> String {
    format!("pbkdf2-sha256${iterations}${}${}", hex(salt), hex(derived))
}

/// Shortest password accepted for a new or changed password.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted (PBKDF2 cost does not depend on it, but bodies stay small).
pub const MAX_PASSWORD_CHARS: usize = 200;

/// Why a new password is refused, as a sentence, or `None` when it is acceptable: at least
/// [`MIN_PASSWORD_CHARS`] characters, at most [`MAX_PASSWORD_CHARS`], not only spaces, and not
/// the account's email.
pub fn password_problem(password: &str, email: &str) -> Option<String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Some(format!("Use at least {MIN_PASSWORD_CHARS} characters."));
    }
    if n > MAX_PASSWORD_CHARS {
        return Some(format!("Use at most {MAX_PASSWORD_CHARS} characters."));
    }
    if password.trim().is_empty() {
        return Some("A password cannot be only spaces.".to_owned());
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Some("Your password cannot be your email address.".to_owned());
    }
    None
}

/// Sign-in throttling: at most `max_failures` failed attempts per key in a window of
/// `window_ms`; further attempts are refused until the window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failures allowed in one window.
    pub max_failures: u32,
    /// Window length, milliseconds.
    pub window_ms: i64,
}

impl Throttle {
    /// Per account: 5 failures per 15 minutes.
    pub const ACCOUNT: Throttle = Throttle { max_failures: 5, window_ms: 15 * 60_000 };
    /// Per client address: 20 failures per 15 minutes.
    pub const ADDRESS: Throttle = Throttle { max_failures: 20, window_ms: 15 * 60_000 };

    /// Milliseconds to wait before trying again, given `failures` recorded since
    /// `window_start_ms`; `None` when an attempt may be made now.
    pub fn wait_ms(&self, failures: u32, window_start_ms: i64, now_ms: i64) -> Option<i64> {
        let ends = window_start_ms.saturating_add(self.window_ms);
        (failures >= self.max_failures && now_ms < ends).then_some(ends - now_ms)
    }
}

/// A stored password hash, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHash {
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// The salt.
    pub salt: Vec<u8>,
    /// The 32-byte derived key.
    pub key: Vec<u8>,
}

impl StoredHash {
    /// Parses a hash made by [`hash_password`]; `None` for anything malformed.
    pub fn parse(stored: &str) -> Option<Self> {
        let mut parts = stored.split('$');
        let (Some("pbkdf2-sha256"), Some(iterations), Some(salt), Some(key), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let iterations = iterations.parse::<u32>().ok().filter(|n| *n > 0)?;
        let (salt, key) = (unhex(salt)?, unhex(key)?);
        (key.len() == 32).then_some(StoredHash { iterations, salt, key })
    }

    /// Whether `derived` (PBKDF2 of a candidate password with this salt and iteration count,
    /// computed here or by WebCrypto) equals the stored key, in constant time.
    pub fn matches(&self, derived: &[u8]) -> bool {
        derived.len() == self.key.len() && derived.iter().zip(&self.key).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// Whether `password` matches a hash made by [`hash_password`]. Malformed hashes never match.
/// (The edge derives with WebCrypto instead, which is native code; see `StoredHash`.)
pub fn verify_password(stored: &str, password: &str) -> bool {
    let Some(hash) = StoredHash::parse(stored) else { return false };
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), &hash.salt, hash.iterations, &mut out);
    hash.matches(&out)
}

/// The signature of `message` under `secret` for a visitor link: HMAC-SHA256, first 16 bytes
/// as hex. `purpose` separates signatures made for different actions on the same object.
pub fn sign(secret: &[u8], purpose: &str, message: &str) -> String {
    use hmac::{Mac, SimpleHmac};
    let mut mac = match SimpleHmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this arm cannot run.
        Err(_) => return String::new(),
    };
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(message.as_bytes());
    let tag = mac.finalize().into_bytes();
    hex(&tag[..16])
}

/// Whether `signature` is [`sign`]`(secret, purpose, message)`, compared in constant time.
/// An empty secret never verifies.
pub fn verify_signature(secret: &[u8], purpose: &str, message: &str, signature: &str) -> bool {
    let expected = sign(secret, purpose, message);
    !secret.is_empty()
        && expected.len() == signature.len()
        && expected.bytes().zip(signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// SHA-256 of `data` as lowercase hex; session tokens are stored only as this digest.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| s.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_are_checked() {
        assert_eq!(password_problem("short", "a@b.co"), Some("Use at least 12 characters.".to_owned()));
        assert_eq!(password_problem("            ", "a@b.co"), Some("A password cannot be only spaces.".to_owned()));
        assert_eq!(
            password_problem("Ada@Example.com", "ada@example.com"),
            Some("Your password cannot be your email address.".to_owned())
        );
        assert_eq!(password_problem(&"x".repeat(201), "a@b.co"), Some("Use at most 200 characters.".to_owned()));
        assert_eq!(password_problem("correct horse battery", "a@b.co"), None);
    }

    #[test]
    fn throttling_counts_failures_in_a_window() {
        let t = Throttle { max_failures: 3, window_ms: 1_000 };
        assert_eq!(t.wait_ms(2, 0, 10), None, "under the limit");
        assert_eq!(t.wait_ms(3, 0, 10), Some(990), "at the limit, wait for the window's end");
        assert_eq!(t.wait_ms(9, 0, 1_000), None, "a new window");
        assert_eq!(Throttle::ACCOUNT.wait_ms(5, 0, 60_000), Some(14 * 60_000));
    }

    #[test]
    fn formatted_hashes_verify() {
        let salt = b"0123456789abcdef";
        let mut derived = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"pass phrase here", salt, 10, &mut derived);
        assert!(verify_password(&format_hash(10, salt, &derived), "pass phrase here"));
        assert!(!verify_password(&format_hash(10, salt, &derived), "another phrase"));
    }

    #[test]
    fn round_trip() {
        let stored = hash_password("correct horse", b"0123456789abcdef", 1_000);
        assert!(stored.starts_with("pbkdf2-sha256$1000$30313233"));
        assert!(verify_password(&stored, "correct horse"));
        assert!(!verify_password(&stored, "correct horse "));
        assert!(!verify_password(&stored, ""));
    }

    #[test]
    fn known_vector() {
        // RFC 7914 section 11 test vector for PBKDF2-HMAC-SHA256 (c = 1, first 32 bytes).
        let stored = hash_password("passwd", b"salt", 1);
        assert_eq!(stored, "pbkdf2-sha256$1$73616c74$55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    #[test]
    fn malformed_hashes_never_match() {
        for bad in
            ["", "pbkdf2-sha256$x$00$00", "md5$1$00$00", "pbkdf2-sha256$0$00$", "pbkdf2-sha256$1$zz$00", "a$b$c$d$e"]
        {
            assert!(!verify_password(bad, ""), "{bad}");
        }
    }

    #[test]
    fn link_signatures() {
        let sig = sign(b"secret", "invite", "m_1");
        assert_eq!(sig.len(), 32);
        assert!(verify_signature(b"secret", "invite", "m_1", &sig));
        assert!(!verify_signature(b"secret", "cancel", "m_1", &sig), "purposes are separate");
        assert!(!verify_signature(b"secret", "invite", "m_2", &sig));
        assert!(!verify_signature(b"other", "invite", "m_1", &sig));
        assert!(!verify_signature(b"", "invite", "m_1", &sign(b"", "invite", "m_1")));
        assert!(!verify_signature(b"secret", "invite", "m_1", &sig[..31]));
    }

    #[test]
    fn token_digest() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
