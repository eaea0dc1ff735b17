//! What a caller asks for: one decode, several outputs. Serialisable so a job can cross a
//! process boundary unchanged. The serde shape (camelCase) is the one `lib/validate.js`
//! produces from the option schema in `lib/schema.js`, so the binding deserialises it as is.
use serde::{Deserialize, Serialize};

use crate::operations::Operations;
use crate::output_metadata::MetadataWrites;
pub use crate::rgba::Rgba;
pub use crate::spec_gif::GifSettings;
pub use crate::spec_limits::{DecodeLimits, FailOn, DEFAULT_DENSITY};
pub use crate::spec_tiff::{ResolutionUnit, TiffCompression, TiffPredictor, TiffSettings};
pub use crate::spec_tiles::{TileContainer, TileDepth, TileLayout, TileSettings};
pub use crate::trim::Trim;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
    Avif,
    Tiff,
    /// JPEG XL; read only.
    Jxl,
    /// Rendered at the size the outputs need; read only.
    Svg,
    /// Uncompressed pixels: input in pixelpool's raw container (decode/raw.rs), output as
    /// bare samples.
    Raw,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Jpeg,
        Format::Png,
        Format::Webp,
        Format::Gif,
        Format::Avif,
        Format::Tiff,
        Format::Jxl,
        Format::Svg,
        Format::Raw,
    ];

    /// Whether `encode` can write it (`decode` reads every format).
    pub fn writable(self) -> bool {
        !matches!(self, Format::Jxl | Format::Svg)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
            Format::Avif => "avif",
            Format::Tiff => "tiff",
            Format::Jxl => "jxl",
            Format::Svg => "svg",
            Format::Raw => "raw",
        }
    }
}

/// How the image fits the requested box; the same five modes and meanings as sharp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    #[default]
    Cover,
    Contain,
    Fill,
    Inside,
    Outside,
}

/// Which part of the image is kept by `cover`, or where it sits inside `contain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gravity {
    #[default]
    Centre,
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
    /// `cover` crops the resized image where libvips' smartcrop keeps the most detail: the
    /// side of lower histogram entropy comes off, slice by slice (focus.rs).
    Entropy,
    /// `cover` crops the resized image around what libvips' smartcrop finds most eye-catching:
    /// edges, skin tones and red (focus.rs).
    Attention,
}

impl Gravity {
    /// Content-aware strategies choose the crop from the pixels; they mean centre otherwise.
    pub fn is_strategy(self) -> bool {
        matches!(self, Gravity::Entropy | Gravity::Attention)
    }

    /// Horizontal and vertical anchor, each 0 (start), 0.5 (middle) or 1 (end).
    pub fn anchor(self) -> (f64, f64) {
        match self {
            Gravity::Centre | Gravity::Entropy | Gravity::Attention => (0.5, 0.5),
            Gravity::North => (0.5, 0.0),
            Gravity::NorthEast => (1.0, 0.0),
            Gravity::East => (1.0, 0.5),
            Gravity::SouthEast => (1.0, 1.0),
            Gravity::South => (0.5, 1.0),
            Gravity::SouthWest => (0.0, 1.0),
            Gravity::West => (0.0, 0.5),
            Gravity::NorthWest => (0.0, 0.0),
        }
    }
}

/// JPEG chroma resolution, named as sharp names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ChromaSubsampling {
    /// Chroma at half width and half height.
    #[default]
    #[serde(rename = "4:2:0")]
    Half,
    /// Chroma at full resolution.
    #[serde(rename = "4:4:4")]
    Full,
}

/// libwebp's presets (its starting settings for a kind of picture), as sharp names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebpPreset {
    #[default]
    Default,
    Photo,
    Picture,
    Drawing,
    Icon,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "format",
    rename_all = "lowercase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Encoding {
    Jpeg {
        quality: u8,
        progressive: bool,
        chroma_subsampling: ChromaSubsampling,
        /// Huffman tables fitted to the image; off writes libjpeg's standard tables.
        #[serde(default = "yes")]
        optimise_coding: bool,
    },
    Png {
        compression_level: u8,
        /// Quantise to at most 256 colours at `quality` (1-100), as sharp's
        /// `png({ palette: true, quality })`; `quality` means nothing without it.
        palette: bool,
        quality: u8,
        /// Bits per sample, 1, 2, 4 or 8 (sharp's from `colours`): a palette of at most
        /// 2^bitdepth colours, or grey stored in its top bits; RGB below 8 is a palette,
        /// as libvips writes it.
        #[serde(default = "eight_bits")]
        bitdepth: u8,
        /// Adam7-interlaced rows, as sharp's `png({ progressive })`.
        #[serde(default)]
        progressive: bool,
        /// Each row's filter chosen by the PNG heuristic; off writes every row unfiltered,
        /// as sharp's (and libvips') default `adaptiveFiltering: false`. pixelpool's default
        /// is on: smaller files for photos.
        #[serde(default = "yes")]
        adaptive_filtering: bool,
    },
    Webp {
        quality: u8,
        lossless: bool,
        effort: u8,
        alpha_quality: u8,
        /// libwebp's sharp (iterative) RGB to YUV, as sharp's `smartSubsample`.
        #[serde(default)]
        smart_subsample: bool,
        /// libwebp's automatic deblocking filter strength, as sharp's `smartDeblock`.
        #[serde(default)]
        smart_deblock: bool,
        #[serde(default)]
        preset: WebpPreset,
        /// Keep the RGB of transparent pixels, as sharp's `exact`.
        #[serde(default)]
        exact: bool,
        /// Lossless after libwebp's near-lossless preprocessing at `quality`.
        #[serde(default)]
        near_lossless: bool,
    },
    Avif {
        quality: u8,
        /// 0 (fastest) to 9 (smallest), as sharp's `effort`.
        effort: u8,
        lossless: bool,
        /// Full resolution unless asked, as sharp's; lossless is always full.
        chroma_subsampling: ChromaSubsampling,
    },
    /// Palette GIF; animated when the job keeps an animation's frames.
    Gif(GifSettings),
    /// Strips or tiles, as sharp's `tiff()`.
    Tiff(TiffSettings),
    /// The samples themselves, 1-4 channels interleaved, as sharp's `raw()`.
    Raw,
}

