//! The shell around every page: navigation (a sidebar from 1024 px, a bottom tab bar with a
//! "More" sheet below; one `<nav>` restyled by CSS), the profile switcher, the demo banner,
//! notices (cleared when the page changes), the offer of a new version and the price status
//! line; and the device's appearance applied to `<html>`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

use crate::domain::records::unique_profile_name;
use crate::ui::components::price_status::price_headline;
use crate::ui::routes::Page;
use crate::ui::state::{AppState, Load};
use crate::ui::use_cases::use_cases;
use crate::ui::use_cases::Outcome;

/// Name given to the profile "Start my own portfolio" creates (renamed in Settings).
const OWN_PORTFOLIO: &str = "My portfolio";

/// A link of the navigation: the page (its address and label come from `ui::routes`) and
/// its icon (an SVG path, 24 × 24).
type Link = (Page, &'static str);

const HOLDINGS: Link = (
    Page::Holdings,
    "M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01",
);
const DASHBOARD: Link = (
    Page::Dashboard,
    "M3 3h7v9H3zM14 3h7v5h-7zM14 12h7v9h-7zM3 16h7v5H3z",
);
const REBALANCE: Link = (Page::Rebalance, "M7 20V4L3 8M17 4v16l4-4");
const RISK: Link = (Page::Risk, "M22 12h-4l-3 9L9 3l-3 9H2");
const IMPORT: Link = (Page::Import, "M12 15V3M7 8l5-5 5 5M4 21h16");
const SOURCES: Link = (Page::Sources, "M12 3l9 5-9 5-9-5zM3 13l9 5 9-5");
const SETTINGS: Link = (
    Page::Settings,
    "M4 21v-7M4 10V3M12 21v-9M12 8V3M20 21v-5M20 12V3M1 14h6M9 8h6M17 16h6",
);
const MORE_ICON: &str = "M5 12h.01M12 12h.01M19 12h.01";

fn icon(path: &'static str) -> impl IntoView {
    view! { <svg viewBox="0 0 24 24" aria-hidden="true"><path d=path></path></svg> }
}

fn link((page, path): Link) -> impl IntoView {
    view! { <A href=page.path()>{icon(path)}<span>{page.nav_label().unwrap_or_default()}</span></A> }
}

/// The main navigation. Desktop: groups Portfolio, Plan & analyse, Data, then Settings.
/// Phones: Holdings, Dashboard, Rebalance, Risk and More; the More sheet (a popover) holds
/// the rest. On desktop the sheet's box disappears (`display: contents`) and its links take
/// their group's place by CSS `order`. Pages to come (Transactions, Performance) go in the
/// sheet with the Portfolio group's order class.
#[component]
pub fn Navigation() -> impl IntoView {
    // A link chosen in the sheet closes it (the router changes the page without a reload).
    let close = |ev: leptos::ev::MouseEvent| {
        let sheet = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(sheet) = sheet {
            if let Ok(hide) = js_sys::Reflect::get(&sheet, &"hidePopover".into()) {
                if let Ok(hide) = hide.dyn_into::<js_sys::Function>() {
                    let _ = hide.call0(&sheet);
                }
            }
        }
    };
    view! {
        <nav aria-label="Main" class="nav">
            <p class="nav-head">"Portfolio"</p>
            {link(HOLDINGS)}
            {link(DASHBOARD)}
            <p class="nav-head">"Plan & analyse"</p>
            {link(REBALANCE)}
            {link(RISK)}
            <button type="button" class="more-btn" popovertarget="nav-more">{icon(MORE_ICON)}<span>"More"</span></button>
            <div id="nav-more" class="nav-more" popover="auto" on:click=close>
                <p class="nav-head">"Data"</p>
                {link(IMPORT)}
                {link(SOURCES)}
                <p class="nav-head">"Settings"</p>
                {link(SETTINGS)}
            </div>
        </nav>
    }
}

/// Select the current profile.
#[component]
pub fn ProfileSwitcher() -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let on_change = move |ev: leptos::ev::Event| {
        uc.select_profile.dispatch_local(event_target_value(&ev));
    };
    view! {
        <label class="profile-switch">
            "Profile"
            <select id="profile-select" on:change=on_change prop:value=move || state.current.get().unwrap_or_default()>
                {move || state.profiles.get().into_iter().map(|p| {
                    let id = p.id.clone();
                    view! { <option value=id.clone() selected=move || state.current.get().as_deref() == Some(id.as_str())>{p.name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Creates a profile (the whole app's `use_cases::create_profile_case`; the first page's
/// module has none and hands over to the whole app).
pub type CreateProfile = Action<String, Outcome<String>>;

/// What [`StartOwnPortfolio`] needs: the way to create a profile, where the module has one,
/// and whether the button was pressed (then the Import page opens once the profile exists).
#[derive(Clone, Copy)]
struct StartOwn {
    create: Option<CreateProfile>,
    asked: RwSignal<bool>,
}

/// The session flag by which the first page's module asks the whole app to start a profile
/// of the user's own (the first page cannot create one: that code is the whole app's).
const START_OWN_FLAG: &str = "folio-start-own";

/// Provides what [`StartOwnPortfolio`] needs; call once in the shell (the effect must
/// outlive the banner, which disappears as soon as the new profile is current). With
/// `create`, a hand-over left by the first page's module is carried out once the data is
/// open.
pub fn provide_start_own(create: Option<fn() -> CreateProfile>) {
    let asked = RwSignal::new(false);
    let create = create.map(|make| make());
    provide_context(StartOwn { create, asked });
    let Some(create) = create else {
        return;
    };
    let state = expect_context::<AppState>();
    let navigate = use_navigate();
    Effect::watch(
        move || create.version().get(),
        move |_, _, _| {
            let created = matches!(create.value().get_untracked(), Some(Ok(_)));
            if asked.get_untracked() && created {
                asked.set(false);
                navigate(Page::Import.path(), Default::default());
            }
        },
        false,
    );
    let session = window().session_storage().ok().flatten();
    let handed_over = session
        .as_ref()
        .and_then(|s| s.get_item(START_OWN_FLAG).ok().flatten())
        .is_some();
    if handed_over {
        if let Some(s) = &session {
            let _ = s.remove_item(START_OWN_FLAG);
        }
        Effect::watch(
            move || state.load.get() == Load::Ready,
            move |ready, _, _| {
                if *ready && !asked.get_untracked() && create.version().get_untracked() == 0 {
                    start_own(state, create, asked);
                }
            },
            true,
        );
    }
}

/// Creates "My portfolio" (a unique name), to be made current, then the Import page opens.
fn start_own(state: AppState, create: CreateProfile, asked: RwSignal<bool>) {
    let name = state
        .profiles
        .with_untracked(|p| unique_profile_name(OWN_PORTFOLIO, p.iter().map(|p| p.name.as_str())));
    asked.set(true);
    create.dispatch_local(name);
}

/// A button that creates a profile of the user's own, makes it the current one and opens
/// the Import page. In the first page's module it opens the whole app at the Import page,
/// which does that.
#[component]
pub fn StartOwnPortfolio() -> impl IntoView {
    let state = expect_context::<AppState>();
    let StartOwn { create, asked } = expect_context::<StartOwn>();
    let start = move |_| match create {
        Some(create) => start_own(state, create, asked),
        None => {
            if let Some(s) = window().session_storage().ok().flatten() {
                let _ = s.set_item(START_OWN_FLAG, "1");
            }
            asked.set(true);
            let _ = window().location().assign(Page::Import.path());
        }
    };
    let busy = move || asked.get() || create.is_some_and(|c| c.pending().get());
    view! {
        <button type="button" class="primary start-own" on:click=start disabled=busy>
            "Start my own portfolio"
        </button>
    }
}

/// On the demo profile: says so, and offers a profile of one's own first.
#[component]
pub fn DemoBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.on_demo().then(|| {
            view! {
                <div class="banner" id="demo-banner" role="region" aria-label="Demo">
                    <p><strong>"This is a demo portfolio"</strong>" with invented holdings, to look around. Your own files go into a portfolio of your own."</p>
                    <StartOwnPortfolio/>
                </div>
            }
        })
    }
}

/// The last notice, dismissible; cleared when the page changes.
#[component]
pub fn NoticeBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let path = use_location().pathname;
    Effect::watch(
        move || path.get(),
        move |_, _, _| state.notice.set(None),
        false,
    );
    view! {
        <div class="notices">
            {move || state.notice.get().map(|n| {
                view! {
                    <div class=if n.error { "notice error" } else { "notice info" } role=if n.error { "alert" } else { "status" }>
                        <span class="notice-text">{n.text}</span>
                        <button type="button" aria-label="Dismiss message" on:click=move |_| state.notice.set(None)>"×"</button>
                    </div>
                }
            })}
        </div>
    }
}

/// The offer of a new version of Folio, once the service worker has installed one:
/// `public/sw_register.js` sets `window.folioUpdate` (which activates it) and fires
/// `folio-update`. "Reload to update" calls it; the new worker takes over and the page
/// reloads into the new version.
#[component]
pub fn UpdateNotice() -> impl IntoView {
    let ready = RwSignal::new(update_offer().is_some());
    let accepted = RwSignal::new(false);
    let listener = window_event_listener_untyped("folio-update", move |_| ready.set(true));
    on_cleanup(move || listener.remove());
    let accept = move |_| {
        if let Some(activate) = update_offer() {
            accepted.set(true);
            let _ = activate.call0(&wasm_bindgen::JsValue::NULL);
        }
    };
    move || {
        ready.get().then(|| {
            view! {
                <div class="notice info" role="status" id="update-notice">
                    <span class="notice-text">"A new version of Folio is ready."</span>
                    <button type="button" id="update-reload" on:click=accept disabled=move || accepted.get()>"Reload to update"</button>
                </div>
            }
        })
    }
}

/// `window.folioUpdate`, when a new version waits.
fn update_offer() -> Option<js_sys::Function> {
    js_sys::Reflect::get(&window(), &"folioUpdate".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// The price status in a few words, at the foot of the sidebar.
#[component]
pub fn StatusLine() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! { <p class="status" id="sidebar-status">{move || price_headline(state)}</p> }
}

/// Applies the device's appearance to `<html>` (`data-theme`, `data-gains`).
pub fn apply_appearance(state: AppState) {
    Effect::new(move |_| {
        let a = state.appearance.get();
        let Some(html) = document().document_element() else {
            return;
        };
        for (name, value) in [
            ("data-theme", a.theme_attribute()),
            ("data-gains", a.gains_attribute()),
        ] {
            let _ = match value {
                Some(v) => html.set_attribute(name, v),
                None => html.remove_attribute(name),
            };
        }
    });
}
