//! Jobs that stay in Y'CbCr from decode to encode (planes.rs): a JPEG decoded at full
//! size, resized or cropped to JPEG, with no other change to its pixels. Everything else
//! goes through RGB (pipeline.rs).
//!
//! Measured against the RGB path on one thread (`process`, JPEG q80 by width, 2026-12-02):
//! spices-of-life (10 MP, 4:2:0) to 3491, 2259 and 1097 wide 1.11x, 1.11x and 1.10x as
//! fast, sunset-beach (25 MP progressive) to 5585 and 2793 wide 1.15x and 1.22x, output
//! bytes within 0.7%. Not taken where it did not pay: lossy WebP (1.0-1.08x, but 1.5-2%
//! more bytes: its chroma comes out sharper than libwebp's own averaging makes it), and
//! scaled decodes (0.91-1.0x: libjpeg's scaled IDCT then makes chroma as large as luma, so
//! the resize saves nothing and the decode little).

use std::time::Instant;

use crate::colour::{self, Conversion};
use crate::decode::{self, DecodeScale, Header};
use crate::encode::{self, Metadata};
use crate::encode_outputs::encode_each;
use crate::error::Result;
use crate::geometry::{Plan, Region};
use crate::image::Image;
use crate::operations::Operations;
use crate::orient::Transform;
use crate::pipeline::{kept_metadata, scale_region, InputInfo, Processed, StageTimes};
use crate::planes::{chroma_size, Planes};
use crate::resize::resize_plane;
use crate::sources::Sources;
use crate::spec::{ChromaSubsampling, DecodeLimits, Encoding, Format, OutputSpec};

/// Whether every output of a job on this input, decoded at `scale`, can be made from its
/// planes.
pub(crate) fn applies(
    header: &Header,
    scale: DecodeScale,
    outputs: &[OutputSpec],
    plans: &[Plan],
) -> bool {
    let colour_stays = match &header.icc {
        None => true,
        Some(icc) => {
            outputs.iter().all(|o| o.keeps_source_colour(false))
                || colour::leaves_rgb_unchanged(icc)
        }
    };
    header.format == Format::Jpeg
        && scale.is_full()
        && Transform::from_exif(header.orientation).is_identity()
        && colour_stays
        && outputs.iter().zip(plans).all(|(o, p)| output_applies(o, p))
}

/// JPEG, resized or cropped only.
fn output_applies(spec: &OutputSpec, plan: &Plan) -> bool {
    let jpeg = matches!(spec.encoding, Encoding::Jpeg { .. });
    let operations = &spec.operations;
    let only_resizing = Operations {
        kernel: operations.kernel,
        keep_icc: operations.keep_icc,
        ignore_orientation: operations.ignore_orientation,
        without_reduction: operations.without_reduction,
        ..Operations::default()
    };
    jpeg && *operations == only_resizing
        && plan.canvas.is_none()
        && (spec.rotate, spec.flip, spec.flop) == (0, false, false)
        && !spec.grayscale
        && spec.trim.is_none()
        && spec.duotone.is_none()
        && !spec.position.is_strategy()
}

/// The job through planes, or `None` when the file turns out not to hold Y'CbCr.
pub(crate) fn process(
    bytes: &[u8],
    header: &Header,
    outputs: &[OutputSpec],
    plans: &[Plan],
    limits: &DecodeLimits,
    started: Instant,
) -> Result<Option<Processed>> {
    let Some(decoded) = decode::decode_jpeg_planes(bytes, header, limits)? else {
        return Ok(None);
    };
    let metadata = kept_metadata(header, Conversion::Unchanged);
    let mut times = StageTimes {
        decode: started.elapsed(),
        ..StageTimes::default()
    };
    let full_size = (header.width, header.height);
    let [luma, blue, red] = decoded.scales;
    let planes = &decoded.planes;
    let mut sources = [
        Sources::new(&planes.luma, full_size, luma),
        Sources::new(&planes.blue, full_size, blue),
        Sources::new(&planes.red, full_size, red),
    ];
    let mut order: Vec<usize> = (0..outputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(plans[i].width as u64 * plans[i].height as u64));
    let mut rendered: Vec<Option<Planes>> = vec![None; outputs.len()];
    let resizing = Instant::now();
    for index in order {
        let planes = render(&mut sources, &outputs[index], &plans[index], full_size)
            .map_err(|e| e.for_output(index))?;
        rendered[index] = Some(planes);
    }
    times.resize = resizing.elapsed();
    drop(sources);
    let rendered = rendered
        .into_iter()
        .map(|r| r.expect("every output rendered"))
        .collect();
    let (encoded, encoding) = encode_each(outputs, rendered, &metadata, encode_one)?;
    times.encode = encoding;
    Ok(Some(Processed {
        input: InputInfo::of(header.clone(), 1),
        outputs: encoded,
        times,
    }))
}

fn encode_one(planes: &Planes, spec: &OutputSpec, kept: &Metadata) -> Result<Vec<u8>> {
    encode::encode_planes(planes, &spec.encoding, half_chroma(spec), kept)
}

/// Each plane resized from the best source for it; chroma at half the output's size on
/// each axis when the output stores it so.
fn render(
    sources: &mut [Sources<'_>; 3],
    spec: &OutputSpec,
    plan: &Plan,
    full_size: (u32, u32),
) -> Result<Planes> {
    let half = half_chroma(spec);
    let (width, height) = chroma_size(plan.width, plan.height, half);
    let chroma_plan = Plan {
        width,
        height,
        ..*plan
    };
    let chroma_region = if half {
        half_chroma_region(plan, full_size)
    } else {
        plan.region
    };
    let [luma, blue, red] = sources;
    Ok(Planes {
        luma: render_plane(luma, spec, plan, plan.region)?,
        blue: render_plane(blue, spec, &chroma_plan, chroma_region)?,
        red: render_plane(red, spec, &chroma_plan, chroma_region)?,
    })
}

fn render_plane(
    sources: &mut Sources<'_>,
    spec: &OutputSpec,
    plan: &Plan,
    region: Region,
) -> Result<Image> {
    let (source, scale) = sources.pick(Transform::IDENTITY, plan);
    let region = scale_region(region, scale, source);
    let resized = resize_plane(
        source,
        region,
        plan.width,
        plan.height,
        spec.operations.kernel,
    )?;
    sources.offer(Transform::IDENTITY, plan, resized.clone());
    Ok(resized)
}

/// Half-resolution chroma of an odd width (or height) has one sample more than half the
/// luma: its last sample stands for the last pixel and the margin after it, so the
/// region it is resized from reaches half a pixel past the output's (as far as the image
/// goes), and chroma stays centred between its two luma pixels.
fn half_chroma_region(plan: &Plan, (width, height): (u32, u32)) -> Region {
    let region = plan.region;
    let reach = |size: u32| (size.div_ceil(2) * 2) as f64 / size as f64;
    Region {
        width: (region.width * reach(plan.width)).min(width as f64 - region.left),
        height: (region.height * reach(plan.height)).min(height as f64 - region.top),
        ..region
    }
}

/// JPEG stores chroma at half resolution unless asked for 4:4:4.
fn half_chroma(spec: &OutputSpec) -> bool {
    matches!(
        spec.encoding,
        Encoding::Jpeg {
            chroma_subsampling: ChromaSubsampling::Half,
            ..
        }
    )
}
