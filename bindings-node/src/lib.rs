//! The native addon of the npm package `ucare`: the Rust core behind a thin napi layer.
//! Arguments and answers cross as JSON text (V8 parses it faster than objects can be
//! built one property at a time), files of listings and batches packed as arrays (see
//! `packed.rs`); the typed JavaScript layer in this folder is the public face.

mod client;
mod errors;
mod packed;

pub use client::*;

/// mimalloc, committing memory as it is used (see `ucare_bindings::allocator`).
#[global_allocator]
static ALLOCATOR: ucare_bindings::allocator::MiMalloc = ucare_bindings::allocator::MiMalloc;

/// Runs when the addon is loaded, before it allocates.
#[napi_derive::module_init]
fn init_allocator() {
    ucare_bindings::allocator::commit_memory_as_used();
}
