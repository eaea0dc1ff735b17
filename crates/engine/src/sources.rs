//! What each output is resized from: the decoded image, or a larger output of the same job
//! already resized from it. Resizing 400 px from a 1600 px intermediate instead of from a
//! 4000 px decode costs a sixth of the work; `MIN_LANCZOS_REDUCTION` keeps each resize a
//! real reduction.

use std::borrow::Cow;

use crate::geometry::{crops, Plan, Region};
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
    /// Where the image's top left corner is in full-size pixels: a resized output shows
    /// the centre of the source, a fraction of a pixel in from its edges (geometry.rs).
    origin: (f64, f64),
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
            origin: (0.0, 0.0),
            base: true,
        };
        Self {
            made: vec![base],
            full_size,
        }
    }

    /// The image to resize `plan` from (in `transform`'s frame), with the plan's region
    /// in that image's pixels.
    pub fn pick(&mut self, transform: Transform, plan: &Plan) -> (&Image, Region) {
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
                origin: (0.0, 0.0),
                base: true,
            });
        }
        let best = self
            .made
            .iter()
            .filter(|s| s.transform == transform && (s.base || leaves_margin(s, plan)))
            .min_by_key(|s| s.image.width as u64 * s.image.height as u64)
            .expect("a base exists for every transform");
        (&best.image, best.map(plan.region))
    }

    /// Whether a resize of `plan` would serve smaller outputs: it shows the whole image,
    /// to within an output pixel (`geometry::crops`).
    fn would_keep(&self, transform: Transform, plan: &Plan) -> bool {
        let (w, h) = self.full_size;
        let full_size = if transform.swaps_axes() {
            (h as f64, w as f64)
        } else {
            (w as f64, h as f64)
        };
        !crops(plan.region, full_size, (plan.width, plan.height))
    }

    /// Keeps a copy of `resized` (of `plan`) as a source for smaller outputs, if
    /// `would_keep`: the copy is made only then.
    pub fn offer(&mut self, transform: Transform, plan: &Plan, resized: &Image) {
        if !self.would_keep(transform, plan) {
            return;
        }
        let region = plan.region;
        let scale = (
            resized.width as f64 / region.width,
            resized.height as f64 / region.height,
        );
        self.made.push(Source {
            transform,
            image: Cow::Owned(resized.clone()),
            scale,
            origin: (region.left, region.top),
            base: false,
        });
    }
}

impl Source<'_> {
    /// `region` (full-size pixels) in this image's pixels, kept inside it.
    fn map(&self, region: Region) -> Region {
        let ((sx, sy), (ox, oy)) = (self.scale, self.origin);
        if (sx, sy, ox, oy) == (1.0, 1.0, 0.0, 0.0) {
            return region;
        }
        let (w, h) = (self.image.width as f64, self.image.height as f64);
        let left = ((region.left - ox) * sx).clamp(0.0, w);
        let top = ((region.top - oy) * sy).clamp(0.0, h);
        Region {
            left,
            top,
            width: (region.width * sx).min(w - left),
            height: (region.height * sy).min(h - top),
        }
    }
}

fn leaves_margin(source: &Source<'_>, plan: &Plan) -> bool {
    plan.region.width * source.scale.0 >= MIN_LANCZOS_REDUCTION * plan.width as f64
        && plan.region.height * source.scale.1 >= MIN_LANCZOS_REDUCTION * plan.height as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{plan, Request};
    use crate::spec::{Fit, Gravity};

    const FULL: (u32, u32) = (1000, 667);

    fn sized(width: u32, height: Option<u32>) -> Plan {
        let request = Request {
            width: Some(width),
            height,
            fit: Fit::Cover,
            position: Gravity::Centre,
            without_enlargement: false,
            without_reduction: false,
            shrink_to_turned_box: false,
        };
        plan(FULL.0, FULL.1, &request)
    }

    fn resized(plan: &Plan) -> Image {
        Image::filled(plan.width, plan.height, &[0, 0, 0])
    }

    #[test]
    fn an_output_a_fraction_of_a_pixel_short_of_whole_serves_smaller_ones() {
        let full = Image::filled(FULL.0, FULL.1, &[0, 0, 0]);
        let mut sources = Sources::new(&full, FULL, (1.0, 1.0));
        let large = sized(909, None);
        assert!(large.region.height < FULL.1 as f64 && large.region.top > 0.0);
        assert!(sources.would_keep(Transform::IDENTITY, &large));
        sources.offer(Transform::IDENTITY, &large, &resized(&large));

        let small = sized(200, None);
        let (image, region) = sources.pick(Transform::IDENTITY, &small);
        assert_eq!((image.width, image.height), (large.width, large.height));
        // The same centre of the source, in the intermediate's pixels.
        assert!((region.width - 909.0).abs() < 1e-9, "{region:?}");
        let scale = large.height as f64 / large.region.height;
        let expected_top = (small.region.top - large.region.top) * scale;
        assert!(
            (region.top - expected_top.max(0.0)).abs() < 1e-9,
            "{region:?}"
        );
        assert!(region.top + region.height <= large.height as f64 + 1e-9);
    }

    #[test]
    fn a_cropped_output_is_not_offered() {
        let full = Image::filled(FULL.0, FULL.1, &[0, 0, 0]);
        let mut sources = Sources::new(&full, FULL, (1.0, 1.0));
        let square = sized(600, Some(600));
        assert!(!sources.would_keep(Transform::IDENTITY, &square));
        sources.offer(Transform::IDENTITY, &square, &resized(&square));
        let (image, _) = sources.pick(Transform::IDENTITY, &sized(200, None));
        assert_eq!((image.width, image.height), FULL);
    }
}
