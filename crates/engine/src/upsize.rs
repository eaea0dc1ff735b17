//! Enlarging as libvips' `vips_resize` enlarges (sharp's every kernel past 1x): not with
//! the kernel but with an interpolator, bicubic (Catmull-Rom) for the cubic, Mitchell,
//! Lanczos and Magic Kernel choices, bilinear for linear, and output pixel `x` reads the
//! input at `x / scale - 0.5` (libvips' input displacement of half a pixel), past the edges
//! the edge pixels repeated. Alpha images are interpolated premultiplied, in floating point.

use crate::geometry::Region;
use crate::image::Image;
use crate::operations::Kernel;

const POSITIONS: f64 = 64.0;

/// One axis's interpolation: the first input sample read and its weights, per output pixel.
struct Taps {
    first: Vec<i64>,
    weights: Vec<[f32; 4]>,
}

/// `region` of `source` enlarged to `width` x `height`. An axis that does not grow (it
/// has the output's size already, reduced first) is still read half a pixel early, as
/// libvips' one affine transform reads both axes.
pub fn upsize(source: &Image, region: Region, width: u32, height: u32, kernel: Kernel) -> Image {
    let horizontal = taps(region.left, region.width, width, kernel);
    let vertical = taps(region.top, region.height, height, kernel);
    let channels = source.channels as usize;
    let alpha = source.has_alpha().then_some(channels - 1);
    let (w, h) = (source.width as i64, source.height as i64);
    // Only the source rows some output row reads; each interpolated across once, into
    // floats (premultiplied), then combined down a whole row at a time.
    let first_row = vertical.first[0].clamp(0, h - 1);
    let last_row = (vertical.first[vertical.first.len() - 1] + 3).clamp(0, h - 1);
    let row_len = width as usize * channels;
    // Where each output column's four taps start in a row of samples, edges repeated.
    let columns: Vec<[usize; 4]> = horizontal
        .first
        .iter()
        .map(|&first| {
            std::array::from_fn(|tap| (first + tap as i64).clamp(0, w - 1) as usize * channels)
        })
        .collect();
    let mut across = vec![0f32; (last_row - first_row + 1) as usize * row_len];
    let mut samples = vec![0f32; w as usize * channels];
    for (y, out) in (first_row..=last_row).zip(across.chunks_exact_mut(row_len)) {
        let row = &source.data[y as usize * source.stride()..][..source.stride()];
        premultiply_row(row, alpha, channels, &mut samples);
        for ((out, at), weights) in out
            .chunks_exact_mut(channels)
            .zip(&columns)
            .zip(&horizontal.weights)
        {
            for (c, value) in out.iter_mut().enumerate() {
                *value = weights[0] * samples[at[0] + c]
                    + weights[1] * samples[at[1] + c]
                    + weights[2] * samples[at[2] + c]
                    + weights[3] * samples[at[3] + c];
            }
        }
    }
    let mut data = Vec::with_capacity(height as usize * row_len);
    let mut combined = vec![0f32; row_len];
    for (&first, weights) in vertical.first.iter().zip(&vertical.weights) {
        let row = |tap: i64| {
            let y = (first + tap).clamp(first_row, last_row) - first_row;
            &across[y as usize * row_len..][..row_len]
        };
        let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3));
        for (i, value) in combined.iter_mut().enumerate() {
            *value =
                weights[0] * r0[i] + weights[1] * r1[i] + weights[2] * r2[i] + weights[3] * r3[i];
        }
        for pixel in combined.chunks_exact(channels) {
            push_unpremultiplied(&mut data, pixel, alpha);
        }
    }
    Image::new(width, height, source.channels, data)
}

fn taps(offset: f64, extent: f64, size: u32, kernel: Kernel) -> Taps {
    let step = extent / size as f64;
    let mut taps = Taps {
        first: Vec::with_capacity(size as usize),
        weights: Vec::with_capacity(size as usize),
    };
    for i in 0..size {
        let at = offset + i as f64 * step - 0.5;
        let (first, weights) = match kernel {
            Kernel::Nearest => (
                (offset + i as f64 * step).floor() as i64,
                [1.0, 0.0, 0.0, 0.0],
            ),
            Kernel::Linear => {
                let t = at - at.floor();
                (at.floor() as i64, [(1.0 - t) as f32, t as f32, 0.0, 0.0])
            }
            _ => {
                // libvips' bicubic reads at 1/64 of a pixel (VIPS_TRANSFORM_SCALE).
                let at = (at * POSITIONS).round() / POSITIONS;
                (at.floor() as i64 - 1, catmull_rom(at - at.floor()))
            }
        };
        taps.first.push(first);
        taps.weights.push(weights);
    }
    taps
}

fn catmull_rom(t: f64) -> [f32; 4] {
    let (t2, t3) = (t * t, t * t * t);
    [
        (-0.5 * t3 + t2 - 0.5 * t) as f32,
        (1.5 * t3 - 2.5 * t2 + 1.0) as f32,
        (-1.5 * t3 + 2.0 * t2 + 0.5 * t) as f32,
        (0.5 * t3 - 0.5 * t2) as f32,
    ]
}

fn premultiply_row(row: &[u8], alpha: Option<usize>, channels: usize, out: &mut [f32]) {
    out.iter_mut().zip(row).for_each(|(o, &v)| *o = v as f32);
    if let Some(a) = alpha {
        for pixel in out.chunks_exact_mut(channels) {
            let coverage = pixel[a] / 255.0;
            pixel[..a].iter_mut().for_each(|v| *v *= coverage);
        }
    }
}

fn push_unpremultiplied(data: &mut Vec<u8>, pixel: &[f32], alpha: Option<usize>) {
    let coverage = alpha.map_or(1.0, |a| pixel[a].clamp(0.0, 255.0) / 255.0);
    for (c, &value) in pixel.iter().enumerate() {
        let straight = if Some(c) == alpha || alpha.is_none() {
            value
        } else if coverage > 0.0 {
            value / coverage
        } else {
            0.0
        };
        data.push(straight.round().clamp(0.0, 255.0) as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_half_a_pixel_early_with_catmull_rom() {
        // One row 0,0,0,255,255,255,0,0 enlarged 2.5x: sharp gives 65 then 190 at the rise
        // and exactly half way at x = 15, which reads the input at 5.5.
        let row: Vec<u8> = [0u8, 0, 0, 255, 255, 255, 0, 0].to_vec();
        let image = Image::new(8, 1, 1, row);
        let region = Region {
            left: 0.0,
            top: 0.0,
            width: 8.0,
            height: 1.0,
        };
        let out = upsize(&image, region, 20, 1, Kernel::Lanczos3);
        assert_eq!(&out.data[6..10], &[0, 65, 190, 255]);
        assert_eq!(out.data[15], 128);
        let linear = upsize(&image, region, 20, 1, Kernel::Linear);
        assert_eq!(linear.data[14], 230);
    }
}
