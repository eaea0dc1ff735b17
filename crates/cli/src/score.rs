//! Perceptual quality of resized outputs. The reference is built in float, in linear
//! light, from the full-size decode, so it favours neither side of a comparison.

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use pixelpool_engine::decode::{decode, read_header};
use pixelpool_engine::orient::Transform;
use pixelpool_engine::pixels::with_channels;
use pixelpool_engine::{DecodeLimits, Image};
use ssimulacra2::{
    compute_frame_ssimulacra2, ColorPrimaries, LinearRgb, Rgb, TransferCharacteristic,
};

pub fn run(original: &str, outputs: &[String]) -> Result<(), String> {
    let original = linear_rgb(&load(original)?);
    for output in outputs {
        let candidate = load(output)?;
        let reference = resize_linear(&original, candidate.width, candidate.height)?;
        let score = ssimulacra2_of(reference, &candidate)?;
        println!("{score:.3}\t{output}");
    }
    Ok(())
}

struct LinearImage {
    width: u32,
    height: u32,
    pixels: Vec<f32>,
}

fn load(path: &str) -> Result<Image, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let header = read_header(&bytes).map_err(|e| format!("{path}: {e}"))?;
    let limits = DecodeLimits {
        max_pixels: u64::MAX,
        ..DecodeLimits::default()
    };
    let image = decode(&bytes, &header, 1, &limits).map_err(|e| format!("{path}: {e}"))?;
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
fn resize_linear(source: &LinearImage, width: u32, height: u32) -> Result<LinearRgb, String> {
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
    LinearRgb::new(pixels, width as usize, height as usize).map_err(|e| e.to_string())
}

fn ssimulacra2_of(reference: LinearRgb, candidate: &Image) -> Result<f64, String> {
    let pixels: Vec<[f32; 3]> = candidate
        .data
        .chunks_exact(3)
        .map(|p| {
            [
                p[0] as f32 / 255.0,
                p[1] as f32 / 255.0,
                p[2] as f32 / 255.0,
            ]
        })
        .collect();
    let distorted = Rgb::new(
        pixels,
        candidate.width as usize,
        candidate.height as usize,
        TransferCharacteristic::SRGB,
        ColorPrimaries::BT709,
    )
    .map_err(|e| e.to_string())?;
    compute_frame_ssimulacra2(reference, distorted).map_err(|e| e.to_string())
}

/// Views f32 samples as bytes (native endianness, as fast_image_resize reads them).
fn bytemuck_cast(samples: &[f32]) -> &[u8] {
    // SAFETY: f32 has no padding and any byte pattern is a valid u8; the length is scaled.
    unsafe { std::slice::from_raw_parts(samples.as_ptr().cast(), std::mem::size_of_val(samples)) }
}
