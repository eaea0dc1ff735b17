use std::io::Cursor;

use png::{ColorType, Decoder, Limits, Transformations};

use super::Header;
use crate::error::{EngineError, Result};
use crate::exif;
use crate::image::Image;
use crate::spec::{FailOn, Format};

/// The IEND chunk: no data, and its CRC.
const END: &[u8] = b"\0\0\0\0IEND\xAE\x42\x60\x82";

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let reader = open(bytes).read_info().map_err(corrupt)?;
    let info = reader.info();
    let exif = info.exif_metadata.as_ref().map(|e| e.to_vec());
    Ok(Header {
        format: Format::Png,
        width: info.width,
        height: info.height,
        has_alpha: info.color_type.samples() % 2 == 0 || info.trns.is_some(),
        orientation: exif.as_deref().map_or(1, exif::orientation),
        exif,
        icc: info.icc_profile.as_ref().map(|p| p.to_vec()),
        warnings: Vec::new(),
    })
}

/// Palette, grey and 16-bit inputs all come out as 8-bit grey, grey+alpha, RGB or RGBA.
pub fn decode(bytes: &[u8], _fail_on: FailOn) -> Result<Image> {
    // A file whose image data is whole but whose IEND chunk is missing is read, as libspng
    // (sharp) reads it at every failOn; the png crate wants the chunk, so it gets one.
    let ended;
    let bytes = if bytes.ends_with(END) {
        bytes
    } else {
        ended = [bytes, END].concat();
        &ended[..]
    };
    let mut decoder = open(bytes);
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(corrupt)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| EngineError::corrupt("PNG image size overflows"))?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(corrupt)?;
    pixels.truncate(frame.buffer_size());
    let channels = match frame.color_type {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err(EngineError::internal("PNG palette was not expanded")),
    };
    Ok(Image::new(frame.width, frame.height, channels, pixels))
}

fn open(bytes: &[u8]) -> Decoder<Cursor<&[u8]>> {
    // Pixel budgets are enforced by the caller from the header (limitInputPixels).
    Decoder::new_with_limits(Cursor::new(bytes), Limits { bytes: usize::MAX })
}

fn corrupt(error: png::DecodingError) -> EngineError {
    EngineError::corrupt(format!("PNG data is invalid ({error})"))
}
