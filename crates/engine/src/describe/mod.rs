//! What sharp's `metadata()` reports, as libvips' loaders set it: from the header and a
//! walk over the container's markers, chunks or tags; no pixel is decoded. One file per
//! container; the EXIF fields libvips reads (orientation, resolution) in exif_fields.rs.
mod exif_fields;
mod gif;
mod jpeg;
mod png;
mod tiff;
mod webp;

use crate::decode::{self, Header, DEFAULT_DENSITY};
use crate::error::Result;
use crate::spec::Format;

/// libvips' interpretation of the decoded bands, by its nickname (sharp's `space`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    BlackWhite,
    Grey16,
    Srgb,
    Rgb16,
    /// Linear light in floats (float RGB TIFF).
    Scrgb,
    Cmyk,
    /// CIELAB in floats.
    Lab,
    /// CIELAB in signed shorts.
    Labs,
    /// CIE XYZ in floats (LogLuv TIFF).
    Xyz,
}

/// libvips' band formats, as sharp names them in `depth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandFormat {
    Uchar,
    Char,
    Ushort,
    Short,
    Uint,
    Int,
    Float,
    Double,
}

impl BandFormat {
    pub fn name(self) -> &'static str {
        match self {
            BandFormat::Uchar => "uchar",
            BandFormat::Char => "char",
            BandFormat::Ushort => "ushort",
            BandFormat::Short => "short",
            BandFormat::Uint => "uint",
            BandFormat::Int => "int",
            BandFormat::Float => "float",
            BandFormat::Double => "double",
        }
    }

    /// Wider than a byte.
    pub fn is_wide(self) -> bool {
        !matches!(self, BandFormat::Uchar | BandFormat::Char)
    }

    /// Unsigned integers of `bits` (8 or 16, as PNG and JPEG decode).
    pub(super) fn unsigned(bits: u8) -> BandFormat {
        if bits > 8 {
            BandFormat::Ushort
        } else {
            BandFormat::Uchar
        }
    }
}

