//! JPEG XL input, by jxl-oxide (pure Rust). The codestream's orientation is part of the
//! image and jxl-oxide applies it while rendering, so the header reports the upright size
//! with orientation 1; the pixels come in the colour space `rendered_icc` describes, which
//! the pipeline converts to sRGB as for any tagged input. Animations give their first frame.
use std::io::Cursor;

use jxl_oxide::{AllocTracker, InitializeResult, JxlImage, PixelFormat};

use super::Header;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::Format;

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let mut uninit = JxlImage::builder().build_uninit();
    uninit.feed_bytes(bytes).map_err(corrupt)?;
    let image = match uninit.try_init().map_err(corrupt)? {
        InitializeResult::Initialized(image) => image,
        InitializeResult::NeedMoreData(_) => {
            return Err(EngineError::corrupt("JPEG XL header is truncated"))
        }
    };
    header_of(&image)
}

fn header_of(image: &JxlImage) -> Result<Header> {
    let has_alpha = match image.pixel_format() {
        PixelFormat::Gray | PixelFormat::Rgb => false,
        PixelFormat::Graya | PixelFormat::Rgba => true,
        PixelFormat::Cmyk | PixelFormat::Cmyka => {
            return Err(EngineError::unsupported("CMYK JPEG XL is not supported"))
        }
    };
    Ok(Header {
        format: Format::Jxl,
        width: image.width(),
        height: image.height(),
        has_alpha,
        orientation: 1,
        exif: None,
        icc: Some(image.rendered_icc()),
        warnings: Vec::new(),
    })
}

/// The first keyframe, upright, as 8-bit samples (1 to 4 channels).
pub fn decode(bytes: &[u8], header: &Header) -> Result<Image> {
    // jxl-oxide works on f32 planes (and may keep a few): bound its allocations by the
    // size the header gave, which the pixel limits have already passed.
    let planes = header.pixels() * 4 * std::mem::size_of::<f32>() as u64;
    let tracker = AllocTracker::with_limit((3 * planes + (64 << 20)) as usize);
    let image = JxlImage::builder()
        .alloc_tracker(tracker)
        .read(Cursor::new(bytes))
        .map_err(corrupt)?;
    let render = image.render_frame(0).map_err(corrupt)?;
    let mut stream = render.stream();
    let (width, height, channels) = (stream.width(), stream.height(), stream.channels());
    if (width, height) != (header.width, header.height) || !(1..=4).contains(&channels) {
        return Err(EngineError::corrupt(format!(
            "JPEG XL frame is {width}x{height} with {channels} channels, not the {}x{} image",
            header.width, header.height
        )));
    }
    let mut data = vec![0u8; width as usize * height as usize * channels as usize];
    let written = stream.write_to_buffer(&mut data);
    if written != data.len() {
        return Err(EngineError::corrupt("JPEG XL frame ended early"));
    }
    Ok(Image::new(width, height, channels as u8, data))
}

fn corrupt(error: impl std::fmt::Display) -> EngineError {
    EngineError::corrupt(format!("JPEG XL data is invalid ({error})"))
}
