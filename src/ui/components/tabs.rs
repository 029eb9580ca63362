//! Tabs: a row of tab buttons over panels, one panel shown at a time (the WAI-ARIA tabs
//! pattern: the selected tab alone is in the tab order, arrow keys move between tabs, Home and
//! End go to the ends). Hidden panels stay in the page, so what they hold keeps its state
//! and a chart in one is drawn when it is shown (its size changes).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One tab: its element id (its panel's is `{id}-panel`) and its label.
pub type Tab = (&'static str, &'static str);

/// The row of tabs; `selected` is the index of the shown one.
#[component]
pub fn TabList(
    /// Accessible name of the whole (what the tabs divide).
    label: &'static str,
    /// The tabs, in order.
    tabs: &'static [Tab],
    /// Index of the selected tab.
    selected: RwSignal<usize>,
) -> impl IntoView {
    let select = move |i: usize| {
        selected.set(i);
        let tab = document()
            .get_element_by_id(tabs[i].0)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(tab) = tab {
            let _ = tab.focus();
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let (at, last) = (selected.get_untracked(), tabs.len() - 1);
        let next = match ev.key().as_str() {
            "ArrowRight" => Some(if at == last { 0 } else { at + 1 }),
            "ArrowLeft" => Some(if at == 0 { last } else { at - 1 }),
            "Home" => Some(0),
            "End" => Some(last),
            _ => None,
        };
        if let Some(i) = next {
            ev.prevent_default();
            select(i);
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=label on:keydown=on_key>
            {tabs.iter().enumerate().map(|(i, (id, name))| view! {
                <button type="button" role="tab" id=*id aria-controls=format!("{id}-panel")
                    aria-selected=move || (selected.get() == i).to_string()
                    tabindex=move || if selected.get() == i { "0" } else { "-1" }
                    on:click=move |_| selected.set(i)>
                    {*name}
                </button>
            }).collect_view()}
        </div>
    }
}

/// The panel of tab `index` of `tabs`, shown while that tab is the selected one.
#[component]
pub fn TabPanel(
    /// The tabs, as given to [`TabList`].
    tabs: &'static [Tab],
    /// The index of this panel's tab.
    index: usize,
    /// Index of the selected tab.
    selected: RwSignal<usize>,
    children: Children,
) -> impl IntoView {
    let tab = tabs[index].0;
    view! {
        <div role="tabpanel" class="tab-panel" id=format!("{tab}-panel") aria-labelledby=tab tabindex="0"
            hidden=move || selected.get() != index>
            {children()}
        </div>
    }
}
