//! An animation's frames, each a whole canvas as shown (not the deltas a file stores).
use crate::image::Image;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frames {
    pub images: Vec<Image>,
    /// How long each frame shows, in milliseconds.
    pub delays: Vec<u32>,
    /// Times the animation plays; 0 is forever.
    pub loop_count: u32,
}

/// Which frames a decode keeps: every one, the one at an index (sharp's `page`), or those
/// from `first` up to `end` (sharp's `page` with `pages`); the frames before the first are
/// composed but not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    All,
    Only(usize),
    Span { first: usize, end: usize },
}

impl Selection {
    pub fn keeps(self, index: usize) -> bool {
        match self {
            Selection::All => true,
            Selection::Only(wanted) => index == wanted,
            Selection::Span { first, end } => (first..end).contains(&index),
        }
    }

    /// Whether the frames after `index` need no decoding.
    pub fn ends_at(self, index: usize) -> bool {
        match self {
            Selection::All => false,
            Selection::Only(wanted) => index >= wanted,
            Selection::Span { end, .. } => index + 1 >= end,
        }
    }
}
