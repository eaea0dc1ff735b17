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
    convolve(source, region, (width, height), kernel, Channels::WithAlpha)
}

/// Whether an image's second or fourth channel is alpha, or each channel stands alone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Channels {
    WithAlpha,
    Independent,
}

fn convolve(
    source: &Image,
    region: Region,
    (width, height): (u32, u32),
    kernel: Kernel,
    channels: Channels,
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
    let options = ResizeOptions::new()
        .resize_alg(algorithm(kernel))
        .use_alpha(channels == Channels::WithAlpha)
        .crop(region.left, region.top, region.width, region.height);
    RESIZER
        .with(|resizer| resizer.borrow_mut().resize(&src, &mut dst, &options))
        .map_err(internal)?;
    Ok(Image::new(width, height, source.channels, dst.into_vec()))
}

/// As `resize_with`, for one plane of samples (planes.rs). fir's one-channel
/// horizontal pass computes one output sample at a time and, for the few taps of a small
/// reduction, costs more than its three-channel pass does for three times the samples; its
/// four-channel pass does not. So the vertical pass runs on the plane as it is, and the
/// horizontal one on four rows at a time, packed as the four channels of one row (the same
/// filter and coefficients, so the same result). At 3840x2560 to 3491 wide: 30 ms as one
/// channel, 43 ms for RGB, 2026-12-02.
pub fn resize_plane(
    plane: &Image,
    region: Region,
    width: u32,
    height: u32,
    kernel: Kernel,
) -> Result<Image> {
    let rows = Region {
        left: 0.0,
        width: plane.width as f64,
        ..region
    };
    let tall = resize_with(plane, rows, plane.width, height, kernel)?;
    let packed = pack_rows(&tall);
    let columns = Region {
        top: 0.0,
        height: packed.height as f64,
        ..region
    };
    let size = (width, packed.height);
    let narrowed = convolve(&packed, columns, size, kernel, Channels::Independent)?;
    Ok(unpack_rows(&narrowed, height))
}

/// Rows 4y to 4y + 3 of `plane` as the channels of row y (the last row repeated to fill).
fn pack_rows(plane: &Image) -> Image {
    let (width, height) = (plane.width as usize, plane.height as usize);
    let row = |y: usize| {
        let y = y.min(height - 1);
        &plane.data[y * width..(y + 1) * width]
    };
    let packed_height = height.div_ceil(4);
    let mut data = vec![0u8; width * packed_height * 4];
    for (y, out) in data.chunks_exact_mut(width * 4).enumerate() {
        let [a, b, c, d] = [row(4 * y), row(4 * y + 1), row(4 * y + 2), row(4 * y + 3)];
        for (x, pixel) in out.chunks_exact_mut(4).enumerate() {
            pixel.copy_from_slice(&[a[x], b[x], c[x], d[x]]);
        }
    }
    Image::new(width as u32, packed_height as u32, 4, data)
}

/// The inverse of `pack_rows`, `height` rows.
fn unpack_rows(packed: &Image, height: u32) -> Image {
    let width = packed.width as usize;
    let mut data = vec![0u8; width * height as usize];
    for (y, out) in data.chunks_exact_mut(width).enumerate() {
        let start = (y / 4) * width * 4;
        let source = &packed.data[start..start + width * 4];
        for (sample, pixel) in out.iter_mut().zip(source.chunks_exact(4)) {
            *sample = pixel[y % 4];
        }
    }
    Image::new(width as u32, height, 1, data)
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
