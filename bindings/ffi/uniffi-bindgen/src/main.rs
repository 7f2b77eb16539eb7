//! `uniffi-bindgen`, built from this workspace so that the generator always matches the
//! uniffi version of `scrm-ffi`. Used by `bindings/ffi/generate.sh`:
//! `cargo run -p uniffi-bindgen -- generate --library libscrm_ffi.so --language kotlin ...`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
