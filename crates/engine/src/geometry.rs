//! Where each output pixel comes from: sharp's fit rules as plain arithmetic.

use crate::spec::{Fit, Gravity};

/// A region of the source image, in source pixels; may be fractional.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Region {
    /// All of an image `width` x `height` pixels (of picture, which may end inside a pixel).
    pub fn whole(width: f64, height: f64) -> Self {
        Self {
            left: 0.0,
            top: 0.0,
            width,
            height,
        }
    }
}

/// A canvas the resized image is placed on (`contain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub left: u32,
    pub top: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub region: Region,
    pub width: u32,
    pub height: u32,
    pub canvas: Option<Canvas>,
    /// `cover` by `entropy` or `attention`: the resized image is cropped where libvips'
    /// smartcrop finds it (focus.rs).
    pub smart_crop: Option<SmartCrop>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SmartCrop {
    pub width: u32,
    pub height: u32,
    /// sharp's shrink-on-load factor (`Load::shrink`), by which it multiplies the
    /// attention point it reports; 1 until planning knows the load.
    pub load_shrink: f64,
}

impl Plan {
    pub fn output_size(&self) -> (u32, u32) {
        match (self.smart_crop, self.canvas) {
            (Some(crop), _) => (crop.width, crop.height),
            (None, Some(canvas)) => (canvas.width, canvas.height),
            (None, None) => (self.width, self.height),
        }
    }

    /// How many times smaller than the region the resized image is, on the less reduced axis.
    pub fn reduction(&self) -> f64 {
        (self.region.width / self.width as f64).min(self.region.height / self.height as f64)
    }
}

