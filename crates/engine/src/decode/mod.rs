//! Format detection, header probing and decoding to 8-bit pixels.
mod avif;
mod gif;
mod jpeg;
mod jpeg12;
mod jpeg_lossless;
pub(crate) mod jpeg_markers;
mod jxl;
mod png;
mod raw;
mod scale;
mod svg;
pub(crate) mod tiff;
mod webp;

use std::sync::atomic::AtomicBool;

use crate::error::{EngineError, Result};
use crate::format::sniff;
use crate::frames::{Frames, Selection};
use crate::image::Image;
use crate::spec::{DecodeLimits, Format};
use jpeg_markers::Coding;

pub use crate::format::{is_svg, RAW_MAGIC};
pub use crate::spec::DEFAULT_DENSITY;
pub use raw::{pixels_per_inch as raw_pixels_per_inch, raw_container, raw_container_at};
pub use scale::DecodeScale;
pub(crate) use webp::{chunk as webp_chunk, chunks as webp_chunks};

/// What the header says, read without decoding pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub has_alpha: bool,
    /// EXIF orientation 1-8 (1 when absent).
    pub orientation: u8,
    pub exif: Option<Vec<u8>>,
    pub icc: Option<Vec<u8>>,
    /// What the decoder left out (an SVG's external references), for the job's result.
    pub warnings: Vec<String>,
}

impl Header {
    pub fn pixels(&self) -> u64 {
        self.width as u64 * self.height as u64
    }
}

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    read_header_for(bytes, &DecodeLimits::default())
}

/// The header of the image `limits` choose: vector input sized at their density, the
/// page of a multi-page TIFF they name.
pub fn read_header_for(bytes: &[u8], limits: &DecodeLimits) -> Result<Header> {
    let mut header = contain_panics(|| read_header_of(bytes, limits))?;
    if limits.ignore_icc {
        header.icc = None;
    }
    Ok(header)
}

fn read_header_of(bytes: &[u8], limits: &DecodeLimits) -> Result<Header> {
    if crate::join::is_join(bytes) {
        return crate::join::Join::parse(bytes)?.header();
    }
    match sniff(bytes) {
        Some(Format::Svg) => svg::read_header(bytes, limits.density),
        Some(Format::Jpeg) => match jpeg_markers::coding(bytes)? {
            Coding::Standard => jpeg::read_header(bytes),
            Coding::Lossless(_) => jpeg_lossless::read_header(bytes),
            Coding::Deep => jpeg12::read_header(bytes),
        },
        Some(Format::Png) => png::read_header(bytes),
        Some(Format::Webp) => webp::read_header(bytes),
        Some(Format::Gif) => gif::read_header(bytes),
        Some(Format::Avif) => avif::read_header(bytes),
        Some(Format::Tiff) => tiff::read_header(bytes, limits.page),
        Some(Format::Jxl) => jxl::read_header(bytes),
        Some(Format::Raw) => raw::read_header(bytes),
        None if bytes.is_empty() => Err(EngineError::unsupported("input is empty (0 bytes)")),
        None => Err(EngineError::unsupported(
            "input is not a supported image format (JPEG, PNG, WebP, GIF, AVIF, TIFF, JPEG XL, SVG)",
        )),
    }
}

/// Animations are decoded frame by frame at full size.
pub fn is_animated_webp(bytes: &[u8]) -> bool {
    webp::is_animated(bytes)
}

/// Only libjpeg-turbo scales a JPEG while decoding: lossless JPEG has no DCT, and the
/// 12-bit decoder decodes at full size.
pub fn jpeg_scales_while_decoding(bytes: &[u8]) -> bool {
    jpeg_markers::coding(bytes) == Ok(Coding::Standard)
}

/// Frames in a GIF or WebP file (1 for other formats), counted without decoding pixels.
pub fn count_frames(bytes: &[u8], format: Format) -> u32 {
    if crate::join::is_join(bytes) {
        return crate::join::Join::parse(bytes).map_or(1, |join| {
            if join.animated {
                join.inputs.len() as u32
            } else {
                1
            }
        });
    }
    match format {
        Format::Gif => gif::count_frames(bytes).max(1),
        Format::Webp => webp::count_frames(bytes),
        _ => 1,
    }
}

/// How many of an animation's `frames` an animated read keeps (sharp's `page` and
/// `pages`); a `page` beyond the last, or more `pages` than follow it, is refused.
pub fn selected_frames(frames: u32, limits: &DecodeLimits) -> Result<u32> {
    let (page, pages) = (limits.page, limits.pages);
    if page >= frames {
        return Err(page_beyond(page, frames as usize));
    }
    let left = frames - page;
    match pages {
        0 => Ok(left),
        wanted if wanted <= left => Ok(wanted),
        wanted => Err(EngineError::new(
            crate::ErrorKind::InvalidOption,
            format!(
                "Invalid pages: {wanted} from page {page} is beyond the input's {frames} page(s)"
            ),
        )),
    }
}

/// The frames an animated read keeps, as a decode selects them.
fn selection(limits: &DecodeLimits) -> Selection {
    match (limits.page as usize, limits.pages as usize) {
        (0, 0) => Selection::All,
        (first, 0) => Selection::Span {
            first,
            end: usize::MAX,
        },
        (first, pages) => Selection::Span {
            first,
            end: first + pages,
        },
    }
}

