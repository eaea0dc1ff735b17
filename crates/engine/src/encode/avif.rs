//! AVIF through ravif (rav1e, pure Rust; its assembly is built with nasm when present).

use ravif::{Encoder, Img, RGBA8};

use crate::error::{EngineError, Result};
use crate::image::Image;

/// `quality` 1-100 and `effort` 0-9 as sharp's `avif()`. rav1e has no true lossless mode:
/// `lossless` encodes at quality 100, near-lossless, and says so in the docs.
pub fn encode(rgba: &Image, quality: u8, effort: u8, lossless: bool) -> Result<Vec<u8>> {
    let quality = if lossless {
        100.0
    } else {
        rav1e_quality(quality.clamp(1, 100))
    };
    let pixels: Vec<RGBA8> = rgba
        .data
        .chunks_exact(4)
        .map(|p| RGBA8::new(p[0], p[1], p[2], p[3]))
        .collect();
    let image = Img::new(&pixels[..], rgba.width as usize, rgba.height as usize);
    // One thread, one tile: the job already runs on one of the queue's threads (its outputs
    // in parallel). Tiles on the pool were tried: 10% more CPU for no shorter build
    // (eleventy site, 2026-12-01), and bytes that would depend on the pool's size.
    Encoder::new()
        .with_quality(quality)
        .with_alpha_quality(quality)
        .with_speed(10 - effort.min(9))
        .with_num_threads(Some(1))
        .encode_rgba(image)
        .map(|encoded| encoded.avif_file)
        .map_err(|e| EngineError::internal(format!("AVIF encoding failed ({e})")))
}

/// sharp's AVIF quality (libaom through libheif) as ravif's, at equal bytes. Measured on
/// 2026-12-01 on six corpus photos (JPEG, PNG, EXIF-rotated; 640 wide, effort 4): the ravif
/// quality whose output has the bytes of sharp 0.35.5's, median of the six, was 33, 47, 63,
/// 78, 84.5, 88.5, 92.5 at sharp's 30, 40, 50, 60, 70, 80, 90 (the photos spread by up to 10
/// around the median at 50, less elsewhere). Linear between those points, and to 1 and 100.
fn rav1e_quality(sharp: u8) -> f32 {
    const POINTS: [(f32, f32); 9] = [
        (1.0, 1.0),
        (30.0, 33.0),
        (40.0, 47.0),
        (50.0, 63.0),
        (60.0, 78.0),
        (70.0, 84.5),
        (80.0, 88.5),
        (90.0, 92.5),
        (100.0, 100.0),
    ];
    let q = sharp as f32;
    let upper = POINTS
        .iter()
        .position(|&(x, _)| x >= q)
        .unwrap_or(POINTS.len() - 1)
        .max(1);
    let ((x0, y0), (x1, y1)) = (POINTS[upper - 1], POINTS[upper]);
    y0 + (q - x0) * (y1 - y0) / (x1 - x0)
}

#[cfg(test)]
mod calibration {
    use super::rav1e_quality;

    #[test]
    fn maps_sharps_scale_monotonically_through_the_measured_points() {
        assert_eq!(rav1e_quality(50), 63.0);
        assert_eq!(rav1e_quality(100), 100.0);
        assert_eq!(rav1e_quality(1), 1.0);
        assert!((1..100).all(|q| rav1e_quality(q) < rav1e_quality(q + 1)));
    }
}
