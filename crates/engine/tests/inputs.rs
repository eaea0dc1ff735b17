//! AVIF and TIFF inputs, made by encoders other than the decoders under test.
mod common;

use std::io::Cursor;

use common::*;
use pixelpool_engine::{
    decode, encode, shrink::DecodeScale, ChromaSubsampling, DecodeLimits, Encoding, ErrorKind,
    FailOn, Format, Image, Rgba,
};
use tiff::encoder::{colortype, TiffEncoder};

fn avif_of(image: &Image, quality: u8, lossless: bool, chroma: ChromaSubsampling) -> Vec<u8> {
    let encoding = Encoding::Avif {
        quality,
        effort: 6,
        lossless,
        chroma_subsampling: chroma,
    };
    encode::encode(image, &encoding, Rgba::BLACK, &Default::default()).unwrap()
}

/// A smooth gradient with some texture: easy to compress, and any matrix or range mistake
/// moves every pixel.
fn gradient(width: u32, height: u32, channels: u8) -> Image {
    let mut data = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let pixel = [
                (x * 255 / width) as u8,
                (y * 255 / height) as u8,
                ((x + y) * 127 / (width + height)) as u8 + 64,
                (255 - x * 200 / width) as u8,
            ];
            data.extend_from_slice(&pixel[..channels as usize]);
        }
    }
    Image::new(width, height, channels, data)
}

#[test]
fn avif_round_trips_colour_and_alpha() {
    use ChromaSubsampling::{Full, Half};
    for channels in [3, 4] {
        let source = gradient(96, 64, channels);
        // Lossless stores RGB itself, whatever the chroma option: exact.
        for (quality, lossless, chroma, tolerance) in [
            (90, false, Full, 3.0),
            (90, false, Half, 3.5),
            (100, true, Full, 0.0),
            (100, true, Half, 0.0),
        ] {
            let bytes = avif_of(&source, quality, lossless, chroma);
            let header = decode::read_header(&bytes).unwrap();
            assert_eq!(header.format, Format::Avif);
            assert_eq!((header.width, header.height), (96, 64));
            assert_eq!(header.has_alpha, channels == 4);
            let decoded = decode_all(&bytes);
            let difference = mean_difference(&decoded, &source);
            assert!(
                difference <= tolerance,
                "{channels} channels, quality {quality}, {chroma:?}: mean difference {difference}"
            );
        }
    }
}

#[test]
fn avif_chroma_subsampling_halves_the_colour_planes() {
    let source = decode_all(&corpus("kodak-kodim23.png"));
    let full = avif_of(&source, 60, false, ChromaSubsampling::Full);
    let half = avif_of(&source, 60, false, ChromaSubsampling::Half);
    assert!(
        half.len() < full.len() * 9 / 10,
        "4:2:0 {} bytes against 4:4:4 {}",
        half.len(),
        full.len()
    );
    assert!(mean_difference(&decode_all(&half), &source) < 4.0);
}

#[test]
fn avif_output_beyond_one_av1_frame_is_an_invalid_option() {
    let wide = Image::new(16385, 1, 3, vec![90; 16385 * 3]);
    let encoding = Encoding::Avif {
        quality: 50,
        effort: 4,
        lossless: false,
        chroma_subsampling: ChromaSubsampling::Full,
    };
    let error = encode::encode(&wide, &encoding, Rgba::BLACK, &Default::default()).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidOption);
    assert!(error.message.contains("16384"), "{}", error.message);
}

#[test]
fn avif_with_odd_sizes_decodes_whole() {
    // Halved chroma averages rows 36 levels apart on the 7-high gradient: a looser bound.
    for (chroma, tolerance) in [
        (ChromaSubsampling::Full, 4.0),
        (ChromaSubsampling::Half, 6.0),
    ] {
        for (width, height) in [(33, 17), (1, 1), (1, 7)] {
            let source = gradient(width, height, 3);
            let decoded = decode_all(&avif_of(&source, 80, false, chroma));
            assert_eq!(
                (decoded.width, decoded.height, decoded.channels),
                (width, height, 3)
            );
            let difference = mean_difference(&decoded, &source);
            assert!(
                difference < tolerance,
                "{width}x{height} {chroma:?}: {difference}"
            );
        }
    }
}

#[test]
fn broken_avif_is_corrupt_input() {
    let bytes = avif_of(&gradient(64, 64, 3), 80, false, ChromaSubsampling::Full);
    let cut = &bytes[..bytes.len() / 2];
    // The fuzzer's file that made rav1d (the decoder before libaom) abort the process.
    let rav1d_abort = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/hostile/avif-rav1d-abort.avif"),
    )
    .unwrap();
    for broken in [cut, &bytes[..40], &rav1d_abort] {
        let outcome = decode::read_header(broken).and_then(|header| {
            decode::decode(broken, &header, DecodeScale::FULL, &DecodeLimits::default())
        });
        let error = outcome.unwrap_err();
        assert_eq!(error.kind, ErrorKind::CorruptInput, "{}", error.message);
    }
}

