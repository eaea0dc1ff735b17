//! sharp's `{ create: { noise: { type: 'gaussian', mean, sigma } } }`, as libvips'
//! gaussnoise makes it: each sample the sum of twelve uniform numbers in [0, 1) less six (a
//! near-normal deviate), times `sigma`, plus `mean`; made 8-bit as sharp writes it, rounded
//! and clipped to 0-255. Every band is drawn apart, as sharp joins one gaussnoise per band.

use crate::error::{EngineError, ErrorKind, Result};
use crate::image::Image;

/// A `width` x `height` image of gaussian noise in `channels` bands (1-4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GaussianNoise {
    pub width: u32,
    pub height: u32,
    pub channels: u8,
    pub mean: f64,
    pub sigma: f64,
}

/// The noise's pixels, refused before any is made when there are more than `max_pixels`.
pub fn gaussian_noise(noise: GaussianNoise, max_pixels: u64) -> Result<Image> {
    let GaussianNoise {
        width,
        height,
        channels,
        mean,
        sigma,
    } = noise;
    let pixels = width as u64 * height as u64;
    if pixels > max_pixels {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!("create of {width}x{height} is above limitInputPixels ({max_pixels})"),
        ));
    }
    if !(1..=4).contains(&channels) {
        return Err(EngineError::new(
            ErrorKind::InvalidOption,
            format!("create.channels: {channels}; noise has 1 to 4 channels"),
        ));
    }
    let mut random = fastrand::Rng::new();
    let samples = (0..pixels * channels as u64)
        .map(|_| {
            let deviate: f64 = (0..12).map(|_| random.f64()).sum::<f64>() - 6.0;
            (deviate * sigma + mean).round().clamp(0.0, 255.0) as u8
        })
        .collect();
    Ok(Image::new(width, height, channels, samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(width: u32, height: u32, channels: u8, mean: f64, sigma: f64) -> GaussianNoise {
        GaussianNoise {
            width,
            height,
            channels,
            mean,
            sigma,
        }
    }

    #[test]
    fn samples_have_the_mean_and_spread_asked_for() {
        let image = gaussian_noise(noise(256, 256, 3, 128.0, 30.0), u64::MAX).unwrap();
        let n = image.data.len() as f64;
        let mean = image.data.iter().map(|&v| v as f64).sum::<f64>() / n;
        let variance = image
            .data
            .iter()
            .map(|&v| (v as f64 - mean).powi(2))
            .sum::<f64>()
            / n;
        assert!((mean - 128.0).abs() < 0.5, "mean {mean}");
        assert!(
            (variance.sqrt() - 30.0).abs() < 0.5,
            "sigma {}",
            variance.sqrt()
        );
        let flat = gaussian_noise(noise(8, 8, 1, 300.0, 0.0), u64::MAX).unwrap();
        assert!(flat.data.iter().all(|&v| v == 255), "clipped");
    }

    #[test]
    fn beyond_the_pixel_limit_is_refused_before_any_sample() {
        let error = gaussian_noise(noise(100_000, 100_000, 3, 128.0, 30.0), 1_000_000).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InputTooLarge);
    }
}
