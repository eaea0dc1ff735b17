//! pixelpool's raw container: uncompressed pixels with their size, so sharp's
//! `{ raw: { width, height, channels } }` and `{ create }` inputs travel as ordinary input
//! bytes (through the cache and to remote workers). Layout: `RAW_MAGIC`, then width and
//! height as little-endian u32, channels (1-4) as one byte, the resolution in pixels per
//! inch as a little-endian 24-bit number (0: none stated), the samples.

use super::Header;
use crate::error::{EngineError, Result};
use crate::format::RAW_MAGIC;
use crate::image::Image;
use crate::spec::Format;

const HEADER_LEN: usize = RAW_MAGIC.len() + 12;

/// The container around `samples`.
pub fn raw_container(width: u32, height: u32, channels: u8, samples: &[u8]) -> Vec<u8> {
    raw_container_at(width, height, channels, 0, samples)
}

/// The container around `samples` drawn at `pixels_per_inch` (text input's dpi; at most
/// 2^24 - 1, above sharp's largest dpi of 10^6).
pub fn raw_container_at(
    width: u32,
    height: u32,
    channels: u8,
    pixels_per_inch: u32,
    samples: &[u8],
) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER_LEN + samples.len());
    bytes.extend_from_slice(RAW_MAGIC);
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.push(channels);
    bytes.extend_from_slice(&pixels_per_inch.min(0xff_ffff).to_le_bytes()[..3]);
    bytes.extend_from_slice(samples);
    bytes
}

/// The resolution a container states, in pixels per inch.
pub fn pixels_per_inch(bytes: &[u8]) -> Option<u32> {
    let stated = u32::from_le_bytes([*bytes.get(25)?, *bytes.get(26)?, *bytes.get(27)?, 0]);
    (stated > 0).then_some(stated)
}

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let field = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    if bytes.len() < HEADER_LEN {
        return Err(EngineError::corrupt("raw input is shorter than its header"));
    }
    let (width, height, channels) = (field(16), field(20), bytes[24]);
    if !(1..=4).contains(&channels) {
        return Err(EngineError::corrupt(format!(
            "raw input has {channels} channels; 1 to 4 are supported"
        )));
    }
    let expected = width as u64 * height as u64 * channels as u64;
    if (bytes.len() - HEADER_LEN) as u64 != expected {
        return Err(EngineError::corrupt(format!(
            "raw input of {width}x{height}x{channels} needs {expected} bytes of samples, got {}",
            bytes.len() - HEADER_LEN
        )));
    }
    Ok(Header {
        format: Format::Raw,
        width,
        height,
        has_alpha: channels == 2 || channels == 4,
        orientation: 1,
        exif: None,
        icc: None,
        warnings: Vec::new(),
    })
}

pub fn decode(bytes: &[u8], header: &Header) -> Result<Image> {
    let channels = bytes[24];
    Ok(Image::new(
        header.width,
        header.height,
        channels,
        bytes[HEADER_LEN..].to_vec(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_container_reads_back_and_a_short_one_is_corrupt() {
        let bytes = raw_container(2, 1, 3, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(crate::sniff(&bytes), Some(Format::Raw));
        let header = read_header(&bytes).unwrap();
        assert_eq!(
            (header.width, header.height, header.has_alpha),
            (2, 1, false)
        );
        assert_eq!(decode(&bytes, &header).unwrap().data, [1, 2, 3, 4, 5, 6]);
        let error = read_header(&bytes[..bytes.len() - 1]).unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::CorruptInput);
    }
}
