//! libvips' interpolators, by the names `sharp.interpolators` gives them: each reads the
//! samples around a point of the source and returns every band's value there. Sample
//! (i, j) sits at position (i, j), libvips' corner convention; positions off the image read
//! the background.
use serde::{Deserialize, Serialize};

use super::nohalo;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interpolator {
    Nearest,
    /// sharp's default for `affine`.
    #[default]
    Bilinear,
    /// Catmull-Rom.
    Bicubic,
    /// Locally bounded bicubic: Catmull-Rom with its slopes limited so that no value leaves
    /// the range of its neighbours (no halo).
    Lbb,
    /// One level of nohalo subdivision, finished with LBB.
    Nohalo,
    /// Vertex-split quadratic B-splines: smooth, not interpolating.
    Vsqbs,
}

/// The image an interpolator reads: interleaved samples and the background's.
pub(crate) struct Source<'a> {
    pub width: i64,
    pub height: i64,
    pub channels: usize,
    pub data: &'a [f32],
    pub outside: &'a [f32],
    /// The samples are 8-bit values (no premultiplied alpha): libvips resamples those with
    /// its fixed-point bicubic.
    pub eight_bit: bool,
    /// Where sample (0, 0) is in the coordinates given to `Interpolator::sample`: libvips
    /// resamples an image embedded in a margin, and a point's fraction is taken there.
    pub margin: i64,
}

impl Source<'_> {
    pub fn at(&self, x: i64, y: i64) -> &[f32] {
        let (x, y) = (x - self.margin, y - self.margin);
        if x < 0 || y < 0 || x >= self.width || y >= self.height {
            return self.outside;
        }
        let start = (y * self.width + x) as usize * self.channels;
        &self.data[start..start + self.channels]
    }

    /// A `size` x `size` window whose top-left sample is (x, y), band `c`, row by row;
    /// `step_x`/`step_y` of -1 read it mirrored about (x, y).
    pub fn window<const N: usize>(
        &self,
        (x, y): (i64, i64),
        (step_x, step_y): (i64, i64),
        offset: i64,
        c: usize,
    ) -> [[f64; N]; N] {
        let mut out = [[0.0; N]; N];
        for (j, row) in out.iter_mut().enumerate() {
            for (i, value) in row.iter_mut().enumerate() {
                let dx = (i as i64 + offset) * step_x;
                let dy = (j as i64 + offset) * step_y;
                *value = self.at(x + dx, y + dy)[c] as f64;
            }
        }
        out
    }
}

impl Interpolator {
    /// The margin libvips' affine embeds the image in for this interpolator: its window's
    /// offset, plus one.
    pub(crate) fn margin(self) -> i64 {
        match self {
            Interpolator::Nearest | Interpolator::Bilinear => 1,
            Interpolator::Bicubic | Interpolator::Lbb | Interpolator::Vsqbs => 2,
            Interpolator::Nohalo => 3,
        }
    }

    /// Every band's value at (x, y), into `out`.
    pub(crate) fn sample(self, source: &Source, x: f64, y: f64, out: &mut [f64]) {
        match self {
            Interpolator::Nearest => {
                let pixel = source.at(x.floor() as i64, y.floor() as i64);
                for (o, &v) in out.iter_mut().zip(pixel) {
                    *o = v as f64;
                }
            }
            Interpolator::Bilinear => {
                let (ix, iy) = (x.floor(), y.floor());
                let weights_x = [1.0 - (x - ix), x - ix];
                let weights_y = [1.0 - (y - iy), y - iy];
                separable(source, (ix as i64, iy as i64), &weights_x, &weights_y, out);
            }
            Interpolator::Bicubic if source.eight_bit => bicubic_fixed(source, x, y, out),
            Interpolator::Bicubic => {
                let (ix, iy) = (x.floor(), y.floor());
                let weights_x = catmull_rom(in_64ths(x));
                let weights_y = catmull_rom(in_64ths(y));
                separable(
                    source,
                    (ix as i64 - 1, iy as i64 - 1),
                    &weights_x,
                    &weights_y,
                    out,
                );
            }
            Interpolator::Lbb => {
                let (ix, iy) = (x.floor(), y.floor());
                let (fx, fy) = (x - ix, y - iy);
                for (c, o) in out.iter_mut().enumerate() {
                    let stencil = source.window::<4>((ix as i64, iy as i64), (1, 1), -1, c);
                    *o = nohalo::lbb(&stencil, fx, fy);
                }
            }
            Interpolator::Nohalo => nohalo::nohalo(source, x, y, out),
            Interpolator::Vsqbs => vsqbs(source, x, y, out),
        }
    }
}

/// Weights of samples -1, 0, 1 and 2 for a point `t` (0-1) past sample 0.
fn catmull_rom(t: f64) -> [f64; 4] {
    let (t2, t3) = (t * t, t * t * t);
    [
        0.5 * (-t3 + 2.0 * t2 - t),
        0.5 * (3.0 * t3 - 5.0 * t2 + 2.0),
        0.5 * (-3.0 * t3 + 4.0 * t2 + t),
        0.5 * (t3 - t2),
    ]
}

/// The fraction of a position past its sample, rounded to 1/64 as libvips' bicubic tables are.
fn in_64ths(v: f64) -> f64 {
    ((((v - v.floor()) * 128.0) as i64 + 1) >> 1) as f64 / 64.0
}

