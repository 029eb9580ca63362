//! Settings: profiles (create, rename, delete), storage persistence, backups, group
//! assignments.

use leptos::prelude::*;

use crate::domain::currency::Currency;
use crate::domain::prices::chain::Chain;
use crate::domain::prices::PricingMode;
use crate::domain::records::appearance::{Appearance, GainColours, Theme};
use crate::domain::records::Profile;
use crate::domain::taxonomy::GROUPS;
use crate::ui::components::active_profile::ActiveProfile;
use crate::ui::components::backup_settings::BackupSettings;
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::{
    create_profile_case, delete_profile_case, rename_profile_case, use_cases, Outcome,
};

/// Renaming and deleting a profile, shared by the page and each profile's row.
#[derive(Clone, Copy)]
struct ProfileCases {
    rename: Action<(String, String), Outcome<()>>,
    delete: Action<String, Outcome<()>>,
}

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let create_profile = create_profile_case();
    let cases = ProfileCases {
        rename: rename_profile_case(),
        delete: delete_profile_case(),
    };
    provide_context(cases);
    let new_name = RwSignal::new(String::new());
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create_profile.dispatch_local(new_name.get_untracked());
    };
    // A created profile clears the field.
    Effect::new(move |_| {
        if let Some(Ok(_)) = create_profile.value().get() {
            new_name.set(String::new());
        }
    });
    view! {
        <section aria-labelledby="settings-title">
            <div class="page-head">
                <div>
                    <h1 id="settings-title">"Settings"</h1>
                    <ActiveProfile/>
                </div>
            </div>
            <h2>"Profiles"</h2>
            <p class="muted">"Each profile has its own imports, groups and settings; none sees another's data. A new profile becomes the current one."</p>
            <form on:submit=create class="inline-form card">
                <label for="new-profile-name">"New profile"</label>
                <input id="new-profile-name" type="text" placeholder="e.g. My portfolio" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                <button type="submit" class="primary" id="create-profile" disabled=move || create_profile.pending().get()>"Create and switch to it"</button>
            </form>
            <ul class="profiles">
                {move || state.profiles.get().into_iter().map(|p| view! { <ProfileRow profile=p/> }).collect_view()}
            </ul>
            <ErrorBoundary fallback=show_errors>
                {move || create_profile.value().get().map(|r| r.map(|name| view! {
                    <p class="notice info" role="status">{format!("Profile “{name}” created and selected.")}</p>
                }))}
                {move || cases.rename.value().get()}
                {move || cases.delete.value().get()}
            </ErrorBoundary>
            <h2>"Appearance"</h2>
            <AppearanceSettings/>
            <h2>"Prices and currency"</h2>
            <PriceSettings/>
            <h2>"Storage"</h2>
            <p id="persistence">
                {move || match state.persisted.get() {
                    Some(true) => "This browser will keep Folio's data: storage is persistent.",
                    Some(false) => "This browser may clear Folio's data when disk space runs low: storage is not persistent (Folio asks the browser to keep it when you import, and again at each import while it refuses). Keep a backup.",
                    None => "This browser does not say whether it keeps Folio's data (no Storage API).",
                }}
            </p>
            <BackupSettings/>
            <h2>"Group assignments"</h2>
            <GroupOverrides/>
        </section>
    }
}

/// Theme and gain colours, for this device.
#[component]
fn AppearanceSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let set = move |f: &dyn Fn(&mut Appearance)| {
        let mut a = state.appearance.get_untracked();
        f(&mut a);
        uc.save_appearance.dispatch_local(a);
    };
    view! {
        <div class="price-settings">
            <label for="theme">"Theme"</label>
            <select id="theme" on:change=move |ev| {
                let theme = match event_target_value(&ev).as_str() { "light" => Theme::Light, "dark" => Theme::Dark, _ => Theme::System };
                set(&|a| a.theme = theme)
            }>
                {[(Theme::System, "system", "As the system"), (Theme::Light, "light", "Light"), (Theme::Dark, "dark", "Dark")]
                    .into_iter()
                    .map(|(t, v, l)| view! { <option value=v selected=move || state.appearance.with(|a| a.theme == t)>{l}</option> })
                    .collect_view()}
            </select>
            <label for="gain-colours">"Gains and losses"</label>
            <select id="gain-colours" on:change=move |ev| {
                let gains = if event_target_value(&ev) == "blue-orange" { GainColours::BlueOrange } else { GainColours::GreenRed };
                set(&|a| a.gains = gains)
            }>
                {[(GainColours::GreenRed, "green-red", "Green and red"), (GainColours::BlueOrange, "blue-orange", "Blue and orange (for colour-blind vision)")]
                    .into_iter()
                    .map(|(g, v, l)| view! { <option value=v selected=move || state.appearance.with(|a| a.gains == g)>{l}</option> })
                    .collect_view()}
            </select>
        </div>
        <p class="muted">"Gains carry a + and losses a − whatever the colours. These choices are kept for this browser, not per profile."</p>
    }
}

