//! Lossless JPEG (SOF3, ITU T.81 annex H: predictive, 2 to 16 bits), which libjpeg-turbo 2
//! inside mozjpeg refuses: decoded by jpeg-decoder (pure Rust), grey or RGB, rounded to 8
//! bits. It has no DCT, so it always decodes at full size.
use jpeg_decoder::{Decoder, PixelFormat};

use super::{jpeg_markers, Header};
use crate::error::{EngineError, Result};
use crate::image::Image;

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let mut decoder = Decoder::new(bytes);
    decoder.read_info().map_err(corrupt)?;
    let info = decoder
        .info()
        .ok_or_else(|| EngineError::corrupt("lossless JPEG has no frame"))?;
    if info.pixel_format == PixelFormat::CMYK32 {
        return Err(EngineError::unsupported(
            "CMYK lossless JPEG is not supported",
        ));
    }
    let exif = decoder
        .exif_data()
        .map(|tiff| [crate::exif::EXIF_PREFIX, tiff].concat());
    let (width, height) = (info.width as u32, info.height as u32);
    Ok(jpeg_markers::header(
        width,
        height,
        exif,
        decoder.icc_profile(),
    ))
}

/// The caller has checked `header` against the limits; `precision` is the frame's.
pub fn decode(bytes: &[u8], header: &Header, precision: u8) -> Result<Image> {
    let mut decoder = Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size((header.pixels() * 6) as usize);
    let samples = decoder.decode().map_err(corrupt)?;
    let info = decoder
        .info()
        .ok_or_else(|| EngineError::corrupt("lossless JPEG has no frame"))?;
    let channels: u8 =
        if info.pixel_format == PixelFormat::L8 || info.pixel_format == PixelFormat::L16 {
            1
        } else {
            3
        };
    let count = header.pixels() as usize * channels as usize;
    let data: Vec<u8> = if precision <= 8 {
        samples
    } else {
        // Above 8 bits each sample is two bytes, native endian, up to 2^precision - 1.
        let max = (1u32 << precision) - 1;
        samples
            .chunks_exact(2)
            .map(|b| ((u16::from_ne_bytes([b[0], b[1]]) as u32).min(max) * 255 + max / 2) / max)
            .map(|v| v as u8)
            .collect()
    };
    if data.len() != count {
        return Err(EngineError::corrupt(
            "lossless JPEG holds fewer samples than its size",
        ));
    }
    Ok(Image::new(header.width, header.height, channels, data))
}

fn corrupt(error: jpeg_decoder::Error) -> EngineError {
    EngineError::corrupt(format!("lossless JPEG data is invalid ({error})"))
}
