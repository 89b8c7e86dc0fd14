//! handshake-viz: capture real traffic with libpcap and explain it — the TCP handshake, data,
//! close and each endpoint's state, UDP's datagrams, and what every byte of a frame is.
//!
//! The data flow is one pass with pure stages: [`capture`] yields [`capture::Frame`]s,
//! [`decode`] turns each into a [`decode::Packet`], [`flow::Tracker`] follows conversations and
//! produces an [`flow::Observation`] per packet, and [`render`] writes views to any writer.

pub mod analysis;
pub mod bytemap;
pub mod capture;
pub mod cli;
pub mod config;
pub mod decode;
pub mod demo;
pub mod error;
pub mod flow;
pub mod live;
mod pipeline;
pub mod privileges;
pub mod progress;
pub mod read;
pub mod render;
pub mod report;
pub mod text;
pub mod time;
pub mod wire;

pub use error::{Error, Result};
