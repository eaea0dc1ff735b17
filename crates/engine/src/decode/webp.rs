use libwebp_sys as webp;

use super::{shrunk, Header};
use crate::error::{EngineError, Result};
use crate::exif;
use crate::image::Image;
use crate::spec::Format;

pub fn read_header(bytes: &[u8]) -> Result<Header> {
    let features = features(bytes)?;
    let exif = chunk(bytes, b"EXIF").map(<[u8]>::to_vec);
    Ok(Header {
        format: Format::Webp,
        width: features.width as u32,
        height: features.height as u32,
        has_alpha: features.has_alpha != 0,
        orientation: exif.as_deref().map_or(1, exif::orientation),
        exif,
        icc: chunk(bytes, b"ICCP").map(<[u8]>::to_vec),
    })
}

/// Decodes with libwebp's own scaler when `shrink` > 1, so the full-size image is never
/// held in memory.
pub fn decode(bytes: &[u8], header: &Header, shrink: u32) -> Result<Image> {
    if features(bytes)?.has_animation != 0 {
        return Err(EngineError::unsupported(
            "animated WebP is not supported yet",
        ));
    }
    let channels: u8 = if header.has_alpha { 4 } else { 3 };
    let (width, height) = (shrunk(header.width, shrink), shrunk(header.height, shrink));
    let stride = width as usize * channels as usize;
    let mut pixels = vec![0u8; stride * height as usize];

    // SAFETY: the config is initialised by libwebp; the output buffer is ours, sized for
    // `width` x `height` at `channels`, and outlives the call.
    let status = unsafe {
        let mut config: webp::WebPDecoderConfig = std::mem::zeroed();
        if !webp::WebPInitDecoderConfig(&mut config) {
            return Err(EngineError::internal("libwebp decoder version mismatch"));
        }
        if shrink > 1 {
            config.options.use_scaling = 1;
            config.options.scaled_width = width as i32;
            config.options.scaled_height = height as i32;
        }
        config.output.colorspace = if channels == 4 {
            webp::WEBP_CSP_MODE::MODE_RGBA
        } else {
            webp::WEBP_CSP_MODE::MODE_RGB
        };
        config.output.is_external_memory = 1;
        config.output.u.RGBA = webp::WebPRGBABuffer {
            rgba: pixels.as_mut_ptr(),
            stride: stride as i32,
            size: pixels.len(),
        };
        let status = webp::WebPDecode(bytes.as_ptr(), bytes.len(), &mut config);
        webp::WebPFreeDecBuffer(&mut config.output);
        status
    };
    if status != webp::VP8StatusCode::VP8_STATUS_OK {
        return Err(EngineError::corrupt(format!(
            "WebP data is invalid ({status:?})"
        )));
    }
    Ok(Image::new(width, height, channels, pixels))
}

fn features(bytes: &[u8]) -> Result<webp::WebPBitstreamFeatures> {
    // SAFETY: libwebp reads at most `bytes.len()` bytes and fills the struct.
    unsafe {
        let mut features: webp::WebPBitstreamFeatures = std::mem::zeroed();
        let status = webp::WebPGetFeatures(bytes.as_ptr(), bytes.len(), &mut features);
        if status != webp::VP8StatusCode::VP8_STATUS_OK {
            return Err(EngineError::corrupt(format!(
                "WebP header is invalid ({status:?})"
            )));
        }
        Ok(features)
    }
}

/// The payload of the first RIFF chunk named `id` in an extended (VP8X) WebP file.
pub fn chunk<'a>(bytes: &'a [u8], id: &[u8; 4]) -> Option<&'a [u8]> {
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
        let payload = bytes.get(at + 8..at + 8 + size)?;
        if &bytes[at..at + 4] == id {
            return Some(payload);
        }
        at += 8 + size + (size & 1);
    }
    None
}
