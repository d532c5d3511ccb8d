//! `DateOverrides`: particular dates that differ from the week, each a day off or other
//! hours (a holiday, a conference, a Saturday worked).

use super::block_list::BlockList;
use super::draft::{BlockOwner, Field};
use super::editor::{Editor, focus_soon};
use leptos::prelude::*;

/// The date overrides.
#[component]
pub fn DateOverrides(
    /// The editor the overrides belong to.
    editor: Editor,
) -> impl IntoView {
    let title_id = editor.id("overrides-title");
    let add_id = editor.id("add-override");
    let keys = move || editor.draft.with(|d| d.overrides.iter().map(|o| o.key).collect::<Vec<_>>());
    let empty = move || editor.draft.with(|d| d.overrides.is_empty());
    let add = move |_| {
        let mut key = 0;
        editor.edit(Field::Form, |d| key = d.add_override());
        focus_soon(editor.field_id(Field::Override(key)));
    };
    let focus_add = add_id.clone();
    view! {
        <div class="overrides" role="group" aria-labelledby=title_id.clone()>
            <div class="section-head">
                <h3 id=title_id.clone()>"Date overrides"</h3>
                <button type="button" class="secondary" id=add_id on:click=add>"Add a date"</button>
            </div>
            <p class="hint">"Dates in the agent's time zone whose hours replace the weekday's: days off, or other hours."</p>
            <Show when=empty>
                <p class="empty">"No date overrides: every date follows the weekly hours. Add a date for a holiday or for extra hours."</p>
            </Show>
            <ul class="override-list">
                <For
                    each=keys
                    key=|key| *key
                    children=move |key| {
                        let focus_add = focus_add.clone();
                        view! { <OverrideRow editor=editor key=key add_id=focus_add/> }
                    }
                />
            </ul>
        </div>
    }
}

/// One date: the date, a day off or hours, and a remove button.
#[component]
fn OverrideRow(
    /// The editor the override belongs to.
    editor: Editor,
    /// The override's key.
    key: u32,
    /// The "Add a date" button, which takes focus when the override goes.
    add_id: String,
) -> impl IntoView {
    let field = Field::Override(key);
    let date = move || {
        editor.draft.with(|d| d.overrides.iter().find(|o| o.key == key).map(|o| o.date.clone()).unwrap_or_default())
    };
    let day_off = move || editor.draft.with(|d| d.overrides.iter().find(|o| o.key == key).is_some_and(|o| o.day_off));
    // How the date is named to assistive technology before one is chosen.
    let day = Signal::derive(move || match date() {
        d if d.is_empty() => "the new date".to_owned(),
        d => d,
    });
    let kind_name = editor.id(&format!("kind-{key}"));
    let set_date = move |ev| {
        let text = event_target_value(&ev);
        editor.edit(field, |d| {
            if let Some(o) = d.overrides.iter_mut().find(|o| o.key == key) {
                o.date = text;
            }
        });
    };
    let set_off = move |off: bool| editor.edit(field, |d| d.set_day_off(key, off));
    let remove = move |_| {
        editor.edit(field, |d| d.remove_override(key));
        focus_soon(add_id.clone());
    };
    view! {
        <li class="override" class:invalid=move || editor.invalid(field).is_some()>
            <div class="override-head">
                <label class="date">"Date"
                    <input
                        type="date"
                        id=editor.field_id(field)
                        aria-invalid=move || editor.invalid(field)
                        aria-describedby=editor.error_id(field)
                        prop:value=date
                        on:input=set_date
                    />
                </label>
                <div class="override-kind" role="radiogroup" aria-label=move || format!("What {} is", day.get())>
                    <label class="inline">
                        <input type="radio" name=kind_name.clone() prop:checked=day_off on:change=move |_| set_off(true)/>
                        "Day off"
                    </label>
                    <label class="inline">
                        <input type="radio" name=kind_name prop:checked=move || !day_off() on:change=move |_| set_off(false)/>
                        "Other hours"
                    </label>
                </div>
                <button type="button" class="secondary remove" on:click=remove>
                    "Remove"<span class="visually-hidden">{move || format!(" {}", day.get())}</span>
                </button>
            </div>
            <Show when=move || !day_off()>
                <div class="override-blocks">
                    <BlockList editor=editor owner=BlockOwner::Override(key) field=field day=day/>
                </div>
            </Show>
            <p class="field-error" id=editor.error_id(field)>{move || editor.error(field)}</p>
        </li>
    }
}
