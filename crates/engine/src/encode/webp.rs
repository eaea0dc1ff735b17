use libwebp_sys as webp;

use super::Metadata;
use crate::error::{EngineError, Result};
use crate::image::Image;
use crate::spec::{Encoding, WebpPreset};
use crate::xmp;

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub quality: u8,
    pub lossless: bool,
    pub effort: u8,
    pub alpha_quality: u8,
    pub smart_subsample: bool,
    pub smart_deblock: bool,
    pub preset: WebpPreset,
    pub exact: bool,
    pub near_lossless: bool,
}

impl Settings {
    /// What a WebP `Encoding` asks of libwebp; `None` for another format.
    pub fn of(encoding: &Encoding) -> Option<Self> {
        match *encoding {
            Encoding::Webp {
                quality,
                lossless,
                effort,
                alpha_quality,
                smart_subsample,
                smart_deblock,
                preset,
                exact,
                near_lossless,
            } => Some(Settings {
                quality,
                lossless,
                effort,
                alpha_quality,
                smart_subsample,
                smart_deblock,
                preset,
                exact,
                near_lossless,
            }),
            _ => None,
        }
    }

    /// Lossy at `quality`, sharp's `webp()` defaults otherwise (`Encoding::webp`).
    pub fn lossy(quality: u8) -> Self {
        Self::of(&Encoding::webp(quality, false)).expect("Encoding::webp is a WebP encoding")
    }
}

/// libwebp's settings for still and animated output alike: the preset's, then the
/// options, as libvips' webpsave sets them.
pub fn config(settings: Settings) -> Result<webp::WebPConfig> {
    let preset = match settings.preset {
        WebpPreset::Default => webp::WebPPreset::WEBP_PRESET_DEFAULT,
        WebpPreset::Photo => webp::WebPPreset::WEBP_PRESET_PHOTO,
        WebpPreset::Picture => webp::WebPPreset::WEBP_PRESET_PICTURE,
        WebpPreset::Drawing => webp::WebPPreset::WEBP_PRESET_DRAWING,
        WebpPreset::Icon => webp::WebPPreset::WEBP_PRESET_ICON,
        WebpPreset::Text => webp::WebPPreset::WEBP_PRESET_TEXT,
    };
    let mut config = webp::WebPConfig::new_with_preset(preset, settings.quality as f32)
        .map_err(|_| EngineError::internal("libwebp version mismatch"))?;
    config.quality = settings.quality as f32;
    config.lossless = (settings.lossless || settings.near_lossless) as i32;
    if settings.near_lossless {
        config.near_lossless = settings.quality as i32;
    }
    config.method = settings.effort as i32;
    config.alpha_quality = settings.alpha_quality as i32;
    config.use_sharp_yuv = settings.smart_subsample as i32;
    config.exact = settings.exact as i32;
    if settings.smart_deblock {
        config.autofilter = 1;
    }
    Ok(config)
}

/// `image` is RGB or RGBA.
pub fn encode(image: &Image, settings: Settings, metadata: &Metadata) -> Result<Vec<u8>> {
    let config = config(settings)?;
    let mut picture =
        webp::WebPPicture::new().map_err(|_| EngineError::internal("libwebp version mismatch"))?;
    // libwebp converts to YUV itself (sharply when asked) only from ARGB pictures.
    picture.use_argb =
        (settings.lossless || settings.near_lossless || settings.smart_subsample) as i32;
    picture.width = image.width as i32;
    picture.height = image.height as i32;

    // SAFETY: the picture imports (copies) our pixels; the memory writer collects output
    // bytes that are copied out before both are freed.
    let encoded = unsafe {
        let stride = image.stride() as i32;
        let imported = if image.channels == 4 {
            webp::WebPPictureImportRGBA(&mut picture, image.data.as_ptr(), stride)
        } else {
            webp::WebPPictureImportRGB(&mut picture, image.data.as_ptr(), stride)
        };
        let mut writer: webp::WebPMemoryWriter = std::mem::zeroed();
        webp::WebPMemoryWriterInit(&mut writer);
        picture.writer = Some(webp::WebPMemoryWrite);
        picture.custom_ptr = (&mut writer as *mut webp::WebPMemoryWriter).cast();
        let ok = imported != 0 && webp::WebPEncode(&config, &mut picture) != 0;
        let error = picture.error_code;
        let bytes = if ok {
            std::slice::from_raw_parts(writer.mem, writer.size).to_vec()
        } else {
            Vec::new()
        };
        webp::WebPMemoryWriterClear(&mut writer);
        webp::WebPPictureFree(&mut picture);
        if !ok {
            return Err(EngineError::internal(format!(
                "WebP encoding failed ({error:?})"
            )));
        }
        bytes
    };
    if metadata.exif.is_none() && metadata.icc.is_none() && metadata.xmp.is_none() {
        return Ok(encoded);
    }
    Ok(with_metadata(&encoded, image, metadata))
}

const VP8X_ICC: u8 = 0x20;
const VP8X_ALPHA: u8 = 0x10;
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

/// Rewraps a simple WebP file as an extended (VP8X) one carrying ICC, EXIF and XMP chunks.
fn with_metadata(encoded: &[u8], image: &Image, metadata: &Metadata) -> Vec<u8> {
    let mut image_chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= encoded.len() {
        let size = u32::from_le_bytes(encoded[at + 4..at + 8].try_into().unwrap()) as usize;
        let end = (at + 8 + size + (size & 1)).min(encoded.len());
        if &encoded[at..at + 4] != b"VP8X" {
            image_chunks.extend_from_slice(&encoded[at..end]);
        }
        at = end;
    }
    let mut flags = 0;
    if image.has_alpha() {
        flags |= VP8X_ALPHA;
    }
    let mut body = b"WEBP".to_vec();
    let mut extra = Vec::new();
    if let Some(icc) = &metadata.icc {
        flags |= VP8X_ICC;
        push_chunk(&mut extra, b"ICCP", icc);
    }
    let mut header = vec![flags, 0, 0, 0];
    header.extend_from_slice(&(image.width - 1).to_le_bytes()[..3]);
    header.extend_from_slice(&(image.height - 1).to_le_bytes()[..3]);
    if metadata.exif.is_some() {
        header[0] |= VP8X_EXIF;
    }
    if metadata.xmp.is_some() {
        header[0] |= VP8X_XMP;
    }
    push_chunk(&mut body, b"VP8X", &header);
    body.extend_from_slice(&extra);
    body.extend_from_slice(&image_chunks);
    if let Some(exif) = &metadata.exif {
        push_chunk(&mut body, b"EXIF", exif);
    }
    if let Some(xmp) = &metadata.xmp {
        push_chunk(&mut body, xmp::WEBP_CHUNK, xmp);
    }
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend_from_slice(&body);
    file
}

fn push_chunk(out: &mut Vec<u8>, id: &[u8; 4], payload: &[u8]) {
    out.extend_from_slice(id);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    if payload.len() % 2 == 1 {
        out.push(0);
    }
}
