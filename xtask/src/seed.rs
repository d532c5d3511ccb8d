//! The demo data as SQL: one site, five agents, one published dialogue, a few leads and the
//! admin account. Re-running it updates the demo configuration and keeps meetings.

use confab_domain::{auth, demo};

/// What to seed beyond the fixed demo data.
pub struct SeedOptions<'a> {
    /// The admin's password.
    pub admin_password: &'a str,
    /// Random salt for the password hash (16 bytes or more).
    pub salt: &'a [u8],
    /// Origins allowed to embed the demo site's widget, beyond the defaults.
    pub extra_origins: &'a [String],
    /// Creation time written to rows, RFC 3339.
    pub now: &'a str,
    /// The demo site's link-signing key (hex); kept when the site already has one.
    pub link_secret: &'a str,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    quote(&serde_json::to_string(value).unwrap_or_default())
}

/// The seed script.
pub fn sql(opts: &SeedOptions<'_>) -> String {
    let mut origins: Vec<String> = demo::ALLOWED_ORIGINS.iter().map(|s| (*s).to_owned()).collect();
    origins.extend(opts.extra_origins.iter().cloned());
    let branding = confab_domain::api::Branding { bot_name: "Confab demo".into(), ..Default::default() };
    let now = quote(opts.now);
    let mut out = String::new();
    out += &format!(
        "INSERT INTO sites (id, name, allowed_origins, branding, link_secret, created_at) VALUES ({}, 'Demo site', {}, {}, {}, {now})\n  ON CONFLICT(id) DO UPDATE SET allowed_origins = excluded.allowed_origins, branding = excluded.branding;\n",
        quote(demo::SITE),
        json(&origins),
        json(&branding),
        quote(opts.link_secret),
    );
    for a in demo::agents() {
        out += &format!(
            "INSERT INTO agents (id, site_id, name, email, position, schedule, active) VALUES ({}, {}, {}, {}, {}, {}, 1)\n  ON CONFLICT(id) DO UPDATE SET name = excluded.name, position = excluded.position, schedule = excluded.schedule, active = 1;\n",
            quote(&a.id),
            quote(demo::SITE),
            quote(&a.name),
            quote(&format!("{}@demo.test", a.id)),
            a.position,
            json(&a.schedule),
        );
    }
    out += &format!(
        "INSERT INTO dialogues (id, site_id, name, priority, published_version) VALUES ('welcome', {}, 'Welcome and book a meeting', 10, 1)\n  ON CONFLICT(id) DO NOTHING;\n",
        quote(demo::SITE)
    );
    out += &format!(
        "INSERT INTO dialogue_versions (dialogue_id, version, flow, published_at) VALUES ('welcome', 1, {}, {now})\n  ON CONFLICT(dialogue_id, version) DO NOTHING;\n",
        json(&demo::flow())
    );
    for (email, first, last, company) in demo::LEADS {
        let attributes = format!(
            "json_object('email', {}, 'firstName', {}, 'lastName', {}, 'company', {})",
            quote(email),
            quote(first),
            quote(last),
            quote(company)
        );
        out += &format!(
            "INSERT INTO leads (email, attributes, updated_at) VALUES ({}, {attributes}, {now})\n  ON CONFLICT(email) WHERE marketo_id IS NULL DO NOTHING;\n",
            quote(email),
        );
    }
    out += &format!(
        "INSERT INTO lead_cookies (token, lead_id, checked_at_ms) SELECT {}, id, 0 FROM leads WHERE email = {}\n  ON CONFLICT(token) DO NOTHING;\n",
        quote(demo::KNOWN_COOKIE_TOKEN),
        quote(demo::LEADS[0].0)
    );
    let hash = auth::hash_password(opts.admin_password, opts.salt, auth::ITERATIONS);
    out += &format!(
        "INSERT INTO admins (email, password_hash, role, created_at) VALUES ({}, {}, 'admin', {now})\n  ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash;\n",
        quote(demo::ADMIN_EMAIL),
        quote(&hash)
    );
    out
}

/// `n` random bytes from the operating system.
pub fn random_bytes(n: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = vec![0u8; n];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf)
}

/// A random password of 16 letters and digits.
pub fn random_password() -> std::io::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    Ok(random_bytes(16)?.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_escaped_and_every_table_is_seeded() {
        let sql = sql(&SeedOptions {
            admin_password: "pw",
            salt: b"0123456789abcdef",
            extra_origins: &["http://127.0.0.1:9999".into()],
            now: "2026-01-01T00:00:00Z",
            link_secret: "00ff",
        });
        for table in ["sites", "agents", "dialogues", "dialogue_versions", "leads", "lead_cookies", "admins"] {
            assert!(sql.contains(&format!("INSERT INTO {table} ")), "{table}");
        }
        assert_eq!(sql.matches("INSERT INTO agents").count(), 5);
        assert!(sql.contains("http://127.0.0.1:9999"));
        assert!(sql.contains("I''m Confab"));
        assert!(!sql.contains("'pw'"));
    }

    #[test]
    fn random_passwords_differ() -> std::io::Result<()> {
        let (a, b) = (random_password()?, random_password()?);
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        Ok(())
    }
}
