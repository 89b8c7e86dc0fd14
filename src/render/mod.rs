//! Views: each renderer writes to any `Write`, never to stdout directly.

pub mod bytes;
pub mod json;
pub mod ladder;
pub mod table;
pub mod theme;
pub mod timeline;

pub use theme::{Role, Theme};

/// A duration in seconds as a short human string: "42 µs", "1.234 ms", "2.500 s".
pub fn format_duration(secs: f64) -> String {
    let abs = secs.abs();
    if abs < 1e-3 {
        format!("{:.0} µs", secs * 1e6)
    } else if abs < 1.0 {
        format!("{:.3} ms", secs * 1e3)
    } else {
        format!("{secs:.3} s")
    }
}
