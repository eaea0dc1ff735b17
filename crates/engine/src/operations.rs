//! sharp's image operations beyond fit and orientation, as data. Whatever order a caller
//! names them in, they run in sharp's fixed order (its pipeline.cc): before resizing
//! `angle` (when asked before the resize), `extract_before`, `gamma`'s darkening; after
//! it `join_channel`, `flatten`, `angle` (otherwise), `extract_after`, `affine`, `extend`, `median`,
//! `threshold`, `dilate`, `erode`, `blur`, `unflatten`, `convolve`, `recomb`, `modulate`, `sharpen`,
//! `composite`, `gamma`'s brightening, `linear`, `normalise`, `clahe`, `boolean`, `bandbool`,
//! `tint`, `negate`, the alpha change, the output's colours, `extract_channel`.
use serde::{Deserialize, Serialize};

pub use crate::adjust::{Affine, Clahe, Interpolator};
pub use crate::composite::{Blend, Overlay};
pub use crate::extra_input::ExtraInput;
use crate::rgba::Rgba;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Operations {
    /// Leave the image as stored, ignoring its EXIF orientation (sharp without `rotate()`).
    pub ignore_orientation: bool,
    /// The resize filter.
    pub kernel: Kernel,
    /// Never scale down (sharp's `withoutReduction`).
    pub without_reduction: bool,
    pub angle: Option<Angle>,
    /// A crop of the upright input, before resizing.
    pub extract_before: Option<Area>,
    /// sharp's order unless `rotate` was asked before `extract` or `resize`: `extract_before`
    /// crops the image as it stands and the output's turn and mirrors come after it.
    /// Otherwise the image is turned first and the area is of the turned image.
    pub extract_before_turning: bool,
    /// sharp's `rotate` by 90 or 270 degrees asked after `resize`: the resize shrinks the
    /// unturned image to the box, so the turned image to the box turned; a `cover` crop or
    /// `contain` embed, which sharp makes after the turn, keeps the box as given.
    pub turn_after_resize: bool,
    /// Images whose bands are appended to the resized image's (sharp's `joinChannel`).
    pub join_channel: Vec<ExtraInput>,
    /// Resize in a darker gamma: divide by `exponent` before, multiply after.
    pub gamma: Option<Gamma>,
    /// Composite over this colour and drop alpha.
    pub flatten: Option<Rgba>,
    /// A crop of the resized image.
    pub extract_after: Option<Area>,
    /// A 2x2 matrix with offsets, resampled by an interpolator (sharp's `affine`).
    pub affine: Option<Affine>,
    pub extend: Option<Extend>,
    /// Square window side, odd, 1-255.
    pub median: Option<u8>,
    pub threshold: Option<Threshold>,
    /// Window radius (sharp's `dilate(width)`).
    pub dilate: Option<u32>,
    /// Window radius (sharp's `erode(width)`).
    pub erode: Option<u32>,
    pub blur: Option<Blur>,
    /// White becomes transparent (sharp's `unflatten`).
    pub unflatten: bool,
    pub convolve: Option<Convolution>,
    /// A 3x3 or 4x4 matrix, row by row (sharp's `recomb`).
    pub recomb: Option<Vec<f64>>,
    pub modulate: Option<Modulate>,
    pub sharpen: Option<Sharpen>,
    /// Images drawn over the output, in order (sharp's `composite`).
    pub composite: Vec<Overlay>,
    pub linear: Option<Linear>,
    pub normalise: Option<Normalise>,
    /// Contrast-limited local histogram equalisation (sharp's `clahe`).
    pub clahe: Option<Clahe>,
    /// Combined band by band with another image (sharp's `boolean`).
    pub boolean: Option<Boolean>,
    /// Every band of a pixel combined into one (sharp's `bandbool`).
    pub bandbool: Option<BoolOp>,
    /// Keep luminance, take chroma from this colour (sharp's `tint`).
    pub tint: Option<Rgba>,
    pub negate: Option<Negate>,
    /// sharp's `keepIccProfile`: the input's ICC profile (not EXIF) is kept, and when every
    /// output of the job asks for it and can hold it (`OutputSpec::keeps_source_colour`),
    /// the pixels stay in that profile's colour space.
    pub keep_icc: bool,
    /// An animation's loop count and frame delays in place of the input's (sharp's
    /// `loop` and `delay` on GIF and WebP output).
    pub timing: Option<Timing>,
    /// sharp's `removeAlpha` or `ensureAlpha`, last of the operations.
    pub alpha: Option<AlphaChange>,
    /// Grey images leave as RGB(A), as sharp's default output colour space (sRGB) has
    /// them; without it grey stays one channel (as sharp's `toColourspace('b-w')`).
    pub rgb_output: bool,
    /// Converted to grey after every other operation (sharp's `toColourspace('b-w')`).
    pub grey_output: bool,
    /// One band kept, as a grey image, last of all (sharp's `extractChannel`).
    pub extract_channel: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Threshold {
    /// Samples at or above it become 255, the others 0.
    pub value: u8,
    /// On the greyscale image (sharp's default) rather than band by band.
    pub greyscale: bool,
}

/// A kernel of `width` x `height` weights, row by row; results are divided by `scale`
/// and `offset` is added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Convolution {
    pub width: u32,
    pub height: u32,
    pub kernel: Vec<f64>,
    pub scale: f64,
    pub offset: f64,
}

