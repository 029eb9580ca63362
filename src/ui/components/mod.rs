//! Components shared by several pages.
//!
//! - [`active_profile`]: the profile a page changes.
//! - [`sort_header`]: a sortable table's column header.
//! - [`number_input`]: a number field read the way users write numbers.
//! - [`export_bar`]: buttons that download a page's figures.
//! - [`price_status`]: status sentences about prices and totals.
//! - [`history_loader`]: the button that loads a year of daily prices, its progress and outcome.
//! - [`tabs`]: a row of tabs over panels.
//! - [`unknown_symbols`]: symbols the taxonomy does not know, with one-step assignment.
//! - [`backup_settings`]: the settings' "Back up and restore" section.
//! - [`backup_reminder`]: the reminder to back up, under the header.

pub mod active_profile;
pub mod backup_reminder;
pub mod backup_settings;
pub mod export_bar;
pub mod history_loader;
pub mod number_input;
pub mod price_status;
pub mod sort_header;
pub mod tabs;
pub mod unknown_symbols;

/// A text made safe for an element id: ASCII letters and digits in lower case, anything
/// else a hyphen (`Stocks · USD` → `stocks---usd`).
pub fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The class of a gain or loss (`pos`, `neg`, or none for zero); the figure carries its sign
/// too, so colour is never the only mark.
pub fn gain_class(x: f64) -> &'static str {
    if x > 0.0 {
        "pos"
    } else if x < 0.0 {
        "neg"
    } else {
        ""
    }
}
