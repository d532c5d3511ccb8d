//! Dialogues: the Dialogues panel, where admins list, create, edit (name, priority, audience
//! and the flow of cards, with the validator's problems next to the card they concern),
//! preview (with the engine in the admin, and the saved draft in the real widget), publish, unpublish, duplicate, export and import the site's dialogues. Pure logic
//! lives in `draft.rs` and `transcript.rs`, tested natively; network access in `api.rs`.

mod api;
mod audience_draft;
mod audience_form;
mod browser;
mod button_rows;
mod card_editor;
mod diagnostic_list;
mod dialogue_form;
mod dialogue_list;
mod draft;
mod editor;
mod flow_editor;
mod import_control;
mod live_preview;
mod new_dialogue_form;
mod next_select;
mod panel;
mod preview;
mod state;
mod text_input;
mod transcript;
mod trigger_list;
mod trigger_rows;
mod versions;

pub use panel::DialoguesPanel;
