//! The marker syntax of a JPEG file (ITU T.81 annex B): its segments, the coding its frame
//! header names (which decoder reads it), and the EXIF and ICC profile it carries.
use super::Header;
use crate::error::{EngineError, Result};
use crate::exif;
use crate::spec::Format;

pub const SOF0: u8 = 0xC0;
pub const SOF2: u8 = 0xC2;
pub const SOF3: u8 = 0xC3;
pub const SOS: u8 = 0xDA;
pub const EOI: u8 = 0xD9;
const SOI: u8 = 0xD8;
const ICC_SIGNATURE: &[u8] = b"ICC_PROFILE\0";

/// One marker segment; for a start of scan, `entropy` is the coded data after its header
/// (up to the next marker other than a restart marker).
pub struct Segment<'a> {
    pub marker: u8,
    pub body: &'a [u8],
    pub entropy: &'a [u8],
}

/// The segments of a file, in order, ending after EOI or where the bytes end.
pub struct Segments<'a> {
    bytes: &'a [u8],
    at: usize,
}

pub fn segments(bytes: &[u8]) -> Segments<'_> {
    Segments { bytes, at: 0 }
}

impl<'a> Iterator for Segments<'a> {
    type Item = Result<Segment<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.bytes;
        // Bytes between segments are skipped, as libjpeg skips them with a warning; runs of
        // 0xFF are fill before a marker.
        let mut at = self.at + bytes.get(self.at..)?.iter().position(|&b| b == 0xFF)?;
        while bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == SOI || marker == EOI || (0xD0..=0xD7).contains(&marker) || marker == 0 {
            self.at = if marker == EOI { bytes.len() } else { at + 2 };
            return Some(Ok(Segment {
                marker,
                body: &[],
                entropy: &[],
            }));
        }
        let Some(length) = bytes.get(at + 2..at + 4) else {
            return Some(Err(truncated(marker)));
        };
        let length = u16::from_be_bytes([length[0], length[1]]) as usize;
        let Some(body) = bytes.get(at + 4..at + 2 + length.max(2)) else {
            return Some(Err(truncated(marker)));
        };
        let mut end = at + 2 + length.max(2);
        let mut entropy: &[u8] = &[];
        if marker == SOS {
            let start = end;
            end = next_marker(bytes, start);
            entropy = &bytes[start..end];
        }
        self.at = end;
        Some(Ok(Segment {
            marker,
            body,
            entropy,
        }))
    }
}

/// Where the entropy-coded data starting at `from` ends: at a marker that is neither a
/// stuffed zero nor a restart marker, or at the end of the bytes.
fn next_marker(bytes: &[u8], from: usize) -> usize {
    let data = bytes.get(from..).unwrap_or_default();
    memchr::memchr_iter(0xFF, data)
        .map(|at| from + at)
        .find(|&at| {
            bytes
                .get(at + 1)
                .is_some_and(|&next| !matches!(next, 0x00 | 0xD0..=0xD7 | 0xFF))
        })
        .unwrap_or(bytes.len())
}

/// libvips' words first (sharp's callers match them), then where.
fn truncated(marker: u8) -> EngineError {
    EngineError::corrupt(format!(
        "VipsJpeg: premature end of JPEG image (truncated in marker segment 0xFF{marker:02X})"
    ))
}

/// Scans times 8x8 blocks a JPEG may ask a decoder to visit (about 20 ns each, so a few
/// seconds): a progressive file repeating an empty scan thousands of times would otherwise
/// have libjpeg walk every block of the image once per scan.
pub const MAX_BLOCK_SCANS: u64 = 1 << 27;
/// Scans always allowed, whatever the image size (encoders write at most a few dozen).
pub const ALWAYS_ALLOWED_SCANS: u64 = 256;

