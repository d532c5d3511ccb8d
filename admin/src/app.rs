//! `App`: decides between the sign-in form and the dashboard.

use crate::api;
use crate::dashboard::Dashboard;
use crate::sign_in::SignInForm;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Who is signed in: unknown while checking, then `None` or the admin's email.
#[derive(Clone, Debug, PartialEq)]
enum Session {
    Checking,
    SignedOut,
    SignedIn(String),
}

/// The whole admin.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(Session::Checking);
    spawn_local(async move {
        session.set(match api::whoami().await {
            Ok(email) => Session::SignedIn(email),
            Err(_) => Session::SignedOut,
        });
    });
    let signed_in = Callback::new(move |email: String| session.set(Session::SignedIn(email)));
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::sign_out().await;
            session.set(Session::SignedOut);
        })
    };
    move || match session.get() {
        Session::Checking => view! { <p class="muted" role="status">"Loading…"</p> }.into_any(),
        Session::SignedOut => view! { <SignInForm on_signed_in=signed_in/> }.into_any(),
        Session::SignedIn(email) => view! {
            <header class="top">
                <h1>"Confab admin"</h1>
                <div>
                    <span class="muted">{email}</span>" "
                    <button type="button" on:click=sign_out>"Sign out"</button>
                </div>
            </header>
            <Dashboard/>
        }
        .into_any(),
    }
}
