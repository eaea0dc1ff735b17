//! libvips' blend modes (its `vips_composite`: Porter-Duff operators and the PDF separable
//! modes), on premultiplied RGBA in 0-1, in `f32` as libvips' vector path computes them.
use serde::{Deserialize, Serialize};

/// sharp's blend names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Blend {
    Clear,
    Source,
    #[default]
    Over,
    In,
    Out,
    Atop,
    Dest,
    DestOver,
    DestIn,
    DestOut,
    DestAtop,
    Xor,
    Add,
    Saturate,
    Multiply,
    Screen,
    Overlay,
    Darken,
    Lighten,
    ColourDodge,
    ColourBurn,
    HardLight,
    SoftLight,
    Difference,
    Exclusion,
}

impl Blend {
    /// Whether a transparent black overlay pixel leaves the base unchanged, so libvips
    /// passes over the parts of the image no overlay reaches (its "skippable" modes).
    pub fn skips_uncovered(self) -> bool {
        !matches!(
            self,
            Blend::Clear | Blend::Source | Blend::In | Blend::Out | Blend::DestIn | Blend::DestAtop
        )
    }
}

/// A premultiplied pixel: red, green, blue and alpha in 0-1.
pub type Pixel = [f32; 4];

/// `b` (the base so far) with `a` (the overlay pixel) blended onto it by `mode`.
pub fn blend(mode: Blend, a: Pixel, b: Pixel) -> Pixel {
    let (alpha_a, alpha_b) = (a[3], b[3]);
    let each = |f: &dyn Fn(f32, f32) -> f32| [f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2])];
    let (colour, alpha) = match mode {
        Blend::Clear => ([0.0; 3], 0.0),
        Blend::Source => ([a[0], a[1], a[2]], alpha_a),
        Blend::Over => (
            each(&|a, b| a + (1.0 - alpha_a) * b),
            over(alpha_a, alpha_b),
        ),
        Blend::In => rescaled(a, b, alpha_a * alpha_b),
        Blend::Out => rescaled(a, b, alpha_a * (1.0 - alpha_b)),
        Blend::Atop => (each(&|a, b| a + (1.0 - alpha_a) * b), alpha_b),
        Blend::Dest => ([b[0], b[1], b[2]], alpha_b),
        Blend::DestOver => (
            each(&|a, b| b + (1.0 - alpha_b) * a),
            alpha_b + alpha_a * (1.0 - alpha_b),
        ),
        Blend::DestIn => rescaled(b, b, alpha_a * alpha_b),
        Blend::DestOut => rescaled(b, b, (1.0 - alpha_a) * alpha_b),
        Blend::DestAtop => (each(&|a, b| (1.0 - alpha_a) * a + b), alpha_a),
        Blend::Xor => (
            each(&|a, b| (1.0 - alpha_b) * a + (1.0 - alpha_a) * b),
            alpha_a + alpha_b - 2.0 * alpha_a * alpha_b,
        ),
        Blend::Add => (each(&|a, b| a + b), (alpha_a + alpha_b).min(1.0)),
        Blend::Saturate => {
            let share = alpha_a.min(1.0 - alpha_b);
            (each(&|a, b| share * a + b), (alpha_a + alpha_b).min(1.0))
        }
        separable => {
            // The PDF modes mix the overlay, the base and the mode's function of both.
            let f = each(&|a, b| separable_mode(separable, a, b));
            let mut colour = each(&|a, b| (1.0 - alpha_b) * a + (1.0 - alpha_a) * b);
            for (c, f) in colour.iter_mut().zip(f) {
                *c += alpha_a * alpha_b * f;
            }
            (colour, over(alpha_a, alpha_b))
        }
    };
    [colour[0], colour[1], colour[2], alpha]
}

fn over(alpha_a: f32, alpha_b: f32) -> f32 {
    alpha_a + alpha_b * (1.0 - alpha_a)
}

/// `pixel`'s colour brought to `alpha`; where `pixel` is transparent the colour of
/// `otherwise` (the base) stays, as libvips leaves it.
fn rescaled(pixel: Pixel, otherwise: Pixel, alpha: f32) -> ([f32; 3], f32) {
    if pixel[3] == 0.0 {
        return ([otherwise[0], otherwise[1], otherwise[2]], alpha);
    }
    let k = alpha / pixel[3];
    ([pixel[0] * k, pixel[1] * k, pixel[2] * k], alpha)
}

/// The PDF blend function of one band, `a` over `b` (both premultiplied, as libvips
/// applies them).
fn separable_mode(mode: Blend, a: f32, b: f32) -> f32 {
    match mode {
        Blend::Multiply => a * b,
        Blend::Screen => a + b - a * b,
        Blend::Overlay if b <= 0.5 => 2.0 * a * b,
        Blend::HardLight if a < 0.5 => 2.0 * a * b,
        Blend::Overlay | Blend::HardLight => 1.0 - 2.0 * (1.0 - a) * (1.0 - b),
        Blend::Darken => a.min(b),
        Blend::Lighten => a.max(b),
        Blend::ColourDodge if a < 1.0 => (b / (1.0 - a)).min(1.0),
        Blend::ColourDodge => 1.0,
        Blend::ColourBurn if a > 0.0 => 1.0 - ((1.0 - b) / a).min(1.0),
        Blend::ColourBurn => 0.0,
        Blend::SoftLight => {
            let g = if b <= 0.25 {
                ((16.0 * b - 12.0) * b + 4.0) * b
            } else {
                b.sqrt()
            };
            if a <= 0.5 {
                b - (1.0 - 2.0 * a) * b * (1.0 - b)
            } else {
                b + (2.0 * a - 1.0) * (g - b)
            }
        }
        Blend::Difference => (b - a).abs(),
        Blend::Exclusion => a + b - 2.0 * a * b,
        _ => unreachable!("{mode:?} is not a separable mode"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HALF_RED: Pixel = [0.5, 0.0, 0.0, 0.5];
    const HALF_BLUE: Pixel = [0.0, 0.0, 0.5, 0.5];

    #[test]
    fn porter_duff_alphas() {
        assert_eq!(
            blend(Blend::Over, HALF_BLUE, HALF_RED),
            [0.25, 0.0, 0.5, 0.75]
        );
        assert_eq!(
            blend(Blend::DestOver, HALF_BLUE, HALF_RED),
            [0.5, 0.0, 0.25, 0.75]
        );
        assert_eq!(
            blend(Blend::Xor, HALF_BLUE, HALF_RED),
            [0.25, 0.0, 0.25, 0.5]
        );
        assert_eq!(
            blend(Blend::Saturate, HALF_BLUE, HALF_RED),
            [0.5, 0.0, 0.25, 1.0]
        );
        assert_eq!(
            blend(Blend::DestIn, [0.0; 4], HALF_RED),
            [0.0, 0.0, 0.0, 0.0]
        );
    }

    #[test]
    fn separable_modes_of_opaque_pixels() {
        let grey = [0.5, 0.5, 0.5, 1.0];
        let white = [1.0, 1.0, 1.0, 1.0];
        assert_eq!(blend(Blend::Multiply, grey, white), grey);
        assert_eq!(blend(Blend::Screen, grey, white), white);
        assert_eq!(blend(Blend::Difference, grey, white), grey);
    }
}
