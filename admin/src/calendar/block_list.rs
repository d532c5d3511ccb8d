//! `BlockList`: the working blocks of one weekday or one date, each a start and an end time,
//! with buttons to add and remove blocks. Focus follows the edit: to the new block's start,
//! or to "Add hours" once a block is removed.

use super::draft::{BlockDraft, BlockOwner, Field};
use super::editor::{Editor, focus_soon};
use leptos::prelude::*;

/// The blocks of `owner`.
#[component]
pub fn BlockList(
    /// The editor the blocks belong to.
    editor: Editor,
    /// Whose blocks: a weekday or a date override.
    owner: BlockOwner,
    /// Where problems with these blocks are shown.
    field: Field,
    /// The day as people say it ("Monday", "2026-12-24"), for accessible names.
    #[prop(into)]
    day: Signal<String>,
) -> impl IntoView {
    let add_id = editor.id(&match owner {
        BlockOwner::Day(d) => format!("add-day-{d}"),
        BlockOwner::Override(k) => format!("add-date-{k}"),
    });
    let keys = move || {
        editor.draft.with(|d| d.blocks(owner).map(|b| b.iter().map(|b| b.key).collect::<Vec<_>>()).unwrap_or_default())
    };
    let add = move |_| {
        let mut key = None;
        editor.edit(field, |d| key = d.add_block(owner));
        if let Some(key) = key {
            focus_soon(editor.id(&format!("block-{key}-start")));
        }
    };
    let focus_add = add_id.clone();
    view! {
        <ul class="blocks">
            <For
                each=keys
                key=|key| *key
                children=move |key| {
                    let focus_add = focus_add.clone();
                    view! { <BlockRow editor=editor owner=owner field=field day=day key=key add_id=focus_add/> }
                }
            />
        </ul>
        <button type="button" class="link" id=add_id on:click=add>
            "Add hours"<span class="visually-hidden">{move || format!(" on {}", day.get())}</span>
        </button>
    }
}

/// One block: start, end, and a remove button.
#[component]
fn BlockRow(
    /// The editor the block belongs to.
    editor: Editor,
    /// Whose block it is.
    owner: BlockOwner,
    /// Where problems with it are shown.
    field: Field,
    /// The day, for accessible names.
    day: Signal<String>,
    /// The block's key.
    key: u32,
    /// The "Add hours" button, which takes focus when the block goes.
    add_id: String,
) -> impl IntoView {
    let read = move |pick: fn(&BlockDraft) -> String| {
        editor
            .draft
            .with(|d| d.blocks(owner).and_then(|b| b.iter().find(|b| b.key == key)).map(pick).unwrap_or_default())
    };
    let write = move |text: String, start: bool| {
        editor.edit(field, |d| {
            if let Some(block) = d.blocks_mut(owner).and_then(|b| b.iter_mut().find(|b| b.key == key)) {
                if start {
                    block.start = text;
                } else {
                    block.end = text;
                }
            }
        });
    };
    // "Monday, block 2": the position follows the rows around it.
    let name = move || {
        let position = editor
            .draft
            .with(|d| d.blocks(owner).and_then(|b| b.iter().position(|b| b.key == key)))
            .map_or(1, |p| p + 1);
        format!("{}, block {position}", day.get())
    };
    let remove = move |_| {
        editor.edit(field, |d| d.remove_block(owner, key));
        focus_soon(add_id.clone());
    };
    view! {
        <li class="block">
            <input
                type="time"
                step="300"
                id=editor.id(&format!("block-{key}-start"))
                aria-label=move || format!("{}, start", name())
                aria-invalid=move || editor.invalid(field)
                aria-describedby=editor.error_id(field)
                prop:value=move || read(|b| b.start.clone())
                on:input=move |ev| write(event_target_value(&ev), true)
            />
            <span class="to" aria-hidden="true">"–"</span>
            <input
                type="time"
                step="300"
                aria-label=move || format!("{}, end", name())
                aria-invalid=move || editor.invalid(field)
                aria-describedby=editor.error_id(field)
                prop:value=move || read(|b| b.end.clone())
                on:input=move |ev| write(event_target_value(&ev), false)
            />
            <button type="button" class="icon" aria-label=move || format!("Remove {}", name()) on:click=remove>
                "×"
            </button>
        </li>
    }
}
