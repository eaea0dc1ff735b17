//! Per-pixel tone and colour operations, the ones sharp runs in CIE Lab/LCh with libvips'
//! formulas. Alpha is kept unless said otherwise.

use super::filter::{gaussian_kernel, Planes};
use super::lab;
use crate::image::Image;
use crate::operations::{Modulate, Negate, Normalise, Sharpen};
use crate::pixels::with_channels;
use crate::spec::Rgba;

/// Colour channels of a pixel (1 or 3) and whether the last is alpha.
fn colour_len(image: &Image) -> usize {
    if image.channels >= 3 {
        3
    } else {
        1
    }
}

fn map_colour(image: &Image, table: &[u8; 256]) -> Image {
    let channels = image.channels as usize;
    let colour = colour_len(image);
    let mut out = image.clone();
    for pixel in out.data.chunks_exact_mut(channels) {
        pixel[..colour]
            .iter_mut()
            .for_each(|v| *v = table[*v as usize]);
    }
    out
}

/// libvips' B_W value of an sRGB pixel: the luminance of linear light, sRGB-encoded again.
fn luminance(rgb: &[u8]) -> u8 {
    let y =
        0.2126 * lab::linear(rgb[0]) + 0.7152 * lab::linear(rgb[1]) + 0.0722 * lab::linear(rgb[2]);
    lab::encode(y)
}

/// sharp's `greyscale`: libvips' B_W (`luminance`), alpha kept.
pub fn greyscale(image: &Image) -> Image {
    if image.channels <= 2 {
        return image.clone();
    }
    let channels = image.channels as usize;
    let mut data = Vec::with_capacity(image.data.len() / channels * (channels - 2));
    for p in image.data.chunks_exact(channels) {
        data.push(luminance(p));
        if channels == 4 {
            data.push(p[3]);
        }
    }
    Image::new(image.width, image.height, image.channels - 2, data)
}

/// libvips' `gamma`: v = 255 (v / 255)^(1 / exponent).
pub fn gamma(image: &Image, exponent: f64) -> Image {
    let table =
        std::array::from_fn(|v| (255.0 * (v as f64 / 255.0).powf(1.0 / exponent)).round() as u8);
    map_colour(image, &table)
}

pub fn negate(image: &Image, negate: Negate) -> Image {
    let mut out = image.clone();
    if negate.alpha || !image.has_alpha() {
        out.data.iter_mut().for_each(|v| *v = 255 - *v);
    } else {
        let table = std::array::from_fn(|v| 255 - v as u8);
        out = map_colour(image, &table);
    }
    out
}

/// The image as RGB(A) (grey images become RGB), with the [L, a, b] of each pixel.
fn lab_pixels(image: &Image) -> (Image, Vec<[f32; 3]>) {
    let rgb = with_channels(image, if image.has_alpha() { 4 } else { 3 });
    let labs = rgb
        .data
        .chunks_exact(rgb.channels as usize)
        .map(|p| lab::from_srgb([p[0], p[1], p[2]]))
        .collect();
    (rgb, labs)
}

/// `rgb` (from `lab_pixels`) with each pixel's colour replaced by its new [L, a, b].
fn with_lab(mut rgb: Image, labs: impl IntoIterator<Item = [f32; 3]>) -> Image {
    let channels = rgb.channels as usize;
    for (pixel, lab_pixel) in rgb.data.chunks_exact_mut(channels).zip(labs) {
        pixel[..3].copy_from_slice(&lab::to_srgb(lab_pixel));
    }
    rgb
}

/// Applies `change` to the [L, a, b] of every pixel, as RGB (grey images become RGB).
fn in_lab(image: &Image, change: impl Fn([f32; 3]) -> [f32; 3]) -> Image {
    let (rgb, labs) = lab_pixels(image);
    with_lab(rgb, labs.into_iter().map(change))
}