/// Refuses a file with more scans than its size allows (see MAX_BLOCK_SCANS).
pub fn check_scans(bytes: &[u8], width: u32, height: u32) -> Result<()> {
    let blocks = (width as u64).div_ceil(8) * (height as u64).div_ceil(8);
    let allowed = (MAX_BLOCK_SCANS / blocks.max(1)).max(ALWAYS_ALLOWED_SCANS);
    let scans = segments(bytes)
        .map_while(|segment| segment.ok())
        .filter(|segment| segment.marker == SOS)
        .count() as u64;
    if scans > allowed {
        return Err(EngineError::new(
            crate::ErrorKind::InputTooLarge,
            format!(
                "JPEG has {scans} scans, more than the {allowed} a {width}x{height} image may \
                 have (each scan visits the whole image)"
            ),
        ));
    }
    Ok(())
}

/// How the frame is coded, which decides the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// 8-bit DCT: libjpeg-turbo (inside mozjpeg).
    Standard,
    /// Lossless predictive (SOF3) of this precision.
    Lossless(u8),
    /// 12-bit DCT with Huffman coding, sequential or progressive.
    Deep,
}

/// The coding of the frame header found before the first scan.
pub fn coding(bytes: &[u8]) -> Result<Coding> {
    for segment in segments(bytes) {
        let segment = segment?;
        match segment.marker {
            SOS => break,
            0xC0..=0xCF if !matches!(segment.marker, 0xC4 | 0xC8 | 0xCC) => {
                let precision = segment.body.first().copied().unwrap_or(8);
                return match (segment.marker, precision) {
                    (SOF3, _) => Ok(Coding::Lossless(precision)),
                    (_, 8) => Ok(Coding::Standard),
                    // Baseline (SOF0) is 8-bit by definition; read a 12-bit one as extended.
                    (SOF0..=SOF2, 12) => Ok(Coding::Deep),
                    (0xC9..=0xCB, 12) => Err(EngineError::unsupported(
                        "12-bit JPEG with arithmetic coding is not supported; 12-bit with \
                         Huffman coding is",
                    )),
                    (_, 12) => Err(EngineError::unsupported(
                        "12-bit hierarchical JPEG is not supported",
                    )),
                    _ => Err(EngineError::corrupt(format!(
                        "JPEG frame header gives a sample precision of {precision} bits"
                    ))),
                };
            }
            _ => {}
        }
    }
    // No frame header: libjpeg reports what is wrong.
    Ok(Coding::Standard)
}

/// The EXIF (with its `Exif\0\0` prefix) and the ICC profile (its chunks in sequence) of
/// APP1 and APP2 segments, given as (marker, body) pairs.
pub fn metadata<'a>(
    segments: impl IntoIterator<Item = (u8, &'a [u8])>,
) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let mut exif = None;
    let mut icc_chunks: Vec<(u8, &[u8])> = Vec::new();
    for (marker, body) in segments {
        match marker {
            0xE1 if body.starts_with(exif::EXIF_PREFIX) && exif.is_none() => {
                exif = Some(body.to_vec());
            }
            0xE2 if body.starts_with(ICC_SIGNATURE) && body.len() > 14 => {
                icc_chunks.push((body[12], &body[14..]));
            }
            _ => {}
        }
    }
    icc_chunks.sort_by_key(|(sequence, _)| *sequence);
    let icc = (!icc_chunks.is_empty()).then(|| {
        icc_chunks
            .iter()
            .flat_map(|(_, chunk)| chunk.iter().copied())
            .collect()
    });
    (exif, icc)
}

/// The header of a JPEG of this size and metadata, whichever decoder reads it: no alpha,
/// the orientation its EXIF gives.
pub fn header(width: u32, height: u32, exif: Option<Vec<u8>>, icc: Option<Vec<u8>>) -> Header {
    Header {
        format: Format::Jpeg,
        width,
        height,
        has_alpha: false,
        orientation: exif.as_deref().map_or(1, exif::orientation),
        exif,
        icc,
        warnings: Vec::new(),
    }
}
