//! Every page and its address, in one list: the whole app's router and navigation
//! ([`super::App`]), the first page's module ([`super::FirstPageApp`]) and, through the build,
//! `index.html`'s loader read it here. A page added here is routed and linked everywhere; its
//! view is asked for by the exhaustive match in `super::page_view`.

/// The first page's address (the holdings table, the one a visit to Folio opens): the first
/// page's module serves it and the whole app every other address. At build time
/// `scripts/trunk-post-build.mjs` reads this line and writes the address into the built
/// `index.html`, where the loader picks the module by it: keep it one string literal.
pub const FIRST_PAGE_PATH: &str = "/";

/// Declares [`Page`], [`Page::ALL`], [`Page::path`] and [`Page::nav_label`] from one table,
/// so that no list of pages can miss one.
macro_rules! pages {
    ($($(#[doc = $doc:literal])* $(#[cfg($cfg:meta)])? $page:ident => $path:expr, $nav:expr;)+) => {
        /// A page of the app.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Page {
            $($(#[doc = $doc])* $(#[cfg($cfg)])? $page,)+
        }

        impl Page {
            /// Every page, in the navigation's order.
            pub const ALL: &[Page] = &[$($(#[cfg($cfg)])? Page::$page,)+];

            /// The page's address.
            pub const fn path(self) -> &'static str {
                match self {
                    $($(#[cfg($cfg)])? Page::$page => $path,)+
                }
            }

            /// The text of its link in the navigation; `None` for a page reached otherwise.
            pub const fn nav_label(self) -> Option<&'static str> {
                match self {
                    $($(#[cfg($cfg)])? Page::$page => $nav,)+
                }
            }
        }
    };
}

pages! {
    /// The holdings table: the first page.
    Holdings => FIRST_PAGE_PATH, Some("Holdings");
    /// Totals, allocation, value over time, movers.
    Dashboard => "/dashboard", Some("Dashboard");
    /// Targets and the rebalancing plan.
    Rebalance => "/rebalance", Some("Rebalance");
    /// The risk report.
    Risk => "/risk", Some("Risk");
    /// Importing files.
    Import => "/import", Some("Import");
    /// Sources and their import versions, manual entries.
    Sources => "/sources", Some("Sources");
    /// Profiles, base currency, pricing, providers.
    Settings => "/settings", Some("Settings");
    /// A plan opened from a share link (the link leads there).
    Shared => "/shared", None;
    /// The benchmark page, driven by `make bench` (a build with the `bench` feature only).
    #[cfg(feature = "bench")]
    Bench => "/bench", None;
}
