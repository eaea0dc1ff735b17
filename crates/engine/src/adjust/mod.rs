//! Runs an output's `Operations` (operations.rs) in sharp's order, around the resize.
mod affine;
pub use affine::Affine;
mod approximate_blur;
mod bands;
pub(crate) mod canvas;
mod clahe;
pub use clahe::Clahe;
mod filter;
mod interpolate;
pub use interpolate::Interpolator;
pub(crate) mod lab;
mod morph;
mod nohalo;
mod tone;

pub(crate) use filter::{gaussian_kernel, Planes};
pub use tone::greyscale;

use std::borrow::Cow;

use crate::error::Result;
use crate::image::Image;
use crate::operations::Operations;
use crate::pixels;
use crate::trim::{self, Trim};

/// The operations sharp runs on the upright input before planning the resize, `trim`
/// among them; with where the trimmed area starts, when a trim is asked.
pub fn before_resize(
    image: &Image,
    trim: Option<&Trim>,
    ops: &Operations,
) -> Result<(Image, Option<[u32; 2]>)> {
    let mut image = image.clone();
    if let Some(angle) = ops.angle.filter(|a| a.before_resize) {
        image = canvas::rotate(&image, &angle)?;
    }
    let mut trim_offset = None;
    if let Some(trim) = trim {
        trim_offset = Some([0, 0]);
        if let Some(content) = trim::content_box(&image, trim)? {
            image = canvas::extract(&image, content, "trim")?;
            trim_offset = Some([content.left, content.top]);
        }
    }
    if let Some(area) = ops.extract_before {
        image = canvas::extract(&image, area, "extract")?;
    }
    if let Some(gamma) = ops.gamma {
        image = tone::gamma(&image, 1.0 / gamma.exponent);
    }
    Ok((image, trim_offset))
}

/// The operations sharp runs on the resized (and cropped or embedded) image.
pub fn after_resize(mut image: Image, ops: &Operations) -> Result<Image> {
    if !ops.join_channel.is_empty() {
        image = bands::join_channels(&image, &ops.join_channel)?;
    }
    if let Some(background) = ops.flatten {
        if let Cow::Owned(flat) = pixels::flatten(&image, background) {
            image = flat;
        }
    }
    if let Some(angle) = ops.angle.filter(|a| !a.before_resize) {
        image = canvas::rotate(&image, &angle)?;
    }
    if let Some(area) = ops.extract_after {
        image = canvas::extract(&image, area, "extract")?;
    }
    if let Some(transform) = &ops.affine {
        image = affine::affine(&image, transform)?;
    }
    if let Some(extend) = &ops.extend {
        image = canvas::extend(&image, extend);
    }
    if let Some(size) = ops.median {
        image = filter::median(&image, size);
    }
    if let Some(threshold) = ops.threshold {
        image = bands::threshold(&image, threshold);
    }
    if let Some(radius) = ops.dilate {
        image = morph::dilate(&image, radius);
    }
    if let Some(radius) = ops.erode {
        image = morph::erode(&image, radius);
    }
    if let Some(blur) = ops.blur {
        image = filter::blur(&image, blur);
    }
    if ops.unflatten {
        image = bands::unflatten(&image);
    }
    if let Some(convolution) = &ops.convolve {
        image = filter::convolve(&image, convolution);
    }
    if let Some(matrix) = &ops.recomb {
        image = bands::recomb(&image, matrix)?;
    }
    if let Some(modulate) = ops.modulate {
        image = tone::modulate(&image, modulate);
    }
    if let Some(sharpen) = ops.sharpen {
        image = tone::sharpen(&image, sharpen);
    }
    if !ops.composite.is_empty() {
        image = crate::composite::apply(&image, &ops.composite)?;
    }
    if let Some(gamma) = ops.gamma {
        image = tone::gamma(&image, gamma.exponent_out);
    }
    if let Some(linear) = &ops.linear {
        image = bands::linear(&image, linear)?;
    }
    if let Some(range) = ops.normalise {
        image = tone::normalise(&image, range);
    }
    if let Some(window) = ops.clahe {
        image = clahe::clahe(&image, window)?;
    }
    if let Some(boolean) = &ops.boolean {
        image = bands::boolean(&image, &boolean.operand, boolean.op)?;
    }
    if let Some(op) = ops.bandbool {
        image = bands::bandbool(&image, op);
    }
    if let Some(colour) = ops.tint {
        image = tone::tint(&image, colour);
    }
    if let Some(negate) = ops.negate {
        image = tone::negate(&image, negate);
    }
    if let Some(change) = ops.alpha {
        image = pixels::change_alpha(image, change);
    }
    if ops.rgb_output && image.channels <= 2 {
        image = pixels::with_channels(&image, image.channels + 2);
    }
    if ops.grey_output {
        image = tone::greyscale(&image);
    }
    if let Some(channel) = ops.extract_channel {
        image = bands::extract_channel(&image, channel)?;
    }
    Ok(image)
}
