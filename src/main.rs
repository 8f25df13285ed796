fn main() {
    #[cfg(target_arch = "wasm32")]
    teleport_review::ui::start();
}
