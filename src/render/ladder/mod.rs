//! The ladder diagram of a conversation, as textbooks draw the TCP handshake: two vertical
//! lanes (client, server), one slanted arrow per packet, each side's state beside its lane and
//! the application's socket calls on the outer sides.
//!
//! [`model`] is plain data already in words; [`text`] and [`svg`] draw it.

mod geometry;
mod layout;
mod markup;
pub mod model;
pub mod svg;
pub mod text;
pub mod wrap;

pub use model::{
    Arrow, Call, CallEnd, Category, Detail, Dir, Ladder, Lane, LineStyle, Mark, MarkKind, Note,
    NoteKind, Row, Side, StateChange,
};
