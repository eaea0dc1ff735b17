use libwebp_sys as webp;

use super::scale::DecodeScale;
use super::Header;
use crate::error::{EngineError, Result};
use crate::exif;
use crate::frames::{Frames, Selection};
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
        warnings: Vec::new(),
    })
}

/// Decodes with libwebp's own scaler when `scale` shrinks, so the full-size image is never
/// held in memory.
pub fn decode(bytes: &[u8], header: &Header, scale: DecodeScale) -> Result<Image> {
    if is_animated(bytes) {
        return first_frame(bytes, header);
    }
    let channels: u8 = if header.has_alpha { 4 } else { 3 };
    let (width, height) = scale.size_of(header);
    let stride = width as usize * channels as usize;
    let mut pixels = vec![0u8; stride * height as usize];

    // SAFETY: the config is initialised by libwebp; the output buffer is ours, sized for
    // `width` x `height` at `channels`, and outlives the call.
    let status = unsafe {
        let mut config: webp::WebPDecoderConfig = std::mem::zeroed();
        if !webp::WebPInitDecoderConfig(&mut config) {
            return Err(EngineError::internal("libwebp decoder version mismatch"));
        }
        if !scale.is_full() {
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

pub fn is_animated(bytes: &[u8]) -> bool {
    features(bytes).is_ok_and(|f| f.has_animation != 0)
}

/// An animation's first frame as shown: composed on the canvas by libwebp's demuxer.
fn first_frame(bytes: &[u8], header: &Header) -> Result<Image> {
    let mut frames = animation(bytes, header, Selection::Only(0), u64::MAX)?;
    Ok(frames.images.remove(0))
}

/// The `selection` of frames as shown, composed by libwebp's demuxer; none when it names a
/// frame beyond the last. `max_pixels` bounds kept frames x width x height, checked before
/// each frame is kept.
pub fn decode_frames(
    bytes: &[u8],
    header: &Header,
    max_pixels: u64,
    selection: Selection,
) -> Result<Frames> {
    animation(bytes, header, selection, max_pixels)
}

fn animation(
    bytes: &[u8],
    header: &Header,
    selection: Selection,
    max_pixels: u64,
) -> Result<Frames> {
    let invalid = || EngineError::corrupt("animated WebP data is invalid");
    let (mut images, mut delays) = (Vec::new(), Vec::new());
    let mut decoded = 0;
    // SAFETY: the decoder reads `bytes`, which outlive it; each frame it returns is a
    // canvas of `canvas_width` x `canvas_height` RGBA pixels owned by the decoder, copied
    // out before the next call and before the decoder is deleted.
    let loop_count = unsafe {
        let mut options: webp::WebPAnimDecoderOptions = std::mem::zeroed();
        if webp::WebPAnimDecoderOptionsInit(&mut options) == 0 {
            return Err(EngineError::internal("libwebp demuxer version mismatch"));
        }
        options.color_mode = webp::WEBP_CSP_MODE::MODE_RGBA;
        options.use_threads = 0;
        let data = webp::WebPData {
            bytes: bytes.as_ptr(),
            size: bytes.len(),
        };
        let decoder = webp::WebPAnimDecoderNew(&data, &options);
        if decoder.is_null() {
            return Err(invalid());
        }
        let mut info = webp::WebPAnimInfo::default();
        let mut outcome = if webp::WebPAnimDecoderGetInfo(decoder, &mut info) != 0
            && (info.canvas_width, info.canvas_height) == (header.width, header.height)
        {
            Ok(())
        } else {
            Err(invalid())
        };
        let size = info.canvas_width as usize * info.canvas_height as usize * 4;
        let mut shown_until = 0;
        while outcome.is_ok() && webp::WebPAnimDecoderHasMoreFrames(decoder) != 0 {
            let keep = selection.keeps(decoded);
            let kept = (images.len() as u64 + 1) * header.pixels();
            if keep && kept > max_pixels.min(super::MAX_DECODED_BYTES / 4) {
                let (w, h) = (header.width, header.height);
                outcome = Err(super::too_many_frames(images.len() + 1, w, h, max_pixels));
                break;
            }
            let mut frame: *mut u8 = std::ptr::null_mut();
            let mut timestamp = 0;
            if webp::WebPAnimDecoderGetNext(decoder, &mut frame, &mut timestamp) == 0
                || frame.is_null()
            {
                outcome = Err(invalid());
                break;
            }
            if keep {
                let pixels = std::slice::from_raw_parts(frame, size).to_vec();
                images.push(Image::new(info.canvas_width, info.canvas_height, 4, pixels));
                delays.push(timestamp.saturating_sub(shown_until).max(0) as u32);
            }
            shown_until = timestamp;
            decoded += 1;
            if selection.ends_at(decoded - 1) {
                break;
            }
        }
        webp::WebPAnimDecoderDelete(decoder);
        outcome?;
        info.loop_count
    };
    if decoded == 0 || (images.is_empty() && selection == Selection::All) {
        return Err(invalid());
    }
    Ok(Frames {
        images,
        delays,
        loop_count,
    })
}

/// Frames in an animated file (ANMF chunks), 1 for a still one.
pub fn count_frames(bytes: &[u8]) -> u32 {
    (chunks(bytes).filter(|(id, _)| id == b"ANMF").count() as u32).max(1)
}

/// The RIFF chunks of an extended (VP8X) WebP file, as (id, payload), in order.
pub fn chunks(bytes: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut at = 12;
    std::iter::from_fn(move || {
        let id: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        let size = u32::from_le_bytes(bytes.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        let payload = bytes.get(at + 8..(at + 8).checked_add(size)?)?;
        at += 8 + size + (size & 1);
        Some((id, payload))
    })
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
    chunks(bytes)
        .find(|(found, _)| found == id)
        .map(|(_, payload)| payload)
}
