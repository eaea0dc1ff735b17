use std::panic::{catch_unwind, AssertUnwindSafe};

use mozjpeg::compress::CompressStarted;
use mozjpeg::{ColorSpace, Compress, Marker};

use super::Metadata;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::planes::{padded, Planes};

/// libjpeg-turbo-compatible settings (mozjpeg's "fastest" profile, as sharp uses by
/// default) with optimised Huffman tables.
pub fn encode(
    image: &Image,
    quality: u8,
    progressive: bool,
    subsample: bool,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    let grey = image.channels == 1;
    let colour_space = if grey {
        ColorSpace::JCS_GRAYSCALE
    } else {
        ColorSpace::JCS_RGB
    };
    let settings = Settings {
        width: image.width,
        height: image.height,
        quality,
        progressive,
        chroma: (!grey).then_some(subsample),
    };
    compress(colour_space, settings, metadata, |started| {
        started.write_scanlines(&image.data)
    })
}

/// As `encode`, from Y'CbCr planes (chroma at half size on each axis when `subsample`):
/// libjpeg takes them as they are, with no colour conversion or downsampling.
pub fn encode_planes(
    planes: &Planes,
    quality: u8,
    progressive: bool,
    subsample: bool,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    let (width, height) = (planes.luma.width, planes.luma.height);
    let settings = Settings {
        width,
        height,
        quality,
        progressive,
        chroma: Some(subsample),
    };
    // Whole blocks across and whole rows of MCUs (16 luma rows at 4:2:0) down.
    let mcu = if subsample { 16 } else { 8 };
    let luma_rows = height.div_ceil(mcu) as usize * mcu as usize;
    let luma = padded(&planes.luma, width.div_ceil(8) as usize * 8, luma_rows);
    let chroma_stride = planes.blue.width.div_ceil(8) as usize * 8;
    let chroma_rows = if subsample { luma_rows / 2 } else { luma_rows };
    let blue = padded(&planes.blue, chroma_stride, chroma_rows);
    let red = padded(&planes.red, chroma_stride, chroma_rows);
    compress(ColorSpace::JCS_YCbCr, settings, metadata, |started| {
        if started.write_raw_data(&[&luma, &blue, &red]) {
            Ok(())
        } else {
            Err(std::io::Error::other("libjpeg took no rows"))
        }
    })
}

struct Settings {
    width: u32,
    height: u32,
    quality: u8,
    progressive: bool,
    /// Whether chroma is stored at half resolution; `None` for grey.
    chroma: Option<bool>,
}

fn compress(
    colour_space: ColorSpace,
    settings: Settings,
    metadata: &Metadata,
    write: impl FnOnce(&mut CompressStarted<Vec<u8>>) -> std::io::Result<()>,
) -> Result<Vec<u8>> {
    let work = || -> std::io::Result<Vec<u8>> {
        let mut compress = Compress::new(colour_space);
        compress.set_fastest_defaults();
        compress.set_size(settings.width as usize, settings.height as usize);
        compress.set_quality(settings.quality as f32);
        compress.set_optimize_coding(true);
        if settings.progressive {
            compress.set_progressive_mode();
        }
        if let Some(subsample) = settings.chroma {
            let chroma = if subsample { (2, 2) } else { (1, 1) };
            compress.set_chroma_sampling_pixel_sizes(chroma, chroma);
        }
        compress.set_raw_data_in(colour_space == ColorSpace::JCS_YCbCr);
        let pixels = settings.width as usize * settings.height as usize;
        let mut started = compress.start_compress(Vec::with_capacity(pixels * 3 / 8))?;
        if let Some(exif) = &metadata.exif {
            started.write_marker(Marker::APP(1), exif);
        }
        if let Some(icc) = &metadata.icc {
            for marker in icc_markers(icc) {
                started.write_marker(Marker::APP(2), &marker);
            }
        }
        write(&mut started)?;
        started.finish()
    };
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) => Err(EngineError::internal(format!(
            "JPEG encoding failed ({error})"
        ))),
        Err(_) => Err(EngineError::internal("JPEG encoding failed inside libjpeg")),
    }
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
