//! GIF output's settings, as sharp's `gif()` takes them.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GifSettings {
    /// Palette size, 2-256.
    pub colours: u16,
    /// 1-10: how closely the palette is learnt (10 samples every pixel).
    pub effort: u8,
    /// Floyd-Steinberg error diffusion strength, 0 (none) to 1.
    pub dither: f64,
    /// Write a frame equal to the one before as its own frame (cgif merges them).
    #[serde(default)]
    pub keep_duplicate_frames: bool,
    /// Interlaced rows (sharp's `progressive`): every 8th row first, a coarse picture
    /// while the rest loads.
    #[serde(default)]
    pub progressive: bool,
    /// After the first frame, a pixel within this RGB distance (0-32) of the one shown
    /// before is left showing it (sharp's `interFrameMaxError`): smaller files, a lossy
    /// animation.
    #[serde(default)]
    pub inter_frame_max_error: f64,
    /// A frame whose own palette is further than this (0-256, libvips' palette distance)
    /// from the global palette, and from the frame before's, gets a palette of its own
    /// (sharp's `interPaletteMaxError`): larger files, truer colours.
    #[serde(default = "three")]
    pub inter_palette_max_error: f64,
}

fn three() -> f64 {
    3.0
}

impl Default for GifSettings {
    /// sharp's `gif()` defaults.
    fn default() -> Self {
        Self {
            colours: 256,
            effort: 7,
            dither: 1.0,
            keep_duplicate_frames: false,
            progressive: false,
            inter_frame_max_error: 0.0,
            inter_palette_max_error: three(),
        }
    }
}
