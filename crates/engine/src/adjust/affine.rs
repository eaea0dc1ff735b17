//! sharp's `affine`: libvips' vips_affine. The output is the bounding box of the input's
//! transformed corners (each edge rounded); output pixel (X, Y) of that box reads the
//! input at the inverse of X = a (x + idx) + b (y + idy) + odx, Y = c (x + idx) +
//! d (y + idy) + ody, past the edges the background. An image with alpha is resampled
//! premultiplied, as libvips does (background included), and its samples truncated back.
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::interpolate::{Interpolator, Source};
use crate::error::{EngineError, ErrorKind, Result};
use crate::image::Image;
use crate::pixels;
use crate::planning::check_output_size;
use crate::rgba::Rgba;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Affine {
    /// a, b, c, d, row by row.
    pub matrix: [f64; 4],
    #[serde(default)]
    pub idx: f64,
    #[serde(default)]
    pub idy: f64,
    #[serde(default)]
    pub odx: f64,
    #[serde(default)]
    pub ody: f64,
    pub background: Rgba,
    #[serde(default)]
    pub interpolator: Interpolator,
}

struct Area {
    left: i64,
    top: i64,
    width: u32,
    height: u32,
}

/// libvips' VIPS_ROUND_INT.
fn round(v: f64) -> f64 {
    (v + 0.5).floor()
}

fn output_area(affine: &Affine, width: u32, height: u32) -> Result<Area> {
    let [a, b, c, d] = affine.matrix;
    let (w, h) = (width as f64, height as f64);
    let corners = [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)];
    let xs = corners.map(|(x, y)| a * x + b * y);
    let ys = corners.map(|(x, y)| c * x + d * y);
    let low = |v: [f64; 4]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let high = |v: [f64; 4]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (out_w, out_h) = (round(high(xs) - low(xs)), round(high(ys) - low(ys)));
    // `as u64` saturates: an infinite or huge side is refused as MAX.
    check_output_size(out_w as u64, out_h as u64, 1)
        .map_err(|e| EngineError::new(e.kind, format!("affine: {}", e.message)))?;
    Ok(Area {
        left: round(low(xs)) as i64,
        top: round(low(ys)) as i64,
        width: out_w.max(1.0) as u32,
        height: out_h.max(1.0) as u32,
    })
}

pub fn affine(image: &Image, affine: &Affine) -> Result<Image> {
    let [a, b, c, d] = affine.matrix;
    let determinant = a * d - b * c;
    if !determinant.is_normal() {
        return Err(EngineError::new(
            ErrorKind::InvalidOption,
            "affine: the matrix is singular or near-singular",
        ));
    }
    let area = output_area(affine, image.width, image.height)?;
    let background = affine.background;
    let image = if background.a < 255 && !image.has_alpha() {
        Cow::Owned(pixels::with_channels(image, image.channels + 1))
    } else {
        Cow::Borrowed(image)
    };
    let channels = image.channels as usize;
    let alpha = image.has_alpha().then_some(channels - 1);
    let to_samples = |pixel: &[u8], samples: &mut Vec<f32>| {
        let opacity = alpha.map_or(1.0, |i| pixel[i] as f32 / 255.0);
        samples.extend(pixel.iter().enumerate().map(|(band, &v)| match alpha {
            Some(i) if i == band => v as f32,
            _ => v as f32 * opacity,
        }));
    };
    let mut data = Vec::with_capacity(image.data.len());
    for pixel in image.data.chunks_exact(channels) {
        to_samples(pixel, &mut data);
    }
    let mut outside = Vec::with_capacity(channels);
    to_samples(
        &pixels::samples_of(background, image.channels),
        &mut outside,
    );
    let source = Source {
        width: image.width as i64,
        height: image.height as i64,
        channels,
        data: &data,
        outside: &outside,
        eight_bit: alpha.is_none(),
        margin: affine.interpolator.margin(),
    };
    let inverse = [
        d / determinant,
        -b / determinant,
        -c / determinant,
        a / determinant,
    ];
    let mut out = Vec::with_capacity(area.width as usize * area.height as usize * channels);
    let mut values = vec![0.0; channels];
    let margin = source.margin as f64;
    let (width, height) = (image.width as f64, image.height as f64);
    for row in 0..area.height as i64 {
        // As libvips: each row starts from the transformed first pixel, in the margin's
        // coordinates, and steps by the inverse's first column (which decides on which side
        // of a whole sample an exact position falls); a point whose cell is not within one
        // sample of the image is the background, without interpolating.
        let ox = area.left as f64 - affine.odx;
        let oy = (area.top + row) as f64 - affine.ody;
        let mut x = inverse[0] * ox + inverse[1] * oy + margin - affine.idx;
        let mut y = inverse[2] * ox + inverse[3] * oy + margin - affine.idy;
        for _ in 0..area.width {
            let (column, line) = (x.floor() - margin, y.floor() - margin);
            let outside_image = column < -1.0 || line < -1.0 || column >= width || line >= height;
            if outside_image {
                values
                    .iter_mut()
                    .zip(&outside)
                    .for_each(|(v, &o)| *v = o as f64);
            } else {
                affine.interpolator.sample(&source, x, y, &mut values);
            }
            push_pixel(&mut out, &values, alpha);
            x += inverse[0];
            y += inverse[2];
        }
    }
    Ok(Image::new(area.width, area.height, image.channels, out))
}

