//! TIFF input (one page of the file) with the pure-Rust tiff crate, which decompresses;
//! the samples then get the meaning libvips gives them: grey, RGB and CMYK of any integer
//! or float depth with extra samples (the first is alpha), planar or chunky
//! (samples.rs); palette (palette.rs), CIELAB (lab.rs) and subsampled YCbCr (ycbcr.rs)
//! through relabelled copies; CCITT group 3 by the fax crate (bilevel.rs); LogLuv, which
//! no maintained Rust crate decompresses, by logluv.rs.
mod bilevel;
mod kind;
mod lab;
mod logluv;
mod palette;
mod relabel;
mod samples;
mod ycbcr;

use std::io::Cursor;

use tiff::decoder::{Decoder, Limits};
use tiff::tags::Tag;

use super::{Header, MAX_DECODED_BYTES};
use crate::colour;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::Format;
pub(crate) use kind::{openable, photometric, Kind, Number};
use samples::Floats;

pub fn read_header(bytes: &[u8], page: u32) -> Result<Header> {
    let (bytes, logluv) = openable(bytes, page);
    let mut decoder = open_page(&bytes, Limits::default(), page)?;
    let (width, height) = decoder.dimensions().map_err(corrupt)?;
    let kind = Kind::of(&mut decoder, logluv);
    let orientation = decoder
        .find_tag_unsigned::<u16>(Tag::Orientation)
        .ok()
        .flatten()
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1) as u8;
    let icc = decoder
        .find_tag(Tag::IccProfile)
        .ok()
        .flatten()
        .and_then(|value| value.into_u8_vec().ok());
    Ok(Header {
        format: Format::Tiff,
        width,
        height,
        has_alpha: kind.has_alpha(),
        orientation,
        exif: None,
        icc,
        warnings: Vec::new(),
    })
}

/// Decodes to 8 bits; CMYK and YCbCr come out as sRGB.
pub fn decode(bytes: &[u8], header: &Header, page: u32) -> Result<Image> {
    let (bytes, logluv) = openable(bytes, page);
    let bytes: &[u8] = &bytes;
    let mut decoder = open_page(bytes, Limits::default(), page)?;
    let kind = Kind::of(&mut decoder, logluv);
    // Room for every sample at up to 8 bytes, for a tile larger than the image, and for a
    // 16-bit palette's colour map as the tiff crate holds tag values (32 bytes each).
    let tile = decoder.chunk_dimensions();
    let tile_bytes = tile.0 as u64 * tile.1 as u64 * kind.samples as u64 * 8;
    let budget = (header.pixels() * kind.samples.max(1) as u64 * 8)
        .max(tile_bytes)
        .clamp(16 << 20, MAX_DECODED_BYTES * 2) as usize;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = budget;
    limits.intermediate_buffer_size = budget;
    let mut decoder = decoder.with_limits(limits.clone());
    let dimensions @ (width, height) = decoder.dimensions().map_err(corrupt)?;
    match kind.photometric {
        photometric::PALETTE => {
            return palette::decode(bytes, &mut decoder, limits, page, dimensions)
        }
        photometric::CIELAB => return lab::decode(bytes, limits, page, dimensions),
        photometric::LOGLUV => return logluv::decode(bytes, &mut decoder, &kind, dimensions),
        _ if kind.ycbcr_units() => {
            return ycbcr::decode(bytes, &mut decoder, &kind, limits, page, dimensions)
        }
        _ => {}
    }
    if kind.compression == Some(bilevel::GROUP_3) {
        return bilevel::decode_group3(bytes, &mut decoder, kind.photometric, dimensions);
    }
    if kind.colour_channels() == 1 && kind.samples == 1 && matches!(kind.bits, 1 | 2 | 4) {
        let packed = decoder.read_image().map_err(corrupt)?;
        let tiff::decoder::DecodingResult::U8(packed) = packed else {
            return Err(unsupported(&kind));
        };
        let grey = bilevel::unpack(&packed, kind.bits, width, height, false).ok_or_else(short)?;
        return Ok(Image::new(width, height, 1, grey));
    }
    let colour_channels = kind.colour_channels();
    let layout = samples::Layout {
        channels: kind.samples,
        planar: kind.planar,
        floats: match kind.number == Number::Float && colour_channels == 3 {
            true => Floats::LinearRgb,
            false => Floats::Plain,
        },
    };
    // Unlike read_image, this reads every plane of a planar file, one after another.
    let mut result = tiff::decoder::DecodingResult::U8(Vec::new());
    decoder.read_image_to_buffer(&mut result).map_err(corrupt)?;
    let samples = samples::narrow(result, &layout).ok_or_else(|| unsupported(&kind))?;
    if samples.len() != width as usize * height as usize * kind.samples {
        return Err(short());
    }
    // libvips: colour channels, then the first extra sample is alpha; the rest are dropped.
    let channels = colour_channels + kind.has_alpha() as usize;
    let pixels: Vec<u8> = if channels == kind.samples {
        samples
    } else {
        samples
            .chunks_exact(kind.samples)
            .flat_map(|pixel| &pixel[..channels])
            .copied()
            .collect()
    };
    match colour_channels {
        // JPEG-compressed YCbCr (sharp's default TIFF) is handed over as decoded.
        3 if kind.photometric == photometric::YCBCR && kind.jpeg() => Ok(Image::new(
            width,
            height,
            channels as u8,
            ycbcr_to_rgb(&pixels, channels),
        )),
        4 => Ok(cmyk_to_srgb(&pixels, channels, header, (width, height))),
        _ => Ok(Image::new(width, height, channels as u8, pixels)),
    }
}

