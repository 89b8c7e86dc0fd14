//! The hand-built ladders the text and picture tests draw, each under its name.

use super::*;

/// echo, lossy, udp, refused and chinese, in that order.
pub fn samples() -> Vec<(&'static str, Ladder)> {
    vec![
        ("echo", echo()),
        ("lossy", lossy()),
        ("udp", udp()),
        ("refused", refused()),
        ("chinese", chinese()),
    ]
}
