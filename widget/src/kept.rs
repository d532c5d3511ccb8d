//! `Kept`: a value the chat's handlers share without a view tracking it.

use std::sync::{Mutex, PoisonError};

/// A value the chat keeps for itself (no view tracks it), read by copy: a plain `Mutex`
/// (without threads, a flag) rather than Leptos' `StoredValue`, whose access through the
/// reactive arena is compiled again for every type it holds. Each access holds the lock only
/// for itself, so it is never taken twice.
pub struct Kept<T>(Mutex<T>);

impl<T: Clone> Kept<T> {
    /// Keeps `value`.
    pub fn new(value: T) -> Self {
        Kept(Mutex::new(value))
    }

    /// A copy of the value.
    pub fn get_value(&self) -> T {
        self.with_value(T::clone)
    }

    /// Replaces the value.
    pub fn set_value(&self, value: T) {
        self.update_value(|v| *v = value);
    }

    /// Changes the value in place.
    pub fn update_value(&self, change: impl FnOnce(&mut T)) {
        change(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// What `read` makes of the value.
    pub fn with_value<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        read(&self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
