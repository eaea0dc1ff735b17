//! Nicolas Robidoux's nonlinear interpolators as libvips has them: LBB (locally bounded
//! bicubic) and nohalo (one level of co-monotone subdivision, finished with LBB).
//!
//! LBB is a bicubic Hermite patch between four samples whose slopes and cross slopes start
//! as Catmull-Rom's (central differences) and are then limited, corner by corner, so that
//! the patch stays between the smallest and largest of the 3x3 samples around each corner
//! (Brodlie, Mashwama and Butt's constraints, applied locally).
use super::interpolate::Source;

/// The LBB value at (`x`, `y`), each 0-1, inside the patch of `s[1][1]`, `s[1][2]`,
/// `s[2][1]` and `s[2][2]` of a 4x4 stencil (row by row).
pub(crate) fn lbb(s: &[[f64; 4]; 4], x: f64, y: f64) -> f64 {
    let mut value = 0.0;
    for (row, weight_y) in [(1, hermite(y)), (2, hermite(1.0 - y))] {
        for (col, weight_x) in [(1, hermite(x)), (2, hermite(1.0 - x))] {
            let corner = limited_derivatives(s, row, col);
            // Toward the far corner the patch's coordinate runs backwards.
            let sign_x = if col == 1 { 1.0 } else { -1.0 };
            let sign_y = if row == 1 { 1.0 } else { -1.0 };
            value += corner.value * weight_x.value * weight_y.value
                + sign_x * corner.dx * weight_x.slope * weight_y.value
                + sign_y * corner.dy * weight_x.value * weight_y.slope
                + sign_x * sign_y * corner.dxy * weight_x.slope * weight_y.slope;
        }
    }
    value
}

struct HermiteWeights {
    value: f64,
    slope: f64,
}

/// The cubic Hermite basis of the end at distance `t` (0-1): its value's weight
/// (1 + 2t)(1 - t)^2 and its slope's weight t(1 - t)^2.
fn hermite(t: f64) -> HermiteWeights {
    let far = (1.0 - t) * (1.0 - t);
    HermiteWeights {
        value: (1.0 + 2.0 * t) * far,
        slope: t * far,
    }
}

struct Corner {
    value: f64,
    dx: f64,
    dy: f64,
    dxy: f64,
}

fn limited_derivatives(s: &[[f64; 4]; 4], row: usize, col: usize) -> Corner {
    let value = s[row][col];
    let (mut low, mut high) = (value, value);
    for line in &s[row - 1..=row + 1] {
        for &v in &line[col - 1..=col + 1] {
            low = low.min(v);
            high = high.max(v);
        }
    }
    let (below, above) = (value - low, high - value);
    let limit = 3.0 * below.min(above);
    let clamp_slope = |d: f64| {
        if d.abs() <= limit {
            d
        } else {
            limit.copysign(d)
        }
    };
    let dx = clamp_slope(0.5 * (s[row][col + 1] - s[row][col - 1]));
    let dy = clamp_slope(0.5 * (s[row + 1][col] - s[row - 1][col]));
    let cross = 0.25
        * (s[row - 1][col - 1] - s[row - 1][col + 1] - s[row + 1][col - 1] + s[row + 1][col + 1]);
    let (sum, difference) = (3.0 * (dx + dy).abs(), 3.0 * (dx - dy).abs());
    let dxy = cross
        .max(sum - 9.0 * below)
        .min(9.0 * above - sum)
        .min(9.0 * below - difference)
        .max(difference - 9.0 * above);
    Corner { value, dx, dy, dxy }
}

/// minmod: the smaller in size of two differences of one sign, else 0.
fn minmod(a: f64, b: f64) -> f64 {
    if a * b < 0.0 {
        0.0
    } else if a.abs() <= b.abs() {
        a
    } else {
        b
    }
}

