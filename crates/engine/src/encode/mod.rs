//! Encoders. Each takes pixels already in a layout its format can store.
mod av1;
mod avif;
mod bits;
mod gif;
mod gif_palette;
pub(crate) mod jpeg;
mod palette;
mod png;
mod tiff;
pub(crate) mod webp;
mod webp_animation;

use std::borrow::Cow;

use crate::error::{EngineError, ErrorKind, Result};
use crate::frames::Frames;
use crate::image::Image;
use crate::pixels;
use crate::spec::{ChromaSubsampling, Encoding, Rgba, TiffCompression};

/// Metadata an output carries (output_metadata.rs decides what), or an input's.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// A complete EXIF block (with its `Exif\0\0` prefix), orientation already reset.
    pub exif: Option<Vec<u8>>,
    pub icc: Option<Vec<u8>>,
    /// An XMP packet.
    pub xmp: Option<Vec<u8>>,
    /// Pixels per inch, for formats that state it outside EXIF (PNG's pHYs).
    pub density: Option<f64>,
    /// The orientation a format states outside EXIF (TIFF's tag): the input's, or the
    /// output's own once written.
    pub orientation: Option<u8>,
}

pub fn encode(
    image: &Image,
    encoding: &Encoding,
    background: Rgba,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    fits_format(image, encoding)?;
    match *encoding {
        Encoding::Raw => Ok(image.data.clone()),
        Encoding::Jpeg {
            quality,
            progressive,
            chroma_subsampling,
            optimise_coding,
        } => {
            let flat = pixels::flatten(image, background);
            let half_chroma = chroma_subsampling == ChromaSubsampling::Half;
            let settings = jpeg::Settings {
                quality,
                progressive,
                optimise_coding,
                coding: jpeg::ColourCoding::YCbCr { half_chroma },
            };
            jpeg::encode(&flat, settings, metadata)
        }
        Encoding::Png {
            compression_level,
            palette,
            quality,
            bitdepth,
            progressive,
            adaptive_filtering,
        } => {
            let settings = png::Settings {
                compression_level,
                palette: palette.then_some(quality),
                bitdepth,
                progressive,
                adaptive_filtering,
            };
            png::encode(image, settings, metadata)
        }
        Encoding::Avif {
            quality,
            effort,
            lossless,
            chroma_subsampling,
        } => {
            let rgba = pixels::with_channels(image, 4);
            let half_chroma = chroma_subsampling == ChromaSubsampling::Half;
            avif::encode(&rgba, quality, effort, lossless, half_chroma, metadata)
        }
        Encoding::Tiff(settings) => {
            // JPEG strips hold no alpha: libvips flattens it away first.
            let image = match settings.compression {
                TiffCompression::Jpeg => pixels::flatten(image, background),
                _ => Cow::Borrowed(image),
            };
            tiff::encode(&image, &settings, metadata)
        }
        Encoding::Webp { .. } | Encoding::Gif { .. } => {
            let still = std::slice::from_ref(image);
            encode_sequence(still, None, encoding, background, metadata)
        }
    }
}

/// An animation in a format that holds one (GIF, WebP), with the frames' delays and loop
/// count; any other format gets the first frame. Animations carry no EXIF or ICC.
pub fn encode_frames(
    frames: &Frames,
    encoding: &Encoding,
    background: Rgba,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    let timing = Some((frames.delays.as_slice(), frames.loop_count));
    encode_sequence(&frames.images, timing, encoding, background, metadata)
}

/// GIF or WebP of `images`, animated when `timing` gives delays and a loop count, else
/// the one still image; any other format gets the first image.
fn encode_sequence(
    images: &[Image],
    timing: Option<(&[u32], u32)>,
    encoding: &Encoding,
    background: Rgba,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    if let Some(first) = images.first() {
        fits_format(first, encoding)?;
    }
    match *encoding {
        Encoding::Gif(settings) => match timing {
            Some((delays, loop_count)) => gif::encode(images, delays, Some(loop_count), settings),
            None => gif::encode(images, &[0], None, settings),
        },
        Encoding::Webp { .. } => {
            let settings = webp::Settings::of(encoding).expect("a WebP encoding");
            match timing {
                Some((delays, loop_count)) => {
                    webp_animation::encode(images, delays, loop_count, settings)
                }
                None => webp::encode(&webp_colour(&images[0]), settings, metadata),
            }
        }
        _ => encode(&images[0], encoding, background, metadata),
    }
}

/// The largest side each format stores (libjpeg's, libwebp's and GIF's 16-bit sizes, one
/// AV1 frame), refused before any encoding work in the words sharp uses.
fn fits_format(image: &Image, encoding: &Encoding) -> Result<()> {
    let (name, largest) = match encoding {
        Encoding::Jpeg { .. } => ("JPEG", 65535),
        Encoding::Webp { .. } => ("WebP", 16383),
        Encoding::Gif { .. } => ("GIF", 65535),
        Encoding::Avif { .. } => ("HEIF", avif::largest_side()),
        _ => return Ok(()),
    };
    if image.width <= largest && image.height <= largest {
        return Ok(());
    }
    Err(EngineError::new(
        ErrorKind::InvalidOption,
        format!(
            "Processed image is too large for the {name} format: at most {largest} pixels a side, this one is {}x{}",
            image.width, image.height
        ),
    ))
}

/// Grey and grey + alpha as the RGB(A) libwebp takes.
fn webp_colour(image: &Image) -> Cow<'_, Image> {
    match image.channels {
        1 => Cow::Owned(pixels::with_channels(image, 3)),
        2 => Cow::Owned(pixels::with_channels(image, 4)),
        _ => Cow::Borrowed(image),
    }
}

/// The image as RGBA, borrowed when it already is.
fn rgba(image: &Image) -> Cow<'_, Image> {
    match image.channels {
        4 => Cow::Borrowed(image),
        _ => Cow::Owned(pixels::with_channels(image, 4)),
    }
}
