//! Symbols the taxonomy does not know, each with a suggested group and one-step assignment.

use leptos::prelude::*;

use crate::domain::taxonomy::GROUPS;
use crate::ui::state::AppState;
use crate::ui::use_cases::use_cases;

/// Symbols no map knows, with a one-step "assign group".
#[component]
pub fn UnknownSymbols(
    /// Unknown symbols with a pattern-based suggestion.
    unknown: Memo<Vec<(String, Option<&'static str>)>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let assign = move |symbol: String, group: String| {
        let mut s = state.settings.get_untracked();
        s.group_overrides
            .insert(symbol.to_uppercase(), group.clone());
        uc.save(s);
        state.info(format!("{symbol} is now in {group}."));
    };
    move || {
        let list = unknown.get();
        (!list.is_empty()).then(|| {
            view! {
                <details class="unknown-panel" open>
                    <summary>{format!("{} symbol(s) not in the taxonomy: they count as Others until you assign them", list.len())}</summary>
                    <ul>
                        {list.into_iter().map(|(symbol, suggestion)| {
                            let choice = RwSignal::new(suggestion.unwrap_or("Others").to_string());
                            let sym = symbol.clone();
                            let id = format!("assign-{}", symbol.to_lowercase());
                            view! {
                                <li>
                                    <label for=id.clone()><span class="symbol">{symbol.clone()}</span></label>
                                    {suggestion.map(|g| view! { <span class="muted">{format!(" (suggested: {g})")}</span> })}
                                    <select id=id on:change=move |ev| choice.set(event_target_value(&ev)) prop:value=move || choice.get()>
                                        {GROUPS.into_iter().map(|g| view! { <option value=g selected=suggestion.unwrap_or("Others") == g>{g}</option> }).collect_view()}
                                    </select>
                                    <button type="button" on:click=move |_| assign(sym.clone(), choice.get_untracked())>"Assign group"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            }
        })
    }
}