/// `a * v + b`: one pair for every band, or one pair per band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linear {
    pub a: Vec<f64>,
    pub b: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boolean {
    pub operand: ExtraInput,
    pub op: BoolOp,
}

/// A bitwise operation, as sharp names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BoolOp {
    And,
    Or,
    Eor,
}

impl BoolOp {
    pub fn apply(self, a: u8, b: u8) -> u8 {
        match self {
            BoolOp::And => a & b,
            BoolOp::Or => a | b,
            BoolOp::Eor => a ^ b,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum AlphaChange {
    Remove,
    /// An opaque-to-transparent value (0-255) for an image without alpha.
    Ensure(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Timing {
    /// 0 is forever.
    pub loop_count: Option<u32>,
    /// Milliseconds: one for every frame, or one per frame.
    pub delays: Option<Vec<u32>>,
}

impl Operations {
    /// Operations that need the input's full-size pixels before any output is planned.
    pub fn needs_full_size_input(&self) -> bool {
        self.extract_before.is_some()
            || self.gamma.is_some()
            || self.angle.as_ref().is_some_and(|a| a.before_resize)
    }
}

/// sharp's resize kernels (cubic is Catmull-Rom, as libvips').
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    Nearest,
    Linear,
    Cubic,
    Mitchell,
    Lanczos2,
    #[default]
    Lanczos3,
    Mks2013,
    Mks2021,
}

/// Any rotation that is not a multiple of 90 degrees, clockwise, filling the corners.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Angle {
    pub degrees: f64,
    pub background: Rgba,
    pub before_resize: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Gamma {
    /// 1.0-3.0; the image is raised to this power before resizing.
    pub exponent: f64,
    /// 1.0-3.0; the image is raised to its inverse after resizing.
    pub exponent_out: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extend {
    pub top: u32,
    pub bottom: u32,
    pub left: u32,
    pub right: u32,
    pub with: ExtendWith,
    pub background: Rgba,
}

/// What fills the new edges, as sharp's `extendWith`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtendWith {
    Background,
    Copy,
    Repeat,
    Mirror,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", rename_all_fields = "camelCase")]
pub enum Blur {
    /// sharp's `blur()`: the mean of each 3x3 neighbourhood.
    Mild,
    /// Gaussian of this sigma (0.3-1000), kernel cut where it falls below `min_amplitude`.
    Gaussian { sigma: f64, min_amplitude: f64 },
    /// The same Gaussian as libvips approximates it with stacked box filters, sharp's
    /// `precision: 'approximate'` (`adjust/approximate_blur.rs`).
    Approximate { sigma: f64, min_amplitude: f64 },
}

/// In CIE LCh: L x brightness + lightness, C x saturation, h + hue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Modulate {
    pub brightness: f64,
    pub saturation: f64,
    pub hue: f64,
    pub lightness: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sharpen {
    /// sharp's `sharpen()`: a 3x3 kernel, 32 in the centre and -1 around, over 24.
    Mild,
    /// libvips' unsharp mask on CIE L: differences up to `x1` gain `m1` (flat areas), beyond
    /// it `m2` (jagged areas); brightening is capped at `y2`, darkening at `y3` (L units).
    Luminance {
        sigma: f64,
        m1: f64,
        m2: f64,
        x1: f64,
        y2: f64,
        y3: f64,
    },
}

/// Stretch CIE L so the `lower` and `upper` percentiles become black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normalise {
    pub lower: u8,
    pub upper: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Negate {
    /// Invert alpha as well (sharp's default).
    pub alpha: bool,
}