/// Offered first in the base-currency list.
const COMMON_CURRENCIES: [&str; 4] = ["USD", "EUR", "CHF", "GBP"];

#[component]
fn PriceSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let currencies = move || {
        let mut others: std::collections::BTreeSet<Currency> = state
            .fx
            .with(|f| f.as_ref().map(|f| f.rates.currencies()).unwrap_or_default())
            .into_iter()
            .collect();
        others.insert(state.settings.with(|s| s.base_currency));
        let common: Vec<Currency> = COMMON_CURRENCIES
            .iter()
            .filter_map(|c| Currency::parse(c).ok())
            .collect();
        others.retain(|c| !common.contains(c));
        common.into_iter().chain(others).collect::<Vec<_>>()
    };
    let update = move |f: &dyn Fn(&mut crate::domain::records::ProfileSettings)| {
        let mut s = state.settings.get_untracked();
        f(&mut s);
        uc.save_and_refresh(s);
    };
    let key = RwSignal::new(state.settings.with_untracked(|s| s.twelvedata_key.clone()));
    view! {
        <div class="price-settings">
            <label for="base-currency">"Base currency"</label>
            <select id="base-currency" on:change=move |ev| { if let Ok(v) = Currency::parse(&event_target_value(&ev)) { update(&|s| s.base_currency = v) } }>
                {move || {
                    let current = state.settings.with(|s| s.base_currency);
                    currencies().into_iter().map(|c| view! { <option value=c.to_string() selected=c == current>{c.to_string()}</option> }).collect_view()
                }}
            </select>
            <label for="pricing-mode">"Pricing"</label>
            <select id="pricing-mode" on:change=move |ev| {
                let mode = match event_target_value(&ev).as_str() { "local" => PricingMode::Local, "live" => PricingMode::Live, _ => PricingMode::Hybrid };
                update(&|s| s.pricing_mode = mode)
            }>
                {[(PricingMode::Hybrid, "hybrid", "Hybrid: live when the file is older than 30 min or has no price"), (PricingMode::Live, "live", "Live prices"), (PricingMode::Local, "local", "File values only")]
                    .into_iter()
                    .map(|(m, v, l)| view! { <option value=v selected=move || state.settings.with(|s| s.pricing_mode == m)>{l}</option> })
                    .collect_view()}
            </select>
        </div>
        <h3>"Crypto price sources, in the order they are tried"</h3>
        <ol id="source-order">
            {move || {
                let order = state.settings.with(|s| s.crypto_sources.clone());
                let health = state.health.get();
                let now = state.now.get();
                order.into_iter().map(|p| {
                    let h = health.get(&p).cloned();
                    let status = match h {
                        Some(h) if h.benched_until > now => format!("set aside for {} s after: {}", (h.benched_until.millis_since(now) as f64 / 1000.0).ceil(), h.last_error.unwrap_or_default()),
                        Some(h) => format!("last error: {}", h.last_error.unwrap_or_default()),
                        None => "ok".to_string(),
                    };
                    let shift = move |up: bool| update(&|s| { let mut c = Chain::new(s.crypto_sources.clone()); c.shift(p, up); s.crypto_sources = c.order; });
                    view! {
                        <li>
                            <span class="source-name">{p.label()}</span>
                            <button type="button" aria-label=format!("Move {} up", p.label()) on:click=move |_| shift(true)>"↑"</button>
                            <button type="button" aria-label=format!("Move {} down", p.label()) on:click=move |_| shift(false)>"↓"</button>
                            <span class="muted">{format!(" {status}")}</span>
                        </li>
                    }
                }).collect_view()
            }}
        </ol>
        <h3>"Provider ids chosen for symbols"</h3>
        {move || {
            let ids = state.settings.with(|s| s.id_overrides.clone());
            if ids.is_empty() {
                return view! { <p class="muted">"None: the bundled map is used, and CoinGecko's search for coins it does not know (the ids it finds are listed here)."</p> }.into_any();
            }
            view! {
                <div class="table-wrap"><table id="id-overrides">
                    <caption class="visually-hidden">"Provider ids chosen for symbols"</caption>
                    <thead><tr><th scope="col">"Provider:symbol"</th><th scope="col">"Id"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{ids.into_iter().map(|(k, id)| {
                        let k2 = k.clone();
                        view! { <tr><td>{k.to_string()}</td><td>{id}</td><td><button type="button" on:click=move |_| { let k = k2.clone(); update(&|s| { s.id_overrides.remove(&k); }) }>"Remove"</button></td></tr> }
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
        <h3>"Stocks and ETFs"</h3>
        <p class="muted">
            "No free price source for stocks and ETFs answers browsers dependably. Folio uses Twelve Data with your own free API key: it allows calls from a web page and selects the listing by its market code (the XAMS, XETR, XNAS… that Saxo exports give). The key stays in this browser and is sent only to Twelve Data. Without one, stocks keep their file values; you can also type a price for any asset on the Holdings page."
        </p>
        <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); let k = key.get_untracked(); update(&|s| s.twelvedata_key = k.trim().to_string()) }>
            <label for="twelvedata-key">"Twelve Data API key"</label>
            <input id="twelvedata-key" type="password" autocomplete="off" prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
            <button type="submit">"Save key"</button>
        </form>
    }
}

#[component]
fn ProfileRow(profile: Profile) -> impl IntoView {
    let state = expect_context::<AppState>();
    let cases = expect_context::<ProfileCases>();
    let name = RwSignal::new(profile.name.clone());
    let (id, id2) = (profile.id.clone(), profile.id.clone());
    let original = profile.name.clone();
    let rename = move |_| {
        cases
            .rename
            .dispatch_local((id.clone(), name.get_untracked()));
    };
    let delete = move |_| {
        let msg = format!("Delete the profile “{original}” with all its imports and settings? This cannot be undone.");
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(&msg).ok())
            .unwrap_or(false);
        if !ok {
            return;
        }
        cases.delete.dispatch_local(id2.clone());
    };
    let input_id = format!("profile-name-{}", profile.id);
    view! {
        <li>
            <label for=input_id.clone() class="visually-hidden">"Profile name"</label>
            <input id=input_id type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="button" on:click=rename>"Rename"</button>
            <button type="button" class="danger" on:click=delete>"Delete"</button>
            {move || (state.current.get().as_deref() == Some(profile.id.as_str())).then(|| view! { <span class="badge">"current"</span> })}
        </li>
    }
}

#[component]
fn GroupOverrides() -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let remove = move |symbol: String| {
        let mut s = state.settings.get_untracked();
        s.group_overrides.remove(&symbol);
        uc.save(s);
    };
    let symbol = RwSignal::new(String::new());
    let group = RwSignal::new(GROUPS[0].to_string());
    let assign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let sym = symbol.get_untracked().trim().to_uppercase();
        if sym.is_empty() {
            return state.error("Type the symbol to assign.");
        }
        let mut s = state.settings.get_untracked();
        s.group_overrides.insert(sym.clone(), group.get_untracked());
        uc.save(s);
        symbol.set(String::new());
        state.info(format!("{sym} is now in {}.", group.get_untracked()));
    };
    let list = move || {
        let list = state.settings.with(|s| s.group_overrides.clone());
        if list.is_empty() {
            return view! { <p class="muted">"No assignments yet. Symbols keep the built-in group until you assign one here or on the Holdings page."</p> }.into_any();
        }
        view! {
            <div class="table-wrap"><table>
                <caption class="visually-hidden">"Group assignments"</caption>
                <thead><tr><th scope="col">"Symbol"</th><th scope="col">"Group"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {list.into_iter().map(|(sym, group)| {
                        let s2 = sym.clone();
                        view! { <tr><td>{sym}</td><td>{group}</td><td><button type="button" on:click=move |_| remove(s2.clone())>"Remove"</button></td></tr> }
                    }).collect_view()}
                </tbody>
            </table></div>
        }.into_any()
    };
    view! {
        {list}
        <form on:submit=assign class="inline-form" id="assign-form">
            <label for="assign-symbol">"Symbol"</label>
            <input id="assign-symbol" type="text" size="10" prop:value=move || symbol.get() on:input=move |ev| symbol.set(event_target_value(&ev))/>
            <label for="assign-group">"Group"</label>
            <select id="assign-group" on:change=move |ev| group.set(event_target_value(&ev))>
                {GROUPS.into_iter().map(|g| view! { <option value=g>{g}</option> }).collect_view()}
            </select>
            <button type="submit">"Assign"</button>
        </form>
    }
}
