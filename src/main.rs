//! The whole app's module: every page (`index.html` starts it for every address but `/`,
//! which has a module of its own, `src/bin/first_page.rs`). Does nothing natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(folio::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
