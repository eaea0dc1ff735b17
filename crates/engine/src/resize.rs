use std::cell::RefCell;

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{Filter, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use crate::box_shrink;
use crate::error::{EngineError, Result};
use crate::geometry::Region;
use crate::image::Image;
use crate::operations::Kernel;
use crate::upsize;

/// The smallest reduction Lanczos3 makes when an output is resized from a larger output
/// of the same job (the cascade, sources.rs). At 2 the cascaded W2 outputs kept their
/// SSIMULACRA2 score, but pixelpool-sharp's batched calls drifted from sharp's own (each
/// resized from the decode): favicons' 16x16 from the 32x32 was 2.07 of 255 away, 1.43
/// from the 64x64. Shrink-on-load has its own, measured per decoder (shrink.rs).
pub const MIN_LANCZOS_REDUCTION: f64 = 4.0;

thread_local! {
    /// Resizers keep scratch buffers; one per pool thread avoids reallocating them per job.
    static RESIZER: RefCell<Resizer> = RefCell::new(Resizer::new());
}

/// Lanczos3 from `region` of `source` to `width` x `height`. Alpha is premultiplied
/// during the filter so transparent pixels do not bleed colour.
pub fn resize(source: &Image, region: Region, width: u32, height: u32) -> Result<Image> {
    resize_with(source, region, width, height, Kernel::Lanczos3)
}

/// As `resize`, with sharp's `kernel`. As libvips' `vips_reduce`, a reduction of four
/// times or more first averages whole blocks (`box_shrink`), leaving the kernel the rest.
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
    let grows = (width as f64 > region.width, height as f64 > region.height);
    if grows != (false, false) {
        return enlarged(source, region, (width, height), grows, kernel);
    }
    reduce(source, region, (width, height), kernel)
}

/// libvips' reduce: block averages past 4x, then the kernel.
fn reduce(
    source: &Image,
    region: Region,
    (width, height): (u32, u32),
    kernel: Kernel,
) -> Result<Image> {
    if kernel == Kernel::Nearest {
        return convolve(source, inside(region, source), width, height, kernel);
    }
    let shrunk = block_shrunk(source, region, (width, height));
    let (source, region) = shrunk
        .as_ref()
        .map_or((source, region), |(image, rest)| (image, *rest));
    let (padded, region) = with_copied_edges(source, region, (width, height), kernel);
    convolve(&padded, region, width, height, kernel)
}

/// libvips enlarges with an interpolator (upsize.rs); an axis that shrinks meanwhile is
/// reduced first, with the kernel, as `vips_resize` reduces before it enlarges.
fn enlarged(
    source: &Image,
    region: Region,
    (width, height): (u32, u32),
    grows: (bool, bool),
    kernel: Kernel,
) -> Result<Image> {
    if grows == (true, true) {
        return Ok(upsize::upsize(source, region, width, height, kernel));
    }
    let kept = |extent: f64| extent.round().max(1.0) as u32;
    let reduced_size = match grows {
        (true, _) => (kept(region.width), height),
        _ => (width, kept(region.height)),
    };
    let reduced = reduce(source, region, reduced_size, kernel)?;
    let whole = Region {
        left: 0.0,
        top: 0.0,
        width: reduced.width as f64,
        height: reduced.height as f64,
    };
    Ok(upsize::upsize(&reduced, whole, width, height, kernel))
}

/// The pixels under `region` with a border as wide as the kernel reaches: the image's own
/// pixels where it has them, past its edges copies of its edge pixels, and the region
/// within it. libvips extends an image this way before reducing; without the border the
/// kernel would be cut short and renormalised at the edges, and the outer pixels would
/// differ from sharp's.
fn with_copied_edges(
    source: &Image,
    region: Region,
    (width, height): (u32, u32),
    kernel: Kernel,
) -> (Image, Region) {
    let support = kernel_support(kernel);
    let reach = |from: f64, to: u32| (support * (from / to as f64).max(1.0)).ceil() as i64 + 1;
    let (pad_x, pad_y) = (reach(region.width, width), reach(region.height, height));
    let left = region.left.floor() as i64 - pad_x;
    let top = region.top.floor() as i64 - pad_y;
    let right = (region.left + region.width).ceil() as i64 + pad_x;
    let bottom = (region.top + region.height).ceil() as i64 + pad_y;
    let channels = source.channels as usize;
    let (last_x, last_y) = (source.width as i64 - 1, source.height as i64 - 1);
    let inside_left = left.clamp(0, last_x);
    let inside_right = right.clamp(inside_left + 1, source.width as i64);
    let mut data = Vec::with_capacity(((right - left) * (bottom - top)) as usize * channels);
    for y in top..bottom {
        let row = &source.data[y.clamp(0, last_y) as usize * source.stride()..][..source.stride()];
        let inner = &row[inside_left as usize * channels..inside_right as usize * channels];
        let (first, last) = (&inner[..channels], &inner[inner.len() - channels..]);
        (left..inside_left).for_each(|_| data.extend_from_slice(first));
        data.extend_from_slice(inner);
        (inside_right..right).for_each(|_| data.extend_from_slice(last));
    }
    let padded = Image::new(
        (right - left) as u32,
        (bottom - top) as u32,
        source.channels,
        data,
    );
    let within = Region {
        left: region.left - left as f64,
        top: region.top - top as f64,
        ..region
    };
    (padded, within)
}

