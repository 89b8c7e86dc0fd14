//! How the ladder's things are coloured.

use super::model::Category;
use crate::render::theme::Role;

/// The colour role of an arrow's category.
pub fn category_role(category: Category) -> Role {
    match category {
        Category::Handshake => Role::Handshake,
        Category::Data | Category::Datagram => Role::Data,
        Category::Ack | Category::Other => Role::Dim,
        Category::Close => Role::Close,
        Category::Reset => Role::Alert,
    }
}
