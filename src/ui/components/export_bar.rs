//! Buttons that download what a page shows (JSON, CSV…), each file made when clicked.

use leptos::prelude::*;

use crate::browser::files::download;
use crate::ui::state::AppState;

/// One download: its button label, file name, MIME type, and the text it holds (made on
/// click; `None` when there is nothing to export yet).
#[derive(Clone)]
pub struct Export {
    /// Button label.
    pub label: &'static str,
    /// Element id of the button.
    pub id: &'static str,
    /// File name offered.
    pub file_name: String,
    /// MIME type.
    pub mime: &'static str,
    /// The file's text, made when clicked.
    pub content: Callback<(), Option<String>>,
}

/// A row of download buttons.
#[component]
pub fn ExportBar(
    /// The downloads, in button order.
    exports: Vec<Export>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="export-bar">
            {exports.into_iter().map(|e| {
                let run = move |_| {
                    if let Some(text) = e.content.run(()) {
                        if let Err(err) = download(&e.file_name, e.mime, &text) {
                            state.error(err);
                        }
                    }
                };
                view! { <button type="button" id=e.id on:click=run>{e.label}</button> }
            }).collect_view()}
        </div>
    }
}
