//! The gateway's small key/value table in its own SQLite: the token, the quota pause, the
//! day's call count and the sync state, each one JSON value.

use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::SqlStorage;

#[derive(serde::Deserialize)]
struct ValueRow {
    value: String,
}

/// Creates the table.
pub fn ensure(sql: &SqlStorage) {
    let _ = sql.exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)", None);
}

/// The value under `key`, if there is one that reads as `T`.
pub fn get<T: DeserializeOwned>(sql: &SqlStorage, key: &str) -> Option<T> {
    sql.exec("SELECT value FROM kv WHERE key = ?", vec![key.into()])
        .and_then(|c| c.to_array::<ValueRow>())
        .ok()?
        .into_iter()
        .next()
        .and_then(|row| serde_json::from_str(&row.value).ok())
}

/// Stores `value` under `key`.
pub fn set<T: Serialize>(sql: &SqlStorage, key: &str, value: &T) -> worker::Result<()> {
    let json = serde_json::to_string(value).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        vec![key.into(), json.into()],
    )?;
    Ok(())
}

/// Forgets `key`.
pub fn remove(sql: &SqlStorage, key: &str) {
    let _ = sql.exec("DELETE FROM kv WHERE key = ?", vec![key.into()]);
}