/// Without alpha a sample rounds to the nearest; with it, libvips unpremultiplies by a
/// single-precision 255 / alpha and casts, which truncates (an alpha that truncates to 0
/// leaves the colour 0, as sharp's output has it).
fn push_pixel(out: &mut Vec<u8>, values: &[f64], alpha: Option<usize>) {
    match alpha {
        None => out.extend(
            values
                .iter()
                .map(|v| (v + 0.5).floor().clamp(0.0, 255.0) as u8),
        ),
        Some(i) => {
            let opacity = values[i] as f32;
            let factor = if opacity >= 1.0 { 255.0 / opacity } else { 0.0 };
            for (band, &v) in values.iter().enumerate() {
                let v = if band == i {
                    opacity
                } else {
                    v as f32 * factor
                };
                out.push(v.clamp(0.0, 255.0) as u8);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grey(width: u32, height: u32, data: &[u8]) -> Image {
        Image::new(width, height, 1, data.to_vec())
    }

    fn transform(matrix: [f64; 4], interpolator: Interpolator) -> Affine {
        Affine {
            matrix,
            idx: 0.0,
            idy: 0.0,
            odx: 0.0,
            ody: 0.0,
            background: Rgba::BLACK,
            interpolator,
        }
    }

    #[test]
    fn the_output_is_the_rounded_box_of_the_transformed_corners() {
        let image = grey(4, 3, &[10; 12]);
        let out = affine(
            &image,
            &transform([1.3, 0.0, 0.0, 1.7], Interpolator::Nearest),
        )
        .unwrap();
        // 5.2 and 5.1 round down, as libvips' VIPS_ROUND_INT does.
        assert_eq!((out.width, out.height), (5, 5));
    }

    #[test]
    fn samples_sit_on_corners_and_a_mirror_reads_the_background_first() {
        let image = grey(4, 1, &[10, 50, 90, 130]);
        let doubled = affine(
            &image,
            &transform([2.0, 0.0, 0.0, 1.0], Interpolator::Bilinear),
        )
        .unwrap();
        assert_eq!(doubled.data, [10, 30, 50, 70, 90, 110, 130, 65]);
        let mirrored = affine(
            &image,
            &transform([-1.0, 0.0, 0.0, 1.0], Interpolator::Bilinear),
        )
        .unwrap();
        assert_eq!(mirrored.data, [0, 130, 90, 50]);
    }

    #[test]
    fn a_translucent_background_is_blended_premultiplied() {
        let image = grey(1, 1, &[130]);
        let mut half_white = transform([2.0, 0.0, 0.0, 1.0], Interpolator::Bilinear);
        half_white.background = Rgba {
            r: 255,
            g: 255,
            b: 255,
            a: 128,
        };
        let out = affine(&image, &half_white).unwrap();
        assert_eq!(out.channels, 2);
        // (130 + 255 * 128 / 255) / 2 = 129 over an alpha of (255 + 128) / 2, truncated.
        assert_eq!(out.data, [130, 255, 171, 191]);
    }

    #[test]
    fn a_singular_matrix_is_refused() {
        let image = grey(2, 2, &[0; 4]);
        let error = affine(
            &image,
            &transform([1.0, 1.0, 1.0, 1.0], Interpolator::Bilinear),
        )
        .unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidOption);
    }
}
