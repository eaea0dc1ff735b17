//! YCbCr TIFFs stored as chroma-subsampled data units (h x v luma samples, then Cb and
//! Cr), without JPEG: the tiff crate decompresses them from a copy relabelled as rows of
//! grey bytes, and they are converted as libtiff's TIFFRGBAImage converts them (libvips
//! reads these files through it): every pixel of a data unit takes the unit's chroma, with
//! the fixed-point arithmetic of TIFFYCbCrToRGB, the file's coefficients and reference
//! black and white. (Full-resolution YCbCr without JPEG is read as RGB, as libvips reads
//! it, by the general path.)
use std::io::Cursor;

use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

use super::{corrupt, open_page, photometric, relabel, short, Kind};
use crate::error::{EngineError, Result};
use crate::image::Image;

const COEFFICIENTS_TAG: u16 = 529;
const REFERENCE_TAG: u16 = 532;

pub fn decode(
    bytes: &[u8],
    decoder: &mut Decoder<Cursor<&[u8]>>,
    kind: &Kind,
    limits: Limits,
    page: u32,
    (width, height): (u32, u32),
) -> Result<Image> {
    let (across, down) = match kind.subsampling {
        (h @ (1 | 2 | 4), v @ (1 | 2 | 4)) => (h as u32, v as u32),
        _ => return Err(EngineError::corrupt("TIFF YCbCr subsampling is invalid")),
    };
    let floats = |decoder: &mut Decoder<Cursor<&[u8]>>, tag| {
        decoder
            .find_tag(Tag::Unknown(tag))
            .ok()
            .flatten()
            .and_then(|value| value.into_f64_vec().ok())
    };
    let luma = floats(decoder, COEFFICIENTS_TAG)
        .filter(|v| v.len() == 3 && v[1] != 0.0)
        .unwrap_or(vec![0.299, 0.587, 0.114]);
    let reference = floats(decoder, REFERENCE_TAG)
        .filter(|v| v.len() == 6)
        .unwrap_or(vec![0.0, 255.0, 128.0, 255.0, 128.0, 255.0]);
    let convert = Converter::new(&luma, &reference);
    let unit = across * down + 2;
    let tag = |decoder: &mut Decoder<Cursor<&[u8]>>, tag| {
        decoder.find_tag_unsigned::<u32>(tag).ok().flatten()
    };
    let mut changes = vec![
        (relabel::PHOTOMETRIC, photometric::BLACK_IS_ZERO as u32),
        (relabel::SAMPLES_PER_PIXEL, 1),
        (relabel::BITS_PER_SAMPLE, 8),
        (relabel::WIDTH, width.div_ceil(across) * unit),
        (relabel::HEIGHT, height.div_ceil(down)),
    ];
    if let Some(rows) = tag(decoder, Tag::RowsPerStrip) {
        changes.push((relabel::ROWS_PER_STRIP, rows.div_ceil(down)));
    }
    if let (Some(tile_width), Some(tile_length)) =
        (tag(decoder, Tag::TileWidth), tag(decoder, Tag::TileLength))
    {
        changes.push((relabel::TILE_WIDTH, tile_width / across * unit));
        changes.push((relabel::TILE_LENGTH, tile_length / down));
    }
    let copy = relabel::with_tags(bytes, page as usize, &changes)
        .ok_or_else(|| EngineError::unsupported("this YCbCr TIFF's layout is not supported"))?;
    let mut units = open_page(&copy, limits, page)?;
    let DecodingResult::U8(samples) = units.read_image().map_err(corrupt)? else {
        return Err(unsupported());
    };
    rgb_of_units(&samples, (across, down), (width, height), &convert)
}

fn unsupported() -> EngineError {
    EngineError::unsupported("YCbCr TIFF of other than 8-bit samples is not supported")
}

