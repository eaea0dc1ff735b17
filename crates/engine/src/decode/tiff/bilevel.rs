//! Bilevel (1-bit) and other packed TIFFs: rows of packed samples widened to bytes, and
//! CCITT group 3 strips (which the tiff crate does not decode; it does group 4) decoded by
//! the fax crate.
use std::io::Cursor;

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::photometric::BLACK_IS_ZERO;
use super::stored_strips;
use crate::error::{EngineError, Result};
use crate::image::Image;

pub const GROUP_3: u16 = 3;
/// Six end-of-line codes: the end of a facsimile page. Strips rarely carry one, and the
/// decoder keeps the last line only when it sees the end.
const RETURN_TO_CONTROL: [u8; 9] = [0x00, 0x10, 0x01, 0x00, 0x10, 0x01, 0x00, 0x10, 0x01];

/// Rows of `bits`-per-sample values packed from the high bit, each row padded to a whole
/// byte, as one byte per value scaled to 0-255 (`raw` keeps the values, for palettes).
pub fn unpack(packed: &[u8], bits: u16, width: u32, height: u32, raw: bool) -> Option<Vec<u8>> {
    let (bits, width) = (bits as usize, width as usize);
    let row_bytes = (width * bits).div_ceil(8);
    let max = (1u32 << bits) - 1;
    let mut values = Vec::with_capacity(width * height as usize);
    for row in packed.chunks_exact(row_bytes).take(height as usize) {
        for x in 0..width {
            let bit = x * bits;
            let value = (row[bit / 8] >> (8 - bits - bit % 8)) as u32 & max;
            values.push(if raw {
                value as u8
            } else {
                (value * 255 / max) as u8
            });
        }
    }
    (values.len() == width * height as usize).then_some(values)
}

/// Decodes group 3 (one-dimensional, T.4) strips into grey bytes, black 0; `white_is_zero`
/// as the photometric interpretation says; `reversed` when FillOrder is 2 (low bit first).
pub fn group3(
    strips: &[&[u8]],
    width: u32,
    height: u32,
    white_is_zero: bool,
    reversed: bool,
) -> Result<Vec<u8>> {
    let mut grey = Vec::with_capacity(width as usize * height as usize);
    for strip in strips {
        let bytes = strip
            .iter()
            .map(|&b| if reversed { b.reverse_bits() } else { b })
            .chain(RETURN_TO_CONTROL);
        let complete = fax::decoder::decode_g3(bytes, |transitions| {
            if grey.len() < width as usize * height as usize {
                // A white pel is a 0 bit, which the photometric interpretation then shows
                // (as libtiff reads it): WhiteIsZero white, BlackIsZero black.
                grey.extend(fax::decoder::pels(transitions, width).map(|colour| {
                    let bit = colour == fax::Color::Black;
                    if bit == white_is_zero {
                        0
                    } else {
                        255
                    }
                }));
            }
        });
        if complete.is_none() && grey.len() < width as usize * height as usize {
            return Err(EngineError::corrupt("TIFF group 3 data is invalid"));
        }
    }
    grey.resize(width as usize * height as usize, 255);
    Ok(grey)
}

/// A group 3 page: its strips gathered and decoded.
pub fn decode_group3(
    bytes: &[u8],
    decoder: &mut Decoder<Cursor<&[u8]>>,
    photometric: u16,
    (width, height): (u32, u32),
) -> Result<Image> {
    let strips = stored_strips(bytes, decoder)?;
    let reversed = decoder
        .find_tag_unsigned::<u16>(Tag::FillOrder)
        .ok()
        .flatten()
        == Some(2);
    let white_is_zero = photometric != BLACK_IS_ZERO;
    let grey = group3(&strips, width, height, white_is_zero, reversed)?;
    Ok(Image::new(width, height, 1, grey))
}