pub fn modulate(image: &Image, m: Modulate) -> Image {
    let (brightness, saturation) = (m.brightness as f32, m.saturation as f32);
    let (hue, lightness) = (m.hue as f32, m.lightness as f32);
    in_lab(image, |lab_pixel| {
        let [l, c, h] = lab::to_lch(lab_pixel);
        lab::from_lch([l * brightness + lightness, c * saturation, h + hue])
    })
}

/// sharp's `tint`: the pixel's luminance (as libvips' B_W) keeps its lightness, and takes
/// the tint's chroma weighted by 1 - 4 (L - 0.5)^2, strongest in the mid-tones.
pub fn tint(image: &Image, colour: Rgba) -> Image {
    let [_, ta, tb] = lab::from_srgb([colour.r, colour.g, colour.b]);
    let table: Vec<[u8; 3]> = (0..=255u8)
        .map(|grey| {
            let l = lab::from_srgb([grey, grey, grey])[0];
            let weight = 1.0 - 4.0 * (l / 100.0 - 0.5).powi(2);
            lab::to_srgb([l, ta * weight, tb * weight])
        })
        .collect();
    let mut out = with_channels(image, if image.has_alpha() { 4 } else { 3 });
    let channels = out.channels as usize;
    for pixel in out.data.chunks_exact_mut(channels) {
        let grey = luminance(pixel);
        pixel[..3].copy_from_slice(&table[grey as usize]);
    }
    out
}

/// Stretches L so its `lower` and `upper` percentiles become 0 and 100; an image whose L
/// spans at most 1 is left alone. The percentiles are libvips' `percent` on L cast to
/// integers: a histogram as long as the largest L plus one, its cumulative normalised to
/// the last index, and the first bin above `percent` of the length (else the length). That
/// puts sharp's default upper percentile (99) at about the brightest pixel.
pub fn normalise(image: &Image, range: Normalise) -> Image {
    let (rgb, labs) = lab_pixels(image);
    let lightness: Vec<f32> = labs.iter().map(|p| p[0]).collect();
    let bins: Vec<usize> = lightness
        .iter()
        .map(|l| l.round().clamp(0.0, 100.0) as usize)
        .collect();
    let length = bins.iter().max().map_or(1, |&max| max + 1);
    let mut histogram = vec![0u64; length];
    bins.iter().for_each(|&bin| histogram[bin] += 1);
    let total = lightness.len() as f64;
    let percentile = |percent: u8| -> f32 {
        let wanted = percent as f64 * length as f64 / 100.0;
        let mut seen = 0;
        histogram
            .iter()
            .position(|&count| {
                seen += count;
                seen as f64 * (length - 1) as f64 / total > wanted
            })
            .unwrap_or(length) as f32
    };
    let extreme = |pick: fn(f32, f32) -> f32, start| lightness.iter().copied().fold(start, pick);
    let min = if range.lower == 0 {
        extreme(f32::min, f32::INFINITY).floor()
    } else {
        percentile(range.lower)
    };
    let max = if range.upper == 100 {
        extreme(f32::max, f32::NEG_INFINITY).floor()
    } else {
        percentile(range.upper)
    };
    if (max - min).abs() <= 1.0 {
        return image.clone();
    }
    let factor = 100.0 / (max - min);
    with_lab(
        rgb,
        labs.into_iter().map(|[l, a, b]| [(l - min) * factor, a, b]),
    )
}

