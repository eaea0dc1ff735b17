use std::borrow::Cow;
use std::io::Write;

use flate2::write::ZlibEncoder;
use png::text_metadata::ZTXtChunk;
use png::{BitDepth, ColorType, DeflateCompression, Encoder, Filter, Info, PixelDimensions, Unit};

use super::{bits, Metadata};
use crate::error::{EngineError, Result};
use crate::exif;
use crate::image::Image;
use crate::xmp;

pub struct Settings {
    /// zlib's 0-9, as in sharp.
    pub compression_level: u8,
    /// Quantise to a palette first, at this quality.
    pub palette: Option<u8>,
    /// 1, 2, 4 or 8 bits per sample (`Encoding::Png`).
    pub bitdepth: u8,
    /// Adam7 interlacing.
    pub progressive: bool,
    /// Filters chosen per row, which costs a little time and gives smaller photos than
    /// sharp's unfiltered default; off, or interlaced, every row is unfiltered.
    pub adaptive_filtering: bool,
}

pub fn encode(image: &Image, settings: Settings, metadata: &Metadata) -> Result<Vec<u8>> {
    let mut info = Info::with_size(image.width, image.height);
    info.color_type = match image.channels {
        1 => ColorType::Grayscale,
        2 => ColorType::GrayscaleAlpha,
        3 => ColorType::Rgb,
        _ => ColorType::Rgba,
    };
    let bits = match settings.bitdepth {
        bits @ (1 | 2 | 4) if image.channels != 2 => bits,
        _ => 8,
    };
    // PNG stores colour below 8 bits only as a palette, which libvips then learns at its
    // default quality (100).
    let palette = match settings.palette {
        None if bits < 8 && image.channels > 2 => Some(100),
        palette => palette,
    };
    let indexed = palette.map(|quality| super::palette::quantize(image, quality, 1 << bits));
    let samples = match &indexed {
        Some(indexed) => {
            info.color_type = ColorType::Indexed;
            info.palette = Some(Cow::Borrowed(&indexed.palette));
            info.trns = indexed.alpha.as_deref().map(Cow::Borrowed);
            &indexed.indices
        }
        None => &image.data,
    };
    let sample_bytes = match indexed {
        Some(_) => 1,
        None => image.channels as usize,
    };
    info.bit_depth = match bits {
        1 => BitDepth::One,
        2 => BitDepth::Two,
        4 => BitDepth::Four,
        _ => BitDepth::Eight,
    };
    info.icc_profile = metadata.icc.as_deref().map(Cow::Borrowed);
    // PNG's eXIf chunk holds the TIFF structure without the JPEG-style prefix.
    info.exif_metadata = metadata
        .exif
        .as_deref()
        .map(|e| Cow::Borrowed(exif::tiff_body(e)));

    // The resolution libvips carries from the input (1 pixel per mm when it has none).
    let per_metre = metadata
        .density
        .map_or(1000, |ppi| (ppi / 0.0254).round() as u32);
    info.pixel_dims = Some(PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: Unit::Meter,
    });
    if let Some(xmp) = &metadata.xmp {
        let text = String::from_utf8_lossy(xmp).into_owned();
        info.compressed_latin1_text
            .push(ZTXtChunk::new(xmp::PNG_KEYWORD, text));
    }

    info.interlaced = settings.progressive;

    let mut bytes = Vec::with_capacity(image.data.len() / 2);
    let mut encoder = Encoder::with_info(&mut bytes, info).map_err(failed)?;
    encoder.set_deflate_compression(match settings.compression_level {
        0 => DeflateCompression::NoCompression,
        level => DeflateCompression::Level(level.min(9)),
    });
    if !settings.adaptive_filtering {
        encoder.set_filter(Filter::NoFilter);
    }
    let mut writer = encoder.write_header().map_err(failed)?;
    let width = image.width as usize;
    if settings.progressive {
        let rows = Adam7Rows {
            samples,
            width,
            sample_bytes,
            bits,
            indices: indexed.is_some(),
        };
        let stream = rows.compressed(settings.compression_level)?;
        writer
            .write_chunk(png::chunk::IDAT, &stream)
            .map_err(failed)?;
    } else {
        let data = narrowed(samples, width, bits, indexed.is_some());
        writer.write_image_data(&data).map_err(failed)?;
    }
    writer.finish().map_err(failed)?;
    Ok(bytes)
}

/// The image data of an interlaced PNG, which the png crate does not write: the seven
/// Adam7 passes (each a sparser grid of the image, as the PNG specification lays them out)
/// one after the other, every row unfiltered, in one zlib stream.
struct Adam7Rows<'a> {
    samples: &'a [u8],
    width: usize,
    sample_bytes: usize,
    bits: u8,
    indices: bool,
}

/// Each pass's first column and row, then its column and row steps.
const ADAM7_PASSES: [(usize, usize, usize, usize); 7] = [
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
];

impl Adam7Rows<'_> {
    fn compressed(&self, level: u8) -> Result<Vec<u8>> {
        let mut zlib = ZlibEncoder::new(Vec::new(), flate2::Compression::new(level.into()));
        let stride = self.width * self.sample_bytes;
        for (x0, y0, dx, dy) in ADAM7_PASSES {
            let pass_width = self.width.saturating_sub(x0).div_ceil(dx);
            if pass_width == 0 {
                continue;
            }
            for row in self.samples.chunks_exact(stride).skip(y0).step_by(dy) {
                let picked: Vec<u8> = row
                    .chunks_exact(self.sample_bytes)
                    .skip(x0)
                    .step_by(dx)
                    .flatten()
                    .copied()
                    .collect();
                let packed = narrowed(&picked, pass_width, self.bits, self.indices);
                zlib.write_all(&[0]).map_err(failed)?;
                zlib.write_all(&packed).map_err(failed)?;
            }
        }
        zlib.finish().map_err(failed)
    }
}

/// One-channel rows (grey samples, or palette indices) at `bits` per sample: indices as
/// they are, grey by its top bits.
fn narrowed(samples: &[u8], width: usize, bits: u8, indices: bool) -> Cow<'_, [u8]> {
    if bits == 8 {
        return Cow::Borrowed(samples);
    }
    let mut out = Vec::with_capacity(samples.len() * bits as usize / 8 + samples.len() / width);
    for row in samples.chunks_exact(width) {
        match indices {
            true => bits::pack(row.iter().copied(), bits, &mut out),
            false => bits::pack_top(row, bits, &mut out),
        }
    }
    Cow::Owned(out)
}

/// The png crate's and flate2's errors alike.
fn failed(error: impl std::fmt::Display) -> EngineError {
    EngineError::internal(format!("PNG encoding failed ({error})"))
}
