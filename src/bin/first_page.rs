//! The first page's module: the holdings table at `/` and the shell, without the other pages
//! (`index.html` starts it for that address only; see `folio::ui::FirstPageApp`).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(folio::ui::FirstPageApp);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