/// Nohalo at (x, y) for every band. The 5x5 samples around the nearest one (corners
/// unused) are read mirrored so that the point lies below and right of it; their
/// half-pixel subdivision (each sample a line with minmod slopes, midpoints and centres
/// the mean of the lines that meet there) gives the 4x4 LBB stencil at half spacing.
pub(crate) fn nohalo(source: &Source, x: f64, y: f64, out: &mut [f64]) {
    let (ix, iy) = ((x + 0.5).floor(), (y + 0.5).floor());
    let (rx, ry) = (x - ix, y - iy);
    let step = (
        if rx >= 0.0 { 1 } else { -1 },
        if ry >= 0.0 { 1 } else { -1 },
    );
    for (c, o) in out.iter_mut().enumerate() {
        let p = source.window::<5>((ix as i64, iy as i64), step, -2, c);
        *o = lbb(&subdivide(&p), 2.0 * rx.abs(), 2.0 * ry.abs());
    }
}

/// The 4x4 half-spaced values from (-1/2, -1/2) to (1, 1) around `p[2][2]`.
fn subdivide(p: &[[f64; 5]; 5]) -> [[f64; 4]; 4] {
    let slope_x = |r: usize, c: usize| minmod(p[r][c] - p[r][c - 1], p[r][c + 1] - p[r][c]);
    let slope_y = |r: usize, c: usize| minmod(p[r][c] - p[r - 1][c], p[r + 1][c] - p[r][c]);
    // The value at (r + dr / 2, c + dc / 2) of sample (r, c)'s line.
    let line = |r: usize, c: usize, dr: f64, dc: f64| {
        p[r][c] + 0.5 * (dc * slope_x(r, c) + dr * slope_y(r, c))
    };
    let mut out = [[0.0; 4]; 4];
    for (j, row) in out.iter_mut().enumerate() {
        for (i, value) in row.iter_mut().enumerate() {
            // Half-pixel offsets -1..2 from the centre sample, on the grid of `p`.
            let (hy, hx) = (j as i64 - 1, i as i64 - 1);
            let (r, c) = (
                (4 + hy).div_euclid(2) as usize,
                (4 + hx).div_euclid(2) as usize,
            );
            *value = match (hy % 2 != 0, hx % 2 != 0) {
                (false, false) => p[r][c],
                (false, true) => 0.5 * (line(r, c, 0.0, 1.0) + line(r, c + 1, 0.0, -1.0)),
                (true, false) => 0.5 * (line(r, c, 1.0, 0.0) + line(r + 1, c, -1.0, 0.0)),
                (true, true) => {
                    0.25 * (line(r, c, 1.0, 1.0)
                        + line(r, c + 1, 1.0, -1.0)
                        + line(r + 1, c, -1.0, 1.0)
                        + line(r + 1, c + 1, -1.0, -1.0))
                }
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lbb_is_catmull_rom_where_its_limiters_are_idle() {
        let s = [
            [1.0, 2.0, 4.0, 7.0],
            [2.0, 3.0, 5.0, 8.0],
            [4.0, 5.0, 7.0, 10.0],
            [7.0, 8.0, 10.0, 13.0],
        ];
        // A smooth surface x^2/2 + ... sampled: Catmull-Rom of the middle row at 0.5.
        let row = |r: usize| (-s[r][0] + 9.0 * s[r][1] + 9.0 * s[r][2] - s[r][3]) / 16.0;
        let expected = (-row(0) + 9.0 * row(1) + 9.0 * row(2) - row(3)) / 16.0;
        assert!((lbb(&s, 0.5, 0.5) - expected).abs() < 1e-9);
    }

    #[test]
    fn lbb_stays_within_its_neighbours_at_an_edge() {
        let mut s = [[0.0; 4]; 4];
        for row in &mut s {
            row[2] = 255.0;
            row[3] = 255.0;
        }
        for t in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let v = lbb(&s, t, 0.5);
            assert!((0.0..=255.0).contains(&v), "{v} at {t}");
        }
    }

    #[test]
    fn subdivision_of_a_step_keeps_it_monotone() {
        let mut p = [[0.0; 5]; 5];
        for row in &mut p {
            row[3] = 100.0;
            row[4] = 100.0;
        }
        let fine = subdivide(&p);
        // Fine columns sit at -1/2, 0, 1/2, 1: the step between 0 and 1 is halved.
        assert_eq!(fine[1], [0.0, 0.0, 50.0, 100.0]);
    }
}
