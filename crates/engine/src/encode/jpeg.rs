use std::panic::{catch_unwind, AssertUnwindSafe};

use mozjpeg::{ColorSpace, Compress, Marker};

use super::Metadata;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::xmp;

/// How colour images are coded (grey ones are grey either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourCoding {
    /// YCbCr, chroma at half width and height or at full resolution.
    YCbCr { half_chroma: bool },
    /// RGB itself, no colour transform (an Adobe marker says so).
    Rgb,
}

/// What a JPEG is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub quality: u8,
    pub progressive: bool,
    /// Huffman tables fitted to the image (sharp's `optimiseCoding`, on by default).
    pub optimise_coding: bool,
    pub coding: ColourCoding,
}

/// libjpeg-turbo-compatible settings (mozjpeg's "fastest" profile, as sharp uses by
/// default).
pub fn encode(image: &Image, settings: Settings, metadata: &Metadata) -> Result<Vec<u8>> {
    let Settings {
        quality,
        progressive,
        optimise_coding,
        coding,
    } = settings;
    let colour_space = if image.channels == 1 {
        ColorSpace::JCS_GRAYSCALE
    } else {
        ColorSpace::JCS_RGB
    };
    let work = || -> std::io::Result<Vec<u8>> {
        let mut compress = Compress::new(colour_space);
        compress.set_fastest_defaults();
        compress.set_size(image.width as usize, image.height as usize);
        compress.set_quality(quality as f32);
        compress.set_optimize_coding(optimise_coding);
        if progressive {
            compress.set_progressive_mode();
        }
        match coding {
            _ if image.channels == 1 => {}
            ColourCoding::YCbCr { half_chroma } => {
                let chroma = if half_chroma { (2, 2) } else { (1, 1) };
                compress.set_chroma_sampling_pixel_sizes(chroma, chroma);
            }
            ColourCoding::Rgb => compress.set_color_space(ColorSpace::JCS_RGB),
        }
        let mut started = compress.start_compress(Vec::with_capacity(image.data.len() / 8))?;
        if let Some(exif) = &metadata.exif {
            started.write_marker(Marker::APP(1), exif);
        }
        if let Some(xmp) = &metadata.xmp {
            started.write_marker(Marker::APP(1), &[xmp::JPEG_SIGNATURE, xmp].concat());
        }
        if let Some(icc) = &metadata.icc {
            for marker in icc_markers(icc) {
                started.write_marker(Marker::APP(2), &marker);
            }
        }
        started.write_scanlines(&image.data)?;
        started.finish()
    };
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(bytes)) => Ok(without_jfif(bytes)),
        Ok(Err(error)) => Err(EngineError::internal(format!(
            "JPEG encoding failed ({error})"
        ))),
        Err(_) => Err(EngineError::internal("JPEG encoding failed inside libjpeg")),
    }
}

/// The bytes libjpeg writes with `write_JFIF_header` off, as libvips (and so sharp) does:
/// the JFIF APP0 segment it puts right after SOI taken out. The mozjpeg crate has no
/// switch for it, and nothing else is written before it.
fn without_jfif(mut bytes: Vec<u8>) -> Vec<u8> {
    const JFIF: &[u8] = b"\xFF\xE0\x00\x10JFIF\x00";
    if bytes.len() > 20 && bytes[2..].starts_with(JFIF) {
        bytes.drain(2..20);
    }
    bytes
}

/// APP2 payloads carrying an ICC profile. Chunks are numbered from 1, as the ICC spec
/// requires (the mozjpeg crate's helper numbers them from 0, which readers reject).
fn icc_markers(icc: &[u8]) -> Vec<Vec<u8>> {
    const SIGNATURE: &[u8] = b"ICC_PROFILE\0";
    const MAX_CHUNK: usize = 65533 - SIGNATURE.len() - 2;
    let count = icc.len().div_ceil(MAX_CHUNK);
    icc.chunks(MAX_CHUNK)
        .enumerate()
        .map(|(index, chunk)| [SIGNATURE, &[index as u8 + 1, count as u8], chunk].concat())
        .collect()
}
