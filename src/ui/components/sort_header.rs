//! A sortable table's column header: a button that sorts by the column (again: reverses),
//! with `aria-sort` saying the order to assistive technology.

use leptos::prelude::*;

/// The header of a column sorted by `key`; `sort` holds the sorted column and whether the
/// order is ascending. A first click sorts text columns ascending and number columns
/// descending (largest first).
#[component]
pub fn SortHeader<K>(
    /// The column.
    key: K,
    /// Its label.
    #[prop(into)]
    label: Signal<String>,
    /// A number column (right-aligned, largest first on the first click).
    #[prop(optional)]
    numeric: bool,
    /// The sorted column and its direction.
    sort: RwSignal<(K, bool)>,
    /// More classes for the header cell.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView
where
    K: Copy + PartialEq + Send + Sync + 'static,
{
    let aria = move || match sort.get() {
        (k, true) if k == key => "ascending",
        (k, false) if k == key => "descending",
        _ => "none",
    };
    let click = move |_| {
        sort.update(|(k, asc)| {
            if *k == key {
                *asc = !*asc;
            } else {
                *k = key;
                *asc = !numeric;
            }
        })
    };
    view! {
        <th scope="col" aria-sort=aria class=class class:num=numeric>
            <button type="button" class="sort" on:click=click>
                {move || label.get()}
                <span aria-hidden="true">{move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
            </button>
        </th>
    }
}
