//! The Leptos app: shell, router, pages.

pub mod charts;
pub mod components;
pub mod error;
pub mod pages;
pub mod state;
pub mod use_cases;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use error::show_errors;
use pages::{
    bench::BenchPage, dashboard::DashboardPage, holdings::HoldingsPage, import::ImportPage,
    rebalance::RebalancePage, risk::RiskPage, settings::SettingsPage, shared::SharedPage,
    sources::SourcesPage,
};
use state::{AppState, Load};
use use_cases::{use_cases, UseCases};

use crate::browser::prefetch_whole_app;

/// The whole app: every page. `index.html` starts it for every address but the first page's.
#[component]
pub fn App() -> impl IntoView {
    frame(|| {
        // Backups are the whole app's: the first page's module holds none of their code.
        provide_context(use_cases::backup::BackupUseCases::new(expect_context::<
            AppState,
        >()));
        view! {
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
        }
        .into_any()
    })
}

/// The address of the first page (the holdings table), the one a visit to Folio opens
/// (`index.html`'s loader starts [`FirstPageApp`] there).
pub const FIRST_PAGE_PATH: &str = "/";

/// The first page alone, in a module of its own so that a visit's first download is small:
/// the same shell and holdings page as [`App`], without the other pages' code. Going to any
/// other page reloads the document at the new address, where `index.html` starts [`App`];
/// once the holdings are shown, the whole app's module is fetched in the background for it.
#[component]
pub fn FirstPageApp() -> impl IntoView {
    frame(|| {
        request_animation_frame(prefetch_whole_app);
        view! {
            <Routes fallback=LoadWholeApp>
                <Route path=path!("/") view=HoldingsPage/>
            </Routes>
        }
        .into_any()
    })
}

/// Reloads the document at the address the router has just moved to: the first page's module
/// does not hold that page; the whole app does.
#[component]
fn LoadWholeApp() -> impl IntoView {
    Effect::new(|_| {
        if let Err(e) = window().location().reload() {
            leptos::logging::error!("reload failed: {e:?}");
        }
    });
    view! { <p class="muted" role="status">"Opening the page…"</p> }
}

/// The shell every page shares (header, navigation, notices, footer) around `routes`, which
/// is shown once the database is open.
fn frame(routes: fn() -> AnyView) -> impl IntoView {
    let state = AppState::start();
    provide_context(state);
    let uc = UseCases::new(state);
    provide_context(uc);
    view! {
        <Router>
            <header class="app-header">
                <span class="brand">"Folio"</span>
                <nav aria-label="Main">
                    <A href=FIRST_PAGE_PATH>"Holdings"</A>
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
            <components::backup_reminder::BackupReminder/>
            <ErrorBoundary fallback=show_errors>
                {move || uc.save_settings.value().get()}
                {move || uc.select_profile.value().get()}
                {move || uc.take_snapshot.value().get()}
            </ErrorBoundary>
            <main>
                {move || match state.load.get() {
                    Load::Loading => view! { <p class="muted" role="status">"Opening your data…"</p> }.into_any(),
                    Load::Failed(e) => view! {
                        <p class="error" role="alert">{format!("Folio could not open its database in this browser: {e}")}</p>
                    }.into_any(),
                    Load::Ready => routes(),
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
    let uc = use_cases();
    let on_change = move |ev: leptos::ev::Event| {
        uc.select_profile.dispatch_local(event_target_value(&ev));
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
