//! The transcript: the conversation so far, in a polite live region (`role="log"`) so screen
//! readers announce each new line, with a typing indicator while the bot "types".

use crate::dom;
use web_sys::Element;

/// Who said a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    /// The bot.
    Bot,
    /// The visitor.
    Visitor,
}

/// One line of the conversation. Text is always rendered as text, never as HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Who said it.
    pub from: Speaker,
    /// What was said.
    pub text: String,
}

/// The message list and its typing indicator.
pub struct Transcript {
    log: Element,
    typing: Element,
}

impl Transcript {
    /// An empty transcript at the end of `parent`.
    pub fn new(parent: &Element) -> Self {
        let log = dom::add(
            parent,
            "div",
            &[("class", "log"), ("role", "log"), ("aria-live", "polite"), ("aria-relevant", "additions")],
            "",
        );
        // Kept out of the list until the bot types; three dots drawn by CSS.
        let typing = dom::add(&log, "p", &[("class", "msg bot typing"), ("aria-label", "typing")], "");
        for _ in 0..3 {
            dom::add(&typing, "span", &[], "");
        }
        typing.remove();
        Transcript { log, typing }
    }

    /// Appends `line` (lines are only ever appended, above the typing indicator); [`scroll`]
    /// then shows it.
    ///
    /// [`scroll`]: Transcript::scroll
    pub fn add(&self, line: &Line) {
        let class = if line.from == Speaker::Bot { "msg bot" } else { "msg me" };
        let p = dom::make("p", &[("class", class)], &line.text);
        let typing: &web_sys::Node = &self.typing;
        let _ = self.log.insert_before(&p, typing.parent_node().is_some().then_some(typing));
    }

    /// Shows or hides the typing indicator.
    pub fn typing(&self, on: bool) {
        if on {
            let _ = self.log.append_child(&self.typing);
            self.scroll();
        } else {
            self.typing.remove();
        }
    }

    /// Empties the transcript.
    pub fn clear(&self) {
        self.log.set_text_content(None);
    }

    /// Scrolls to the newest line. Reading `scrollHeight` lays the new lines out first, so the
    /// last is fully visible.
    pub fn scroll(&self) {
        self.log.set_scroll_top(self.log.scroll_height());
    }
}
