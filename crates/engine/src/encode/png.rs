use std::borrow::Cow;

use png::text_metadata::ZTXtChunk;
use png::{BitDepth, ColorType, DeflateCompression, Encoder, Info, PixelDimensions, Unit};

use super::Metadata;
use crate::error::{EngineError, Result};
use crate::exif;
use crate::image::Image;
use crate::xmp;

/// `compression_level` is zlib's 0-9, as in sharp. Filters are chosen per row (adaptive),
/// which costs a little time and gives smaller photos than sharp's unfiltered default.
/// With `palette` (a quality), the image is quantised to at most 256 colours first.
pub fn encode(
    image: &Image,
    compression_level: u8,
    palette: Option<u8>,
    metadata: &Metadata,
) -> Result<Vec<u8>> {
    let mut info = Info::with_size(image.width, image.height);
    info.color_type = match image.channels {
        1 => ColorType::Grayscale,
        2 => ColorType::GrayscaleAlpha,
        3 => ColorType::Rgb,
        _ => ColorType::Rgba,
    };
    let indexed = palette.map(|quality| super::palette::quantize(image, quality));
    let data = match &indexed {
        Some(indexed) => {
            info.color_type = ColorType::Indexed;
            info.palette = Some(Cow::Borrowed(&indexed.palette));
            info.trns = indexed.alpha.as_deref().map(Cow::Borrowed);
            &indexed.indices
        }
        None => &image.data,
    };
    info.bit_depth = BitDepth::Eight;
    info.icc_profile = metadata.icc.as_deref().map(Cow::Borrowed);
    // PNG's eXIf chunk holds the TIFF structure without the JPEG-style prefix.
    info.exif_metadata = metadata
        .exif
        .as_deref()
        .map(|e| Cow::Borrowed(exif::tiff_body(e)));

    // The resolution libvips carries from the input (1 pixel per mm when it has none).
    let per_metre = metadata
        .density
        .map_or(1000, |ppi| (ppi / 0.0254).round() as u32);
    info.pixel_dims = Some(PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: Unit::Meter,
    });
    if let Some(xmp) = &metadata.xmp {
        let text = String::from_utf8_lossy(xmp).into_owned();
        info.compressed_latin1_text
            .push(ZTXtChunk::new(xmp::PNG_KEYWORD, text));
    }

    let mut bytes = Vec::with_capacity(image.data.len() / 2);
    let mut encoder = Encoder::with_info(&mut bytes, info).map_err(failed)?;
    encoder.set_deflate_compression(match compression_level {
        0 => DeflateCompression::NoCompression,
        level => DeflateCompression::Level(level.min(9)),
    });
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(data).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(bytes)
}

fn failed(error: png::EncodingError) -> EngineError {
    EngineError::internal(format!("PNG encoding failed ({error})"))
}