/// Whether `region` leaves out a whole output pixel or more of an image `extent` in size
/// (both in that image's pixels), resized to `output`. Less is not a crop: it is the
/// rounding of a uniform scale's output size, or a scaled decode's partial last row.
pub fn crops(region: Region, extent: (f64, f64), output: (u32, u32)) -> bool {
    let short = |extent: f64, kept: f64, out: u32| (extent - kept) * out as f64 >= kept;
    short(extent.0, region.width, output.0) || short(extent.1, region.height, output.1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fit: Fit,
    pub position: Gravity,
    pub without_enlargement: bool,
    /// sharp's `withoutReduction`: never scale down (a `cover` still crops to the box).
    pub without_reduction: bool,
    /// The shrink is to the box turned a right angle; the crop or embed to the box
    /// (`Operations::turn_after_resize`).
    pub shrink_to_turned_box: bool,
}

/// sharp's resize of an image `source_width` x `source_height` (as loaded, after any
/// shrink-on-load): one shrink per axis (`shrinks`), the resized size rounded as libvips
/// rounds it, then `cover`'s crop or `contain`'s embed at whole pixels of the resized image.
pub fn plan(source_width: u32, source_height: u32, request: &Request) -> Plan {
    let (sw, sh) = (source_width as f64, source_height as f64);
    let (hshrink, vshrink) = shrinks((sw, sh), request);
    let resized = (resized_size(sw, hshrink), resized_size(sh, vshrink));
    // libvips' reduce centres its output on its input at the one scale of both axes: the
    // resized image shows the centre of the source, a fraction of a pixel short of whole
    // or past its edges (which the resize fills with copies of the edge pixels). An axis
    // that grows starts at the source's corner instead (upsize.rs).
    let centring = |source: f64, resized: u32, shrink: f64| {
        if shrink < 1.0 {
            0.0
        } else {
            (source - resized as f64 * shrink) / 2.0
        }
    };
    let shown = |left: u32, top: u32, width: u32, height: u32| Region {
        left: centring(sw, resized.0, hshrink) + left as f64 * hshrink,
        top: centring(sh, resized.1, vshrink) + top as f64 * vshrink,
        width: width as f64 * hshrink,
        height: height as f64 * vshrink,
    };
    let target = (
        request.width.unwrap_or(resized.0),
        request.height.unwrap_or(resized.1),
    );
    let whole = Plan {
        region: shown(0, 0, resized.0, resized.1),
        width: resized.0,
        height: resized.1,
        canvas: None,
        smart_crop: None,
    };
    if target == resized {
        return whole;
    }
    let (ax, ay) = request.position.anchor();
    match request.fit {
        Fit::Cover if request.position.is_strategy() => Plan {
            smart_crop: Some(SmartCrop {
                width: target.0.min(resized.0),
                height: target.1.min(resized.1),
                load_shrink: 1.0,
            }),
            ..whole
        },
        Fit::Cover => {
            let (width, height) = (target.0.min(resized.0), target.1.min(resized.1));
            let left = crop_offset(resized.0, width, ax);
            let top = crop_offset(resized.1, height, ay);
            Plan {
                region: shown(left, top, width, height),
                width,
                height,
                canvas: None,
                smart_crop: None,
            }
        }
        Fit::Contain => {
            let (width, height) = (target.0.max(resized.0), target.1.max(resized.1));
            let canvas = Canvas {
                width,
                height,
                left: embed_offset(resized.0, width, ax),
                top: embed_offset(resized.1, height, ay),
            };
            Plan {
                canvas: Some(canvas),
                ..whole
            }
        }
        _ => whole,
    }
}

/// sharp's `ResolveShrink`: how many source pixels make one resized pixel, per axis.
pub fn shrinks((sw, sh): (f64, f64), request: &Request) -> (f64, f64) {
    let (mut h, mut v) = (1.0, 1.0);
    let keeps_aspect = request.fit != Fit::Fill;
    let boxed = match request.shrink_to_turned_box {
        true => (request.height, request.width),
        false => (request.width, request.height),
    };
    match boxed {
        (Some(w), Some(t)) => {
            (h, v) = (sw / w as f64, sh / t as f64);
            match request.fit {
                Fit::Cover | Fit::Outside => (h, v) = (h.min(v), h.min(v)),
                Fit::Contain | Fit::Inside => (h, v) = (h.max(v), h.max(v)),
                Fit::Fill => {}
            }
        }
        (Some(w), None) => {
            h = sw / w as f64;
            if keeps_aspect {
                v = h;
            }
        }
        (None, Some(t)) => {
            v = sh / t as f64;
            if keeps_aspect {
                h = v;
            }
        }
        (None, None) => {}
    }
    if request.without_reduction {
        (h, v) = (h.min(1.0), v.min(1.0));
    } else if request.without_enlargement {
        (h, v) = (h.max(1.0), v.max(1.0));
    }
    // Never so much that an axis goes to 0.
    (h.min(sw), v.min(sh))
}

/// The size libvips' resize gives an axis of `size` pixels shrunk by `shrink`: sharp passes
/// the scale 1 / shrink; libvips' reduce divides by its inverse, its enlargement multiplies
/// by it, and both round half up. The float steps are kept as they are: 1440 rows shrunk
/// by 1920 / 1066 give 799.4999... and 799 rows in sharp, where 1440 / shrink is 799.5.
fn resized_size(size: f64, shrink: f64) -> u32 {
    let scale = 1.0 / shrink;
    let exact = if scale > 1.0 {
        size * scale
    } else {
        size / (1.0 / scale)
    };
    ((exact + 0.5).floor() as u32).max(1)
}

/// sharp's `CalculateCrop`: a centred crop rounds its offset up.
pub(crate) fn crop_offset(size: u32, kept: u32, anchor: f64) -> u32 {
    let spare = size - kept;
    anchored(spare, anchor, spare.div_ceil(2))
}

/// sharp's `CalculateEmbedPosition`: a centred image has its odd padding pixel after it.
fn embed_offset(size: u32, canvas: u32, anchor: f64) -> u32 {
    let spare = canvas - size;
    anchored(spare, anchor, spare / 2)
}

/// An offset into `spare` pixels by a gravity's anchor: none at the start, all at the end,
/// `centred` between (where sharp's crop and embed round differently).
fn anchored(spare: u32, anchor: f64, centred: u32) -> u32 {
    if anchor == 0.0 {
        0
    } else if anchor == 1.0 {
        spare
    } else {
        centred
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(width: Option<u32>, height: Option<u32>, fit: Fit) -> Request {
        Request {
            width,
            height,
            fit,
            position: Gravity::Centre,
            without_enlargement: false,
            without_reduction: false,
            shrink_to_turned_box: false,
        }
    }

    #[track_caller]
    fn assert_output(plan: Plan, expected: (u32, u32)) {
        assert_eq!(plan.output_size(), expected, "{plan:?}");
    }

    #[test]
    fn without_reduction_never_scales_down_but_still_crops_to_the_box() {
        let keep = |fit| Request {
            without_reduction: true,
            ..request(Some(100), Some(100), fit)
        };
        assert_output(plan(480, 320, &keep(Fit::Cover)), (100, 100));
        assert_eq!(plan(480, 320, &keep(Fit::Cover)).reduction(), 1.0);
        assert_output(plan(480, 320, &keep(Fit::Inside)), (480, 320));
        assert_output(plan(480, 320, &keep(Fit::Fill)), (480, 320));
        assert_output(plan(50, 40, &keep(Fit::Inside)), (100, 80));
    }

    #[test]
    fn one_side_keeps_aspect_ratio_except_fill() {
        assert_output(
            plan(4000, 3000, &request(Some(800), None, Fit::Cover)),
            (800, 600),
        );
        // sharp's `fill` scales only the axis it is given.
        assert_output(
            plan(4000, 3000, &request(None, Some(300), Fit::Fill)),
            (4000, 300),
        );
        assert_output(
            plan(4000, 3000, &request(None, None, Fit::Cover)),
            (4000, 3000),
        );
    }

    #[test]
    fn one_side_scales_both_axes_alike_and_centres_the_rounding() {
        let plan = plan(3840, 2560, &request(Some(3491), None, Fit::Cover));
        assert_eq!((plan.width, plan.height), (3491, 2327));
        let scale = 3491.0 / 3840.0;
        assert_eq!(plan.region.width, 3840.0);
        assert!(
            (plan.region.height * scale - 2327.0).abs() < 1e-9,
            "{plan:?}"
        );
        assert!((plan.region.top * 2.0 + plan.region.height - 2560.0).abs() < 1e-9);
        assert!(!crops(plan.region, (3840.0, 2560.0), (3491, 2327)));
        // Rounded up: at the same scale the region reaches a fraction of a pixel past both
        // edges, as libvips' reduce reads copies of the edge pixels there.
        let up = super::plan(3840, 2561, &request(Some(1000), None, Fit::Cover));
        assert_eq!(up.height, 667);
        let shrink = 3840.0 / 1000.0;
        assert!((up.region.height - 667.0 * shrink).abs() < 1e-9, "{up:?}");
        assert!((up.region.top * 2.0 + up.region.height - 2561.0).abs() < 1e-9);
    }

    #[test]
    fn each_fit_gives_sharps_size() {
        let (w, h) = (Some(400), Some(400));
        assert_output(plan(800, 600, &request(w, h, Fit::Cover)), (400, 400));
        assert_output(plan(800, 600, &request(w, h, Fit::Contain)), (400, 400));
        assert_output(plan(800, 600, &request(w, h, Fit::Fill)), (400, 400));
        assert_output(plan(800, 600, &request(w, h, Fit::Inside)), (400, 300));
        assert_output(plan(800, 600, &request(w, h, Fit::Outside)), (533, 400));
    }

    #[test]
    fn crops_and_padding_fall_on_whole_pixels_as_sharps() {
        // 302 x 200 to 100 x 100 cover: resized 151 x 100, centre crop from 26 (25.5 up).
        let cover = plan(302, 200, &request(Some(100), Some(100), Fit::Cover));
        assert_eq!(cover.region.left, 52.0);
        // 100 x 51 contain: odd padding row at the bottom.
        let contain = plan(200, 100, &request(Some(100), Some(51), Fit::Contain));
        assert_eq!(contain.canvas.map(|c| (c.left, c.top)), Some((0, 0)));
        let contain = plan(200, 98, &request(Some(100), Some(52), Fit::Contain));
        assert_eq!(contain.canvas.map(|c| c.top), Some(1));
    }

    #[test]
    fn cover_crops_the_long_side_by_gravity() {
        let centre = plan(800, 600, &request(Some(300), Some(300), Fit::Cover));
        assert_eq!(
            centre.region,
            Region {
                left: 100.0,
                top: 0.0,
                width: 600.0,
                height: 600.0
            }
        );
        let mut west = request(Some(300), Some(300), Fit::Cover);
        west.position = Gravity::West;
        assert_eq!(plan(800, 600, &west).region.left, 0.0);
        west.position = Gravity::SouthEast;
        assert_eq!(plan(800, 600, &west).region.left, 200.0);
    }

    #[test]
    fn contain_centres_on_a_canvas() {
        let plan = plan(800, 400, &request(Some(400), Some(400), Fit::Contain));
        assert_eq!((plan.width, plan.height), (400, 200));
        assert_eq!(
            plan.canvas,
            Some(Canvas {
                width: 400,
                height: 400,
                left: 0,
                top: 100
            })
        );
    }

    #[test]
    fn without_enlargement_never_upscales() {
        let mut small = request(Some(1000), Some(1000), Fit::Cover);
        small.without_enlargement = true;
        assert_output(plan(300, 200, &small), (300, 200));
        // sharp's contain still pads to the box it was given.
        small.fit = Fit::Contain;
        let contained = plan(300, 200, &small);
        assert_output(contained, (1000, 1000));
        assert_eq!((contained.width, contained.height), (300, 200));
        small.fit = Fit::Inside;
        assert_output(plan(300, 200, &small), (300, 200));
        let width_only = Request {
            height: None,
            ..small
        };
        assert_output(plan(300, 200, &width_only), (300, 200));
        let mut shrinking = request(Some(100), Some(100), Fit::Cover);
        shrinking.without_enlargement = true;
        assert_output(plan(300, 200, &shrinking), (100, 100));
    }

    #[test]
    fn enlarges_when_allowed() {
        assert_output(
            plan(300, 200, &request(Some(600), None, Fit::Cover)),
            (600, 400),
        );
    }

    #[test]
    fn never_collapses_to_zero() {
        assert_output(
            plan(10000, 10, &request(Some(100), None, Fit::Inside)),
            (100, 1),
        );
    }
}