fn cmyk_to_srgb(pixels: &[u8], channels: usize, header: &Header, size: (u32, u32)) -> Image {
    let ink: Vec<u8> = pixels
        .chunks_exact(channels)
        .flat_map(|p| &p[..4])
        .copied()
        .collect();
    let rgb = colour::cmyk_to_srgb(&ink, header.icc.as_deref());
    if channels == 4 {
        return Image::new(size.0, size.1, 3, rgb);
    }
    let rgba = rgb
        .chunks_exact(3)
        .zip(pixels.chunks_exact(channels))
        .flat_map(|(rgb, pixel)| [rgb[0], rgb[1], rgb[2], pixel[4]])
        .collect();
    Image::new(size.0, size.1, 4, rgba)
}

fn short() -> EngineError {
    EngineError::corrupt("TIFF image data does not fill the image")
}

/// The page's strips as stored (still compressed), for the codings the tiff crate lacks.
fn stored_strips<'a>(
    bytes: &'a [u8],
    decoder: &mut Decoder<Cursor<&[u8]>>,
) -> Result<Vec<&'a [u8]>> {
    let offsets = decoder
        .get_tag_u64_vec(Tag::StripOffsets)
        .map_err(corrupt)?;
    let counts = decoder
        .get_tag_u64_vec(Tag::StripByteCounts)
        .map_err(corrupt)?;
    offsets
        .iter()
        .zip(&counts)
        .map(|(&offset, &count)| {
            let end = offset
                .checked_add(count)
                .filter(|&end| end <= bytes.len() as u64)
                .ok_or_else(short)?;
            Ok(&bytes[offset as usize..end as usize])
        })
        .collect()
}

/// A decoder at image `page` of the file (0 the first).
fn open_page(bytes: &[u8], limits: Limits, page: u32) -> Result<Decoder<Cursor<&[u8]>>> {
    let mut decoder = Decoder::new(Cursor::new(bytes))
        .map_err(corrupt)?
        .with_limits(limits);
    if page > 0 {
        let mut pages = 1;
        while pages <= page as usize && decoder.more_images() {
            decoder.next_image().map_err(corrupt)?;
            pages += 1;
        }
        if pages <= page as usize {
            return Err(super::page_beyond(page, pages));
        }
    }
    Ok(decoder)
}

/// JFIF's full-range BT.601 YCbCr, as in JPEG files; the alpha sample, if any, kept.
fn ycbcr_to_rgb(ycbcr: &[u8], channels: usize) -> Vec<u8> {
    ycbcr
        .chunks_exact(channels)
        .flat_map(|p| {
            let (y, cb, cr) = (p[0] as f32, p[1] as f32 - 128.0, p[2] as f32 - 128.0);
            let rgb = [
                y + 1.402 * cr,
                y - 0.344_136 * cb - 0.714_136 * cr,
                y + 1.772 * cb,
            ]
            .map(|v| v.round().clamp(0.0, 255.0) as u8);
            rgb.into_iter().chain(p.get(3).copied())
        })
        .collect()
}

fn unsupported(kind: &Kind) -> EngineError {
    EngineError::unsupported(format!(
        "TIFF of {} {}-bit samples (photometric interpretation {}) is not supported",
        kind.samples, kind.bits, kind.photometric
    ))
}

fn corrupt(error: tiff::TiffError) -> EngineError {
    match error {
        tiff::TiffError::UnsupportedError(detail) => {
            EngineError::unsupported(format!("TIFF feature not supported ({detail})"))
        }
        other => EngineError::corrupt(format!("TIFF data is invalid ({other})")),
    }
}