impl Encoding {
    /// PNG at a zlib level, 8 bits per sample, no palette.
    pub fn png(compression_level: u8) -> Encoding {
        Encoding::Png {
            compression_level,
            palette: false,
            quality: 100,
            bitdepth: 8,
            progressive: false,
            adaptive_filtering: true,
        }
    }

    /// WebP with sharp's `webp()` defaults but for `quality` and `lossless`.
    pub fn webp(quality: u8, lossless: bool) -> Encoding {
        Encoding::Webp {
            quality,
            lossless,
            effort: 4,
            alpha_quality: 100,
            smart_subsample: false,
            smart_deblock: false,
            preset: WebpPreset::Default,
            exact: false,
            near_lossless: false,
        }
    }

    pub fn format(&self) -> Format {
        match self {
            Encoding::Jpeg { .. } => Format::Jpeg,
            Encoding::Png { .. } => Format::Png,
            Encoding::Webp { .. } => Format::Webp,
            Encoding::Avif { .. } => Format::Avif,
            Encoding::Gif { .. } => Format::Gif,
            Encoding::Tiff(_) => Format::Tiff,
            Encoding::Raw => Format::Raw,
        }
    }

    /// Whether the format can hold an animation's frames.
    pub fn animates(&self) -> bool {
        matches!(self, Encoding::Gif { .. } | Encoding::Webp { .. })
    }
}

/// One output of a job. Sizes are in the orientation the viewer sees (after EXIF orientation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputSpec {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fit: Fit,
    pub position: Gravity,
    /// Fills `contain` borders and replaces transparency in formats without alpha.
    pub background: Rgba,
    pub without_enlargement: bool,
    /// sharp's `fastShrinkOnLoad`: JPEG and WebP decode at the reduction sharp picks (its
    /// sizes and pixels); `false` leaves the resize at least 2x as sharp does for sizes,
    /// and decodes at the scale pixelpool measured to keep quality (shrink.rs).
    #[serde(default = "yes")]
    pub fast_shrink_on_load: bool,
    /// Clockwise degrees, a multiple of 90, applied after EXIF orientation.
    pub rotate: u16,
    /// Mirror top to bottom.
    pub flip: bool,
    /// Mirror left to right.
    pub flop: bool,
    pub grayscale: bool,
    /// Crop away edges that match a background colour, before resizing, as sharp's `trim`.
    #[serde(default)]
    pub trim: Option<Trim>,
    /// Recolour by luminance, from `shadow` (dark) to `highlight` (light), after resizing.
    #[serde(default)]
    pub duotone: Option<Duotone>,
    /// Keep the input's EXIF (orientation reset to 1), ICC profile and XMP.
    pub keep_metadata: bool,
    /// Metadata the output writes of its own (EXIF fields, density, XMP, sRGB profile).
    #[serde(default)]
    pub metadata: MetadataWrites,
    /// sharp's other operations (blur, extend, modulate, ...), in sharp's order.
    #[serde(default)]
    pub operations: Operations,
    /// How the image is encoded; with `tiles`, how each tile is.
    pub encoding: Encoding,
    /// A tile pyramid instead of one image (sharp's `tile()`): the output's bytes are the
    /// archive of its files (tiles/archive.rs).
    #[serde(default)]
    pub tiles: Option<TileSettings>,
}

fn eight_bits() -> u8 {
    8
}

fn yes() -> bool {
    true
}

/// gatsby-plugin-sharp's duotone: each pixel's luminance picks a colour between `shadow`
/// and `highlight`; with `opacity` (percent), that colour is laid over the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Duotone {
    pub highlight: Rgba,
    pub shadow: Rgba,
    pub opacity: Option<u8>,
}

impl OutputSpec {
    pub fn new(encoding: Encoding) -> Self {
        Self {
            width: None,
            height: None,
            fit: Fit::default(),
            position: Gravity::default(),
            background: Rgba::BLACK,
            without_enlargement: false,
            fast_shrink_on_load: true,
            rotate: 0,
            flip: false,
            flop: false,
            grayscale: false,
            trim: None,
            duotone: None,
            keep_metadata: false,
            metadata: MetadataWrites::default(),
            operations: Operations::default(),
            encoding,
            tiles: None,
        }
    }

    /// Whether this output may stay in the input's colour space under its ICC profile, as
    /// sharp's `keepIccProfile` asks: only where the profile is written with it (JPEG, PNG,
    /// WebP stills, TIFF, raw samples). AVIF output here has no ICC box, GIF none, and animations
    /// carry no profile, so those are converted to sRGB whatever the option says.
    pub fn keeps_source_colour(&self, animated: bool) -> bool {
        let holds_profile = match self.encoding {
            Encoding::Jpeg { .. } | Encoding::Png { .. } | Encoding::Tiff(_) | Encoding::Raw => {
                true
            }
            Encoding::Webp { .. } => !animated,
            Encoding::Avif { .. } | Encoding::Gif { .. } => false,
        };
        self.operations.keep_icc && holds_profile
    }
}
