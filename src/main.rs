//! Entry point: mounts the app in the browser; does nothing natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(folio::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
