//! What resvg will spend drawing a converted tree, counted before it starts: every node,
//! every fill over its area, every layer (opacity, clip, mask, filter) over its size,
//! every filter primitive over its region times its own per-pixel work (feTurbulence per
//! octave, feMorphology per window pixel, feConvolveMatrix per kernel entry), every
//! pattern tile over its size for each shape painted with it. The unit is about a
//! nanosecond of resvg on one core: the weights were measured here, each construct
//! repeated over a 1000x1000 canvas (README, "SVG work budget"). A file whose count passes a
//! budget proportional to its output is refused before a thread is spent on it, where
//! resvg would run for minutes or allocate a tile of 40 GB.
use resvg::tiny_skia::{NonZeroRect, Rect, Transform};
use resvg::usvg::{self, filter::Kind, Group, ImageKind, Node, Paint};

use crate::error::{EngineError, ErrorKind, Result};

/// What any SVG may take (about two seconds) ...
pub const BASE_BUDGET: f64 = 2e9;
/// ... and this much more for each pixel of the output.
pub const BUDGET_PER_OUTPUT_PIXEL: f64 = 512.0;
/// What resvg spends on a node before touching pixels (converting paths, allocating).
const NODE_COST: f64 = 4000.0;
/// Per pixel: filling a path, allocating and compositing a layer, drawing a clip path or
/// a mask into its layer, drawing a pattern tile or an image.
const FILL: f64 = 1.0;
const LAYER: f64 = 10.0;
const CLIP: f64 = 10.0;
const MASK: f64 = 25.0;
const TILE: f64 = 8.0;
const IMAGE: f64 = 5.0;
/// resvg clamps layers and filter regions to the canvas grown by twice its size each way.
const LAYER_LIMIT_IN_CANVASES: f64 = 25.0;

/// Refuses a tree whose drawing at `transform` onto `width` x `height` would cost more
/// than the budget, naming what costs the most.
pub fn check(tree: &usvg::Tree, transform: Transform, width: u32, height: u32) -> Result<()> {
    let canvas = width as f64 * height as f64;
    let mut cost = Cost {
        spent: 0.0,
        budget: BASE_BUDGET + BUDGET_PER_OUTPUT_PIXEL * canvas,
        largest_layer: LAYER_LIMIT_IN_CANVASES * canvas,
        costliest: (0.0, "drawing"),
    };
    cost.nodes(tree.root(), transform, canvas);
    if cost.spent <= cost.budget {
        return Ok(());
    }
    Err(EngineError::new(
        ErrorKind::InputTooLarge,
        format!(
            "SVG would take more than {:.0} million pixel operations to render at \
             {width}x{height} (the most in one step: {}), over the budget of {:.0} million",
            cost.spent / 1e6,
            cost.costliest.1,
            cost.budget / 1e6
        ),
    ))
}

struct Cost {
    spent: f64,
    budget: f64,
    largest_layer: f64,
    costliest: (f64, &'static str),
}

impl Cost {
    fn over(&self) -> bool {
        self.spent > self.budget
    }

    fn add(&mut self, amount: f64, what: &'static str) {
        self.spent += amount;
        if amount > self.costliest.0 {
            self.costliest = (amount, what);
        }
    }

    /// Children of `group` drawn at `transform` onto a surface of `surface` pixels (the
    /// canvas, a layer or a pattern tile: nothing drawn there covers more).
    fn nodes(&mut self, group: &Group, transform: Transform, surface: f64) {
        for node in group.children() {
            if self.over() {
                return;
            }
            self.add(NODE_COST, "drawing");
            match node {
                Node::Group(group) => self.group(group, transform, surface),
                Node::Path(path) => {
                    let area = area(path.stroke_bounding_box(), transform).min(surface);
                    let paints = [
                        path.fill().map(|f| f.paint()),
                        path.stroke().map(|s| s.paint()),
                    ];
                    for paint in paints.into_iter().flatten() {
                        self.add(FILL * area, "drawing");
                        if let Paint::Pattern(pattern) = paint {
                            self.pattern(pattern, transform);
                        }
                    }
                }
                Node::Image(image) => {
                    let placed = area(image.bounding_box(), transform).min(surface);
                    self.add(IMAGE * placed, "drawing an image");
                    if let ImageKind::SVG(inner) = image.kind() {
                        let size = inner.size();
                        let fitted = transform.pre_scale(
                            image.size().width() / size.width(),
                            image.size().height() / size.height(),
                        );
                        self.nodes(inner.root(), fitted, placed);
                    }
                }
                Node::Text(text) => self.nodes(text.flattened(), transform, surface),
            }
        }
    }