impl Space {
    pub fn name(self) -> &'static str {
        match self {
            Space::BlackWhite => "b-w",
            Space::Grey16 => "grey16",
            Space::Srgb => "srgb",
            Space::Rgb16 => "rgb16",
            Space::Scrgb => "scrgb",
            Space::Cmyk => "cmyk",
            Space::Lab => "lab",
            Space::Labs => "labs",
            Space::Xyz => "xyz",
        }
    }

    /// Grey or colour at 8 or 16 bits, as most loaders choose.
    fn of(colour_channels: u8, format: BandFormat) -> Space {
        match (colour_channels, format.is_wide()) {
            (1, false) => Space::BlackWhite,
            (1, true) => Space::Grey16,
            (_, false) => Space::Srgb,
            (_, true) => Space::Rgb16,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    pub header: Header,
    /// Bands as libvips decodes them (colour plus alpha).
    pub channels: u8,
    /// How libvips holds each decoded band (sharp's `depth`).
    pub format: BandFormat,
    pub space: Space,
    /// Horizontal resolution in pixels per millimetre (libvips' `xres`, 1.0 when unknown).
    pub pixels_per_mm: f64,
    /// "in", "cm" or "none", where the file states a unit.
    pub resolution_unit: Option<&'static str>,
    /// JPEG only, as libvips names it: "4:2:0", "4:4:4", "4:2:0:4" or "4:4:4:4".
    pub chroma_subsampling: Option<&'static str>,
    /// Progressive JPEG or interlaced PNG/GIF.
    pub progressive: bool,
    pub palette: bool,
    /// Bits per sample as stored, where the loader reports it (PNG, GIF, TIFF, AVIF).
    pub bits_per_sample: Option<u8>,
    /// Pages where the loader reports a count.
    pub pages: Option<u32>,
    /// Frames of an animation, or pages of a document (1 for still images).
    pub frames: u32,
    pub loop_count: Option<u32>,
    /// Each frame's delay in milliseconds.
    pub delays: Option<Vec<u32>>,
    /// The background colour the file states: one grey or three RGB values, 0-255.
    pub background: Option<Vec<f64>>,
    /// The orientation where the file states one (EXIF tag, TIFF tag).
    pub orientation: Option<u8>,
    pub iptc: Option<Vec<u8>>,
    pub xmp: Option<Vec<u8>>,
    pub photoshop: Option<Vec<u8>>,
    /// PNG text chunks as (keyword, text).
    pub comments: Vec<(String, String)>,
    /// HEIF only: the primary image's index and the compression.
    pub page_primary: Option<u32>,
    pub compression: Option<&'static str>,
}

impl Description {
    /// sharp's `density`: whole pixels per inch, when libvips' resolution is above 1/mm.
    pub fn density(&self) -> Option<u32> {
        (self.pixels_per_mm > 1.0).then(|| (self.pixels_per_mm * 25.4).round() as u32)
    }

    fn set_resolution(&mut self, per_unit: f64, unit: &'static str) {
        self.pixels_per_mm = match unit {
            "in" => per_unit / 25.4,
            "cm" => per_unit / 10.0,
            _ => per_unit,
        };
        self.resolution_unit = Some(unit);
    }

    /// Orientation and resolution from an EXIF block, as libvips' EXIF parse sets them.
    fn apply_exif(&mut self, exif: &[u8]) {
        let fields = exif_fields::read(exif);
        if let Some(orientation) = fields.orientation {
            self.orientation = Some(orientation);
        }
        if let Some((per_unit, unit)) = fields.resolution {
            self.set_resolution(per_unit, unit);
        }
    }
}

/// libvips' resolution for JPEG and PNG when the file states none: 72 pixels per inch.
const DEFAULT_PER_MM: f64 = 72.0 / 25.4;

pub fn describe(bytes: &[u8]) -> Result<Description> {
    Ok(of_header(bytes, decode::read_header(bytes)?))
}

/// The description of an input whose header has been read already.
pub(crate) fn of_header(bytes: &[u8], header: Header) -> Description {
    let mut d = Description {
        channels: if header.has_alpha { 4 } else { 3 },
        format: BandFormat::Uchar,
        space: Space::Srgb,
        pixels_per_mm: 1.0,
        resolution_unit: None,
        chroma_subsampling: None,
        progressive: false,
        palette: false,
        bits_per_sample: None,
        pages: None,
        frames: 1,
        loop_count: None,
        delays: None,
        background: None,
        orientation: None,
        iptc: None,
        xmp: None,
        photoshop: None,
        comments: Vec::new(),
        page_primary: None,
        compression: None,
        header,
    };
    if crate::join::is_join(bytes) {
        // A joined input: sharp's PNG of its images, an animation when joined so.
        d.frames = decode::count_frames(bytes, d.header.format);
        d.pages = (d.frames > 1).then_some(d.frames);
        return d;
    }
    let exif = d.header.exif.clone();
    if matches!(d.header.format, Format::Jpeg | Format::Png) {
        d.pixels_per_mm = DEFAULT_PER_MM;
    }
    match d.header.format {
        Format::Jpeg => jpeg::describe(bytes, &mut d),
        Format::Png => png::describe(bytes, &mut d),
        Format::Webp => webp::describe(bytes, &mut d),
        Format::Gif => gif::describe(bytes, &mut d),
        Format::Tiff => tiff::describe(bytes, &mut d),
        Format::Raw => {
            d.channels = bytes[24];
            if let Some(per_inch) = decode::raw_pixels_per_inch(bytes) {
                d.pixels_per_mm = per_inch as f64 / 25.4;
            }
        }
        Format::Svg => d.pixels_per_mm = DEFAULT_DENSITY / 25.4,
        Format::Avif => {
            d.bits_per_sample = Some(8);
            d.pages = Some(1);
            d.page_primary = Some(0);
            d.compression = Some("av1");
        }
        Format::Jxl => {}
    }
    // libvips reads TIFF's resolution from its tags, and leaves HEIF's EXIF unread.
    if !matches!(d.header.format, Format::Tiff | Format::Avif) {
        if let Some(exif) = exif {
            d.apply_exif(&exif);
        }
    }
    d.space = match d.space {
        Space::Srgb => Space::of(d.channels - d.header.has_alpha as u8, d.format),
        other => other,
    };
    d
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}