/// The frames of an animated GIF or WebP that `limits` selects, as shown, within its
/// pixel limit (frames x width x height); another format gives its one image.
pub fn decode_frames(bytes: &[u8], header: &Header, limits: &DecodeLimits) -> Result<Frames> {
    check_limits(header, limits)?;
    if crate::join::is_join(bytes) {
        return crate::join::Join::parse(bytes)?.frames(header, limits);
    }
    let selection = selection(limits);
    contain_panics(|| match header.format {
        Format::Gif => gif::decode_frames(bytes, limits.max_pixels, selection),
        Format::Webp if webp::is_animated(bytes) => {
            webp::decode_frames(bytes, header, limits.max_pixels, selection)
        }
        _ => Ok(Frames {
            images: vec![decode_as(
                bytes,
                header,
                DecodeScale::FULL,
                limits,
                &NEVER_STOPPED,
            )?],
            delays: vec![0],
            loop_count: 0,
        }),
    })
}

/// Frame `limits.page` of an animation, as sharp's `page` chooses it: the frames before it
/// are composed, not kept.
fn frame(bytes: &[u8], header: &Header, limits: &DecodeLimits) -> Result<Image> {
    let only = Selection::Only(limits.page as usize);
    let frames = match header.format {
        Format::Gif => gif::decode_frames(bytes, limits.max_pixels, only)?,
        _ => webp::decode_frames(bytes, header, limits.max_pixels, only)?,
    };
    let pages = || count_frames(bytes, header.format) as usize;
    frames
        .images
        .into_iter()
        .next()
        .ok_or_else(|| page_beyond(limits.page, pages()))
}

pub(crate) fn page_beyond(page: u32, pages: usize) -> EngineError {
    EngineError::new(
        crate::ErrorKind::InvalidOption,
        format!("Invalid page: {page} is beyond the input's {pages} page(s), counted from 0"),
    )
}

fn too_many_frames(frames: usize, width: u32, height: u32, max_pixels: u64) -> EngineError {
    EngineError::new(
        crate::ErrorKind::InputTooLarge,
        format!(
            "animation of {width}x{height} reaches {frames} frames = {} pixels, above \
             limitInputPixels ({max_pixels}) or the memory bound",
            frames as u64 * width as u64 * height as u64
        ),
    )
}

/// Decodes the whole image at `scale` (see `shrink::choose`; formats that cannot scale
/// while decoding ignore it). Rejects from the header alone when the image is too large.
pub fn decode(
    bytes: &[u8],
    header: &Header,
    scale: DecodeScale,
    limits: &DecodeLimits,
) -> Result<Image> {
    decode_until(bytes, header, scale, limits, &NEVER_STOPPED)
}

/// A stop flag nobody sets, for work that runs to its end.
pub static NEVER_STOPPED: AtomicBool = AtomicBool::new(false);

/// `decode`, giving up with `ErrorKind::Aborted` soon after `stop` is set (where a
/// decoder's work is long enough to check it: the SVG renderer).
pub fn decode_until(
    bytes: &[u8],
    header: &Header,
    scale: DecodeScale,
    limits: &DecodeLimits,
    stop: &AtomicBool,
) -> Result<Image> {
    check_limits(header, limits)?;
    contain_panics(|| decode_as(bytes, header, scale, limits, stop))
}

fn decode_as(
    bytes: &[u8],
    header: &Header,
    scale: DecodeScale,
    limits: &DecodeLimits,
    stop: &AtomicBool,
) -> Result<Image> {
    if crate::join::is_join(bytes) {
        return crate::join::Join::parse(bytes)?.decode();
    }
    match header.format {
        Format::Jpeg => {
            jpeg_markers::check_scans(bytes, header.width, header.height)?;
            match jpeg_markers::coding(bytes)? {
                Coding::Standard => jpeg::decode(bytes, scale, limits.fail_on),
                Coding::Lossless(precision) => jpeg_lossless::decode(bytes, header, precision),
                Coding::Deep => jpeg12::decode(bytes, header, limits.fail_on),
            }
        }
        Format::Png => png::decode(bytes, limits.fail_on),
        Format::Gif | Format::Webp if limits.page > 0 => frame(bytes, header, limits),
        Format::Webp => webp::decode(bytes, header, scale),
        Format::Gif => gif::decode(bytes),
        Format::Avif => avif::decode(bytes, header),
        Format::Tiff => tiff::decode(bytes, header, limits.page),
        Format::Jxl => jxl::decode(bytes, header),
        Format::Svg => svg::decode(bytes, header, scale, limits, stop),
        Format::Raw => raw::decode(bytes, header),
    }
}

/// A decoder that panics on malformed data (avif-parse and png assert on some malformed files)
/// fails that input, not the thread that ran it.
fn contain_panics<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(EngineError::corrupt(
            "image data is invalid (the decoder gave up on it)",
        ))
    })
}

/// No decode may need more memory than this for its pixels, whatever `limitInputPixels`
/// allows: 16-bit RGBA at 268 million pixels (sharp's default pixel limit) fits.
pub const MAX_DECODED_BYTES: u64 = 4 << 30;

pub fn check_limits(header: &Header, limits: &DecodeLimits) -> Result<()> {
    if header.width == 0 || header.height == 0 {
        return Err(EngineError::corrupt(format!(
            "image header gives an empty size {}x{}",
            header.width, header.height
        )));
    }
    if header.pixels() > limits.max_pixels {
        return Err(EngineError::new(
            crate::ErrorKind::InputTooLarge,
            format!(
                "input image is {}x{} = {} pixels, above limitInputPixels ({})",
                header.width,
                header.height,
                header.pixels(),
                limits.max_pixels
            ),
        ));
    }
    let decoded_bytes = header.pixels() * 4;
    if decoded_bytes > MAX_DECODED_BYTES {
        return Err(EngineError::new(
            crate::ErrorKind::InputTooLarge,
            format!(
                "input image is {}x{}: decoding it would need {} MiB, above the {} MiB bound",
                header.width,
                header.height,
                decoded_bytes >> 20,
                MAX_DECODED_BYTES >> 20
            ),
        ));
    }
    Ok(())
}
