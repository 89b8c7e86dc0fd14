//! Views: each renderer writes to any `Write`, never to stdout directly.

pub mod bytes;
pub mod json;
pub mod table;
pub mod theme;
pub mod timeline;

pub use theme::{Role, Theme};
