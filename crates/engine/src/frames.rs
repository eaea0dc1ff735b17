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

/// Which frames a decode keeps: every one, or only the one at an index (sharp's `page`),
/// the frames before it composed but not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    All,
    Only(usize),
}

impl Selection {
    pub fn keeps(self, index: usize) -> bool {
        match self {
            Selection::All => true,
            Selection::Only(wanted) => index == wanted,
        }
    }

    /// Whether the frames after `index` need no decoding.
    pub fn ends_at(self, index: usize) -> bool {
        matches!(self, Selection::Only(wanted) if index >= wanted)
    }
}
