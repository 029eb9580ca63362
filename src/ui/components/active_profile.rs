//! The profile a page changes, named where data is changed (Import, Sources, Settings).

use leptos::prelude::*;

use crate::ui::state::AppState;

/// "Profile: My portfolio" (with "demo" on the demo profile).
#[component]
pub fn ActiveProfile() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.profile().map(|p| {
            view! {
                <p class="muted" id="active-profile">
                    "Profile: "<strong>{p.name}</strong>
                    {p.demo.then(|| view! { <span class="badge">"demo"</span> })}
                </p>
            }
        })
    }
}
