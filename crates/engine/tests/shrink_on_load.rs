//! Shrink-on-load changes how much the decoder reduces, never what comes out: every output
//! has the size sharp plans in the image its shrink-on-load gives, whatever scale the
//! pipeline decoded at. (That these are sharp's own sizes, __test__/sharp-sizes.test.mjs
//! checks against sharp itself.)
mod common;

use common::*;
use pixelpool_engine::decode::read_header;
use pixelpool_engine::geometry::{plan, Request};
use pixelpool_engine::orient::Transform;
use pixelpool_engine::shrink::sharp_load;
use pixelpool_engine::{decode_scale, process, DecodeLimits, Fit, Gravity, OutputSpec};

/// Widths from a 1.05x to a 30x reduction of `width`, many of them between the scales.
fn widths(width: u32) -> Vec<u32> {
    let mut reductions = vec![
        1.05, 1.3, 1.9, 2.1, 2.7, 3.3, 4.3, 5.5, 7.9, 9.6, 11.0, 13.0, 15.0, 20.0, 23.0, 30.0,
    ];
    reductions.extend((1..=16).map(|eighth| 8.0 / eighth as f64 + 0.01));
    reductions
        .iter()
        .map(|r| (width as f64 / r) as u32)
        .collect()
}

#[track_caller]
fn assert_planned_sizes(name: &str, fit: Fit, height_of: impl Fn(u32) -> Option<u32>) {
    let bytes = corpus(name);
    let header = read_header(&bytes).unwrap();
    let upright = Transform::from_exif(header.orientation);
    let (full_w, full_h) = if upright.swaps_axes() {
        (header.height, header.width)
    } else {
        (header.width, header.height)
    };
    let mut scales = Vec::new();
    for width in widths(full_w) {
        let spec = OutputSpec {
            fit,
            ..sized(Some(width), height_of(width), jpeg(70))
        };
        let request = Request {
            width: spec.width,
            height: spec.height,
            fit,
            position: Gravity::Centre,
            without_enlargement: false,
            without_reduction: false,
            shrink_to_turned_box: false,
        };
        let load = sharp_load(header.format, (full_w, full_h), &request, true);
        let planned = plan(load.size.0, load.size.1, &request);
        let out = process(
            &bytes,
            std::slice::from_ref(&spec),
            &DecodeLimits::default(),
        )
        .unwrap();
        let output = &out.outputs[0];
        assert_eq!(
            (output.width, output.height),
            planned
                .canvas
                .map_or((planned.width, planned.height), |c| (c.width, c.height)),
            "{name} to width {width}"
        );
        let image = decode_all(&output.bytes);
        assert_eq!((image.width, image.height), (output.width, output.height));
        let scale = decode_scale(&bytes, &[spec]).unwrap();
        if !scale.is_full() && !scales.contains(&scale) {
            scales.push(scale);
        }
    }
    // The widths reach every smaller scale (JPEG's 1/2, 1/4 and 1/8), so the test sees
    // each scale's rounding.
    assert!(
        scales.len() >= 3,
        "{name}: decoded smaller only at {scales:?}"
    );
}

#[test]
fn jpeg_outputs_keep_their_planned_size_at_every_scale() {
    // 1200 x 1800 stored, EXIF orientation 6: upright 1800 x 1200.
    assert_planned_sizes("exiforient-landscape-6.jpg", Fit::Cover, |_| None);
    assert_planned_sizes("exiforient-landscape-6.jpg", Fit::Cover, |w| {
        Some(w / 3 + 1)
    });
    assert_planned_sizes("exiforient-portrait-8.jpg", Fit::Inside, Some);
}

#[test]
fn webp_outputs_keep_their_planned_size_at_every_scale() {
    assert_planned_sizes("golibwebp-kinkaku.webp", Fit::Cover, |_| None);
    assert_planned_sizes("golibwebp-butterfly.webp", Fit::Contain, |w| {
        Some(w / 2 + 3)
    });
}
