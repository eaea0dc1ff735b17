//! resvg's render, one node at a time, so that a job stopped while its SVG draws (its
//! timeout, or its caller's abort) frees the thread at the next node instead of when the
//! whole tree is done. Plain groups are walked into; anything resvg must draw as a whole
//! (a layer with opacity, clip, mask or filter; a path; an image; text) is one step.
use std::sync::atomic::{AtomicBool, Ordering};

use resvg::tiny_skia::{PixmapMut, Transform};
use resvg::usvg::{self, Group, Node};

use crate::error::{EngineError, Result};

/// Draws `tree` at `transform`, the same pixels as `resvg::render`, unless `stop` is set.
pub fn draw(
    tree: &usvg::Tree,
    transform: Transform,
    pixmap: &mut PixmapMut<'_>,
    stop: &AtomicBool,
) -> Result<()> {
    draw_children(tree.root(), transform, pixmap, stop)
}

fn draw_children(
    group: &Group,
    transform: Transform,
    pixmap: &mut PixmapMut<'_>,
    stop: &AtomicBool,
) -> Result<()> {
    for node in group.children() {
        if stop.load(Ordering::Relaxed) {
            return Err(EngineError::aborted("the SVG's rendering was stopped"));
        }
        match node {
            Node::Group(inner) if !inner.should_isolate() => {
                draw_children(inner, transform.pre_concat(inner.transform()), pixmap, stop)?;
            }
            _ => {
                // render_node draws a node moved to its layer box's corner; moved back here,
                // it lands where the whole tree's render puts it.
                if let Some(bbox) = node.abs_layer_bounding_box() {
                    let placed = transform.pre_translate(bbox.x(), bbox.y());
                    resvg::render_node(node, placed, pixmap);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::Pixmap;

    /// Nested plain groups with transforms, a layer with opacity, a clip path, a mask, a
    /// filter and a pattern: every way resvg draws.
    const EVERYTHING: &str = "<svg xmlns='http://www.w3.org/2000/svg' width='64' height='48'>\
        <defs><clipPath id='c'><circle cx='20' cy='20' r='14'/></clipPath>\
        <mask id='m'><rect width='64' height='48' fill='#888'/></mask>\
        <filter id='f'><feGaussianBlur stdDeviation='2'/></filter>\
        <pattern id='p' width='6' height='6' patternUnits='userSpaceOnUse'>\
        <rect width='3' height='3' fill='#0a0'/></pattern></defs>\
        <rect width='64' height='48' fill='url(#p)'/>\
        <g transform='translate(3.3 2.7) rotate(7)'><g transform='scale(1.2)'>\
        <rect x='2' y='2' width='20' height='12' fill='#c00'/>\
        <g opacity='0.6'><circle cx='30' cy='20' r='9' fill='#00c'/></g></g>\
        <rect x='5' y='5' width='30' height='30' fill='#fc0' clip-path='url(#c)'/>\
        <rect x='30' y='10' width='20' height='20' fill='#0cc' mask='url(#m)'/>\
        <rect x='40' y='25' width='14' height='14' fill='#c0c' filter='url(#f)'/></g></svg>";

    fn tree() -> usvg::Tree {
        usvg::Tree::from_str(EVERYTHING, &usvg::Options::default()).unwrap()
    }

    #[test]
    fn node_by_node_draws_the_same_pixels_as_resvg() {
        let tree = tree();
        let transform = Transform::from_scale(1.5, 1.5);
        let mut whole = Pixmap::new(96, 72).unwrap();
        resvg::render(&tree, transform, &mut whole.as_mut());
        let mut stepped = Pixmap::new(96, 72).unwrap();
        draw(
            &tree,
            transform,
            &mut stepped.as_mut(),
            &AtomicBool::new(false),
        )
        .unwrap();
        let differing = whole
            .data()
            .iter()
            .zip(stepped.data())
            .filter(|(a, b)| a.abs_diff(**b) > 1)
            .count();
        assert_eq!(differing, 0);
        assert!(whole.data().iter().any(|&v| v != 0), "something was drawn");
    }

    #[test]
    fn a_stopped_job_draws_nothing_more() {
        let mut pixmap = Pixmap::new(64, 48).unwrap();
        let error = draw(
            &tree(),
            Transform::identity(),
            &mut pixmap.as_mut(),
            &AtomicBool::new(true),
        )
        .unwrap_err();
        assert_eq!(error.kind, crate::ErrorKind::Aborted);
        assert!(pixmap.data().iter().all(|&v| v == 0));
    }
}
