//! Palette TIFFs (1, 2, 4, 8 and 16-bit indices into a 16-bit RGB colour map): the indices
//! are decompressed from a copy relabelled as grey, then looked up.
use std::io::Cursor;

use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

use super::{bilevel, corrupt, open_page, photometric, relabel, short};
use crate::error::{EngineError, Result};
use crate::image::Image;

pub fn decode(
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
    let changes = [(relabel::PHOTOMETRIC, photometric::BLACK_IS_ZERO as u32)];
    let copy = relabel::with_tags(bytes, page as usize, &changes)
        .ok_or_else(|| EngineError::unsupported("this palette TIFF's layout is not supported"))?;
    let mut grey = open_page(&copy, limits, page)?;
    let indices: Vec<u16> = match (grey.read_image().map_err(corrupt)?, bits) {
        (DecodingResult::U8(indices), 8) => indices.into_iter().map(u16::from).collect(),
        (DecodingResult::U16(indices), 16) => indices,
        (DecodingResult::U8(packed), 1 | 2 | 4) => {
            bilevel::unpack(&packed, bits, width, height, true)
                .ok_or_else(short)?
                .into_iter()
                .map(u16::from)
                .collect()
        }
        _ => {
            return Err(EngineError::unsupported(format!(
                "{bits}-bit palette TIFF is not supported"
            )))
        }
    };
    let rgb = from_palette(&indices, &colour_map)
        .ok_or_else(|| EngineError::corrupt("TIFF palette index beyond its colour map"))?;
    if rgb.len() != width as usize * height as usize * 3 {
        return Err(short());
    }
    Ok(Image::new(width, height, 3, rgb))
}

/// RGB from palette indices and TIFF's ColorMap (all reds, then greens, then blues, 16
/// bits), keeping each entry's high byte as libvips does.
fn from_palette(indices: &[u16], colour_map: &[u16]) -> Option<Vec<u8>> {
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