pub fn sharpen(image: &Image, sharpen: Sharpen) -> Image {
    let Sharpen::Luminance {
        sigma,
        m1,
        m2,
        x1,
        y2,
        y3,
    } = sharpen
    else {
        return super::filter::mild_sharpen(image);
    };
    let (rgb, labs) = lab_pixels(image);
    let lightness = Planes {
        width: rgb.width as usize,
        height: rgb.height as usize,
        channels: 1,
        data: labs.iter().map(|p| p[0]).collect(),
    };
    let blurred = lightness.convolve_separable(&gaussian_kernel(sigma, 0.2));
    let (m1, m2, x1, y2, y3) = (m1 as f32, m2 as f32, x1 as f32, y2 as f32, y3 as f32);
    let boost = |difference: f32| {
        let size = difference.abs();
        let gain = if size < x1 {
            size * m1
        } else {
            x1 * m1 + (size - x1) * m2
        };
        if difference < 0.0 {
            -gain.min(y3)
        } else {
            gain.min(y2)
        }
    };
    let sharpened = labs
        .into_iter()
        .zip(blurred.data)
        .map(|([l, a, b], soft)| [(l + boost(l - soft)).clamp(0.0, 100.0), a, b]);
    with_lab(rgb, sharpened)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greyscale_weighs_linear_light() {
        // Linear-light luminance of pure red is 0.2127, sRGB-encoded 127.
        let red = Image::new(1, 1, 3, vec![255, 0, 0]);
        assert_eq!(greyscale(&red).data, [127]);
        let white = Image::new(1, 1, 4, vec![255, 255, 255, 9]);
        assert_eq!(greyscale(&white).data, [255, 9]);
    }

    #[test]
    fn negate_inverts_colour_and_alpha_when_asked() {
        let image = Image::filled(1, 1, &[10, 20, 30, 200]);
        assert_eq!(
            negate(&image, Negate { alpha: true }).data,
            [245, 235, 225, 55]
        );
        assert_eq!(
            negate(&image, Negate { alpha: false }).data,
            [245, 235, 225, 200]
        );
    }

    #[test]
    fn gamma_and_its_inverse_roughly_cancel() {
        let image = Image::new(256, 1, 1, (0..=255).collect());
        let back = gamma(&gamma(&image, 1.0 / 2.2), 2.2);
        // 8-bit steps lose the darkest tones; from the mid-tones up they come back.
        assert!(image.data[64..]
            .iter()
            .zip(&back.data[64..])
            .all(|(a, b)| a.abs_diff(*b) <= 3));
        assert!(gamma(&image, 1.0 / 2.2).data[128] < 64);
    }

    #[test]
    fn modulate_identity_keeps_pixels_and_saturation_zero_greys() {
        let image = Image::filled(2, 2, &[200, 40, 90]);
        let identity = Modulate {
            brightness: 1.0,
            saturation: 1.0,
            hue: 0.0,
            lightness: 0.0,
        };
        let same = modulate(&image, identity);
        assert!(same
            .data
            .iter()
            .zip(&image.data)
            .all(|(a, b)| a.abs_diff(*b) <= 1));
        let grey = modulate(
            &image,
            Modulate {
                saturation: 0.0,
                ..identity
            },
        );
        assert!(
            grey.data[0].abs_diff(grey.data[1]) <= 1 && grey.data[1].abs_diff(grey.data[2]) <= 1
        );
    }

    #[test]
    fn tint_keeps_black_and_white_and_colours_the_mid_tones() {
        let image = Image::new(3, 1, 1, vec![0, 128, 255]);
        let tinted = tint(
            &image,
            Rgba {
                r: 255,
                g: 0,
                b: 0,
                a: 255,
            },
        );
        assert_eq!(&tinted.data[0..3], &[0, 0, 0]);
        assert_eq!(&tinted.data[6..9], &[255, 255, 255]);
        assert!(
            tinted.data[3] > tinted.data[4] + 40,
            "{:?}",
            &tinted.data[3..6]
        );
    }

    #[test]
    fn normalise_stretches_a_dull_image_to_black_and_white() {
        let image = Image::new(100, 1, 1, (0..100).map(|v| 80 + v as u8).collect());
        let stretched = normalise(
            &image,
            Normalise {
                lower: 1,
                upper: 99,
            },
        );
        // The upper percentile lands just above the brightest pixel (libvips), so it stays short of white.
        let brightest = stretched.data[stretched.data.len() - 3];
        assert!(
            stretched.data[0] <= 2 && (240..255).contains(&brightest),
            "{:?}",
            stretched.data
        );
    }
}
