//! The Leptos app: shell, router, pages.

pub mod charts;
pub mod components;
pub mod error;
pub mod pages;
pub mod routes;
pub mod shell;
pub mod state;
pub mod use_cases;

use leptos::children::ToChildren;
use leptos::prelude::*;
use leptos::tachys::view::iterators::StaticVec;
use leptos_router::components::{Route, RouteChildren, RouteProps, Router, Routes, RoutesProps};
use leptos_router::StaticSegment;

use error::show_errors;
use pages::{
    dashboard::DashboardPage, holdings::HoldingsPage, import::ImportPage, rebalance::RebalancePage,
    risk::RiskPage, settings::SettingsPage, shared::SharedPage, sources::SourcesPage,
};
pub use routes::{Page, FIRST_PAGE_PATH};
use shell::{DemoBanner, Navigation, NoticeBar, ProfileSwitcher, StatusLine, UpdateNotice};
use state::{AppState, Load};
use use_cases::{use_cases, UseCases};

use crate::browser::prefetch_whole_app;

/// The whole app: every page. `index.html` starts it for every address but the first page's,
/// and for the first page's when it hands over ([`hand_over_to_whole_app`]).
#[component]
pub fn App() -> impl IntoView {
    crate::browser::store::upgrade_records_on_open();
    forget_hand_over();
    frame(
        || {
            // Backups are the whole app's: the first page's module holds none of their code.
            provide_context(use_cases::backup::BackupUseCases::new(expect_context::<
                AppState,
            >()));
            let routes: StaticVec<_> = Page::ALL
                .iter()
                .map(|&page| {
                    Route(
                        RouteProps::builder()
                            .path(StaticSegment(page.path()))
                            .view(move || page_view(page))
                            .build(),
                    )
                })
                .collect::<Vec<_>>()
                .into();
            Routes(
                RoutesProps::builder()
                    .fallback(|| view! { <p>"This page does not exist."</p> })
                    .children(RouteChildren::to_children(move || routes))
                    .build(),
            )
            .into_any()
        },
        Some(WholeApp {
            shared: || view! { <SharedPage/> }.into_any(),
            create_profile: use_cases::create_profile_case,
            start_more: use_cases::stored_history,
        }),
    )
}

/// The view of each page.
fn page_view(page: Page) -> AnyView {
    match page {
        Page::Holdings => view! { <HoldingsPage/> }.into_any(),
        Page::Dashboard => view! { <DashboardPage/> }.into_any(),
        Page::Rebalance => view! { <RebalancePage/> }.into_any(),
        Page::Risk => view! { <RiskPage/> }.into_any(),
        Page::Import => view! { <ImportPage/> }.into_any(),
        Page::Sources => view! { <SourcesPage/> }.into_any(),
        Page::Settings => view! { <SettingsPage/> }.into_any(),
        Page::Shared => view! { <SharedPage/> }.into_any(),
        #[cfg(feature = "bench")]
        Page::Bench => view! { <pages::bench::BenchPage/> }.into_any(),
    }
}

/// The first page alone, in a module of its own so that a visit's first download is small:
/// the same shell and holdings page as [`App`], without the other pages' code. Going to any
/// other page reloads the document at the new address, where `index.html` starts [`App`];
/// once the holdings are shown, the whole app's module is fetched in the background for it.
#[component]
pub fn FirstPageApp() -> impl IntoView {
    frame(
        || {
            request_animation_frame(prefetch_whole_app);
            view! {
                <Routes fallback=LoadWholeApp>
                    <Route path=StaticSegment(FIRST_PAGE_PATH) view=HoldingsPage/>
                </Routes>
            }
            .into_any()
        },
        None,
    )
}

/// The query by which the first page's module asks `index.html`'s loader to start the whole
/// app's at the same address.
const WHOLE_APP_QUERY: &str = "whole-app";

/// Reopens this address with the whole app's module, which can do what the first page's
/// cannot (upgrade an older database's records); `false` when this already is that request
/// (a loader that ignored it would otherwise be asked forever).
pub fn hand_over_to_whole_app() -> bool {
    let location = window().location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return false;
    };
    if search.contains(WHOLE_APP_QUERY) {
        return false;
    }
    location
        .replace(&format!("{path}?{WHOLE_APP_QUERY}"))
        .is_ok()
}

/// Drops the hand-over's query from the address once the whole app has it, so that a reload
/// opens the first page's module again.
fn forget_hand_over() {
    let location = window().location();
    if let (Ok(path), Ok(search)) = (location.pathname(), location.search()) {
        if search.contains(WHOLE_APP_QUERY) {
            if let Ok(history) = window().history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
            }
        }
    }
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

/// What only the whole app's module holds; the first page's module passes `None`, so that
/// it carries none of their code.
#[derive(Clone, Copy)]
struct WholeApp {
    /// The shared plan's page (its address opens outside the shell).
    shared: fn() -> AnyView,
    /// Creating a profile (the first page hands "Start my own portfolio" over).
    create_profile: fn() -> shell::CreateProfile,
    /// The stored daily history, read before the pages show.
    start_more: use_cases::StartMore,
}

/// The shell every page shares (navigation, profile, banner, notices, footer) around
/// `routes`, which is shown once the database is open. A shared plan's address opens a
/// read-only page without it: no database, no demo profile for the recipient.
/// `whole` is what only the whole app holds (`None` in the first page's module, which only
/// serves the first page).
fn frame(routes: fn() -> AnyView, whole: Option<WholeApp>) -> impl IntoView {
    let path = window().location().pathname().ok();
    let shared = whole.map(|w| w.shared);
    if let (Some(shared), true) = (shared, path.as_deref() == Some(Page::Shared.path())) {
        return view! {
            <div class="page">
                <header class="banner">
                    <span class="brand">"Folio"</span>
                    <p>"A plan someone shared with you, read-only. Nothing here is saved in this browser."</p>
                </header>
                <main id="main">{shared()}</main>
            </div>
        }
        .into_any();
    }
    let state = AppState::start(whole.map(|w| w.start_more));
    provide_context(state);
    let uc = UseCases::new(state);
    provide_context(uc);
    shell::apply_appearance(state);
    view! {
        <Router>
            <Shell routes=routes create_profile=whole.map(|w| w.create_profile)/>
        </Router>
    }
    .into_any()
}

#[component]
fn Shell(
    routes: fn() -> AnyView,
    create_profile: Option<fn() -> shell::CreateProfile>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    shell::provide_start_own(create_profile);
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <div class="shell">
            <header class="sidebar">
                <span class="brand">"Folio"</span>
                <ProfileSwitcher/>
                <Navigation/>
                <StatusLine/>
            </header>
            <div class="page">
                <DemoBanner/>
                <UpdateNotice/>
                <NoticeBar/>
                <components::backup_reminder::BackupReminder/>
                <div class="notices">
                    <ErrorBoundary fallback=show_errors>
                        {move || uc.save_settings.value().get()}
                        {move || uc.select_profile.value().get()}
                        {move || uc.take_snapshot.value().get()}
                        {move || uc.save_appearance.value().get()}
                    </ErrorBoundary>
                </div>
                <main id="main">
                    {move || match state.load.get() {
                        Load::Loading => view! { <p class="muted" role="status">"Opening your data…"</p> }.into_any(),
                        Load::Failed(e) => view! {
                            <p class="error" role="alert">{format!("Folio could not open its database in this browser: {e}")}</p>
                        }.into_any(),
                        Load::Ready => routes(),
                    }}
                </main>
                <footer>
                    "Everything stays in this browser: files are read here and kept in its database. Nothing is uploaded."
                </footer>
            </div>
        </div>
    }
}
