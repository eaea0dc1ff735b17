use std::io::Cursor;

use png::{ColorType, Decoder, InterlaceInfo, Limits, Transformations};

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
        warnings: cut_short(bytes)
            .then(|| NOT_ENOUGH_DATA.to_string())
            .into_iter()
            .collect(),
    })
}

/// libpng's words for a file that ends inside a chunk, as sharp passes them on.
const NOT_ENOUGH_DATA: &str = "not enough data";

/// Whether the file ends inside a chunk: a hop over each chunk's stated length (the png
/// crate reports only that its stream ended). A file that stops between chunks is whole
/// as far as this can tell; decoding finds out.
fn cut_short(bytes: &[u8]) -> bool {
    let mut at = 8;
    while let Some(length) = bytes.get(at..at + 4) {
        let length = u32::from_be_bytes(length.try_into().expect("four bytes")) as usize;
        if bytes.get(at + 4..at + 8) == Some(b"IEND") {
            return false;
        }
        at = at.saturating_add(12).saturating_add(length);
        if at > bytes.len() {
            return true;
        }
    }
    at < bytes.len()
}

/// Palette, grey and 16-bit inputs all come out as 8-bit grey, grey+alpha, RGB or RGBA.
/// Image data that ends early is an error unless `fail_on` is none; then the rows read are
/// kept and the rest left black, as libspng leaves them for sharp.
pub fn decode(bytes: &[u8], fail_on: FailOn) -> Result<Image> {
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
    let (width, height) = (reader.info().width, reader.info().height);
    let (colour_type, depth) = reader.output_color_type();
    let line = reader
        .output_line_size(width)
        .ok_or_else(|| EngineError::corrupt("PNG row size overflows"))?;
    let mut row = vec![0; line];
    let bits_per_pixel = colour_type.samples() as u8 * depth as u8;
    let mut rows_read = 0;
    loop {
        match reader.read_row(&mut row) {
            Ok(Some(InterlaceInfo::Null(_))) => {
                pixels[rows_read * line..][..line].copy_from_slice(&row);
                rows_read += 1;
            }
            Ok(Some(InterlaceInfo::Adam7(info))) => {
                png::expand_interlaced_row(&mut pixels, line, &row, &info, bits_per_pixel);
            }
            Ok(None) => break,
            Err(_) if fail_on == FailOn::None => break,
            Err(error) => return Err(unreadable(error, fail_on)),
        }
    }
    let channels = match colour_type {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err(EngineError::internal("PNG palette was not expanded")),
    };
    Ok(Image::new(width, height, channels, pixels))
}

fn open(bytes: &[u8]) -> Decoder<Cursor<&[u8]>> {
    // Pixel budgets are enforced by the caller from the header (limitInputPixels).
    Decoder::new_with_limits(Cursor::new(bytes), Limits { bytes: usize::MAX })
}

/// Image data that cannot be read to its end, under a `fail_on` that refuses it; sharp
/// reports libpng's "read error".
fn unreadable(error: png::DecodingError, fail_on: FailOn) -> EngineError {
    EngineError::corrupt(format!(
        "PNG data is invalid: read error ({error}; failOn: '{}')",
        fail_on.name()
    ))
}

fn corrupt(error: png::DecodingError) -> EngineError {
    EngineError::corrupt(format!("PNG data is invalid ({error})"))
}
