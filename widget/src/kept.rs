//! `Kept`: a value the chat's handlers and background jobs share.

use std::cell::RefCell;

/// A value the chat keeps, read by copy. Each access borrows only for itself and never calls
/// out while it does, so it is never borrowed twice.
pub struct Kept<T>(RefCell<T>);

impl<T: Clone> Kept<T> {
    /// Keeps `value`.
    pub fn new(value: T) -> Self {
        Kept(RefCell::new(value))
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
        change(&mut self.0.borrow_mut());
    }

    /// What `read` makes of the value.
    pub fn with_value<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        read(&self.0.borrow())
    }
}
