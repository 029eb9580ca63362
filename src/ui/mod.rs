//! The Leptos app: shell, router, pages.

pub mod charts;
pub mod pages;
pub mod state;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use pages::{
    bench::BenchPage, dashboard::DashboardPage, holdings::HoldingsPage, import::ImportPage,
    rebalance::RebalancePage, risk::RiskPage, settings::SettingsPage, shared::SharedPage,
    sources::SourcesPage,
};
use state::{AppState, Load};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::start();
    provide_context(state);
    view! {
        <Router>
            <header class="app-header">
                <span class="brand">"Folio"</span>
                <nav aria-label="Main">
                    <A href="/">"Holdings"</A>
                    <A href="/dashboard">"Dashboard"</A>
                    <A href="/rebalance">"Rebalance"</A>
                    <A href="/risk">"Risk"</A>
                    <A href="/import">"Import"</A>
                    <A href="/sources">"Sources"</A>
                    <A href="/settings">"Settings"</A>
                </nav>
                <ProfileSwitcher/>
            </header>
            <NoticeBar/>
            <main>
                {move || match state.load.get() {
                    Load::Loading => view! { <p class="muted" role="status">"Opening your data…"</p> }.into_any(),
                    Load::Failed(e) => view! {
                        <p class="error" role="alert">{format!("Folio could not open its database in this browser: {e}")}</p>
                    }.into_any(),
                    Load::Ready => view! {
                        <Routes fallback=|| view! { <p>"This page does not exist."</p> }>
                            <Route path=path!("/") view=HoldingsPage/>
                            <Route path=path!("/dashboard") view=DashboardPage/>
                            <Route path=path!("/rebalance") view=RebalancePage/>
                            <Route path=path!("/risk") view=RiskPage/>
                            <Route path=path!("/shared") view=SharedPage/>
                            <Route path=path!("/bench") view=BenchPage/>
                            <Route path=path!("/import") view=ImportPage/>
                            <Route path=path!("/sources") view=SourcesPage/>
                            <Route path=path!("/settings") view=SettingsPage/>
                        </Routes>
                    }.into_any(),
                }}
            </main>
            <footer class="muted">
                "Everything stays in this browser: files are read here and kept in its database. Nothing is uploaded."
            </footer>
        </Router>
    }
}

/// Select the current profile.
#[component]
fn ProfileSwitcher() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        spawn_local(async move {
            if let Err(e) = state.load_profile(&id).await {
                state.error(e.to_string());
            }
        });
    };
    view! {
        <label class="profile-switch">
            "Profile "
            <select id="profile-select" on:change=on_change prop:value=move || state.current.get().unwrap_or_default()>
                {move || state.profiles.get().into_iter().map(|p| {
                    let id = p.id.clone();
                    view! { <option value=id.clone() selected=move || state.current.get().as_deref() == Some(id.as_str())>{p.name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The last notice, dismissible.
#[component]
fn NoticeBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.notice.get().map(|n| {
            view! {
                <div class=if n.error { "notice error" } else { "notice info" } role=if n.error { "alert" } else { "status" }>
                    <span class="notice-text">{n.text}</span>
                    <button type="button" aria-label="Dismiss message" on:click=move |_| state.notice.set(None)>"×"</button>
                </div>
            }
        })
    }
}
