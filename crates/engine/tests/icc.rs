//! ICC profiles: tagged inputs converted to sRGB, sRGB ones left alone, kept profiles.
mod common;

use common::*;
use pixelpool_engine::encode::{encode, Metadata};
use pixelpool_engine::{
    process, ChromaSubsampling, DecodeLimits, Encoding, Image, OutputSpec, Rgba,
};

/// A flat PNG of `rgb` tagged with `icc`.
fn tagged_png(rgb: [u8; 3], icc: Vec<u8>) -> Vec<u8> {
    let image = Image::filled(16, 16, &rgb);
    encode(
        &image,
        &png_lossless(),
        Rgba::BLACK,
        &Metadata {
            icc: Some(icc),
            ..Metadata::default()
        },
    )
    .unwrap()
}

#[test]
fn adobe_rgb_pixels_are_converted_to_srgb() {
    let adobe = pixelpool_engine::decode::read_header(&corpus("budgie-canyon-wren.jpg"))
        .unwrap()
        .icc
        .unwrap();
    // Expected values from the Adobe RGB (1998) and sRGB specifications' matrices and curves.
    for (adobe_rgb, srgb) in [
        ([200, 60, 40], [231.5, 57.4, 34.0]),
        ([128, 128, 128], [129.0, 129.0, 129.0]),
    ] {
        let out = process(
            &tagged_png(adobe_rgb, adobe.clone()),
            &[OutputSpec::new(png_lossless())],
            &DecodeLimits::default(),
        )
        .unwrap();
        let pixel = decode_all(&out.outputs[0].bytes).pixel(8, 8).to_vec();
        for (got, want) in pixel.iter().zip(srgb) {
            assert!(
                (*got as f64 - want).abs() <= 3.0,
                "Adobe RGB {adobe_rgb:?} became {pixel:?}, expected {srgb:?}"
            );
        }
    }
}

fn converted_pixel(input: &[u8]) -> Vec<u8> {
    let out = process(
        input,
        &[OutputSpec::new(png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    decode_all(&out.outputs[0].bytes).pixel(8, 8).to_vec()
}

#[test]
fn prophoto_and_linear_grey_pixels_are_converted() {
    let prophoto = moxcms::ColorProfile::new_pro_photo_rgb().encode().unwrap();
    // Expected values from ROMM RGB's primaries and 1.8 gamma, Bradford D50 -> D65, sRGB.
    for (input, srgb) in [
        ([150, 100, 60], [207.2, 104.6, 65.8]),
        ([128, 128, 128], [146.4, 146.4, 146.4]),
        ([60, 160, 90], [0.0, 190.0, 93.8]),
    ] {
        let pixel = converted_pixel(&tagged_png(input, prophoto.clone()));
        for (got, want) in pixel.iter().zip(srgb) {
            assert!(
                (*got as f64 - want).abs() <= 3.0,
                "ProPhoto {input:?} became {pixel:?}, expected {srgb:?}"
            );
        }
    }
    // A grey image tagged linear (gamma 1.0): 128 is 50% light, 186 in gamma 2.2.
    let linear = moxcms::ColorProfile::new_gray_with_gamma(1.0)
        .encode()
        .unwrap();
    let grey = encode(
        &Image::filled(16, 16, &[128]),
        &png_lossless(),
        Rgba::BLACK,
        &Metadata {
            icc: Some(linear),
            ..Metadata::default()
        },
    )
    .unwrap();
    let pixel = converted_pixel(&grey);
    assert!(
        pixel[0].abs_diff(186) <= 2,
        "linear grey 128 became {pixel:?}"
    );
}

#[test]
fn srgb_profiles_leave_pixels_alone_and_kept_profiles_are_srgb() {
    let srgb = pixelpool_engine::decode::read_header(&corpus("budgie-blue-periwinkle.jpg"))
        .unwrap()
        .icc
        .unwrap();
    let out = process(
        &tagged_png([200, 60, 40], srgb),
        &[OutputSpec::new(png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(
        decode_all(&out.outputs[0].bytes).pixel(3, 3),
        &[200, 60, 40]
    );

    let adobe = pixelpool_engine::decode::read_header(&corpus("budgie-canyon-wren.jpg"))
        .unwrap()
        .icc
        .unwrap();
    let spec = OutputSpec {
        keep_metadata: true,
        ..OutputSpec::new(png_lossless())
    };
    let out = process(
        &tagged_png([200, 60, 40], adobe.clone()),
        &[spec],
        &DecodeLimits::default(),
    )
    .unwrap();
    let kept = pixelpool_engine::decode::read_header(&out.outputs[0].bytes)
        .unwrap()
        .icc
        .unwrap();
    assert_ne!(
        kept, adobe,
        "the output is sRGB, so it must not claim Adobe RGB"
    );
    let again = process(
        &tagged_png([10, 20, 30], kept),
        &[OutputSpec::new(png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(
        decode_all(&again.outputs[0].bytes).pixel(0, 0),
        &[10, 20, 30],
        "the kept profile is sRGB"
    );
}

#[test]
fn kept_profiles_fall_back_to_srgb_pixels_in_formats_without_one() {
    let adobe = pixelpool_engine::decode::read_header(&corpus("budgie-canyon-wren.jpg"))
        .unwrap()
        .icc
        .unwrap();
    let mut avif = OutputSpec::new(Encoding::Avif {
        quality: 90,
        effort: 4,
        lossless: false,
        chroma_subsampling: ChromaSubsampling::Full,
    });
    avif.operations.keep_icc = true;
    let out = process(
        &tagged_png([200, 60, 40], adobe),
        &[avif],
        &DecodeLimits::default(),
    )
    .unwrap();
    // AVIF output carries no ICC profile: left in Adobe RGB, this red would show as sRGB's
    // 200, 60, 40.
    let pixel = decode_all(&out.outputs[0].bytes).pixel(8, 8).to_vec();
    for (got, want) in pixel.iter().zip([231.5, 57.4, 34.0]) {
        assert!(
            (*got as f64 - want).abs() <= 4.0,
            "kept Adobe RGB in AVIF became {pixel:?}"
        );
    }
}
