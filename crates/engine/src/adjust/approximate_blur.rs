//! sharp's `blur({ precision: 'approximate' })`: libvips' `convasep`, which stands a
//! Gaussian in for a few stacked box filters. The integer Gaussian (`gaussmat` at integer
//! precision: 20 x the curve, rounded) is cut into five horizontal layers; each layer is
//! the runs of the mask that reach above its midpoint, and every run is a box whose sum
//! costs two additions per pixel. Rows, then columns; edges repeat the border pixel.

use super::filter::Planes;
use crate::image::Image;

/// libvips' default number of layers.
const LAYERS: usize = 5;

/// One box of the decomposed mask: taps `start..end`, weighted `factor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    start: usize,
    end: usize,
    factor: i64,
}

/// The mask cut into runs, with the divisor its sums are scaled by.
#[derive(Debug, PartialEq)]
struct Boxes {
    width: usize,
    runs: Vec<Run>,
    divisor: i64,
}

/// `gaussmat`'s separable integer mask.
fn integer_gaussian(sigma: f64, min_amplitude: f64) -> Vec<i64> {
    let two_sigma_squared = 2.0 * sigma * sigma;
    let limit = (8.0 * sigma).clamp(0.0, 5000.0) as i64;
    let x = (0..limit)
        .find(|&x| (-((x * x) as f64) / two_sigma_squared).exp() < min_amplitude)
        .unwrap_or(limit);
    let radius = (x - 1).max(0);
    (-radius..=radius)
        .map(|x| (20.0 * (-((x * x) as f64) / two_sigma_squared).exp()).round_ties_even() as i64)
        .collect()
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

impl Boxes {
    /// `convasep`'s decomposition of a mask of non-negative taps, as libvips does it
    /// (including how it scales the area by the common factor of the runs).
    fn of(mask: &[i64]) -> Boxes {
        let max = mask.iter().copied().max().unwrap_or(0).max(0) as f64;
        let depth = max / LAYERS as f64;
        let layers = (max / depth).ceil() as usize;
        let depth = max / layers as f64;
        let mut runs: Vec<Run> = Vec::new();
        for z in 0..layers {
            let midpoint = max - (1 + z) as f64 * depth + depth / 2.0;
            let mut start = None;
            for (x, &tap) in mask.iter().chain([&i64::MIN]).enumerate() {
                match (tap as f64 >= midpoint, start) {
                    (true, None) => start = Some(x),
                    (false, Some(s)) => {
                        runs.push(Run {
                            start: s,
                            end: x,
                            factor: 1,
                        });
                        start = None;
                    }
                    _ => {}
                }
            }
        }
        let mut merged: Vec<Run> = Vec::new();
        for run in runs {
            match merged
                .iter_mut()
                .find(|m| (m.start, m.end) == (run.start, run.end))
            {
                Some(same) => same.factor += run.factor,
                None => merged.push(run),
            }
        }
        let mut area: i64 = merged
            .iter()
            .map(|r| r.factor * (r.end - r.start) as i64)
            .sum();
        let common = merged.iter().fold(0, |g, r| gcd(g, r.factor)).max(1);
        merged.iter_mut().for_each(|r| r.factor /= common);
        area *= common;
        // libvips scales by the mask's sum over its scale, both the sum here.
        Boxes {
            width: mask.len(),
            runs: merged,
            divisor: area.max(1),
        }
    }

    /// One pass along `len` samples `stride` apart, starting at `first`: each output the
    /// weighted box sums over the input extended by copying its ends, divided, rounded and
    /// clipped as libvips' 8-bit path does.
    fn pass(&self, data: &[u8], first: usize, stride: usize, len: usize, out: &mut [u8]) {
        let half = self.width / 2;
        let mut prefix = Vec::with_capacity(len + self.width);
        prefix.push(0i64);
        let mut total = 0;
        for i in 0..len + self.width - 1 {
            let source = (i as isize - half as isize).clamp(0, len as isize - 1) as usize;
            total += data[first + source * stride] as i64;
            prefix.push(total);
        }
        let rounding = (self.divisor + 1) / 2;
        for x in 0..len {
            let sum: i64 = self
                .runs
                .iter()
                .map(|r| r.factor * (prefix[x + r.end] - prefix[x + r.start]))
                .sum();
            out[first + x * stride] = ((sum + rounding) / self.divisor).clamp(0, 255) as u8;
        }
    }
}

/// As sharp runs it: colour premultiplied by alpha and cast back to 8 bits (truncated),
/// blurred in libvips' integer path, then divided by alpha and truncated again.
pub fn blur(image: &Image, sigma: f64, min_amplitude: f64) -> Image {
    let boxes = Boxes::of(&integer_gaussian(sigma, min_amplitude));
    let premultiplied: Vec<u8> = Planes::premultiplied(image)
        .data
        .iter()
        .map(|&v| v as u8)
        .collect();
    let (w, h, ch) = (
        image.width as usize,
        image.height as usize,
        image.channels as usize,
    );
    let mut rows = vec![0; premultiplied.len()];
    for y in 0..h {
        for c in 0..ch {
            boxes.pass(&premultiplied, y * w * ch + c, ch, w, &mut rows);
        }
    }
    let mut data = premultiplied;
    for x in 0..w {
        for c in 0..ch {
            boxes.pass(&rows, x * ch + c, w * ch, h, &mut data);
        }
    }
    if image.has_alpha() {
        for pixel in data.chunks_exact_mut(ch) {
            let (colour, alpha) = pixel.split_at_mut(ch - 1);
            let scale = if alpha[0] > 0 {
                255.0 / alpha[0] as f32
            } else {
                0.0
            };
            colour
                .iter_mut()
                .for_each(|v| *v = (*v as f32 * scale).min(255.0) as u8);
        }
    }
    Image::new(image.width, image.height, image.channels, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gaussian_becomes_nested_runs_of_its_layers() {
        let mask = integer_gaussian(2.0, 0.2);
        assert_eq!(mask, vec![6, 12, 18, 20, 18, 12, 6]);
        let boxes = Boxes::of(&mask);
        // Layers of depth 4 from 20 down: midpoints 18, 14, 10, 6 and 2.
        let spans: Vec<_> = boxes
            .runs
            .iter()
            .map(|r| (r.start, r.end, r.factor))
            .collect();
        assert_eq!(spans, vec![(2, 5, 2), (1, 6, 1), (0, 7, 2)]);
        assert_eq!(boxes.divisor, 2 * 3 + 5 + 2 * 7);
    }

    #[test]
    fn a_flat_image_stays_flat_and_a_step_is_smoothed() {
        let flat = Image::new(30, 4, 1, vec![100; 120]);
        assert!(blur(&flat, 3.0, 0.2).data.iter().all(|&v| v == 100));

        let step = (0..120)
            .map(|i| if i % 30 < 15 { 0 } else { 200 })
            .collect();
        let blurred = blur(&Image::new(30, 4, 1, step), 3.0, 0.2);
        let row = &blurred.data[..30];
        assert!(row.windows(2).all(|p| p[0] <= p[1]), "{row:?}");
        assert!(row[13] > 0 && row[16] < 200, "{row:?}");
        assert_eq!((row[0], row[29]), (0, 200));
    }
}
