//! sRGB to CIE L*a*b* (D65, as libvips) and back, for the operations sharp runs in Lab.

use std::sync::OnceLock;

const WHITE: [f32; 3] = [0.950_47, 1.0, 1.088_83];

fn decode_table() -> &'static [f32; 256] {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|v| to_linear(v as f32 / 255.0)))
}

fn to_linear(v: f32) -> f32 {
    if v <= 0.040_45 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn from_linear(v: f32) -> f32 {
    if v <= 0.003_130_8 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    }
}

/// Linear light of an 8-bit sRGB value, 0-1.
pub fn linear(v: u8) -> f32 {
    decode_table()[v as usize]
}

/// libvips' linear-to-sRGB table: the curve at each of 256 steps, already rounded, with
/// the last entry repeated for the interpolation.
fn encode_table() -> &'static [f32; 257] {
    static TABLE: OnceLock<[f32; 257]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| (255.0 * from_linear(i.min(255) as f32 / 255.0)).round())
    })
}

/// An 8-bit sRGB value of linear light, clamped, as libvips encodes it: interpolated
/// between the two nearest rounded entries of its table, then rounded half to even.
pub fn encode(v: f32) -> u8 {
    let table = encode_table();
    let position = (v * 255.0).clamp(0.0, 255.0);
    let index = position as usize;
    let value = table[index] + (table[index + 1] - table[index]) * (position - index as f32);
    value.round_ties_even() as u8
}

fn f(t: f32) -> f32 {
    if t > 216.0 / 24389.0 {
        t.cbrt()
    } else {
        (24389.0 / 27.0 * t + 16.0) / 116.0
    }
}

fn f_inverse(t: f32) -> f32 {
    let cube = t * t * t;
    if cube > 216.0 / 24389.0 {
        cube
    } else {
        (116.0 * t - 16.0) * 27.0 / 24389.0
    }
}

/// [L 0-100, a, b] of an sRGB pixel.
pub fn from_srgb(pixel: [u8; 3]) -> [f32; 3] {
    of_xyz(xyz_of_srgb(pixel))
}

/// CIE XYZ (Y 1 for white) of an sRGB pixel.
pub fn xyz_of_srgb([r, g, b]: [u8; 3]) -> [f32; 3] {
    let (r, g, b) = (linear(r), linear(g), linear(b));
    [
        0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b,
        0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b,
        0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b,
    ]
}

/// [L 0-100, a, b] of CIE XYZ (Y 1 for white).
pub fn of_xyz([x, y, z]: [f32; 3]) -> [f32; 3] {
    let (fx, fy, fz) = (f(x / WHITE[0]), f(y / WHITE[1]), f(z / WHITE[2]));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// The sRGB pixel of [L, a, b], clamped to the gamut.
pub fn to_srgb([l, a, b]: [f32; 3]) -> [u8; 3] {
    let fy = (l + 16.0) / 116.0;
    let (fx, fz) = (fy + a / 500.0, fy - b / 200.0);
    xyz_to_srgb([
        f_inverse(fx) * WHITE[0],
        f_inverse(fy) * WHITE[1],
        f_inverse(fz) * WHITE[2],
    ])
}

/// The sRGB pixel of CIE XYZ (Y 1 for white), clamped to the gamut.
pub fn xyz_to_srgb([x, y, z]: [f32; 3]) -> [u8; 3] {
    let r = 3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z;
    let g = -0.969_266 * x + 1.876_010_8 * y + 0.041_556 * z;
    let b = 0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z;
    [encode(r), encode(g), encode(b)]
}

/// [L, C, h in degrees] of [L, a, b].
pub fn to_lch([l, a, b]: [f32; 3]) -> [f32; 3] {
    let h = b.atan2(a).to_degrees();
    [l, a.hypot(b), if h < 0.0 { h + 360.0 } else { h }]
}

pub fn from_lch([l, c, h]: [f32; 3]) -> [f32; 3] {
    let (sin, cos) = h.to_radians().sin_cos();
    [l, c * cos, c * sin]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_grey_and_primaries() {
        for v in 0..=255u8 {
            assert_eq!(to_srgb(from_srgb([v, v, v])), [v, v, v]);
        }
        for pixel in [[255, 0, 0], [0, 255, 0], [0, 0, 255], [12, 200, 97]] {
            let back = to_srgb(from_lch(to_lch(from_srgb(pixel))));
            for (x, y) in back.iter().zip(pixel) {
                assert!(x.abs_diff(y) <= 1, "{pixel:?} came back as {back:?}");
            }
        }
    }

    #[test]
    fn white_and_black_are_the_ends_of_l() {
        let white = from_srgb([255, 255, 255]);
        assert!((white[0] - 100.0).abs() < 0.01 && white[1].abs() < 0.01 && white[2].abs() < 0.01);
        assert!(from_srgb([0, 0, 0])[0].abs() < 0.01);
    }
}
