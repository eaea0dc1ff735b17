//! PNG, read by the png crate up to the first image data: IHDR, pHYs, bKGD, text chunks
//! (XMP travels in an iTXt chunk of its own keyword) and acTL.
use std::io::Cursor;

use png::{BitDepth, ColorType, Unit};

use super::{BandFormat, Description};
use crate::xmp;

pub fn describe(bytes: &[u8], d: &mut Description) {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_ignore_text_chunk(false);
    let Ok(reader) = decoder.read_info() else {
        return;
    };
    let info = reader.info();
    let grey = matches!(
        info.color_type,
        ColorType::Grayscale | ColorType::GrayscaleAlpha
    );
    d.channels = if grey { 1 } else { 3 } + d.header.has_alpha as u8;
    let bits = if info.bit_depth == BitDepth::Sixteen {
        16
    } else {
        8
    };
    d.format = BandFormat::unsigned(bits);
    d.bits_per_sample = Some(info.bit_depth as u8);
    d.palette = info.color_type == ColorType::Indexed;
    d.progressive = info.interlaced;
    if let Some(dims) = info.pixel_dims.filter(|dims| dims.unit == Unit::Meter) {
        d.pixels_per_mm = dims.xppu as f64 / 1000.0;
    }
    d.background = info
        .bkgd
        .as_deref()
        .and_then(|bkgd| background(bkgd, info.color_type, bits));
    if let Some(control) = info.animation_control {
        d.frames = control.num_frames.max(1);
    }
    let latin1 = info
        .uncompressed_latin1_text
        .iter()
        .map(|t| (t.keyword.clone(), t.text.clone()));
    let compressed = info
        .compressed_latin1_text
        .iter()
        .filter_map(|t| Some((t.keyword.clone(), t.get_text().ok()?)));
    let utf8 = info
        .utf8_text
        .iter()
        .filter_map(|t| Some((t.keyword.clone(), t.get_text().ok()?)));
    for (keyword, text) in latin1.chain(compressed).chain(utf8) {
        if keyword == xmp::PNG_KEYWORD {
            d.xmp = Some(text.into_bytes());
        } else {
            d.comments.push((keyword, text));
        }
    }
}

/// libvips' reading of bKGD: 16-bit samples divided by 256, none for palette images.
fn background(bkgd: &[u8], colour: ColorType, bits: u8) -> Option<Vec<f64>> {
    let scale = if bits == 16 { 256 } else { 1 };
    let sample = |i: usize| {
        Some((u16::from_be_bytes([*bkgd.get(2 * i)?, *bkgd.get(2 * i + 1)?]) / scale) as f64)
    };
    match colour {
        ColorType::Grayscale | ColorType::GrayscaleAlpha => Some(vec![sample(0)?]),
        ColorType::Rgb | ColorType::Rgba => Some(vec![sample(0)?, sample(1)?, sample(2)?]),
        ColorType::Indexed => None,
    }
}
