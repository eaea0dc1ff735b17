//! TIFF input (the first image of the file) with the pure-Rust tiff crate: 1- to 16-bit
//! grey, grey + alpha, RGB, RGBA and CMYK, any of its compressions; palette and CIELAB
//! through a relabelled copy (relabel.rs); CCITT group 3 by the fax crate (bilevel.rs).
mod bilevel;
mod relabel;

use std::io::Cursor;

use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;
use tiff::ColorType;

use super::{Header, MAX_DECODED_BYTES};
use crate::colour;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::Format;

/// The Compression tag's value for "new-style" JPEG.
const JPEG_COMPRESSION: u16 = 7;

pub fn read_header(bytes: &[u8], page: u32) -> Result<Header> {
    let mut decoder = open_page(bytes, Limits::default(), page)?;
    let (width, height) = decoder.dimensions().map_err(corrupt)?;
    let photometric = decoder
        .find_tag_unsigned::<u16>(Tag::PhotometricInterpretation)
        .ok()
        .flatten();
    // The tiff crate refuses palette and CIELAB here; they are decoded without alpha.
    let colour = match photometric {
        Some(relabel::PALETTE | relabel::CIELAB) => ColorType::RGB(8),
        _ => decoder.colortype().map_err(corrupt)?,
    };
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
        has_alpha: matches!(
            colour,
            ColorType::GrayA(_) | ColorType::RGBA(_) | ColorType::CMYKA(_)
        ),
        orientation,
        exif: None,
        icc,
        warnings: Vec::new(),
    })
}

/// Decodes to 8 bits; CMYK comes out as sRGB.
pub fn decode(bytes: &[u8], header: &Header, page: u32) -> Result<Image> {
    let budget = (header.pixels() * 8).min(MAX_DECODED_BYTES) as usize;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = budget;
    limits.intermediate_buffer_size = budget;
    let mut decoder = open_page(bytes, limits.clone(), page)?;
    let (width, height) = decoder.dimensions().map_err(corrupt)?;
    let tag = |decoder: &mut Decoder<Cursor<&[u8]>>, tag| {
        decoder.find_tag_unsigned::<u16>(tag).ok().flatten()
    };
    let photometric = tag(&mut decoder, Tag::PhotometricInterpretation);
    match photometric {
        Some(relabel::PALETTE) => {
            return palette(bytes, &mut decoder, limits, page, (width, height))
        }
        Some(relabel::CIELAB) => return cielab(bytes, limits, page, (width, height)),
        _ => {}
    }
    if tag(&mut decoder, Tag::Compression) == Some(bilevel::GROUP_3) {
        return group3(bytes, &mut decoder, photometric, (width, height));
    }
    let colour = decoder.colortype().map_err(corrupt)?;
    if let ColorType::Gray(bits @ (1 | 2 | 4)) = colour {
        let DecodingResult::U8(packed) = decoder.read_image().map_err(corrupt)? else {
            return Err(unsupported(colour));
        };
        let grey = bilevel::unpack(&packed, bits as u16, width, height, false).ok_or_else(short)?;
        return Ok(Image::new(width, height, 1, grey));
    }
    let jpeg_compressed = decoder
        .find_tag_unsigned::<u16>(Tag::Compression)
        .ok()
        .flatten()
        == Some(JPEG_COMPRESSION);
    let samples = match decoder.read_image().map_err(corrupt)? {
        DecodingResult::U8(samples) => samples,
        DecodingResult::U16(samples) => samples.iter().map(|&s| to_8_bits(s)).collect(),
        _ => return Err(unsupported(colour)),
    };
    let channels: u8 = match colour {
        ColorType::Gray(8 | 16) => 1,
        ColorType::GrayA(8 | 16) => 2,
        ColorType::RGB(8 | 16) => 3,
        // JPEG-compressed TIFFs (sharp's default) are YCbCr, handed over as decoded.
        ColorType::YCbCr(8) if jpeg_compressed => {
            return Ok(Image::new(width, height, 3, ycbcr_to_rgb(&samples)));
        }
        ColorType::RGBA(8 | 16) => 4,
        ColorType::CMYK(8 | 16) => {
            let rgb = colour::cmyk_to_srgb(&samples, header.icc.as_deref());
            return Ok(Image::new(width, height, 3, rgb));
        }
        other => return Err(unsupported(other)),
    };
    if samples.len() != width as usize * height as usize * channels as usize {
        return Err(short());
    }
    Ok(Image::new(width, height, channels, samples))
}

fn short() -> EngineError {
    EngineError::corrupt("TIFF image data does not fill the image")
}

