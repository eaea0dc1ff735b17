//! LogLuv TIFFs (SGILog compression, 32-bit pixels: a 16-bit log luminance and 8-bit u'
//! and v'), which the tiff crate does not decompress. Each row stores the four bytes of
//! its pixels as four run-length coded planes, high byte first. libvips reads the pixels
//! as CIE XYZ floats and sharp converts them to sRGB: so here, through the sRGB matrix
//! to linear light, then libvips' 8-bit encoding.
use std::io::Cursor;

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::{short, stored_strips, Kind};
use crate::adjust::lab;
use crate::error::{EngineError, Result};
use crate::image::Image;

/// SGILog's 32-bit coding; 34677 (SGILog24) is refused as unsupported.
const COMPRESSION: u16 = 34676;
const UV_SCALE: f64 = 410.0;
const D65_X: f64 = 0.950_47;
const D65_Z: f64 = 1.088_83;

pub fn decode(
    bytes: &[u8],
    decoder: &mut Decoder<Cursor<&[u8]>>,
    kind: &Kind,
    (width, height): (u32, u32),
) -> Result<Image> {
    if kind.compression != Some(COMPRESSION) || kind.samples != 3 {
        return Err(EngineError::unsupported(
            "LogLuv TIFF other than 32-bit SGILog strips is not supported",
        ));
    }
    let strips = stored_strips(bytes, decoder)?;
    let rows_per_strip = decoder
        .find_tag_unsigned::<u32>(Tag::RowsPerStrip)
        .ok()
        .flatten()
        .unwrap_or(height)
        .clamp(1, height.max(1)) as usize;
    let (width, height) = (width as usize, height as usize);
    let mut rgb = Vec::with_capacity(width * height * 3);
    let mut row = vec![0u32; width];
    for mut strip in strips {
        for _ in 0..rows_per_strip {
            if rgb.len() == width * height * 3 {
                break;
            }
            strip = decode_row(strip, &mut row).ok_or_else(short)?;
            rgb.extend(row.iter().flat_map(|&pixel| to_srgb(pixel)));
        }
    }
    if rgb.len() != width * height * 3 {
        return Err(short());
    }
    Ok(Image::new(width as u32, height as u32, 3, rgb))
}

/// One row's four byte planes: a count byte of 128 or more repeats the next byte
/// (count - 126 times), a smaller one is followed by that many literal bytes.
fn decode_row<'a>(mut coded: &'a [u8], row: &mut [u32]) -> Option<&'a [u8]> {
    row.fill(0);
    for shift in [24, 16, 8, 0] {
        let mut x = 0;
        while x < row.len() {
            let (&count, rest) = coded.split_first()?;
            if count >= 128 {
                let (&value, rest) = rest.split_first()?;
                let run = (count as usize - 126).min(row.len() - x);
                row[x..x + run]
                    .iter_mut()
                    .for_each(|p| *p |= (value as u32) << shift);
                x += run;
                coded = rest;
            } else {
                let run = (count as usize).min(row.len() - x);
                let literal = rest.get(..run)?;
                for (p, &value) in row[x..x + run].iter_mut().zip(literal) {
                    *p |= (value as u32) << shift;
                }
                x += run;
                coded = &rest[run..];
            }
        }
    }
    Some(coded)
}

/// CIE XYZ of a LogLuv32 pixel (the arithmetic of libtiff's LogLuv32toXYZ), then sRGB.
fn to_srgb(pixel: u32) -> [u8; 3] {
    let log_luminance = (pixel >> 16) & 0x7fff;
    if log_luminance == 0 {
        return [0; 3];
    }
    let mut luminance = (std::f64::consts::LN_2 / 256.0 * (log_luminance as f64 + 0.5)
        - std::f64::consts::LN_2 * 64.0)
        .exp();
    if pixel & 0x8000_0000 != 0 {
        luminance = -luminance;
    }
    let u = ((pixel >> 8 & 0xff) as f64 + 0.5) / UV_SCALE;
    let v = ((pixel & 0xff) as f64 + 0.5) / UV_SCALE;
    let s = 1.0 / (6.0 * u - 16.0 * v + 12.0);
    let (x, y) = (9.0 * u * s, 4.0 * v * s);
    // libvips then scales X and Z by D65's white (measured against sharp: its X and Z
    // are 0.95047 and 1.08883 times libtiff's).
    lab::xyz_to_srgb([
        (x / y * luminance * D65_X) as f32,
        luminance as f32,
        ((1.0 - x - y) / y * luminance * D65_Z) as f32,
    ])
}
