//! What each output of a job is planned in and what the job decodes at: sharp's geometry
//! (geometry.rs) in the image each output's own shrink-on-load would give (shrink.rs),
//! mapped to the full-size upright image that one decode serves.

use crate::decode::{self, Header};
use crate::error::{EngineError, ErrorKind, Result};
use crate::geometry::{self, Plan, Region, Request};
use crate::orient::Transform;
use crate::shrink::{self, DecodeScale, Load};
use crate::spec::{Format, OutputSpec};

pub(crate) fn output_transform(spec: &OutputSpec) -> Transform {
    // sharp mirrors before it turns, whatever order they were asked in (pipeline.cc).
    let mut transform = Transform::IDENTITY;
    if spec.flip {
        transform = transform.then(Transform::flip());
    }
    if spec.flop {
        transform = transform.then(Transform::flop());
    }
    transform.then(Transform::rotation(spec.rotate))
}

fn request_of(spec: &OutputSpec) -> Request {
    Request {
        width: spec.width,
        height: spec.height,
        fit: spec.fit,
        position: spec.position,
        without_enlargement: spec.without_enlargement,
        without_reduction: spec.operations.without_reduction,
        shrink_to_turned_box: spec.operations.turn_after_resize,
    }
}

/// `size` as the output's own turn leaves it.
fn turned((width, height): (u32, u32), spec: &OutputSpec) -> (u32, u32) {
    if output_transform(spec).swaps_axes() {
        (height, width)
    } else {
        (width, height)
    }
}

/// The plan of an image `size` as it is, without shrink-on-load.
pub(crate) fn plan_output(size: (u32, u32), spec: &OutputSpec) -> Plan {
    let (width, height) = turned(size, spec);
    geometry::plan(width, height, &request_of(spec))
}

pub(crate) fn plan_outputs(upright: (u32, u32), outputs: &[OutputSpec]) -> Vec<Plan> {
    outputs
        .iter()
        .map(|spec| plan_output(upright, spec))
        .collect()
}

/// libvips' VIPS_MAX_COORD: no side of an image may be longer (sharp fails such a resize).
pub const MAX_OUTPUT_SIDE: u32 = 10_000_000;
/// The pixels one output may have: an enlargement of a 1x1000000 strip to 64 wide would
/// otherwise ask for 4 billion of them (this engine holds whole images, as 16 GB).
pub const MAX_OUTPUT_PIXELS: u64 = 1 << 30;

/// Refuses, before anything is decoded, an output that no memory could hold: `frames`
/// of each plan's size.
pub(crate) fn check_output_sizes(plans: &[Plan], frames: u32) -> Result<()> {
    for (index, plan) in plans.iter().enumerate() {
        let (width, height) = plan.output_size();
        check_output_size(width as u64, height as u64, frames as u64)
            .map_err(|e| e.for_output(index))?;
    }
    Ok(())
}

/// Refuses `frames` images of `width` x `height` above `MAX_OUTPUT_SIDE` a side or
/// `MAX_OUTPUT_PIXELS` in all.
pub(crate) fn check_output_size(width: u64, height: u64, frames: u64) -> Result<()> {
    let pixels = width.saturating_mul(height).saturating_mul(frames);
    let side = MAX_OUTPUT_SIDE as u64;
    if width > side || height > side || pixels > MAX_OUTPUT_PIXELS {
        return Err(EngineError::new(
            ErrorKind::InputTooLarge,
            format!(
                "the output would be {frames} x {width}x{height} pixels: above \
                 {MAX_OUTPUT_SIDE} a side or {MAX_OUTPUT_PIXELS} in all"
            ),
        ));
    }
    Ok(())
}

/// Each output planned as sharp plans it, in the image its own shrink-on-load would give
/// (`shrink::sharp_load`), then mapped to full-size upright pixels: the job decodes once,
/// at the finest scale any output needs, so the sizes are sharp's whatever is decoded.
pub(crate) fn sharp_loads(
    format: Format,
    upright: (u32, u32),
    outputs: &[OutputSpec],
) -> Vec<(Plan, Load)> {
    outputs
        .iter()
        .map(|spec| {
            let full = turned(upright, spec);
            let request = request_of(spec);
            // sharp does not shrink on load before a trim, extract, rotation or gamma.
            let load = if needs_full_size_input(spec) {
                Load::whole(full)
            } else {
                shrink::sharp_load(format, full, &request, spec.fast_shrink_on_load)
            };
            let mut plan = geometry::plan(load.size.0, load.size.1, &request);
            if let Some(crop) = &mut plan.smart_crop {
                crop.load_shrink = load.shrink;
            }
            let (sx, sy) = load.full_pixels_per_pixel(full);
            let region = plan.region;
            plan.region = Region {
                left: region.left * sx,
                top: region.top * sy,
                width: region.width * sx,
                height: region.height * sy,
            };
            (plan, load)
        })
        .collect()
}

/// The finest decode any output needs: sharp's own for `fastShrinkOnLoad` (where this
/// decoder can make it), else the measured quality rule (shrink::choose).
pub(crate) fn decode_scale_for(
    header: &Header,
    bytes: &[u8],
    outputs: &[OutputSpec],
    loads: &[(Plan, Load)],
) -> DecodeScale {
    // These outputs' plans depend on pixels not decoded yet: decode at full size.
    if outputs.iter().any(needs_full_size_input) {
        return DecodeScale::FULL;
    }
    let usable = |scale: DecodeScale| match header.format {
        Format::Jpeg if decode::jpeg_scales_while_decoding(bytes) => scale,
        Format::Webp if !decode::is_animated_webp(bytes) => scale,
        _ => DecodeScale::FULL,
    };
    outputs
        .iter()
        .zip(loads)
        .map(|(spec, (plan, load))| match header.format {
            Format::Jpeg | Format::Webp if spec.fast_shrink_on_load => usable(load.scale),
            _ => shrink::choose(header, bytes, plan.reduction()),
        })
        .reduce(DecodeScale::finer)
        .unwrap_or(DecodeScale::FULL)
}

pub(crate) fn needs_full_size_input(spec: &OutputSpec) -> bool {
    spec.trim.is_some() || spec.operations.needs_full_size_input()
}
