//! fluent-templates embeds every `.ftl` file of `locales/` with `include_str!`, so a changed
//! file rebuilds this crate; a file that is added is not seen until something else changes.
//! Watching the folder closes that gap.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
