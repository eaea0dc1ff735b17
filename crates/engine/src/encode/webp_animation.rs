//! Animated WebP output, by libwebp's animation encoder (which finds each frame's changed
//! rectangle and chooses its blending itself).
use libwebp_sys as webp;

use super::webp::{config, Settings};
use crate::error::{EngineError, Result};
use crate::image::Image;

/// `frames` are RGBA canvases of one size; `delays` in milliseconds; `loop_count` 0 is
/// forever.
pub fn encode(
    frames: &[Image],
    delays: &[u32],
    loop_count: u32,
    settings: Settings,
) -> Result<Vec<u8>> {
    let config = config(settings)?;
    let (width, height) = (frames[0].width as i32, frames[0].height as i32);
    // SAFETY: the options and encoder are initialised by libwebp; each picture imports
    // (copies) one frame's pixels and is freed after the encoder has taken it; the
    // assembled bytes are copied out before libwebp frees them.
    unsafe {
        let mut options: webp::WebPAnimEncoderOptions = std::mem::zeroed();
        let abi = webp::WEBP_MUX_ABI_VERSION as i32;
        if webp::WebPAnimEncoderOptionsInitInternal(&mut options, abi) == 0 {
            return Err(EngineError::internal("libwebp mux version mismatch"));
        }
        options.anim_params.loop_count = loop_count.min(u16::MAX as u32) as i32;
        let encoder = webp::WebPAnimEncoderNewInternal(width, height, &options, abi);
        if encoder.is_null() {
            return Err(EngineError::internal("libwebp cannot start an animation"));
        }
        let mut timestamp = 0i32;
        let mut ok = true;
        for (index, frame) in frames.iter().enumerate() {
            let Ok(mut picture) = webp::WebPPicture::new() else {
                ok = false;
                break;
            };
            picture.use_argb = 1;
            picture.width = width;
            picture.height = height;
            let rgba = super::rgba(frame);
            ok =
                webp::WebPPictureImportRGBA(&mut picture, rgba.data.as_ptr(), rgba.stride() as i32)
                    != 0
                    && webp::WebPAnimEncoderAdd(encoder, &mut picture, timestamp, &config) != 0;
            webp::WebPPictureFree(&mut picture);
            if !ok {
                break;
            }
            let delay = delays.get(index).copied().unwrap_or(100);
            timestamp = timestamp.saturating_add(delay.min(i32::MAX as u32) as i32);
        }
        let mut data = webp::WebPData::default();
        ok = ok
            && webp::WebPAnimEncoderAdd(encoder, std::ptr::null_mut(), timestamp, &config) != 0
            && webp::WebPAnimEncoderAssemble(encoder, &mut data) != 0;
        let bytes = ok.then(|| std::slice::from_raw_parts(data.bytes, data.size).to_vec());
        webp::WebPDataClear(&mut data);
        webp::WebPAnimEncoderDelete(encoder);
        bytes.ok_or_else(|| EngineError::internal("animated WebP encoding failed"))
    }
}
