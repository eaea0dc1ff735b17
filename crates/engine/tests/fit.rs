mod common;

use common::*;
use pixelpool_engine::{process, DecodeLimits, Fit, Gravity, OutputSpec};

#[test]
fn one_decode_serves_every_fit() {
    let photo = corpus("budgie-canyon-wren.jpg"); // 3840 x 2160
    let fit = |fit: Fit, w: u32, h: u32| OutputSpec {
        fit,
        ..sized(Some(w), Some(h), jpeg(80))
    };
    let outputs = [
        fit(Fit::Cover, 400, 400),
        fit(Fit::Contain, 400, 400),
        fit(Fit::Fill, 400, 400),
        fit(Fit::Inside, 400, 400),
        fit(Fit::Outside, 400, 400),
        sized(Some(800), None, webp(80)),
        sized(None, Some(90), png_lossless()),
    ];
    let out = process(&photo, &outputs, &DecodeLimits::default()).unwrap();
    let sizes: Vec<(u32, u32)> = out.outputs.iter().map(|o| (o.width, o.height)).collect();
    assert_eq!(
        sizes,
        vec![
            (400, 400),
            (400, 400),
            (400, 400),
            (400, 225),
            (711, 400),
            (800, 450),
            (160, 90)
        ]
    );
    for encoded in &out.outputs {
        let image = decode_all(&encoded.bytes);
        assert_eq!((image.width, image.height), (encoded.width, encoded.height));
    }
}

#[test]
fn cover_position_picks_the_side() {
    // Quadrants: a 2:1 crop to a square from the west keeps red/blue, from the east green/white.
    let png = pixelpool_engine::encode::encode(
        &quadrants(200, 100),
        &png_lossless(),
        pixelpool_engine::Rgba::BLACK,
        &Default::default(),
    )
    .unwrap();
    let at = |position: Gravity| OutputSpec {
        position,
        ..sized(Some(50), Some(50), png_lossless())
    };
    let out = process(
        &png,
        &[at(Gravity::West), at(Gravity::East)],
        &DecodeLimits::default(),
    )
    .unwrap();
    let west = decode_all(&out.outputs[0].bytes);
    let east = decode_all(&out.outputs[1].bytes);
    assert_eq!(&west.pixel(40, 10)[..3], &[255, 0, 0]);
    assert_eq!(&east.pixel(10, 10)[..3], &[0, 255, 0]);
}

#[test]
fn without_enlargement_keeps_small_inputs_small() {
    let photo = corpus("kodak-kodim13.png"); // 768 x 512
    let spec = OutputSpec {
        without_enlargement: true,
        ..sized(Some(2000), None, jpeg(80))
    };
    let out = process(&photo, &[spec], &DecodeLimits::default()).unwrap();
    assert_eq!((out.outputs[0].width, out.outputs[0].height), (768, 512));
}

#[test]
fn grayscale_outputs_have_no_colour() {
    let photo = corpus("kodak-kodim23.png");
    let spec = OutputSpec {
        grayscale: true,
        ..sized(Some(128), None, webp(90))
    };
    let out = process(&photo, &[spec], &DecodeLimits::default()).unwrap();
    let image = decode_all(&out.outputs[0].bytes);
    let max_chroma = image
        .data
        .chunks_exact(3)
        .map(|p| p[0].abs_diff(p[1]).max(p[1].abs_diff(p[2])))
        .max()
        .unwrap();
    assert!(max_chroma < 12, "grey WebP has chroma {max_chroma}");
}

#[test]
fn cascaded_outputs_match_outputs_made_alone() {
    // In one job, 96 is resized from the 384 intermediate (a reduction of at least
    // MIN_LANCZOS_REDUCTION); alone, from the decode
    // (PNG has no shrink-on-load, so "alone" is a direct resize of the same pixels).
    let photo = corpus("kodak-kodim05.png");
    let widths = [384, 192, 96];
    let together = process(
        &photo,
        &widths.map(|w| sized(Some(w), None, png_lossless())),
        &DecodeLimits::default(),
    )
    .unwrap();
    for (index, width) in widths.into_iter().enumerate() {
        let alone = process(
            &photo,
            &[sized(Some(width), None, png_lossless())],
            &DecodeLimits::default(),
        )
        .unwrap();
        let (a, b) = (
            decode_all(&together.outputs[index].bytes),
            decode_all(&alone.outputs[0].bytes),
        );
        let difference = mean_difference(&a, &b);
        assert!(
            difference < 1.5,
            "width {width}: cascaded output differs by {difference}"
        );
    }
}

/// 300 x 100 flat grey with a busy, colourful 80 x 80 patch near the right edge; a window
/// holding all of it shows about 0.5 of its samples away from grey.
fn off_centre_subject() -> Vec<u8> {
    let mut image = pixelpool_engine::Image::filled(300, 100, &[128, 128, 128]);
    for y in 10..90u32 {
        for x in 205..285u32 {
            let v = ((x * 37 + y * 91) % 255) as u8;
            let at = (y as usize * 300 + x as usize) * 3;
            image.data[at..at + 3].copy_from_slice(&[v, 255 - v, (v / 2).wrapping_add(90)]);
        }
    }
    pixelpool_engine::encode::encode(
        &image,
        &png_lossless(),
        pixelpool_engine::Rgba::BLACK,
        &Default::default(),
    )
    .unwrap()
}

#[test]
fn entropy_and_attention_crops_follow_the_subject() {
    let png = off_centre_subject();
    let square = |position: Gravity| OutputSpec {
        position,
        ..sized(Some(100), Some(100), png_lossless())
    };
    let outputs = [
        square(Gravity::Centre),
        square(Gravity::Entropy),
        square(Gravity::Attention),
    ];
    let out = process(&png, &outputs, &DecodeLimits::default()).unwrap();
    let busy = |bytes: &[u8]| {
        let image = decode_all(bytes);
        image.data.iter().filter(|&&v| v.abs_diff(128) > 20).count() as f64
            / image.data.len() as f64
    };
    assert!(
        busy(&out.outputs[0].bytes) < 0.01,
        "the centre crop is plain grey"
    );
    for (index, name) in [(1, "entropy"), (2, "attention")] {
        let share = busy(&out.outputs[index].bytes);
        assert!(
            share > 0.4,
            "{name} crop shows the subject in {share:.2} of its samples"
        );
    }
}
