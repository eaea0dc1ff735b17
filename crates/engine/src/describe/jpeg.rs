//! JPEG: libjpeg's view of the frame (components, sampling, progression), the JFIF
//! density, and the IPTC (Photoshop APP13) and XMP (APP1) blocks libvips attaches.
use super::{be16, BandFormat, Description, Space};
use crate::decode::jpeg_markers::{segments, SOS};
use crate::xmp;

const PHOTOSHOP_SIGNATURE: &[u8] = b"Photoshop 3.0\0";

pub fn describe(bytes: &[u8], d: &mut Description) {
    for segment in segments(bytes).map_while(|s| s.ok()) {
        let body = segment.body;
        match segment.marker {
            0xE0 if body.starts_with(b"JFIF\0") => jfif(body, d),
            0xE1 if body.starts_with(xmp::JPEG_SIGNATURE) && d.xmp.is_none() => {
                d.xmp = Some(body[xmp::JPEG_SIGNATURE.len()..].to_vec());
            }
            0xED if body.starts_with(PHOTOSHOP_SIGNATURE) && d.iptc.is_none() => {
                d.iptc = Some(body.to_vec());
            }
            0xC0..=0xCF if !matches!(segment.marker, 0xC4 | 0xC8 | 0xCC) => {
                frame(segment.marker, body, d)
            }
            SOS => return,
            _ => {}
        }
    }
}

/// A JFIF density other than 1x1 in dots per inch or per cm; unit 0 is an aspect ratio.
fn jfif(body: &[u8], d: &mut Description) {
    let (Some(&unit), Some(x), Some(y)) = (body.get(7), be16(body, 8), be16(body, 10)) else {
        return;
    };
    if x == 1 || y == 1 {
        return;
    }
    match unit {
        1 => d.set_resolution(x as f64, "in"),
        2 => d.set_resolution(x as f64, "cm"),
        _ => {}
    }
}

fn frame(marker: u8, body: &[u8], d: &mut Description) {
    d.progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
    d.format = BandFormat::unsigned(body.first().copied().unwrap_or(8));
    let components = body.get(5).copied().unwrap_or(3);
    // Each component: id, sampling factors (h << 4 | v), quantisation table.
    let subsampled = (0..components as usize)
        .filter_map(|i| body.get(7 + 3 * i))
        .any(|&sampling| sampling != 0x11);
    d.chroma_subsampling = Some(match (components > 3, subsampled) {
        (true, true) => "4:2:0:4",
        (true, false) => "4:4:4:4",
        (false, true) => "4:2:0",
        (false, false) => "4:4:4",
    });
    match components {
        1 => d.channels = 1,
        4 => {
            d.channels = 4;
            d.space = Space::Cmyk;
        }
        _ => d.channels = 3,
    }
}
