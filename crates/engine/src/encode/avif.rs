//! AVIF through ravif (rav1e, pure Rust; its assembly is built with nasm when present).

use ravif::{Encoder, Img, RGBA8};

use crate::error::{EngineError, Result};
use crate::image::Image;

/// `quality` 1-100 and `effort` 0-9 as sharp's `avif()`. rav1e has no true lossless mode:
/// `lossless` encodes at quality 100, near-lossless, and says so in the docs.
pub fn encode(rgba: &Image, quality: u8, effort: u8, lossless: bool) -> Result<Vec<u8>> {
    let quality = if lossless { 100 } else { quality.clamp(1, 100) };
    let pixels: Vec<RGBA8> = rgba
        .data
        .chunks_exact(4)
        .map(|p| RGBA8::new(p[0], p[1], p[2], p[3]))
        .collect();
    let image = Img::new(&pixels[..], rgba.width as usize, rgba.height as usize);
    // One thread: the job already runs on one of the queue's threads.
    Encoder::new()
        .with_quality(quality as f32)
        .with_alpha_quality(quality as f32)
        .with_speed(10 - effort.min(9))
        .with_num_threads(Some(1))
        .encode_rgba(image)
        .map(|encoded| encoded.avif_file)
        .map_err(|e| EngineError::internal(format!("AVIF encoding failed ({e})")))
}
