//! The errors a use case can end in, and how an `<ErrorBoundary>` shows them.

use leptos::prelude::*;

use crate::browser::store::StoreError;
use crate::domain::prices::PriceError;
use crate::domain::risk::report::RiskError;

/// Why a use case did not complete. Every variant's text is one sentence for the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AppError {
    /// The browser's database refused a read or a write.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A price or FX source failed.
    #[error("{0}")]
    Price(#[from] PriceError),
    /// The portfolio has no risk report (yet): no history, too few returns…
    #[error("{0}")]
    Risk(#[from] RiskError),
    /// A Web Worker or a file read failed.
    #[error("{0}")]
    Browser(String),
    /// What the user asked for cannot be done as asked.
    #[error("{0}")]
    Refused(String),
}

/// An `<ErrorBoundary>` fallback: each error as an alert.
pub fn show_errors(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            <ul class="errors">
                {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
            </ul>
        </div>
    }
}
