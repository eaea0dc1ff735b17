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
