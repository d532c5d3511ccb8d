//! The Configuration tab: the site's name, the origins the widget may run on, the widget's
//! branding with a live preview and contrast checks, and what to paste into the site (the
//! install snippet and the Content-Security-Policy). The draft and its checks are pure
//! (`draft.rs`, tested natively); the components edit one shared `Form`.

mod api;
mod avatar_field;
mod branding_form;
mod color_field;
mod color_pair;
mod copy_box;
pub(crate) mod draft;
mod form;
mod number_field;
mod origins_editor;
mod panel;
mod preview;

pub use panel::ConfigurationPanel;
