//! What each output is resized from: the decoded image, or a larger output of the same job
//! already resized from it. Resizing 800 px from a 1600 px intermediate instead of from a
//! 4000 px decode costs a sixth of the work; `MIN_LANCZOS_REDUCTION` keeps each resize a
//! real reduction.

use std::borrow::Cow;

use crate::geometry::{Plan, Region};
use crate::image::Image;
use crate::orient::Transform;
use crate::resize::MIN_LANCZOS_REDUCTION;

/// Pixels of an image per full-size (undecimated, upright) pixel, on each axis.
pub type Scale = (f64, f64);

struct Source<'a> {
    transform: Transform,
    image: Cow<'a, Image>,
    /// Exact, not the ratio of rounded sizes: a 2746-row JPEG decoded at 5/8 has 1717 rows
    /// of which the last is a quarter of real data, and resizing it as if whole would shift
    /// the bottom of the output by most of a pixel.
    scale: Scale,
    /// The decoded image itself (possibly transformed): always usable.
    base: bool,
}

pub struct Sources<'a> {
    made: Vec<Source<'a>>,
    /// The full-size upright dimensions every plan is made in.
    full_size: (u32, u32),
}

impl<'a> Sources<'a> {
    /// `upright` stands for an image of `full_size`, decoded at `scale` of it ((1, 1)
    /// without shrink-on-load).
    pub fn new(upright: &'a Image, full_size: (u32, u32), scale: Scale) -> Self {
        let base = Source {
            transform: Transform::IDENTITY,
            image: Cow::Borrowed(upright),
            scale,
            base: true,
        };
        Self {
            made: vec![base],
            full_size,
        }
    }

    /// The image to resize `plan` from (in `transform`'s frame), with its scale.
    pub fn pick(&mut self, transform: Transform, plan: &Plan) -> (&Image, Scale) {
        if !self.made.iter().any(|s| s.base && s.transform == transform) {
            let upright = &self.made[0];
            let image = Cow::Owned(transform.apply(&upright.image));
            let (sx, sy) = upright.scale;
            let scale = if transform.swaps_axes() {
                (sy, sx)
            } else {
                (sx, sy)
            };
            self.made.push(Source {
                transform,
                image,
                scale,
                base: true,
            });
        }
        let best = self
            .made
            .iter()
            .filter(|s| s.transform == transform && (s.base || leaves_margin(s, plan)))
            .min_by_key(|s| s.image.width as u64 * s.image.height as u64)
            .expect("a base exists for every transform");
        (&best.image, best.scale)
    }

    /// Keeps `resized` as a source for smaller outputs if it shows the whole image.
    pub fn offer(&mut self, transform: Transform, plan: &Plan, resized: Image) {
        let (w, h) = self.full_size;
        let full_size = if transform.swaps_axes() {
            (h, w)
        } else {
            (w, h)
        };
        if is_whole(plan.region, full_size) {
            let scale = (
                resized.width as f64 / full_size.0 as f64,
                resized.height as f64 / full_size.1 as f64,
            );
            self.made.push(Source {
                transform,
                image: Cow::Owned(resized),
                scale,
                base: false,
            });
        }
    }
}

fn leaves_margin(source: &Source<'_>, plan: &Plan) -> bool {
    plan.region.width * source.scale.0 >= MIN_LANCZOS_REDUCTION * plan.width as f64
        && plan.region.height * source.scale.1 >= MIN_LANCZOS_REDUCTION * plan.height as f64
}

fn is_whole(region: Region, (width, height): (u32, u32)) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
    close(region.left, 0.0)
        && close(region.top, 0.0)
        && close(region.width, width as f64)
        && close(region.height, height as f64)
}
