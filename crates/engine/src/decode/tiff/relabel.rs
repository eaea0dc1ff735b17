//! Palette and CIELAB TIFFs, which the tiff crate refuses by their photometric
//! interpretation alone: a copy of the file relabelled as grey (palette) or RGB (CIELAB)
//! is decoded by it, with every compression and predictor it knows, and the samples are
//! then read as palette indices or L*a*b*.
use crate::adjust::lab;

pub const PALETTE: u16 = 3;
pub const CIELAB: u16 = 8;
pub const BLACK_IS_ZERO: u16 = 1;
pub const RGB: u16 = 2;

const PHOTOMETRIC_TAG: u16 = 262;
const SHORT: u16 = 3;

/// The file with the photometric interpretation of image `page` set to `value`; `None`
/// when the file is a BigTIFF or the tag is not a plain SHORT.
pub fn relabelled(bytes: &[u8], page: usize, value: u16) -> Option<Vec<u8>> {
    let big_endian = match bytes.get(..2)? {
        b"II" => false,
        b"MM" => true,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = bytes.get(at..at + 2)?.try_into().ok()?;
        Some(if big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let mut ifd = u32_at(4)? as usize;
    for _ in 0..page {
        let entries = u16_at(ifd)? as usize;
        ifd = u32_at(ifd + 2 + entries * 12)? as usize;
    }
    let entries = u16_at(ifd)? as usize;
    let entry = (0..entries)
        .map(|i| ifd + 2 + i * 12)
        .find(|&at| u16_at(at) == Some(PHOTOMETRIC_TAG))?;
    if u16_at(entry + 2)? != SHORT || u32_at(entry + 4)? != 1 {
        return None;
    }
    let mut copy = bytes.to_vec();
    let encoded = if big_endian {
        value.to_be_bytes()
    } else {
        value.to_le_bytes()
    };
    copy[entry + 8..entry + 10].copy_from_slice(&encoded);
    Some(copy)
}

/// RGB from palette indices and TIFF's ColorMap (all reds, then greens, then blues, 16 bits).
pub fn from_palette(indices: &[u8], colour_map: &[u16]) -> Option<Vec<u8>> {
    let entries = colour_map.len() / 3;
    let mut rgb = Vec::with_capacity(indices.len() * 3);
    for &index in indices {
        let index = index as usize;
        if index >= entries {
            return None;
        }
        for channel in 0..3 {
            rgb.push((colour_map[channel * entries + index] >> 8) as u8);
        }
    }
    Some(rgb)
}

/// CIELAB samples as TIFF stores them, in sRGB (D65, as libvips reads them).
pub enum LabSamples<'a> {
    /// L* 0-255 for 0-100; a* and b* signed bytes.
    Eight(&'a [u8]),
    /// L* 0-65535 for 0-100; a* and b* signed, 256 per unit (libvips marks these signed).
    Sixteen(&'a [u16]),
    /// The values themselves (libvips' float Lab).
    Float(&'a [f32]),
}

pub fn from_lab(samples: LabSamples<'_>) -> Vec<u8> {
    let lab: Vec<[f32; 3]> = match samples {
        LabSamples::Eight(s) => s
            .chunks_exact(3)
            .map(|p| {
                [
                    p[0] as f32 * 100.0 / 255.0,
                    p[1] as i8 as f32,
                    p[2] as i8 as f32,
                ]
            })
            .collect(),
        LabSamples::Sixteen(s) => s
            .chunks_exact(3)
            .map(|p| {
                [
                    p[0] as f32 * 100.0 / 65535.0,
                    p[1] as i16 as f32 / 256.0,
                    p[2] as i16 as f32 / 256.0,
                ]
            })
            .collect(),
        LabSamples::Float(s) => s.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect(),
    };
    lab.into_iter().flat_map(lab::to_srgb).collect()
}
