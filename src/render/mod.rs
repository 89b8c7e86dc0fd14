//! Views: each renderer writes to any `Write`, never to stdout directly.

pub mod bytes;
pub mod theme;

pub use theme::{Role, Theme};
