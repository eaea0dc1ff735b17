//! JPEG XL input against known pixels: lossless files give their source PNG's pixels, a
//! lossy one libjxl's own decoder's (djxl), the codestream's orientation is applied, alpha
//! is kept.
mod common;

use common::*;
use pixelpool_engine::{decode, process, DecodeLimits, Format, OutputSpec};

fn fixture(name: &str) -> Vec<u8> {
    test_file("jxl", name)
}

/// `input` through the whole pipeline at full size, as lossless PNG, decoded back.
fn through_pipeline(input: &[u8]) -> pixelpool_engine::Image {
    let spec = OutputSpec::new(png_lossless());
    let processed = process(input, &[spec], &DecodeLimits::default()).unwrap();
    decode_all(&processed.outputs[0].bytes)
}

#[test]
fn lossless_jxl_gives_its_source_pixels() {
    let header = decode::read_header(&fixture("small.jxl")).unwrap();
    assert_eq!(
        (header.format, header.width, header.height, header.has_alpha),
        (Format::Jxl, 96, 64, false)
    );
    let jxl = through_pipeline(&fixture("small.jxl"));
    let png = decode_all(&fixture("small.png"));
    assert_eq!(mean_difference(&jxl, &png), 0.0);
}

#[test]
fn alpha_is_kept() {
    let jxl = through_pipeline(&fixture("alpha.jxl"));
    let png = decode_all(&fixture("alpha.png"));
    assert_eq!(jxl.channels, 4);
    assert_eq!(mean_difference(&jxl, &png), 0.0);
}

#[test]
fn lossy_jxl_matches_the_reference_decoder() {
    let jxl = through_pipeline(&fixture("lossy.jxl"));
    let reference = decode_all(&fixture("lossy-djxl.png"));
    let difference = mean_difference(&jxl, &reference);
    assert!(difference < 0.5, "mean difference {difference} from djxl");
}

#[test]
fn the_codestream_orientation_is_applied() {
    // The JPEG stores 120x180 with EXIF orientation 6; the JPEG XL transcode carries it in
    // the codestream. Both come out upright, 180x120, with the same pixels near enough.
    let jxl = through_pipeline(&fixture("orient6.jxl"));
    let jpeg = through_pipeline(&fixture("orient6.jpg"));
    assert_eq!((jxl.width, jxl.height), (180, 120));
    let difference = mean_difference(&jxl, &jpeg);
    assert!(difference < 2.0, "mean difference {difference}");
}

#[test]
fn the_pixel_limit_applies_from_the_header() {
    let limits = DecodeLimits {
        max_pixels: 96 * 64 - 1,
        ..DecodeLimits::default()
    };
    let spec = OutputSpec::new(png_lossless());
    let error = process(&fixture("small.jxl"), &[spec], &limits).unwrap_err();
    assert_eq!(error.kind, pixelpool_engine::ErrorKind::InputTooLarge);
}
