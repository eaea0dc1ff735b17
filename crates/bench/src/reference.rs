//! Perceptual quality of resized outputs. The reference is built in float, in linear
//! light, from the full-size decode, so it favours neither side of a comparison.

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use pixelpool_engine::decode::{decode, read_header};
use pixelpool_engine::orient::Transform;
use pixelpool_engine::pixels::with_channels;
use pixelpool_engine::shrink::DecodeScale;
use pixelpool_engine::{DecodeLimits, Image};
use ssimulacra2::{
    compute_frame_ssimulacra2, ColorPrimaries, LinearRgb, Rgb, TransferCharacteristic,
};

/// An original in linear light, to score resized versions of it against.
pub struct Reference(LinearImage);

impl Reference {
    pub fn new(original: &Image) -> Self {
        Self(linear_rgb(&with_channels(original, 3)))
    }

    /// SSIMULACRA2 of `candidate` against the original resized to its size in float, on
    /// the interior: resamplers treat the outermost pixels differently (what lies beyond
    /// the edge), and one photo's anomalous last row (kodim23's jumps by 80 levels) moved
    /// whole scores by 20 points between two outputs that differ by 0.3 levels on average.
    pub fn score(&self, candidate: &Image) -> Result<f64, String> {
        let (width, height) = (candidate.width as usize, candidate.height as usize);
        let border = if width.min(height) >= 8 * BORDER {
            BORDER
        } else {
            0
        };
        let reference = interior(
            &resize_linear(&self.0, candidate.width, candidate.height)?,
            width,
            border,
        );
        let candidate = interior(&srgb_pixels(&with_channels(candidate, 3)), width, border);
        let (width, height) = (width - 2 * border, height - 2 * border);
        let reference = LinearRgb::new(reference, width, height).map_err(|e| e.to_string())?;
        let distorted = Rgb::new(
            candidate,
            width,
            height,
            TransferCharacteristic::SRGB,
            ColorPrimaries::BT709,
        )
        .map_err(|e| e.to_string())?;
        compute_frame_ssimulacra2(reference, distorted).map_err(|e| e.to_string())
    }
}

/// Pixels left out of the score on each side.
const BORDER: usize = 4;

fn interior(pixels: &[[f32; 3]], width: usize, border: usize) -> Vec<[f32; 3]> {
    let height = pixels.len() / width;
    (border..height - border)
        .flat_map(|y| {
            pixels[y * width + border..(y + 1) * width - border]
                .iter()
                .copied()
        })
        .collect()
}

struct LinearImage {
    width: u32,
    height: u32,
    pixels: Vec<f32>,
}

/// A file decoded at full size, EXIF-oriented, as RGB.
pub fn load(path: &str) -> Result<Image, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let header = read_header(&bytes).map_err(|e| format!("{path}: {e}"))?;
    let limits = DecodeLimits {
        max_pixels: u64::MAX,
        ..DecodeLimits::default()
    };
    let image =
        decode(&bytes, &header, DecodeScale::FULL, &limits).map_err(|e| format!("{path}: {e}"))?;
    let upright = Transform::from_exif(header.orientation);
    let image = if upright.is_identity() {
        image
    } else {
        upright.apply(&image)
    };
    Ok(with_channels(&image, 3))
}

fn to_linear(v: u8) -> f32 {
    let v = v as f32 / 255.0;
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn linear_rgb(image: &Image) -> LinearImage {
    let table: Vec<f32> = (0..=255u8).map(to_linear).collect();
    LinearImage {
        width: image.width,
        height: image.height,
        pixels: image.data.iter().map(|&v| table[v as usize]).collect(),
    }
}

/// Resizes the centre of the source with the target's aspect ratio (what `fit: cover`
/// keeps by default) to the target size.
fn resize_linear(source: &LinearImage, width: u32, height: u32) -> Result<Vec<[f32; 3]>, String> {
    let bytes: &[u8] = bytemuck_cast(&source.pixels);
    let src = ImageRef::new(source.width, source.height, bytes, PixelType::F32x3)
        .map_err(|e| e.to_string())?;
    let mut dst = FirImage::new(width, height, PixelType::F32x3);
    let (sw, sh) = (source.width as f64, source.height as f64);
    let scale = (width as f64 / sw).max(height as f64 / sh);
    let (crop_w, crop_h) = (
        (width as f64 / scale).min(sw),
        (height as f64 / scale).min(sh),
    );
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop((sw - crop_w) / 2.0, (sh - crop_h) / 2.0, crop_w, crop_h);
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    let pixels: Vec<[f32; 3]> = dst
        .buffer()
        .chunks_exact(12)
        .map(|p| {
            let channel = |i: usize| {
                f32::from_ne_bytes(p[i * 4..i * 4 + 4].try_into().unwrap()).clamp(0.0, 1.0)
            };
            [channel(0), channel(1), channel(2)]
        })
        .collect();
    Ok(pixels)
}

fn srgb_pixels(image: &Image) -> Vec<[f32; 3]> {
    let sample = |v: u8| v as f32 / 255.0;
    image
        .data
        .chunks_exact(3)
        .map(|p| [sample(p[0]), sample(p[1]), sample(p[2])])
        .collect()
}

/// Views f32 samples as bytes (native endianness, as fast_image_resize reads them).
fn bytemuck_cast(samples: &[f32]) -> &[u8] {
    // SAFETY: f32 has no padding and any byte pattern is a valid u8; the length is scaled.
    unsafe { std::slice::from_raw_parts(samples.as_ptr().cast(), std::mem::size_of_val(samples)) }
}
