//! Sources: each source's import versions (choose the active one, delete old ones) and
//! manual entries.

use leptos::prelude::*;

use crate::domain::holding::{AssetClass, SourceKind};
use crate::domain::manual::{manual_holding, ManualEntry};
use crate::domain::portfolio::{format_amount, format_quantity};
use crate::ui::components::active_profile::ActiveProfile;
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::{delete_version_case, use_cases, Outcome};

/// The page's delete action, shared with each source's section.
type DeleteVersion = Action<(SourceKind, String), Outcome<()>>;

/// The sources page.
#[component]
pub fn SourcesPage() -> impl IntoView {
    let delete_version = delete_version_case();
    provide_context(delete_version);
    view! {
        <section aria-labelledby="sources-title">
            <div class="page-head">
                <div>
                    <h1 id="sources-title">"Sources"</h1>
                    <ActiveProfile/>
                </div>
                <div class="actions"><a class="button primary" href="/import">"Import a file"</a></div>
            </div>
            <ErrorBoundary fallback=show_errors>
                {move || delete_version.value().get()}
            </ErrorBoundary>
            <p class="muted">"Every import is kept as a version of its source. The active version is the one Holdings shows."</p>
            {SourceKind::ALL.into_iter().filter(|k| *k != SourceKind::Manual).map(|kind| view! { <SourceVersions kind=kind/> }).collect_view()}
            <ManualEntries/>
        </section>
    }
}

#[component]
fn SourceVersions(kind: SourceKind) -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let versions = move || {
        state.versions.with(|v| {
            v.iter()
                .filter(|x| x.source == kind)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let active = move || state.settings.with(|s| s.active.get(kind.key()).cloned());
    let set_active = move |id: String| {
        let mut s = state.settings.get_untracked();
        s.active.insert(kind.key().to_string(), id);
        uc.save(s);
    };
    let delete = move |id: String, name: String| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&format!(
                    "Delete the import of “{name}”? This cannot be undone."
                ))
                .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        expect_context::<DeleteVersion>().dispatch_local((kind, id));
    };
    view! {
        <section class="source" aria-labelledby=format!("source-{}", kind.key())>
            <h2 id=format!("source-{}", kind.key())>{kind.label()}</h2>
            {move || {
                let list = versions();
                if list.is_empty() {
                    return view! { <p class="muted">"No imports yet."</p> }.into_any();
                }
                view! {
                    <div class="table-wrap"><table class="versions">
                        <caption class="visually-hidden">{format!("{} import versions", kind.label())}</caption>
                        <thead><tr><th scope="col">"Active"</th><th scope="col">"File"</th><th scope="col">"Imported"</th><th scope="col">"Format"</th><th scope="col" class="num">"Rows"</th><th scope="col" class="num">"Holdings"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|v| {
                                let (id, id2, name) = (v.id.clone(), v.id.clone(), v.file_name.clone());
                                let is_active = { let id = v.id.clone(); move || active().as_deref() == Some(id.as_str()) };
                                let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(v.imported.as_js())).to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED);
                                view! {
                                    <tr>
                                        <td><input type="radio" name=format!("active-{}", kind.key()) aria-label=format!("Use {}", v.file_name)
                                            prop:checked=is_active on:change=move |_| set_active(id.clone())/></td>
                                        <td>{v.file_name.clone()}</td>
                                        <td>{String::from(when)}</td>
                                        <td>{v.report.format.clone()}</td>
                                        <td class="num" title=format!("{} skipped", v.report.skipped)>{format!("{} / {}", v.report.imported, v.report.rows_read)}</td>
                                        <td class="num">{v.holdings.len()}</td>
                                        <td><button type="button" on:click=move |_| delete(id2.clone(), name.clone())>"Delete"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ManualEntries() -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let form = RwSignal::new(ManualEntry {
        currency: "EUR".into(),
        asset_class: Some(AssetClass::Cash),
        ..ManualEntry::default()
    });
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match manual_holding(&form.get_untracked()) {
            Ok(h) => {
                error.set(None);
                let mut s = state.settings.get_untracked();
                s.manual.push(h);
                uc.save(s);
                form.update(|f| {
                    f.symbol.clear();
                    f.quantity.clear();
                    f.value.clear();
                });
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let remove = move |i: usize| {
        let mut s = state.settings.get_untracked();
        if i < s.manual.len() {
            s.manual.remove(i);
            uc.save(s);
        }
    };
    let text_input = move |id: &'static str,
                           label: &'static str,
                           get: fn(&ManualEntry) -> String,
                           set: fn(&mut ManualEntry, String)| {
        view! {
            <label for=id>{label}</label>
            <input id=id type="text" prop:value=move || form.with(get) on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
        }
    };
    view! {
        <section class="source" aria-labelledby="source-manual">
            <h2 id="source-manual">"Manual entries"</h2>
            <p class="muted">"Bank accounts, cash and anything else. For cash, leave the symbol empty: the balance is its value."</p>
            <div class="table-wrap"><table class="manual">
                <caption class="visually-hidden">"Manual entries"</caption>
                <thead><tr><th scope="col">"Symbol"</th><th scope="col">"Class"</th><th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Value"</th><th scope="col">"Currency"</th><th scope="col">"Location"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || state.settings.with(|s| s.manual.clone()).into_iter().enumerate().map(|(i, h)| view! {
                        <tr>
                            <td>{h.symbol}</td><td>{h.asset_class.label()}</td>
                            <td class="num">{format_quantity(h.quantity)}</td>
                            <td class="num">{h.value.map_or_else(|| "—".into(), |v| format_amount(v, 2))}</td>
                            <td>{h.currency.to_string()}</td><td>{h.location}</td>
                            <td><button type="button" on:click=move |_| remove(i)>"Remove"</button></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            <form class="manual-form" on:submit=add>
                <label for="manual-class">"Class"</label>
                <select id="manual-class" on:change=move |ev| form.update(|f| f.asset_class = AssetClass::parse(&event_target_value(&ev)))>
                    {AssetClass::ALL.into_iter().map(|c| view! { <option value=c.label() selected=c == AssetClass::Cash>{c.label()}</option> }).collect_view()}
                </select>
                {text_input("manual-symbol", "Symbol", |f| f.symbol.clone(), |f, v| f.symbol = v)}
                {text_input("manual-quantity", "Quantity or balance", |f| f.quantity.clone(), |f, v| f.quantity = v)}
                {text_input("manual-value", "Value (optional)", |f| f.value.clone(), |f, v| f.value = v)}
                {text_input("manual-currency", "Currency", |f| f.currency.clone(), |f, v| f.currency = v)}
                {text_input("manual-location", "Held at", |f| f.location.clone(), |f, v| f.location = v)}
                <button type="submit" class="primary">"Add entry"</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}
