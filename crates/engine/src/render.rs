//! The stages every output goes through after the decode, shared by the still and the
//! animated paths (pipeline.rs, animated.rs): orientation where an output ignores EXIF,
//! resize from the best source, effects, and the metadata the output keeps.

use std::borrow::Cow;
use std::time::Instant;

use crate::adjust::{self, canvas};
use crate::colour::{self, Conversion};
use crate::decode::Header;
use crate::describe;
use crate::encode::Metadata;
use crate::encode_outputs::Placement;
use crate::error::Result;
use crate::focus;
use crate::geometry::Plan;
use crate::image::Image;
use crate::operations::{Area, Operations};
use crate::orient::Transform;
use crate::output_metadata;
use crate::pixels;
use crate::planning::{output_transform, plan_output};
use crate::processed::StageTimes;
use crate::resize::resize_with;
use crate::sources::Sources;
use crate::spec::OutputSpec;

/// Outputs that ignore the EXIF orientation get its inverse ahead of their own rotation,
/// so every output still starts from the one upright decode.
pub(crate) fn as_stored_where_asked(
    outputs: &[OutputSpec],
    orientation: Transform,
) -> Cow<'_, [OutputSpec]> {
    if orientation.is_identity() || !outputs.iter().any(|o| o.operations.ignore_orientation) {
        return Cow::Borrowed(outputs);
    }
    let rewritten = outputs
        .iter()
        .map(|spec| {
            if !spec.operations.ignore_orientation {
                return spec.clone();
            }
            let wanted = orientation.inverse().then(output_transform(spec));
            let (flop, rotate) = wanted.as_flop_and_rotation();
            OutputSpec {
                rotate,
                flip: false,
                flop,
                ..spec.clone()
            }
        })
        .collect();
    Cow::Owned(rewritten)
}

pub(crate) fn upright_size(header: &Header, orientation: Transform) -> (u32, u32) {
    if orientation.swaps_axes() {
        (header.height, header.width)
    } else {
        (header.width, header.height)
    }
}

/// An output's pixels: resized from the best source, cropped where a strategy finds the
/// interest (sharp's smartcrop, after the resize), then its effects. When `offer` (a
/// smaller output follows), the resized image is also kept for the cascade; otherwise it
/// is not copied (a 3491 x 2327 RGB output is 24 MB).
pub(crate) fn render(
    sources: &mut Sources<'_>,
    spec: &OutputSpec,
    plan: &Plan,
    offer: bool,
    times: &mut StageTimes,
) -> Result<(Image, Placement)> {
    let started = Instant::now();
    let transform = output_transform(spec);
    let (source, region) = sources.pick(transform, plan);
    let mut resized = resize_with(
        source,
        region,
        plan.width,
        plan.height,
        spec.operations.kernel,
    )?;
    if offer {
        sources.offer(transform, plan, &resized);
    }
    let mut placement = Placement::default();
    if let Some(crop) = plan.smart_crop {
        let found = focus::smartcrop(&resized, crop.width, crop.height, spec.position)?;
        let area = Area {
            left: found.left,
            top: found.top,
            width: crop.width,
            height: crop.height,
        };
        resized = canvas::extract(&resized, area, "resize")?;
        let reported = |v: u32| (v as f64 * crop.load_shrink) as u32;
        placement.crop_offset = Some([found.left, found.top]);
        placement.attention = Some([reported(found.attention.0), reported(found.attention.1)]);
    }
    let image = with_effects(resized, spec, plan)?;
    times.resize += started.elapsed();
    Ok((image, placement))
}

/// The resized image's canvas, greyscale, operations and duotone, in sharp's order.
fn with_effects(resized: Image, spec: &OutputSpec, plan: &Plan) -> Result<Image> {
    let mut image = resized;
    if let Some(canvas) = plan.canvas {
        image = pixels::embed(&image, canvas, spec.background);
    }
    if spec.grayscale {
        image = adjust::greyscale(&image);
    }
    if spec.operations != Operations::default() {
        image = adjust::after_resize(image, &spec.operations)?;
    }
    if let Some(duotone) = &spec.duotone {
        image = pixels::duotone(&image, duotone);
    }
    Ok(image)
}

/// An output whose trim, pre-resize extract, rotation or gamma changes the image before
/// its resize is planned: those run on the full-size upright image, then the plan; its
/// placement says where a trim's area starts.
pub(crate) fn render_prepared(
    image: &Image,
    spec: &OutputSpec,
    times: &mut StageTimes,
) -> Result<(Image, Placement)> {
    let started = Instant::now();
    let transform = output_transform(spec);
    let mut spec = Cow::Borrowed(spec);
    let oriented;
    let mut image = image;
    // sharp turns the image before extracting from it or rotating it further, unless the
    // extract was asked first.
    let ops = &spec.operations;
    if !transform.is_identity()
        && !ops.extract_before_turning
        && (ops.extract_before.is_some() || ops.angle.is_some())
    {
        oriented = transform.apply(image);
        image = &oriented;
        let spec = spec.to_mut();
        (spec.rotate, spec.flip, spec.flop) = (0, false, false);
    }
    let (prepared, trim_offset) =
        adjust::before_resize(image, spec.trim.as_ref(), &spec.operations)?;
    let size = (prepared.width, prepared.height);
    let plan = plan_output(size, &spec);
    times.resize += started.elapsed();
    let (rendered, placement) = render(
        &mut Sources::new(&prepared, size, (1.0, 1.0)),
        &spec,
        &plan,
        false,
        times,
    )?;
    Ok((
        rendered,
        Placement {
            trim_offset,
            ..placement
        },
    ))
}

/// The input's metadata as outputs may keep it: EXIF as it is, the ICC
/// profile of the pixels as converted; the XMP packet and resolution where some output
/// keeps them (PNG states the input's resolution, as libvips carries it through).
pub(crate) fn kept_metadata(
    header: &Header,
    conversion: Conversion,
    (bytes, density): (&[u8], f64),
    outputs: &[OutputSpec],
) -> Metadata {
    let icc = match conversion {
        Conversion::ToSrgb => colour::srgb_profile(),
        Conversion::Unchanged => header.icc.clone(),
    };
    let described = output_metadata::wants_input_description(outputs)
        .then(|| describe::of_header(bytes, header.clone()));
    Metadata {
        exif: header.exif.clone(),
        icc,
        // An SVG is drawn at the density it is read at, which libvips states as its resolution.
        density: described.as_ref().map(|d| match d.header.format {
            crate::spec::Format::Svg => density,
            _ => d.pixels_per_mm * 25.4,
        }),
        xmp: described.and_then(|d| d.xmp),
        orientation: Some(header.orientation),
    }
}