fn tiff_of<C: colortype::ColorType>(width: u32, height: u32, samples: &[C::Inner]) -> Vec<u8>
where
    [C::Inner]: tiff::encoder::TiffValue,
{
    let mut bytes = Cursor::new(Vec::new());
    TiffEncoder::new(&mut bytes)
        .unwrap()
        .write_image::<C>(width, height, samples)
        .unwrap();
    bytes.into_inner()
}

#[test]
fn tiff_8_and_16_bit_grey_rgb_and_rgba_decode_to_8_bits() {
    let (width, height) = (5, 3);
    let rgb: Vec<u8> = (0..width * height * 3)
        .map(|i| (i * 17 % 256) as u8)
        .collect();
    let rgba: Vec<u8> = (0..width * height * 4)
        .map(|i| (i * 29 % 256) as u8)
        .collect();
    let grey: Vec<u8> = (0..width * height).map(|i| (i * 13) as u8).collect();
    let widen = |samples: &[u8]| {
        samples
            .iter()
            .map(|&s| s as u16 * 257)
            .collect::<Vec<u16>>()
    };
    let cases: Vec<(Vec<u8>, u8, &[u8])> = vec![
        (tiff_of::<colortype::RGB8>(width, height, &rgb), 3, &rgb),
        (
            tiff_of::<colortype::RGB16>(width, height, &widen(&rgb)),
            3,
            &rgb,
        ),
        (tiff_of::<colortype::RGBA8>(width, height, &rgba), 4, &rgba),
        (
            tiff_of::<colortype::RGBA16>(width, height, &widen(&rgba)),
            4,
            &rgba,
        ),
        (tiff_of::<colortype::Gray8>(width, height, &grey), 1, &grey),
        (
            tiff_of::<colortype::Gray16>(width, height, &widen(&grey)),
            1,
            &grey,
        ),
    ];
    for (bytes, channels, expected) in cases {
        let header = decode::read_header(&bytes).unwrap();
        assert_eq!(header.format, Format::Tiff);
        assert_eq!(header.has_alpha, channels == 4);
        let image = decode_all(&bytes);
        assert_eq!(
            (image.width, image.height, image.channels),
            (width, height, channels)
        );
        assert_eq!(image.data, expected);
    }
}

#[test]
fn tiff_cmyk_comes_out_as_rgb() {
    // Cyan, magenta, yellow, black, and no ink.
    let cmyk = [
        255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 0,
    ];
    let image = decode_all(&tiff_of::<colortype::CMYK8>(5, 1, &cmyk));
    assert_eq!(image.channels, 3);
    assert_eq!(
        image.data,
        [0, 255, 255, 255, 0, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255]
    );
}

#[test]
fn tiff_is_resized_and_encoded_like_any_input() {
    let bytes = tiff_of::<colortype::RGB8>(64, 32, &gradient(64, 32, 3).data);
    let spec = sized(Some(16), None, png_lossless());
    let limits = DecodeLimits {
        fail_on: FailOn::Warning,
        ..DecodeLimits::default()
    };
    let outcome = pixelpool_engine::process(&bytes, &[spec], &limits).unwrap();
    assert_eq!(outcome.input.format, Format::Tiff);
    assert_eq!(
        (outcome.outputs[0].width, outcome.outputs[0].height),
        (16, 8)
    );
}

#[test]
fn truncated_tiff_is_corrupt_input() {
    let bytes = tiff_of::<colortype::RGB8>(64, 32, &gradient(64, 32, 3).data);
    let cut = &bytes[..bytes.len() / 3];
    let outcome = decode::read_header(cut).and_then(|header| {
        decode::decode(cut, &header, DecodeScale::FULL, &DecodeLimits::default())
    });
    assert_eq!(outcome.unwrap_err().kind, ErrorKind::CorruptInput);
}

#[test]
fn tiff_cmyk_with_alpha_16_bit_and_float_ink_read_as_8_bit_cmyk() {
    let tiff = |name| decode_all(&test_file("tiff", name));
    let (cmyk, with_alpha, deep) = (tiff("cmyk8.tif"), tiff("cmyka8.tif"), tiff("cmyka16.tif"));
    assert_eq!((cmyk.channels, with_alpha.channels), (3, 4));
    let colour: Vec<u8> = with_alpha
        .data
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    assert_eq!(colour, cmyk.data, "the alpha sample is not ink");
    let alpha: Vec<u8> = with_alpha.data.iter().skip(3).step_by(4).copied().collect();
    assert!(alpha.iter().min() < alpha.iter().max(), "alpha is kept");
    assert_eq!(
        deep.data, with_alpha.data,
        "16-bit samples keep their high byte"
    );
    // Float ink on the 8-bit scale (as libvips reads it): 255 - RGB, no black.
    assert_eq!(tiff("cmyk-float.tif").data, tiff("rgb.tif").data);
}
