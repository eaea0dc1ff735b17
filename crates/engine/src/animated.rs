//! A job that keeps an animation's frames (`animated`): every frame is decoded as shown,
//! then each output renders every frame with one plan (the frames share a canvas) and
//! encodes them as an animation where its format holds one, else the first frame alone.
use std::time::Instant;

use crate::colour::Conversion;
use crate::decode::{self, Header};
use crate::encode;
use crate::encode_outputs::Encoded;
use crate::error::{EngineError, Result};
use crate::frames::Frames;
use crate::image::Image;
use crate::orient::Transform;
use crate::output_metadata;
use crate::planning::{check_output_sizes, needs_full_size_input, plan_outputs};
use crate::processed::{InputInfo, Processed, StageTimes};
use crate::render::{as_stored_where_asked, kept_metadata, render, render_prepared, upright_size};
use crate::shown::as_shown;
use crate::sources::Sources;
use crate::spec::{DecodeLimits, OutputSpec};

pub(crate) fn process(
    bytes: &[u8],
    header: Header,
    frame_count: u32,
    outputs: &[OutputSpec],
    limits: &DecodeLimits,
    started: Instant,
) -> Result<Processed> {
    for (index, spec) in outputs.iter().enumerate() {
        refuse_per_frame_choices(spec).map_err(|e| e.for_output(index))?;
    }
    let orientation = Transform::from_exif(header.orientation);
    let upright = upright_size(&header, orientation);
    let outputs = &as_stored_where_asked(outputs, orientation)[..];
    let plans = plan_outputs(upright, outputs);
    check_output_sizes(&plans, frame_count)?;
    let frames = decode::decode_frames(bytes, &header, limits)?;
    let keep_source_colour = outputs.iter().all(|o| o.keeps_source_colour(true));
    let mut conversion = Conversion::Unchanged;
    let mut shown = Vec::with_capacity(frames.images.len());
    for image in frames.images {
        let (image, converted) = as_shown(image, &header, orientation, keep_source_colour)?;
        conversion = converted;
        shown.push(image);
    }
    let metadata = kept_metadata(&header, conversion, (bytes, limits.density), outputs);
    let mut times = StageTimes {
        decode: started.elapsed(),
        ..StageTimes::default()
    };
    let mut encoded = Vec::with_capacity(outputs.len());
    for (index, spec) in outputs.iter().enumerate() {
        // Formats that cannot animate get the first frame: the others are not rendered.
        let kept = if spec.encoding.animates() {
            shown.len()
        } else {
            1
        };
        let rendered = shown[..kept]
            .iter()
            .map(|frame| render_frame(frame, upright, spec, &plans[index], &mut times))
            .collect::<Result<Vec<Image>>>()
            .map_err(|e| e.for_output(index))?;
        let (width, height) = (rendered[0].width, rendered[0].height);
        let timing = spec.operations.timing.clone().unwrap_or_default();
        let delays = match timing.delays {
            Some(delays) if delays.len() == 1 => vec![delays[0]; rendered.len()],
            Some(delays) => delays,
            None => frames.delays.clone(),
        };
        let animation = Frames {
            images: rendered,
            delays,
            loop_count: timing.loop_count.unwrap_or(frames.loop_count),
        };
        let encoding = Instant::now();
        let written =
            output_metadata::for_output(spec, &metadata).map_err(|e| e.for_output(index))?;
        let bytes = encode::encode_frames(&animation, &spec.encoding, spec.background, &written)
            .map_err(|e| e.for_output(index))?;
        times.encode += encoding.elapsed();
        encoded.push(Encoded {
            format: spec.encoding.format(),
            width,
            height,
            bytes,
            placement: Default::default(),
        });
    }
    let input = InputInfo::of(header, shown.len() as u32);
    Ok(Processed {
        input,
        outputs: encoded,
        times,
    })
}

fn render_frame(
    frame: &Image,
    upright: (u32, u32),
    spec: &OutputSpec,
    plan: &crate::geometry::Plan,
    times: &mut StageTimes,
) -> Result<Image> {
    let (image, _) = if needs_full_size_input(spec) {
        render_prepared(frame, spec, times)?
    } else {
        render(
            &mut Sources::new(frame, upright, (1.0, 1.0)),
            spec,
            plan,
            false,
            times,
        )?
    };
    Ok(image)
}

/// Choices made from each frame's pixels would differ from frame to frame and tear the
/// animation apart; and sharp's affine, which libvips would run on the frames stacked.
fn refuse_per_frame_choices(spec: &OutputSpec) -> Result<()> {
    let (choice, why) = if spec.trim.is_some() {
        ("Trim", "each frame would crop differently")
    } else if spec.position.is_strategy() {
        ("Resize strategy", "each frame would crop differently")
    } else if spec.operations.affine.is_some() {
        (
            "Affine",
            "sharp would transform the frames stacked as one tall image",
        )
    } else {
        return Ok(());
    };
    Err(EngineError::new(
        crate::ErrorKind::InvalidOption,
        format!("{choice} is not supported for multi-page images: {why}; read the animation without `animated`"),
    ))
}
