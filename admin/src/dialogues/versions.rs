//! `VersionList`: a dialogue's published versions, newest first, marking the one visitors get.

use super::api::Version;
use super::browser::local_time;
use leptos::prelude::*;

/// The versions (`#dialogue-versions`).
#[component]
pub fn VersionList(
    /// The versions, newest first.
    #[prop(into)]
    versions: Signal<Vec<Version>>,
    /// The version visitors get, if any.
    #[prop(into)]
    live: Signal<Option<u32>>,
) -> impl IntoView {
    view! {
        <section class="versions" id="dialogue-versions" aria-labelledby="versions-title">
            <h3 id="versions-title">"Versions"</h3>
            <Show
                when=move || !versions.with(Vec::is_empty)
                fallback=|| view! { <p class="empty">"Not published yet. Publishing writes version 1; published versions never change."</p> }
            >
                <ol class="version-list">
                    {move || {
                        versions
                            .get()
                            .into_iter()
                            .map(|v| {
                                let is_live = live.get() == Some(v.version);
                                let by = v.published_by.map(|b| format!(" by {b}")).unwrap_or_default();
                                view! {
                                    <li data-version=v.version>
                                        <strong>{format!("Version {}", v.version)}</strong>
                                        {is_live.then(|| view! { <span class="pill ok">"Live"</span> })}
                                        <span class="muted">{format!(" published {}{by}", local_time(&v.published_at))}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
            </Show>
        </section>
    }
}
