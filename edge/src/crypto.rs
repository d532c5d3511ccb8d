//! Password verification through WebCrypto (`crypto.subtle`), which runs PBKDF2 as native
//! code: 100,000 iterations cost a few milliseconds instead of the ~130 ms the same
//! derivation takes in wasm, keeping sign-in inside a Worker's CPU limits.

use crate::error::{ApiError, ApiResult};
use confab_domain::auth::StoredHash;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn get(target: &JsValue, key: &str) -> ApiResult<JsValue> {
    Reflect::get(target, &key.into()).map_err(|_| ApiError::Internal(format!("WebCrypto: no {key}")))
}

async fn call(target: &JsValue, method: &str, args: &Array) -> ApiResult<JsValue> {
    let function: js_sys::Function = get(target, method)?
        .dyn_into()
        .map_err(|_| ApiError::Internal(format!("WebCrypto: {method} is not a function")))?;
    let promise: js_sys::Promise = Reflect::apply(&function, target, args)
        .and_then(JsCast::dyn_into)
        .map_err(|_| ApiError::Internal(format!("WebCrypto: {method} failed")))?;
    JsFuture::from(promise).await.map_err(|_| ApiError::Internal(format!("WebCrypto: {method} rejected")))
}

/// PBKDF2-HMAC-SHA256 of `password` with `salt` and `iterations`, 32 bytes.
pub async fn pbkdf2_sha256(password: &str, salt: &[u8], iterations: u32) -> ApiResult<Vec<u8>> {
    let subtle = get(&get(&js_sys::global(), "crypto")?, "subtle")?;
    let usages = Array::of1(&"deriveBits".into());
    let raw = Uint8Array::from(password.as_bytes());
    let key =
        call(&subtle, "importKey", &Array::of5(&"raw".into(), &raw, &"PBKDF2".into(), &false.into(), &usages)).await?;
    let params = Object::new();
    for (k, v) in [
        ("name", JsValue::from("PBKDF2")),
        ("hash", JsValue::from("SHA-256")),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", JsValue::from(iterations)),
    ] {
        Reflect::set(&params, &k.into(), &v).map_err(|_| ApiError::Internal("WebCrypto: params".into()))?;
    }
    let bits = call(&subtle, "deriveBits", &Array::of3(&params, &key, &JsValue::from(256))).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// Whether `password` matches the stored hash; malformed hashes never match.
pub async fn verify_password(stored: &str, password: &str) -> ApiResult<bool> {
    let Some(hash) = StoredHash::parse(stored) else { return Ok(false) };
    let derived = pbkdf2_sha256(password, &hash.salt, hash.iterations).await?;
    Ok(hash.matches(&derived))
}

/// A stored hash of a new `password`: PBKDF2 through WebCrypto with a fresh 16-byte salt and
/// [`confab_domain::auth::ITERATIONS`].
pub async fn hash_password(password: &str) -> ApiResult<String> {
    let salt = crate::clock::random_bytes(16)?;
    let iterations = confab_domain::auth::ITERATIONS;
    let derived = pbkdf2_sha256(password, &salt, iterations).await?;
    Ok(confab_domain::auth::format_hash(iterations, &salt, &derived))
}