/// libvips' 8-bit bicubic: weights in 12-bit fixed point (truncated), each row's sum
/// rounded before the column's.
fn bicubic_fixed(source: &Source, x: f64, y: f64, out: &mut [f64]) {
    const SHIFT: u32 = 12;
    let weights = |v: f64| catmull_rom(in_64ths(v)).map(|w| (w * (1 << SHIFT) as f64) as i64);
    let round = |sum: i64| (sum + (1 << (SHIFT - 1))) >> SHIFT;
    let (wx, wy) = (weights(x), weights(y));
    let (left, top) = (x.floor() as i64 - 1, y.floor() as i64 - 1);
    for (c, o) in out.iter_mut().enumerate() {
        let mut sum = 0;
        for (j, cy) in wy.iter().enumerate() {
            let row: i64 = (0..4)
                .map(|i| wx[i] * source.at(left + i as i64, top + j as i64)[c] as i64)
                .sum();
            sum += cy * round(row);
        }
        *o = round(sum).clamp(0, 255) as f64;
    }
}

fn separable<const N: usize>(
    source: &Source,
    (left, top): (i64, i64),
    weights_x: &[f64; N],
    weights_y: &[f64; N],
    out: &mut [f64],
) {
    out.fill(0.0);
    for (j, wy) in weights_y.iter().enumerate() {
        for (i, wx) in weights_x.iter().enumerate() {
            let pixel = source.at(left + i as i64, top + j as i64);
            let w = wx * wy;
            for (o, &v) in out.iter_mut().zip(pixel) {
                *o += w * v as f64;
            }
        }
    }
}

/// Vertex-split subdivision then quadratic B-spline smoothing, which together weigh the
/// nearest sample and the eight around it. The stencil is mirrored so the point lies below
/// and right of the nearest sample; at that sample itself the weights are 1/2 for it and
/// 1/8 for each of its four edge neighbours.
fn vsqbs(source: &Source, x: f64, y: f64, out: &mut [f64]) {
    let (ix, iy) = ((x + 0.5).floor(), (y + 0.5).floor());
    let (rx, ry) = (x - ix, y - iy);
    let step = (
        if rx >= 0.0 { 1 } else { -1 },
        if ry >= 0.0 { 1 } else { -1 },
    );
    // Distances from the first vertex-split point, in half-pixel units.
    let u = 2.0 * rx.abs() - 0.5;
    let v = 2.0 * ry.abs() - 0.5;
    let (centre_x, centre_y) = (0.75 - u * u, 0.75 - v * v);
    let (left, top) = (0.5 - 0.5 * (u + centre_x), 0.5 - 0.5 * (v + centre_y));
    let right = 1.0 - left - centre_x;
    let bottom = 1.0 - top - centre_y;
    let (left_centre, top_centre) = (left + centre_x, top + centre_y);
    let (centre_right, centre_bottom) = (1.0 - left, 1.0 - top);
    // (dx, dy, four times the weight), dx and dy along the mirrored axes.
    let above = left_centre * top;
    let before = left * top_centre;
    let taps = [
        (0, -1, above),
        (1, -1, top - above),
        (-1, 0, before),
        (0, 0, left_centre + top_centre),
        (1, 0, centre_right * top_centre + right),
        (-1, 1, left - before),
        (0, 1, centre_bottom * left_centre + bottom),
        (1, 1, centre_bottom * right + centre_right * bottom),
    ];
    out.fill(0.0);
    for (dx, dy, weight) in taps {
        let pixel = source.at(ix as i64 + dx * step.0, iy as i64 + dy * step.1);
        for (o, &v) in out.iter_mut().zip(pixel) {
            *o += 0.25 * weight * v as f64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp() -> Vec<f32> {
        (0..25).map(|i| (i % 5 * 10 + i / 5 * 3) as f32).collect()
    }

    fn at(interpolator: Interpolator, data: &[f32], x: f64, y: f64) -> f64 {
        let source = Source {
            width: 5,
            height: 5,
            channels: 1,
            data,
            outside: &[0.0],
            eight_bit: false,
            margin: 0,
        };
        let mut out = [0.0];
        interpolator.sample(&source, x, y, &mut out);
        out[0]
    }

    #[test]
    fn interpolating_methods_return_the_samples_at_their_positions() {
        let data = ramp();
        for interpolator in [
            Interpolator::Nearest,
            Interpolator::Bilinear,
            Interpolator::Bicubic,
            Interpolator::Lbb,
            Interpolator::Nohalo,
        ] {
            assert_eq!(at(interpolator, &data, 2.0, 3.0), 29.0, "{interpolator:?}");
        }
    }

    #[test]
    fn linear_ramps_are_reproduced_inside_the_image() {
        let data = ramp();
        for interpolator in [
            Interpolator::Bilinear,
            Interpolator::Bicubic,
            Interpolator::Lbb,
            Interpolator::Nohalo,
            Interpolator::Vsqbs,
        ] {
            let value = at(interpolator, &data, 2.25, 1.5);
            assert!((value - 27.0).abs() < 1e-9, "{interpolator:?} gave {value}");
        }
    }

    #[test]
    fn vsqbs_smooths_a_sample_with_its_four_neighbours() {
        let mut data = vec![0.0; 25];
        data[12] = 80.0;
        assert_eq!(at(Interpolator::Vsqbs, &data, 2.0, 2.0), 40.0);
        assert_eq!(at(Interpolator::Vsqbs, &data, 3.0, 2.0), 10.0);
    }
}
