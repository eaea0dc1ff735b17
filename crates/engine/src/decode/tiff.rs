//! TIFF input (the first image of the file) with the pure-Rust tiff crate: 8- and 16-bit
//! grey, grey + alpha, RGB, RGBA and CMYK, any of its compressions.

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

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let mut decoder = open(bytes, Limits::default())?;
    let (width, height) = decoder.dimensions().map_err(corrupt)?;
    let colour = decoder.colortype().map_err(corrupt)?;
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
pub fn decode(bytes: &[u8], header: &Header) -> Result<Image> {
    let budget = (header.pixels() * 8).min(MAX_DECODED_BYTES) as usize;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = budget;
    limits.intermediate_buffer_size = budget;
    let mut decoder = open(bytes, limits)?;
    let (width, height) = decoder.dimensions().map_err(corrupt)?;
    let colour = decoder.colortype().map_err(corrupt)?;
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
        return Err(EngineError::corrupt(
            "TIFF image data does not fill the image",
        ));
    }
    Ok(Image::new(width, height, channels, samples))
}

fn open(bytes: &[u8], limits: Limits) -> Result<Decoder<Cursor<&[u8]>>> {
    Ok(Decoder::new(Cursor::new(bytes))
        .map_err(corrupt)?
        .with_limits(limits))
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
