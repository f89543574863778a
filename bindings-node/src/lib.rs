//! The native addon of the npm package `ucare`: the Rust core behind a thin napi layer.
//! Arguments and answers cross as JSON text (V8 parses it faster than objects can be
//! built one property at a time), files of listings and batches packed as arrays (see
//! `packed.rs`); the typed JavaScript layer in this folder is the public face.

mod client;
mod errors;
mod packed;

pub use client::*;
