use std::panic::{catch_unwind, AssertUnwindSafe};

use mozjpeg::{ColorSpace, Compress, Marker};

use super::Metadata;
use crate::error::{EngineError, Result};
use crate::image::Image;

/// libjpeg-turbo-compatible settings (mozjpeg's "fastest" profile, as sharp uses by
/// default) with optimised Huffman tables.
pub fn encode(
    image: &Image,
    quality: u8,
    progressive: bool,
    subsample: bool,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
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
        compress.set_optimize_coding(true);
        if progressive {
            compress.set_progressive_mode();
        }
        if image.channels != 1 {
            let chroma = if subsample { (2, 2) } else { (1, 1) };
            compress.set_chroma_sampling_pixel_sizes(chroma, chroma);
        }
        let mut started = compress.start_compress(Vec::with_capacity(image.data.len() / 8))?;
        if let Some(exif) = &metadata.exif {
            started.write_marker(Marker::APP(1), exif);
        }
        if let Some(icc) = &metadata.icc {
            started.write_icc_profile(icc);
        }
        started.write_scanlines(&image.data)?;
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