/// `region` cut to the image: nearest neighbours are never read past its edges.
fn inside(region: Region, image: &Image) -> Region {
    let (left, top) = (region.left.max(0.0), region.top.max(0.0));
    Region {
        left,
        top,
        width: (region.left + region.width).min(image.width as f64) - left,
        height: (region.top + region.height).min(image.height as f64) - top,
    }
}

fn kernel_support(kernel: Kernel) -> f64 {
    match kernel {
        Kernel::Nearest => 0.5,
        Kernel::Linear => 1.0,
        Kernel::Cubic | Kernel::Mitchell | Kernel::Lanczos2 => 2.0,
        Kernel::Mks2013 => 2.5,
        Kernel::Lanczos3 => 3.0,
        Kernel::Mks2021 => 4.5,
    }
}

/// The source averaged in blocks and the region that is left of it, when libvips would
/// block-shrink. The blocks are the image's own, counted from its corner as libvips
/// shrinks the whole image, from the first that holds part of the region.
fn block_shrunk(
    source: &Image,
    region: Region,
    (width, height): (u32, u32),
) -> Option<(Image, Region)> {
    let factors = (
        box_shrink::factor(region.width, width),
        box_shrink::factor(region.height, height),
    );
    if factors == (1, 1) {
        return None;
    }
    let start =
        |offset: f64, factor: u32| (offset.max(0.0) / factor as f64).floor() as u32 * factor;
    let (left, top) = (start(region.left, factors.0), start(region.top, factors.1));
    let end = |offset: f64, size: f64, limit: u32| ((offset + size).ceil() as u32).min(limit);
    let pixels = (
        end(region.left, region.width, source.width) - left,
        end(region.top, region.height, source.height) - top,
    );
    let shrunk = box_shrink::shrink(source, (left, top), pixels, factors);
    let rest = Region {
        left: (region.left - left as f64) / factors.0 as f64,
        top: (region.top - top as f64) / factors.1 as f64,
        width: region.width / factors.0 as f64,
        height: region.height / factors.1 as f64,
    };
    Some((shrunk, rest))
}

fn convolve(
    source: &Image,
    region: Region,
    width: u32,
    height: u32,
    kernel: Kernel,
) -> Result<Image> {
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
        Kernel::Lanczos2 => custom("lanczos2", lanczos2, 2.0),
        Kernel::Mks2013 => custom("mks2013", mks2013, 2.5),
        Kernel::Mks2021 => custom("mks2021", mks2021, 4.5),
    }
}

fn custom(name: &'static str, function: fn(f64) -> f64, support: f64) -> ResizeAlg {
    let filter = Filter::new(name, function, support).expect("a finite, positive support");
    ResizeAlg::Convolution(FilterType::Custom(filter))
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        (x * std::f64::consts::PI).sin() / (x * std::f64::consts::PI)
    }
}

fn lanczos2(x: f64) -> f64 {
    if x.abs() <= 2.0 {
        sinc(x) * sinc(x / 2.0)
    } else {
        0.0
    }
}

/// Magic Kernel Sharp 2013 and 2021 (johncostella.com/magic), the polynomials libvips uses.
fn mks2013(x: f64) -> f64 {
    match x.abs() {
        x if x >= 2.5 => 0.0,
        x if x >= 1.5 => -(x - 2.5).powi(2) / 8.0,
        x if x >= 0.5 => (4.0 * x * x - 11.0 * x + 7.0) / 4.0,
        x => 17.0 / 16.0 - 7.0 * x * x / 4.0,
    }
}

fn mks2021(x: f64) -> f64 {
    match x.abs() {
        x if x >= 4.5 => 0.0,
        x if x >= 3.5 => -(4.0 * x * x - 36.0 * x + 81.0) / 1152.0,
        x if x >= 2.5 => (4.0 * x * x - 27.0 * x + 45.0) / 144.0,
        x if x >= 1.5 => -(24.0 * x * x - 113.0 * x + 130.0) / 144.0,
        x if x >= 0.5 => (140.0 * x * x - 379.0 * x + 239.0) / 144.0,
        x => 577.0 / 576.0 - 239.0 * x * x / 144.0,
    }
}

fn internal(error: impl std::fmt::Display) -> EngineError {
    EngineError::internal(format!("resize failed: {error}"))
}
