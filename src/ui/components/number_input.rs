//! A number field that reads numbers as people write them (`1 234,5`, `1,234.5`, `12.5 %`)
//! through `domain::number`, and says so when a text is not a number.

use leptos::prelude::*;

use crate::domain::number::{parse_number, DecimalStyle};

/// Reads a typed number: `Ok(None)` for an empty field, an error sentence for a text that
/// is not a finite number.
pub fn read_number(text: &str) -> Result<Option<f64>, String> {
    match parse_number(text, DecimalStyle::Auto) {
        Ok(Some(v)) if v.is_finite() => Ok(Some(v)),
        Ok(Some(_)) | Err(_) => Err(format!("“{}” is not a number.", text.trim())),
        Ok(None) => Ok(None),
    }
}

/// A typed number, or `None` for an empty or unreadable text (for fields whose value stays
/// as it was on a bad entry).
pub fn number_or_none(text: &str) -> Option<f64> {
    read_number(text).ok().flatten()
}

/// A labelled text field for a number. `on_change` gets each valid value (`None` when the
/// field is emptied) when the field is left or Enter is pressed; an invalid text is kept
/// in the field with a message beside it, and the value stays as it was.
#[component]
pub fn NumberInput(
    /// Element id.
    id: String,
    /// The value shown.
    #[prop(into)]
    value: Signal<Option<f64>>,
    /// Called with each valid new value.
    on_change: Callback<Option<f64>>,
    /// Size of the field, in characters.
    #[prop(default = 8)]
    size: u32,
    /// Placeholder text.
    #[prop(optional, into)]
    placeholder: String,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let text = move || value.get().map(|v| format!("{v}")).unwrap_or_default();
    let message_id = format!("{id}-problem");
    let described = message_id.clone();
    view! {
        <input id=id type="text" inputmode="decimal" size=size placeholder=placeholder
            prop:value=text
            aria-invalid=move || problem.with(Option::is_some).then_some("true")
            aria-describedby=move || problem.with(Option::is_some).then(|| described.clone())
            on:change=move |ev| match read_number(&event_target_value(&ev)) {
                Ok(v) => {
                    problem.set(None);
                    on_change.run(v);
                }
                Err(e) => problem.set(Some(e)),
            }/>
        {move || problem.get().map(|p| view! { <span class="error field-problem" id=message_id.clone() role="alert">{p}</span> })}
    }
}
