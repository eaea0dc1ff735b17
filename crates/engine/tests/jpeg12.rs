//! 12-bit DCT JPEGs (tests/jpeg/README.md), which libjpeg-turbo 2 refuses: against
//! libjpeg-turbo 3.1's own decoding of the same files, rounded to 8 bits.
mod common;

use common::*;
use pixelpool_engine::decode::read_header;
use pixelpool_engine::{process, DecodeLimits, ErrorKind, FailOn, Image, OutputSpec};

fn fixture(name: &str) -> Vec<u8> {
    test_file("jpeg", name)
}

/// Mean and largest absolute difference per sample.
fn differences(a: &Image, b: &Image) -> (f64, u8) {
    let largest = a
        .data
        .iter()
        .zip(&b.data)
        .map(|(x, y)| x.abs_diff(*y))
        .max();
    (mean_difference(a, b), largest.unwrap_or(0))
}

#[track_caller]
fn assert_matches_reference(file: &str, reference: &str) {
    let decoded = decode_all(&fixture(file));
    let expected = decode_all(&fixture(reference));
    let (mean, largest) = differences(&decoded, &expected);
    // Float IDCT and colour conversion rounded once, where libjpeg rounds at each step
    // in integers: a level now and then, never a visible difference.
    assert!(
        mean < 0.1 && largest <= 1,
        "{file}: mean {mean:.3}, largest {largest}"
    );
}

#[test]
fn sequential_420_with_restart_markers_matches_libjpeg_turbo() {
    assert_matches_reference("dct12-420-restart.jpg", "dct12-420.reference.png");
}

#[test]
fn progressive_matches_libjpeg_turbo() {
    assert_matches_reference("dct12-progressive.jpg", "dct12-420.reference.png");
}

#[test]
fn optimised_422_matches_libjpeg_turbo() {
    assert_matches_reference(
        "dct12-422-optimized.jpg",
        "dct12-422-optimized.reference.png",
    );
}

#[test]
fn rgb_named_by_an_adobe_segment_matches_libjpeg_turbo() {
    assert_matches_reference("dct12-rgb.jpg", "dct12-rgb.reference.png");
}

#[test]
fn progressive_grey_with_a_restart_every_row_matches_libjpeg_turbo() {
    let decoded = decode_all(&fixture("dct12-grey-progressive.jpg"));
    assert_eq!(decoded.channels, 1);
    assert_matches_reference(
        "dct12-grey-progressive.jpg",
        "dct12-grey-progressive.reference.png",
    );
}

#[test]
fn the_same_coefficients_sent_progressively_decode_to_the_same_pixels() {
    let sequential = decode_all(&fixture("dct12-420-restart.jpg"));
    let progressive = decode_all(&fixture("dct12-progressive.jpg"));
    assert_eq!(sequential.data, progressive.data);
}

#[test]
fn a_file_from_the_iso_reference_encoder_gives_its_gradient() {
    // tests/jpeg/README.md: sample i of the 64x48 gradient is round(i * 4095 / 3071).
    let decoded = decode_all(&fixture("dct12.jpg"));
    assert_eq!(
        (decoded.width, decoded.height, decoded.channels),
        (64, 48, 1)
    );
    let errors: Vec<i32> = (0..3072)
        .map(|i| decoded.data[i] as i32 - (i as f64 * 255.0 / 3071.0).round() as i32)
        .collect();
    let mean = errors.iter().map(|e| e.abs()).sum::<i32>() as f64 / errors.len() as f64;
    assert!(mean < 1.0, "mean error {mean}");
    assert!(errors.iter().all(|e| e.abs() <= 4), "{errors:?}");
}

#[test]
fn the_header_and_a_resize_need_no_libjpeg() {
    let bytes = fixture("dct12-progressive.jpg");
    let header = read_header(&bytes).unwrap();
    assert_eq!((header.width, header.height), (203, 141));
    let out = process(
        &bytes,
        &[sized(Some(100), None, png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!((out.outputs[0].width, out.outputs[0].height), (100, 69));
    let resized = decode_all(&out.outputs[0].bytes);
    let reference_resized = decode_all(
        &process(
            &fixture("dct12-420.reference.png"),
            &[sized(Some(100), None, png_lossless())],
            &DecodeLimits::default(),
        )
        .unwrap()
        .outputs[0]
            .bytes,
    );
    let difference = mean_difference(&resized, &reference_resized);
    assert!(difference < 0.5, "{difference}");
}

#[test]
fn a_truncated_file_fails_unless_fail_on_is_none() {
    let bytes = fixture("dct12-progressive.jpg");
    let cut = &bytes[..bytes.len() * 2 / 3];
    let spec = OutputSpec::new(png_lossless());
    let error = process(cut, std::slice::from_ref(&spec), &DecodeLimits::default()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::CorruptInput, "{}", error.message);
    assert!(error.message.contains("truncated"), "{}", error.message);
    let lenient = DecodeLimits {
        fail_on: FailOn::None,
        ..DecodeLimits::default()
    };
    let out = process(cut, &[spec], &lenient).unwrap();
    assert_eq!((out.outputs[0].width, out.outputs[0].height), (203, 141));
}

#[test]
fn damaged_entropy_data_is_an_error_or_an_image_never_a_panic() {
    for name in [
        "dct12-420-restart.jpg",
        "dct12-progressive.jpg",
        "dct12-rgb.jpg",
    ] {
        let bytes = fixture(name);
        for step in 0..100usize {
            let mut damaged = bytes.clone();
            let at = 700 + step * 97 % (bytes.len() - 700);
            damaged[at] ^= 0x5A ^ step as u8;
            let lenient = DecodeLimits {
                fail_on: FailOn::None,
                ..DecodeLimits::default()
            };
            let spec = OutputSpec::new(png_lossless());
            if let Err(error) = process(&damaged, &[spec], &lenient) {
                assert!(
                    !error.message.contains("gave up"),
                    "{name} byte {at}: {}",
                    error.message
                );
            }
        }
    }
}

#[test]
fn an_exif_orientation_in_a_12_bit_file_is_applied() {
    let bytes = fixture("dct12-420-restart.jpg");
    let exif = pixelpool_engine::exif::minimal_with_orientation(6);
    let mut oriented = bytes[..2].to_vec();
    oriented.extend_from_slice(&[0xFF, 0xE1]);
    oriented.extend_from_slice(&(exif.len() as u16 + 2).to_be_bytes());
    oriented.extend_from_slice(&exif);
    oriented.extend_from_slice(&bytes[2..]);
    assert_eq!(read_header(&oriented).unwrap().orientation, 6);
    let out = process(
        &oriented,
        &[OutputSpec::new(png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    // Orientation 6 turns the 203x141 image a quarter clockwise.
    assert_eq!((out.outputs[0].width, out.outputs[0].height), (141, 203));
}
