//! What each output is resized from: the decoded image, or a larger output of the same job
//! already resized from it. Resizing 800 px from a 1600 px intermediate instead of from a
//! 4000 px decode costs a sixth of the work; `MIN_LANCZOS_REDUCTION` keeps each resize a
//! real reduction.

use std::borrow::Cow;

use crate::geometry::{Plan, Region};
use crate::image::Image;
use crate::orient::Transform;
use crate::resize::MIN_LANCZOS_REDUCTION;

struct Source<'a> {
    transform: Transform,
    image: Cow<'a, Image>,
    /// The full-size (undecimated) dimensions this image stands for, in its own frame.
    full_size: (u32, u32),
    /// The decoded image itself (possibly transformed): always usable.
    base: bool,
}

pub struct Sources<'a> {
    made: Vec<Source<'a>>,
}

impl<'a> Sources<'a> {
    pub fn new(upright: &'a Image, full_size: (u32, u32)) -> Self {
        let base = Source {
            transform: Transform::IDENTITY,
            image: Cow::Borrowed(upright),
            full_size,
            base: true,
        };
        Self { made: vec![base] }
    }

    /// The image to resize `plan` from (in `transform`'s frame), with the full-size
    /// dimensions it stands for.
    pub fn pick(&mut self, transform: Transform, plan: &Plan) -> (&Image, (u32, u32)) {
        if !self.made.iter().any(|s| s.base && s.transform == transform) {
            let upright = &self.made[0];
            let (w, h) = upright.full_size;
            let full_size = if transform.swaps_axes() {
                (h, w)
            } else {
                (w, h)
            };
            let image = Cow::Owned(transform.apply(&upright.image));
            self.made.push(Source {
                transform,
                image,
                full_size,
                base: true,
            });
        }
        let best = self
            .made
            .iter()
            .filter(|s| s.transform == transform && (s.base || leaves_margin(s, plan)))
            .min_by_key(|s| s.image.width as u64 * s.image.height as u64)
            .expect("a base exists for every transform");
        (&best.image, best.full_size)
    }

    /// Keeps `resized` as a source for smaller outputs if it shows the whole image.
    pub fn offer(
        &mut self,
        transform: Transform,
        plan: &Plan,
        full_size: (u32, u32),
        resized: Image,
    ) {
        if is_whole(plan.region, full_size) {
            self.made.push(Source {
                transform,
                image: Cow::Owned(resized),
                full_size,
                base: false,
            });
        }
    }
}

fn leaves_margin(source: &Source<'_>, plan: &Plan) -> bool {
    let x_scale = source.image.width as f64 / source.full_size.0 as f64;
    let y_scale = source.image.height as f64 / source.full_size.1 as f64;
    plan.region.width * x_scale >= MIN_LANCZOS_REDUCTION * plan.width as f64
        && plan.region.height * y_scale >= MIN_LANCZOS_REDUCTION * plan.height as f64
}

fn is_whole(region: Region, (width, height): (u32, u32)) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
    close(region.left, 0.0)
        && close(region.top, 0.0)
        && close(region.width, width as f64)
        && close(region.height, height as f64)
}
