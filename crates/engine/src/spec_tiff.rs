//! TIFF output settings, with sharp's names, choices and meanings (`tiff()`).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TiffCompression {
    None,
    /// Baseline JPEG per strip or tile: YCbCr 4:2:0 below quality 90, RGB from 90.
    Jpeg,
    Deflate,
    Packbits,
    /// CCITT group 4, for 1-bit images only.
    Ccittfax4,
    Lzw,
    /// Lossy WebP per strip or tile, for RGB and RGBA.
    Webp,
}

impl TiffCompression {
    /// The value of the Compression tag (libtiff's numbers).
    pub fn tag(self) -> u16 {
        match self {
            TiffCompression::None => 1,
            TiffCompression::Ccittfax4 => 4,
            TiffCompression::Lzw => 5,
            TiffCompression::Jpeg => 7,
            TiffCompression::Deflate => 8,
            TiffCompression::Packbits => 32773,
            TiffCompression::Webp => 50001,
        }
    }

    /// Whether a predictor applies: libvips states one for LZW and deflate only.
    pub fn takes_predictor(self) -> bool {
        matches!(self, TiffCompression::Lzw | TiffCompression::Deflate)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TiffPredictor {
    None,
    Horizontal,
    /// Samples written as 32-bit floats with the floating-point predictor, as sharp casts
    /// them for it.
    Float,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResolutionUnit {
    Inch,
    Cm,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TiffSettings {
    /// JPEG and WebP quality, 1-100.
    pub quality: u8,
    pub compression: TiffCompression,
    pub predictor: TiffPredictor,
    /// Halved copies follow the image, each a page of its own, until one fits a tile
    /// (the image is then tiled).
    pub pyramid: bool,
    pub tile: bool,
    /// Tile size (a multiple of 16 when tiled); `tile_height` is the strip height otherwise.
    pub tile_width: u32,
    pub tile_height: u32,
    /// Pixels per millimetre.
    pub xres: f64,
    pub yres: f64,
    pub resolution_unit: ResolutionUnit,
    /// Bits per sample of single-channel images: 1, 2, 4 or 8 (others are always 8).
    pub bitdepth: u8,
    /// Single-channel images stored with 0 as white.
    pub miniswhite: bool,
    pub bigtiff: bool,
}
