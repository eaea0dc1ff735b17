//! What sharp's `metadata()` reports, from the header and a walk over the container's
//! markers or chunks; no pixel is decoded.

use crate::decode::{self, Header, DEFAULT_DENSITY};
use crate::error::Result;
use crate::spec::Format;

#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    pub header: Header,
    /// Colour channels plus alpha, as decoded (1-4).
    pub channels: u8,
    /// Bits per sample as stored (8 or 16).
    pub bits: u8,
    /// Pixels per inch, when the file says.
    pub density: Option<f64>,
    /// JPEG only: '4:2:0' or '4:4:4' (sharp's two names).
    pub chroma_subsampling: Option<&'static str>,
    /// Progressive JPEG or interlaced PNG/GIF.
    pub progressive: bool,
    /// Frames of an animation (1 for still images).
    pub pages: u32,
}

pub fn describe(bytes: &[u8]) -> Result<Description> {
    let header = decode::read_header(bytes)?;
    let mut description = Description {
        channels: if header.has_alpha { 4 } else { 3 },
        bits: 8,
        density: None,
        chroma_subsampling: None,
        progressive: false,
        pages: 1,
        header,
    };
    match description.header.format {
        Format::Jpeg => jpeg(bytes, &mut description),
        Format::Png => png(bytes, &mut description),
        Format::Webp => description.pages = decode::count_frames(bytes, Format::Webp),
        Format::Gif => gif(bytes, &mut description),
        Format::Raw => description.channels = bytes[24],
        Format::Svg => description.density = Some(DEFAULT_DENSITY),
        Format::Avif | Format::Tiff | Format::Jxl => {}
    }
    Ok(description)
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Density in pixels per inch from a unit (1 inch, 2 cm) and a count.
fn per_inch(unit: u8, count: f64) -> Option<f64> {
    match unit {
        1 if count > 0.0 => Some(count),
        2 if count > 0.0 => Some(count * 2.54),
        _ => None,
    }
}

fn jpeg(bytes: &[u8], d: &mut Description) {
    let mut at = 2;
    while let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) {
        let Some(length) = be16(bytes, at + 2) else {
            return;
        };
        let body = at + 4;
        match marker {
            0xE0 if bytes.get(body..body + 5) == Some(b"JFIF\0") => {
                let unit = bytes.get(body + 7).copied().unwrap_or(0);
                d.density = be16(bytes, body + 8).and_then(|x| per_inch(unit, x as f64));
            }
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                d.progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                d.bits = bytes.get(body).copied().unwrap_or(8);
                let components = bytes.get(body + 5).copied().unwrap_or(3);
                d.channels = if components == 1 { 1 } else { 3 };
                // The first component's sampling factors: 2x2 (or 2x1) is subsampled chroma.
                let sampling = bytes.get(body + 7).copied().unwrap_or(0x11);
                if components >= 3 {
                    d.chroma_subsampling = Some(if sampling == 0x11 { "4:4:4" } else { "4:2:0" });
                }
                return;
            }
            0xDA | 0xD9 => return,
            _ => {}
        }
        at += 2 + length as usize;
    }
}

fn png(bytes: &[u8], d: &mut Description) {
    let mut at = 8;
    while let (Some(length), Some(kind)) = (be32(bytes, at), bytes.get(at + 4..at + 8)) {
        let body = at + 8;
        match kind {
            b"IHDR" => {
                d.bits = bytes.get(body + 8).copied().unwrap_or(8).max(8);
                let colour = bytes.get(body + 9).copied().unwrap_or(2);
                let alpha = d.header.has_alpha;
                d.channels = match colour {
                    0 | 4 => 1 + alpha as u8,
                    _ => 3 + alpha as u8,
                };
                d.progressive = bytes.get(body + 12) == Some(&1);
            }
            b"pHYs" => {
                let unit = bytes.get(body + 8).copied().unwrap_or(0);
                // Per metre: sharp reports the rounded pixels per inch.
                d.density = be32(bytes, body)
                    .filter(|_| unit == 1)
                    .map(|x| (x as f64 * 0.0254).round());
            }
            b"acTL" => d.pages = be32(bytes, body).unwrap_or(1).max(1),
            b"IDAT" | b"IEND" => return,
            _ => {}
        }
        at = body + length as usize + 4;
    }
}

fn gif(bytes: &[u8], d: &mut Description) {
    d.channels = 4;
    let (frames, interlaced) = crate::decode::survey_gif(bytes);
    d.progressive = interlaced;
    d.pages = frames.max(1);
}
