//! What a job's decode may read and how strictly: sharp's input options.
use serde::{Deserialize, Serialize};

/// How strict decoding is, with sharp's levels (least to most sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    None,
    Truncated,
    Error,
    #[default]
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DecodeLimits {
    /// Inputs with more pixels than this are rejected from their header.
    pub max_pixels: u64,
    pub fail_on: FailOn,
    /// Dots per inch of vector input (SVG), as sharp's `density`: 72 gives a pixel per
    /// user unit.
    #[serde(default = "default_density")]
    pub density: f64,
    /// Keep every frame of an animated GIF or WebP, as sharp's `animated`; the first
    /// frame otherwise.
    #[serde(default)]
    pub animated: bool,
    /// The page of a multi-page TIFF, or frame of an animation, to read (from 0), as
    /// sharp's `page`.
    #[serde(default)]
    pub page: u32,
    /// With `animated`, how many frames from `page` to keep, as sharp's `pages`; 0 keeps
    /// every one to the last.
    #[serde(default)]
    pub pages: u32,
    /// Read the pixels as sRGB whatever ICC profile the input embeds (sharp's `ignoreIcc`).
    #[serde(default)]
    pub ignore_icc: bool,
}

/// sharp's default density, and the one at which an SVG user unit is a pixel.
pub const DEFAULT_DENSITY: f64 = 72.0;

fn default_density() -> f64 {
    DEFAULT_DENSITY
}

impl FailOn {
    pub fn name(self) -> &'static str {
        match self {
            FailOn::None => "none",
            FailOn::Truncated => "truncated",
            FailOn::Error => "error",
            FailOn::Warning => "warning",
        }
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        // sharp's default: 0x3FFF * 0x3FFF.
        Self {
            max_pixels: 268_402_689,
            fail_on: FailOn::Warning,
            density: default_density(),
            animated: false,
            page: 0,
            pages: 0,
            ignore_icc: false,
        }
    }
}
