use std::cell::RefCell;

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use crate::error::{EngineError, Result};
use crate::geometry::Region;
use crate::image::Image;
use crate::operations::Kernel;

/// The smallest reduction Lanczos3 makes when an output is resized from a larger output
/// of the same job (the cascade, sources.rs): cascaded W2 outputs kept their SSIMULACRA2
/// score. Shrink-on-load has its own, measured per decoder (shrink.rs).
pub const MIN_LANCZOS_REDUCTION: f64 = 2.0;

thread_local! {
    /// Resizers keep scratch buffers; one per pool thread avoids reallocating them per job.
    static RESIZER: RefCell<Resizer> = RefCell::new(Resizer::new());
}

/// Lanczos3 from `region` of `source` to `width` x `height`. Alpha is premultiplied
/// during the filter so transparent pixels do not bleed colour.
pub fn resize(source: &Image, region: Region, width: u32, height: u32) -> Result<Image> {
    resize_with(source, region, width, height, Kernel::Lanczos3)
}

/// As `resize`, with sharp's `kernel`.
pub fn resize_with(
    source: &Image,
    region: Region,
    width: u32,
    height: u32,
    kernel: Kernel,
) -> Result<Image> {
    let whole = region.left == 0.0
        && region.top == 0.0
        && region.width == source.width as f64
        && region.height == source.height as f64;
    if whole && width == source.width && height == source.height {
        return Ok(source.clone());
    }
    let pixel_type = match source.channels {
        1 => PixelType::U8,
        2 => PixelType::U8x2,
        3 => PixelType::U8x3,
        _ => PixelType::U8x4,
    };
    let src =
        ImageRef::new(source.width, source.height, &source.data, pixel_type).map_err(internal)?;
    let mut dst = FirImage::new(width, height, pixel_type);
    let options = ResizeOptions::new().resize_alg(algorithm(kernel)).crop(
        region.left,
        region.top,
        region.width,
        region.height,
    );
    RESIZER
        .with(|resizer| resizer.borrow_mut().resize(&src, &mut dst, &options))
        .map_err(internal)?;
    Ok(Image::new(width, height, source.channels, dst.into_vec()))
}

fn algorithm(kernel: Kernel) -> ResizeAlg {
    match kernel {
        Kernel::Nearest => ResizeAlg::Nearest,
        Kernel::Linear => ResizeAlg::Convolution(FilterType::Bilinear),
        Kernel::Cubic => ResizeAlg::Convolution(FilterType::CatmullRom),
        Kernel::Mitchell => ResizeAlg::Convolution(FilterType::Mitchell),
        Kernel::Lanczos3 => ResizeAlg::Convolution(FilterType::Lanczos3),
    }
}

fn internal(error: impl std::fmt::Display) -> EngineError {
    EngineError::internal(format!("resize failed: {error}"))
}