fn palette(
    bytes: &[u8],
    decoder: &mut Decoder<Cursor<&[u8]>>,
    limits: Limits,
    page: u32,
    (width, height): (u32, u32),
) -> Result<Image> {
    let colour_map = decoder.get_tag_u16_vec(Tag::ColorMap).map_err(corrupt)?;
    let bits = decoder
        .find_tag_unsigned::<u16>(Tag::BitsPerSample)
        .ok()
        .flatten()
        .unwrap_or(8);
    let copy = relabel::relabelled(bytes, page as usize, relabel::BLACK_IS_ZERO)
        .ok_or_else(|| EngineError::unsupported("this palette TIFF's layout is not supported"))?;
    let mut grey = open_page(&copy, limits, page)?;
    let indices = match (grey.read_image().map_err(corrupt)?, bits) {
        (DecodingResult::U8(indices), 8) => indices,
        (DecodingResult::U8(packed), 1 | 2 | 4) => {
            bilevel::unpack(&packed, bits, width, height, true).ok_or_else(short)?
        }
        _ => {
            return Err(EngineError::unsupported(format!(
                "{bits}-bit palette TIFF is not supported"
            )))
        }
    };
    let rgb = relabel::from_palette(&indices, &colour_map)
        .ok_or_else(|| EngineError::corrupt("TIFF palette index beyond its colour map"))?;
    if rgb.len() != width as usize * height as usize * 3 {
        return Err(short());
    }
    Ok(Image::new(width, height, 3, rgb))
}

fn cielab(
    bytes: &[u8],
    mut limits: Limits,
    page: u32,
    (width, height): (u32, u32),
) -> Result<Image> {
    // Float samples: 12 bytes a pixel.
    let budget = (width as u64 * height as u64 * 12).min(MAX_DECODED_BYTES * 3) as usize;
    limits.decoding_buffer_size = budget;
    limits.intermediate_buffer_size = budget;
    let copy = relabel::relabelled(bytes, page as usize, relabel::RGB)
        .ok_or_else(|| EngineError::unsupported("this CIELAB TIFF's layout is not supported"))?;
    let mut rgb = open_page(&copy, limits, page)?;
    let samples = match &rgb.read_image().map_err(corrupt)? {
        DecodingResult::U8(s) => relabel::from_lab(relabel::LabSamples::Eight(s)),
        DecodingResult::U16(s) => relabel::from_lab(relabel::LabSamples::Sixteen(s)),
        DecodingResult::I16(s) => {
            let bits: Vec<u16> = s.iter().map(|&v| v as u16).collect();
            relabel::from_lab(relabel::LabSamples::Sixteen(&bits))
        }
        DecodingResult::F32(s) => relabel::from_lab(relabel::LabSamples::Float(s)),
        _ => {
            return Err(EngineError::unsupported(
                "CIELAB TIFF of these samples is not supported",
            ))
        }
    };
    if samples.len() != width as usize * height as usize * 3 {
        return Err(short());
    }
    Ok(Image::new(width, height, 3, samples))
}

fn group3(
    bytes: &[u8],
    decoder: &mut Decoder<Cursor<&[u8]>>,
    photometric: Option<u16>,
    (width, height): (u32, u32),
) -> Result<Image> {
    let offsets = decoder
        .get_tag_u64_vec(Tag::StripOffsets)
        .map_err(corrupt)?;
    let counts = decoder
        .get_tag_u64_vec(Tag::StripByteCounts)
        .map_err(corrupt)?;
    let strips = offsets
        .iter()
        .zip(&counts)
        .map(|(&offset, &count)| {
            let end = offset
                .checked_add(count)
                .filter(|&end| end <= bytes.len() as u64);
            end.map(|end| &bytes[offset as usize..end as usize])
                .ok_or_else(short)
        })
        .collect::<Result<Vec<_>>>()?;
    let reversed = decoder
        .find_tag_unsigned::<u16>(Tag::FillOrder)
        .ok()
        .flatten()
        == Some(2);
    let white_is_zero = photometric != Some(relabel::BLACK_IS_ZERO);
    let grey = bilevel::group3(&strips, width, height, white_is_zero, reversed)?;
    Ok(Image::new(width, height, 1, grey))
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

fn to_8_bits(sample: u16) -> u8 {
    ((sample as u32 * 255 + 32767) / 65535) as u8
}

/// JFIF's full-range BT.601 YCbCr, as in JPEG files.
fn ycbcr_to_rgb(ycbcr: &[u8]) -> Vec<u8> {
    ycbcr
        .chunks_exact(3)
        .flat_map(|p| {
            let (y, cb, cr) = (p[0] as f32, p[1] as f32 - 128.0, p[2] as f32 - 128.0);
            [
                y + 1.402 * cr,
                y - 0.344_136 * cb - 0.714_136 * cr,
                y + 1.772 * cb,
            ]
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
        })
        .collect()
}

fn unsupported(colour: ColorType) -> EngineError {
    EngineError::unsupported(format!("TIFF with {colour:?} samples is not supported"))
}

fn corrupt(error: tiff::TiffError) -> EngineError {
    match error {
        tiff::TiffError::UnsupportedError(detail) => {
            EngineError::unsupported(format!("TIFF feature not supported ({detail})"))
        }
        other => EngineError::corrupt(format!("TIFF data is invalid ({other})")),
    }
}
