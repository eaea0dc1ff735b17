//! Lossless JPEGs (SOF3, tests/jpeg/README.md), beyond libjpeg-turbo 2: they give their
//! source pixels.
mod common;

use common::*;
use pixelpool_engine::{process, DecodeLimits};

fn fixture(name: &str) -> Vec<u8> {
    test_file("jpeg", name)
}

#[test]
fn a_lossless_rgb_jpeg_gives_its_source_pixels() {
    let decoded = decode_all(&fixture("lossless-rgb.jpg"));
    let source = decode_all(&fixture("lossless-rgb-source.png"));
    assert_eq!(decoded, source);
}

#[test]
fn a_12_bit_lossless_grey_jpeg_is_rounded_to_8_bits() {
    let decoded = decode_all(&fixture("lossless-grey12.jpg"));
    assert_eq!(
        (decoded.width, decoded.height, decoded.channels),
        (64, 48, 1)
    );
    // Sample i of the gradient is round(i * 4095 / 3071), so 8 bits give i * 255 / 3071.
    for i in [0usize, 1000, 2000, 3071] {
        let expected = (i as f64 * 255.0 / 3071.0).round() as i32;
        assert!(
            (decoded.data[i] as i32 - expected).abs() <= 1,
            "sample {i}: {}",
            decoded.data[i]
        );
    }
}

#[test]
fn lossless_jpegs_resize_at_full_decode() {
    let spec = sized(Some(20), None, png_lossless());
    let out = process(
        &fixture("lossless-rgb.jpg"),
        &[spec],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!((out.outputs[0].width, out.outputs[0].height), (20, 15));
}
