//! One job: decode once (shrinking on load when every output allows it), orient, then
//! resize and encode each output from the shared decoded image.

use std::borrow::Cow;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::adjust::{self, canvas};
use crate::animated;
use crate::colour::{self, Conversion};
use crate::decode::{self, Header};
use crate::describe;
use crate::encode::Metadata;
use crate::encode_outputs::{encode_outputs, Encoded, Placement};
use crate::error::Result;

use crate::focus;
use crate::geometry::Plan;
use crate::image::Image;
use crate::operations::{Area, Operations};
use crate::orient::Transform;
use crate::output_metadata;
use crate::pixels;
use crate::planning::{
    check_output_sizes, decode_scale_for, needs_full_size_input, output_transform, plan_output,
    sharp_loads,
};
use crate::resize::resize_with;
use crate::shown::as_shown;
use crate::shrink::DecodeScale;
use crate::sources::Sources;
use crate::spec::{DecodeLimits, Format, OutputSpec};

/// Changes whenever the same job could produce different bytes, so cached results made by
/// an older engine are never served: a hash of the engine's sources and the lock file
/// (build.rs), so no one has to remember to bump it.
pub const ENGINE_REVISION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("PIXELPOOL_ENGINE_SOURCES")
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputInfo {
    pub format: Format,
    /// As stored, before EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub orientation: u8,
    pub has_alpha: bool,
    /// Frames read: an animation's count when the job keeps its frames, else 1.
    #[serde(default = "one")]
    pub pages: u32,
    /// What the decoder left out, such as an SVG's references to other files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Where a job's time went, for profiling.
impl InputInfo {
    pub(crate) fn of(header: Header, pages: u32) -> InputInfo {
        InputInfo {
            format: header.format,
            width: header.width,
            height: header.height,
            orientation: header.orientation,
            has_alpha: header.has_alpha,
            pages,
            warnings: header.warnings,
        }
    }
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Header, decode and EXIF orientation.
    pub decode: Duration,
    /// Resize, crop, embed and per-output transforms.
    pub resize: Duration,
    pub encode: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub input: InputInfo,
    pub outputs: Vec<Encoded>,
    pub times: StageTimes,
}

pub fn process(bytes: &[u8], outputs: &[OutputSpec], limits: &DecodeLimits) -> Result<Processed> {
    process_until(bytes, outputs, limits, &decode::NEVER_STOPPED)
}

/// `process`, giving up with `ErrorKind::Aborted` soon after `stop` is set.
pub fn process_until(
    bytes: &[u8],
    outputs: &[OutputSpec],
    limits: &DecodeLimits,
    stop: &AtomicBool,
) -> Result<Processed> {
    let started = Instant::now();
    let header = decode::read_header_for(bytes, limits)?;
    decode::check_limits(&header, limits)?;
    if limits.animated {
        let frames = match decode::count_frames(bytes, header.format) {
            1 => 1,
            frames => decode::selected_frames(frames, limits)?,
        };
        if frames > 1 {
            return animated::process(bytes, header, frames, outputs, limits, started);
        }
    }
    let orientation = Transform::from_exif(header.orientation);
    let upright = upright_size(&header, orientation);
    let outputs = &as_stored_where_asked(outputs, orientation)[..];
    let loads = sharp_loads(header.format, upright, outputs);
    let plans: Vec<Plan> = loads.iter().map(|(plan, _)| *plan).collect();
    check_output_sizes(&plans, 1)?;
    let scale = decode_scale_for(&header, bytes, outputs, &loads);
    let decoded = decode::decode_until(bytes, &header, scale, limits, stop)?;
    let (sx, sy) = scale.exact(&header, (decoded.width, decoded.height));
    let upright_scale = if orientation.swaps_axes() {
        (sy, sx)
    } else {
        (sx, sy)
    };
    // sharp's keepIccProfile leaves pixels in the input's colour space under its profile;
    // the decode is shared, so only when every output asks for that (and can hold it).
    let keep_source_colour = outputs.iter().all(|o| o.keeps_source_colour(false));
    let (oriented, conversion) = as_shown(decoded, &header, orientation, keep_source_colour)?;
    let metadata = kept_metadata(&header, conversion, (bytes, limits.density), outputs);
    let mut times = StageTimes {
        decode: started.elapsed(),
        ..StageTimes::default()
    };

    // Largest first, so smaller outputs can be resized from larger ones.
    let mut order: Vec<usize> = (0..outputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(plans[i].width as u64 * plans[i].height as u64));
    let mut sources = Sources::new(&oriented, upright, upright_scale);
    let mut rendered: Vec<Option<Image>> = vec![None; outputs.len()];
    let mut placements = vec![Placement::default(); outputs.len()];
    for (position, &index) in order.iter().enumerate() {
        let spec = &outputs[index];
        let smaller_follow = position + 1 < order.len();
        let (image, placement) = if needs_full_size_input(spec) {
            render_prepared(&oriented, spec, &mut times)
        } else {
            render(
                &mut sources,
                spec,
                &plans[index],
                smaller_follow,
                &mut times,
            )
        }
        .map_err(|e| e.for_output(index))?;
        rendered[index] = Some(image);
        placements[index] = placement;
    }
    drop(sources);
    let rendered = rendered
        .into_iter()
        .map(|r| r.expect("every output rendered"))
        .collect();
    let (mut encoded, encoding) = encode_outputs(outputs, rendered, &metadata)?;
    times.encode += encoding;
    for (output, placement) in encoded.iter_mut().zip(placements) {
        output.placement = placement;
    }

    let input = InputInfo::of(header, 1);
    Ok(Processed {
        input,
        outputs: encoded,
        times,
    })
}

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

/// The scale `process` decodes `bytes` at for these outputs (read from the header only).
pub fn decode_scale(bytes: &[u8], outputs: &[OutputSpec]) -> Result<DecodeScale> {
    let header = decode::read_header(bytes)?;
    let orientation = Transform::from_exif(header.orientation);
    let upright = upright_size(&header, orientation);
    let outputs = &as_stored_where_asked(outputs, orientation)[..];
    let loads = sharp_loads(header.format, upright, outputs);
    Ok(decode_scale_for(&header, bytes, outputs, &loads))
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
