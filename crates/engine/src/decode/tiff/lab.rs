//! CIELAB TIFFs (8 and 16-bit, and libvips' float Lab): the samples are decompressed from a
//! copy relabelled as RGB, then converted to sRGB (D65, as libvips reads them).
use tiff::decoder::{DecodingResult, Limits};

use super::{corrupt, open_page, photometric, relabel, short, MAX_DECODED_BYTES};
use crate::adjust::lab;
use crate::error::{EngineError, Result};
use crate::image::Image;

pub fn decode(
    bytes: &[u8],
    mut limits: Limits,
    page: u32,
    (width, height): (u32, u32),
) -> Result<Image> {
    // Float samples: 12 bytes a pixel.
    let budget = (width as u64 * height as u64 * 12).min(MAX_DECODED_BYTES * 3) as usize;
    limits.decoding_buffer_size = budget;
    limits.intermediate_buffer_size = budget;
    let changes = [(relabel::PHOTOMETRIC, photometric::RGB as u32)];
    let copy = relabel::with_tags(bytes, page as usize, &changes)
        .ok_or_else(|| EngineError::unsupported("this CIELAB TIFF's layout is not supported"))?;
    let mut rgb = open_page(&copy, limits, page)?;
    let samples = match &rgb.read_image().map_err(corrupt)? {
        DecodingResult::U8(s) => from_lab(LabSamples::Eight(s)),
        DecodingResult::U16(s) => from_lab(LabSamples::Sixteen(s)),
        DecodingResult::I16(s) => {
            let bits: Vec<u16> = s.iter().map(|&v| v as u16).collect();
            from_lab(LabSamples::Sixteen(&bits))
        }
        DecodingResult::F32(s) => from_lab(LabSamples::Float(s)),
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

/// CIELAB samples as TIFF stores them.
enum LabSamples<'a> {
    /// L* 0-255 for 0-100; a* and b* signed bytes.
    Eight(&'a [u8]),
    /// L* 0-65535 for 0-100; a* and b* signed, 256 per unit (libvips marks these signed).
    Sixteen(&'a [u16]),
    /// The values themselves (libvips' float Lab).
    Float(&'a [f32]),
}

fn from_lab(samples: LabSamples<'_>) -> Vec<u8> {
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