/// Opaque RGBA pixels of data units: rows of units, each `across * down` luma samples then
/// Cb, Cr.
fn rgb_of_units(
    samples: &[u8],
    (across, down): (u32, u32),
    (width, height): (u32, u32),
    convert: &Converter,
) -> Result<Image> {
    let (across, down) = (across as usize, down as usize);
    let (width, height) = (width as usize, height as usize);
    let unit = across * down + 2;
    let units_across = width.div_ceil(across);
    if samples.len() < units_across * height.div_ceil(down) * unit {
        return Err(short());
    }
    // RGBA, as libtiff's RGBA interface hands them to libvips.
    let mut rgba = vec![255u8; width * height * 4];
    for (index, unit) in samples.chunks_exact(unit).enumerate() {
        let (unit_x, unit_y) = (index % units_across, index / units_across);
        let (cb, cr) = (unit[across * down], unit[across * down + 1]);
        for dy in 0..down {
            for dx in 0..across {
                let (x, y) = (unit_x * across + dx, unit_y * down + dy);
                if x < width && y < height {
                    let at = (y * width + x) * 4;
                    rgba[at..at + 3].copy_from_slice(&convert.rgb(unit[dy * across + dx], cb, cr));
                }
            }
        }
        if unit_y * down >= height {
            break;
        }
    }
    Ok(Image::new(width as u32, height as u32, 4, rgba))
}

const SHIFT: u32 = 16;
const ONE_HALF: i32 = 1 << (SHIFT - 1);

/// libtiff's YCbCr-to-RGB tables, indexed by the 8-bit code.
struct Converter {
    luma: [i32; 256],
    red_of_cr: [i32; 256],
    blue_of_cb: [i32; 256],
    green_of_cr: [i32; 256],
    green_of_cb: [i32; 256],
}

impl Converter {
    fn new(luma: &[f64], reference: &[f64]) -> Self {
        let fixed = |x: f32| (x.clamp(0.0, 2.0) * (1 << SHIFT) as f32 + 0.5) as i32;
        let (red, green, blue) = (luma[0] as f32, luma[1] as f32, luma[2] as f32);
        let d1 = fixed(2.0 - 2.0 * red);
        let d2 = -fixed(red * (2.0 - 2.0 * red) / green);
        let d3 = fixed(2.0 - 2.0 * blue);
        let d4 = -fixed(blue * (2.0 - 2.0 * blue) / green);
        let r = reference.iter().map(|&v| v as f32).collect::<Vec<_>>();
        let code_to_value = |code: i32, black: f32, white: f32, range: f32| {
            let span = if white - black != 0.0 {
                white - black
            } else {
                1.0
            };
            let value = (code - black as i32) as f32 * range / span;
            value.clamp(-128.0 * 32.0, 128.0 * 32.0) as i32
        };
        let mut tables = Converter {
            luma: [0; 256],
            red_of_cr: [0; 256],
            blue_of_cb: [0; 256],
            green_of_cr: [0; 256],
            green_of_cb: [0; 256],
        };
        for i in 0..256 {
            let x = i as i32 - 128;
            let cr = code_to_value(x, r[4] - 128.0, r[5] - 128.0, 127.0);
            let cb = code_to_value(x, r[2] - 128.0, r[3] - 128.0, 127.0);
            tables.red_of_cr[i] = (d1 * cr + ONE_HALF) >> SHIFT;
            tables.blue_of_cb[i] = (d3 * cb + ONE_HALF) >> SHIFT;
            tables.green_of_cr[i] = d2 * cr;
            tables.green_of_cb[i] = d4 * cb + ONE_HALF;
            tables.luma[i] = code_to_value(x + 128, r[0], r[1], 255.0);
        }
        tables
    }

    fn rgb(&self, y: u8, cb: u8, cr: u8) -> [u8; 3] {
        let (y, cb, cr) = (self.luma[y as usize], cb as usize, cr as usize);
        let green = (self.green_of_cb[cb] + self.green_of_cr[cr]) >> SHIFT;
        [y + self.red_of_cr[cr], y + green, y + self.blue_of_cb[cb]].map(|v| v.clamp(0, 255) as u8)
    }
}
