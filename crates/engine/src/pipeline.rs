//! One job: decode once (shrinking on load when every output allows it), orient, then
//! resize and encode each output from the shared decoded image.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::animated;
use crate::decode;
use crate::encode_outputs::{encode_outputs, Placement};
use crate::error::Result;
use crate::geometry::Plan;
use crate::image::Image;
use crate::orient::Transform;
use crate::planning::{check_output_sizes, decode_scale_for, needs_full_size_input, sharp_loads};
use crate::processed::{InputInfo, Processed, StageTimes};
use crate::render::{as_stored_where_asked, kept_metadata, render, render_prepared, upright_size};
use crate::shown::as_shown;
use crate::shrink::DecodeScale;
use crate::sources::Sources;
use crate::spec::{DecodeLimits, OutputSpec};

/// Changes whenever the same job could produce different bytes, so cached results made by
/// an older engine are never served: a hash of the engine's sources and the lock file
/// (build.rs), so no one has to remember to bump it.
pub const ENGINE_REVISION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("PIXELPOOL_ENGINE_SOURCES")
);

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

/// The scale `process` decodes `bytes` at for these outputs (read from the header only).
pub fn decode_scale(bytes: &[u8], outputs: &[OutputSpec]) -> Result<DecodeScale> {
    let header = decode::read_header(bytes)?;
    let orientation = Transform::from_exif(header.orientation);
    let upright = upright_size(&header, orientation);
    let outputs = &as_stored_where_asked(outputs, orientation)[..];
    let loads = sharp_loads(header.format, upright, outputs);
    Ok(decode_scale_for(&header, bytes, outputs, &loads))
}
