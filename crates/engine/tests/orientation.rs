mod common;

use common::*;
use pixelpool_engine::encode::{encode, Metadata};
use pixelpool_engine::exif::minimal_with_orientation;
use pixelpool_engine::orient::Transform;
use pixelpool_engine::{
    process, ChromaSubsampling, DecodeLimits, Encoding, Image, OutputSpec, Rgba,
};

#[track_caller]
fn assert_quadrants(image: &Image, expected: [[u8; 3]; 4]) {
    let (w, h) = (image.width, image.height);
    let samples = [
        (w / 4, h / 4),
        (3 * w / 4, h / 4),
        (w / 4, 3 * h / 4),
        (3 * w / 4, 3 * h / 4),
    ];
    for ((x, y), want) in samples.into_iter().zip(expected) {
        let got = &image.pixel(x, y)[..3];
        let close = got.iter().zip(want).all(|(g, w)| g.abs_diff(w) < 40);
        assert!(close, "pixel ({x},{y}) is {got:?}, expected {want:?}");
    }
}

const UPRIGHT: [[u8; 3]; 4] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]];

#[test]
fn all_eight_exif_orientations_come_out_upright() {
    let upright = quadrants(96, 64);
    for orientation in 1..=8u8 {
        // Store the pixels the way a camera would for this orientation.
        let to_upright = Transform::from_exif(orientation);
        let inverse = to_upright.then(to_upright).then(to_upright);
        let stored = inverse.apply(&upright);
        let metadata = Metadata {
            exif: Some(minimal_with_orientation(orientation as u16)),
            ..Metadata::default()
        };
        let jpeg_bytes = encode(&stored, &jpeg(95), Rgba::BLACK, &metadata).unwrap();

        let out = process(
            &jpeg_bytes,
            &[OutputSpec::new(png_lossless())],
            &DecodeLimits::default(),
        )
        .unwrap();
        assert_eq!(out.input.orientation, orientation);
        let image = decode_all(&out.outputs[0].bytes);
        assert_eq!(
            (image.width, image.height),
            (96, 64),
            "orientation {orientation}"
        );
        assert_quadrants(&image, UPRIGHT);
    }
}

#[test]
fn rotate_flip_and_flop_follow_sharp() {
    let png = encode(
        &quadrants(64, 64),
        &png_lossless(),
        Rgba::BLACK,
        &Metadata::default(),
    )
    .unwrap();
    let with = |rotate: u16, flip: bool, flop: bool| OutputSpec {
        rotate,
        flip,
        flop,
        ..OutputSpec::new(png_lossless())
    };
    let out = process(
        &png,
        &[
            with(90, false, false),
            with(0, true, false),
            with(0, false, true),
        ],
        &DecodeLimits::default(),
    )
    .unwrap();
    let [red, green, blue, white] = UPRIGHT;
    assert_quadrants(
        &decode_all(&out.outputs[0].bytes),
        [blue, red, white, green],
    );
    assert_quadrants(
        &decode_all(&out.outputs[1].bytes),
        [blue, white, red, green],
    );
    assert_quadrants(
        &decode_all(&out.outputs[2].bytes),
        [green, red, white, blue],
    );
}

#[test]
fn corpus_photos_with_orientation_6_and_8_come_out_upright() {
    for (name, orientation, upright_size) in [
        ("exiforient-landscape-6.jpg", 6, (1800, 1200)),
        ("exiforient-portrait-8.jpg", 8, (1200, 1800)),
    ] {
        let spec = OutputSpec {
            width: Some(upright_size.0 / 4),
            ..OutputSpec::new(jpeg(80))
        };
        let out = process(&corpus(name), &[spec], &DecodeLimits::default()).unwrap();
        assert_eq!(out.input.orientation, orientation, "{name}");
        let encoded = &out.outputs[0];
        assert_eq!(
            (encoded.width, encoded.height),
            (upright_size.0 / 4, upright_size.1 / 4),
            "{name}"
        );
        let decoded = decode_all(&encoded.bytes);
        assert_eq!(
            (decoded.width, decoded.height),
            (encoded.width, encoded.height)
        );
    }
}

#[test]
fn webp_with_alpha_and_grey_jpeg_keep_their_layout() {
    let grey = Image::new(16, 16, 1, vec![128; 256]);
    let jpeg_bytes = encode(&grey, &jpeg(90), Rgba::BLACK, &Metadata::default()).unwrap();
    let out = process(
        &jpeg_bytes,
        &[OutputSpec::new(Encoding::png(6))],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(decode_all(&out.outputs[0].bytes).channels, 1);
}

#[test]
fn avif_output_keeps_exif_with_the_orientation_reset() {
    let stored = quadrants(96, 64);
    let metadata = Metadata {
        exif: Some(minimal_with_orientation(6)),
        ..Metadata::default()
    };
    let jpeg_bytes = encode(&stored, &jpeg(95), Rgba::BLACK, &metadata).unwrap();
    let avif = Encoding::Avif {
        quality: 80,
        effort: 4,
        lossless: false,
        chroma_subsampling: ChromaSubsampling::Full,
    };
    let kept = OutputSpec {
        keep_metadata: true,
        ..OutputSpec::new(avif)
    };
    let out = process(
        &jpeg_bytes,
        &[kept, OutputSpec::new(avif)],
        &DecodeLimits::default(),
    )
    .unwrap();
    let header = pixelpool_engine::decode::read_header(&out.outputs[0].bytes).unwrap();
    let exif = header.exif.expect("the kept EXIF item");
    assert_eq!(pixelpool_engine::exif::orientation(&exif), 1);
    assert_eq!(
        (header.width, header.height, header.orientation),
        (64, 96, 1)
    );
    let stripped = pixelpool_engine::decode::read_header(&out.outputs[1].bytes).unwrap();
    assert_eq!(stripped.exif, None);
}