    fn group(&mut self, group: &Group, transform: Transform, surface: f64) {
        let transform = transform.pre_concat(group.transform());
        if !group.should_isolate() {
            return self.nodes(group, transform, surface);
        }
        let layer = area(group.layer_bounding_box().to_rect(), transform).min(self.largest_layer);
        self.add(LAYER * layer, "a group layer");
        self.nodes(group, transform, layer);
        let (sx, sy) = transform.get_scale();
        for filter in group.filters() {
            for primitive in filter.primitives() {
                let (width, height) = size(primitive.rect(), transform);
                let region = (width * height).min(layer);
                let (per_pixel, what) = primitive_cost(primitive.kind(), (sx, sy), (width, height));
                self.add(region * per_pixel, what);
                if let Kind::Image(image) = primitive.kind() {
                    self.nodes(image.root(), transform, region);
                }
            }
        }
        let mut clip = group.clip_path();
        while let Some(path) = clip {
            self.add(CLIP * layer, "a clip path");
            self.nodes(path.root(), transform.pre_concat(path.transform()), layer);
            clip = path.clip_path();
        }
        let mut mask = group.mask();
        while let Some(inner) = mask {
            self.add(MASK * layer, "a mask");
            self.nodes(inner.root(), transform, layer);
            mask = inner.mask();
        }
    }

    /// resvg draws a pattern's tile at the device scale for every shape painted with it.
    fn pattern(&mut self, pattern: &usvg::Pattern, transform: Transform) {
        let (sx, sy) = transform.pre_concat(pattern.transform()).get_scale();
        let rect = pattern.rect();
        let tile = (rect.width() * sx).round() as f64 * (rect.height() * sy).round() as f64;
        self.add(TILE * tile, "a pattern tile");
        if !self.over() {
            self.nodes(pattern.root(), Transform::from_scale(sx, sy), tile);
        }
    }
}

/// Per pixel of its region, what a filter primitive costs, at the device scale.
fn primitive_cost(
    kind: &Kind,
    (sx, sy): (f32, f32),
    (width, height): (f64, f64),
) -> (f64, &'static str) {
    match kind {
        Kind::Turbulence(fe) => (140.0 * fe.num_octaves().max(1) as f64, "feTurbulence"),
        // resvg visits the whole window for each pixel.
        Kind::Morphology(fe) => {
            let side = |radius: f32, scale: f32, extent: f64| {
                (2.0 * (radius * scale).round() as f64 + 1.0).min(2.0 * extent + 1.0)
            };
            let window =
                side(fe.radius_x().get(), sx, width) * side(fe.radius_y().get(), sy, height);
            (20.0 + 3.0 * window, "feMorphology")
        }
        Kind::ConvolveMatrix(fe) => {
            let entries = fe.matrix().columns() as f64 * fe.matrix().rows() as f64;
            (20.0 + 3.0 * entries, "feConvolveMatrix")
        }
        Kind::GaussianBlur(_) | Kind::DropShadow(_) => (250.0, "a blur"),
        Kind::DiffuseLighting(_) | Kind::SpecularLighting(_) => (80.0, "lighting"),
        // Moving the region through linearRGB and back, whatever the primitive does.
        _ => (20.0, "a filter"),
    }
}

fn area(rect: Rect, transform: Transform) -> f64 {
    rect.transform(transform)
        .map_or(0.0, |r| r.width() as f64 * r.height() as f64)
}

fn size(rect: NonZeroRect, transform: Transform) -> (f64, f64) {
    rect.transform(transform)
        .map_or((0.0, 0.0), |r| (r.width() as f64, r.height() as f64))
}
