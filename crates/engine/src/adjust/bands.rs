//! sharp's per-pixel band operations, with libvips' arithmetic: `threshold`, `linear`,
//! `recomb`, `unflatten`, `bandbool`, `boolean`, `joinChannel` and `extractChannel`. Each
//! works on 8-bit samples; where libvips keeps a float result for a later cast (`recomb`),
//! it is rounded here.
use crate::error::{EngineError, ErrorKind, Result};
use crate::extra_input::ExtraInput;
use crate::image::Image;
use crate::operations::{BoolOp, Linear, Threshold};
use crate::pixels;

use super::tone::greyscale;

/// `image >= value` on every band, alpha too (255 or 0); on the B_W image when `greyscale`.
pub fn threshold(image: &Image, threshold: Threshold) -> Image {
    let mut image = match threshold.greyscale {
        true => greyscale(image),
        false => image.clone(),
    };
    for v in &mut image.data {
        *v = if *v >= threshold.value { 255 } else { 0 };
    }
    image
}

/// `a * v + b` per band, clipped and truncated to 8 bits as libvips' `linear` with `uchar`.
/// Alpha is left alone when fewer factors than bands are given, as sharp leaves it.
pub fn linear(image: &Image, linear: &Linear) -> Result<Image> {
    let bands = image.channels as usize;
    let given = linear.a.len();
    if given > bands {
        return Err(invalid("Band expansion using linear is unsupported"));
    }
    let alpha_kept =
        image.has_alpha() && given != bands && (given == 1 || given == bands - 1 || bands == 2);
    let changed = if alpha_kept { bands - 1 } else { bands };
    if given != 1 && given != changed {
        return Err(invalid(format!(
            "linear: {given} factors for an image of {changed} bands"
        )));
    }
    let factor = |k: usize| {
        let k = k.min(given - 1);
        (linear.a[k], linear.b[k])
    };
    let mut image = image.clone();
    for pixel in image.data.chunks_exact_mut(bands) {
        for (k, v) in pixel.iter_mut().enumerate().take(changed) {
            let (a, b) = factor(k);
            *v = (a * *v as f64 + b).clamp(0.0, 255.0) as u8;
        }
    }
    Ok(image)
}

/// A 3x3 (colour) or 4x4 (colour and alpha) matrix applied to each sRGB pixel; a 3x3 leaves
/// alpha as it is.
pub fn recomb(image: &Image, matrix: &[f64]) -> Result<Image> {
    let side = if matrix.len() == 16 { 4 } else { 3 };
    let mut image = match image.channels {
        1 | 2 => pixels::with_channels(image, image.channels + 2),
        _ => image.clone(),
    };
    if side == 4 && image.channels != 4 {
        return Err(invalid("recomb: a 4x4 matrix needs an image with alpha"));
    }
    let bands = image.channels as usize;
    for pixel in image.data.chunks_exact_mut(bands) {
        let source = [pixel[0], pixel[1], pixel[2], pixel[bands - 1]];
        for (row, value) in pixel.iter_mut().enumerate().take(side) {
            let weights = &matrix[row * side..(row + 1) * side];
            let sum: f64 = weights.iter().zip(source).map(|(w, v)| w * v as f64).sum();
            *value = sum.round().clamp(0.0, 255.0) as u8;
        }
    }
    Ok(image)
}

/// sharp's `unflatten`: white pixels (255 in libvips' B_W) become transparent.
pub fn unflatten(image: &Image) -> Image {
    let grey = greyscale(image);
    let grey_bands = grey.channels as usize;
    let with_alpha = match image.has_alpha() {
        true => image.clone(),
        false => pixels::with_channels(image, image.channels + 1),
    };
    let bands = with_alpha.channels as usize;
    let mut out = with_alpha;
    for (pixel, grey) in out
        .data
        .chunks_exact_mut(bands)
        .zip(grey.data.chunks_exact(grey_bands))
    {
        if grey[0] == 255 {
            pixel[bands - 1] = 0;
        }
    }
    out
}

/// Every band of a pixel combined bitwise into one grey band.
pub fn bandbool(image: &Image, op: BoolOp) -> Image {
    let bands = image.channels as usize;
    let data = image
        .data
        .chunks_exact(bands)
        .map(|pixel| {
            pixel
                .iter()
                .copied()
                .reduce(|a, b| op.apply(a, b))
                .unwrap_or(0)
        })
        .collect();
    Image::new(image.width, image.height, 1, data)
}

/// One band as a grey image; channel 3 of an image with alpha means its alpha, as sharp
/// reads it (a grey image's alpha is its second band).
pub fn extract_channel(image: &Image, channel: u8) -> Result<Image> {
    let bands = image.channels;
    let band = match channel {
        _ if channel < bands => channel,
        3 if image.has_alpha() => bands - 1,
        _ => {
            return Err(invalid(format!(
                "Cannot extract channel {channel} from image with channels 0-{}",
                bands - 1
            )))
        }
    };
    let data = image
        .data
        .chunks_exact(bands as usize)
        .map(|pixel| pixel[band as usize])
        .collect();
    Ok(Image::new(image.width, image.height, 1, data))
}

/// `image` combined band by band with `operand` (sharp's `boolean`); an operand of one band
/// meets every band, and both must be the same size.
pub fn boolean(image: &Image, operand: &ExtraInput, op: BoolOp) -> Result<Image> {
    let other = operand.decode("boolean")?;
    if (other.width, other.height) != (image.width, image.height) {
        return Err(invalid(format!(
            "boolean: the operand is {}x{}, the image {}x{}",
            other.width, other.height, image.width, image.height
        )));
    }
    let other = match other.channels {
        1 => other,
        _ => pixels::with_channels(&other, image.channels),
    };
    let (bands, other_bands) = (image.channels as usize, other.channels as usize);
    let mut out = image.clone();
    let pairs = out
        .data
        .chunks_exact_mut(bands)
        .zip(other.data.chunks_exact(other_bands));
    for (pixel, operand) in pairs {
        for (k, v) in pixel.iter_mut().enumerate() {
            *v = op.apply(*v, operand[k.min(other_bands - 1)]);
        }
    }
    Ok(out)
}

/// The bands of each image appended to `image`'s (sharp's `joinChannel`), at most four in
/// all: pixelpool's images hold grey, grey and alpha, RGB or RGBA.
pub fn join_channels(image: &Image, others: &[ExtraInput]) -> Result<Image> {
    let mut joined = image.clone();
    for (index, input) in others.iter().enumerate() {
        let other = input.decode(&format!("joinChannel[{index}]"))?;
        if (other.width, other.height) != (joined.width, joined.height) {
            return Err(invalid(format!(
                "joinChannel[{index}]: the image is {}x{}, the input {}x{}",
                joined.width, joined.height, other.width, other.height
            )));
        }
        let bands = joined.channels + other.channels;
        if bands > 4 {
            return Err(EngineError::new(
                ErrorKind::UnsupportedFormat,
                format!("joinChannel: {bands} bands; pixelpool images hold at most 4"),
            ));
        }
        let (a, b) = (joined.channels as usize, other.channels as usize);
        let data = joined
            .data
            .chunks_exact(a)
            .zip(other.data.chunks_exact(b))
            .flat_map(|(x, y)| x.iter().chain(y).copied())
            .collect();
        joined = Image::new(joined.width, joined.height, bands, data);
    }
    Ok(joined)
}

fn invalid(message: impl Into<String>) -> EngineError {
    EngineError::new(ErrorKind::InvalidOption, message)
}
