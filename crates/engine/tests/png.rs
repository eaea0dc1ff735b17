mod common;

use common::*;
use pixelpool_engine::decode::{decode, read_header_for, DecodeScale};
use pixelpool_engine::encode::{encode, Metadata};
use pixelpool_engine::{DecodeLimits, Encoding, ErrorKind, FailOn, Image, Rgba};

/// A deterministic pattern with every sample different from its neighbours, so a pixel
/// put in the wrong pass or column shows.
fn pattern(width: u32, height: u32, channels: u8) -> Image {
    let data = (0..width * height * channels as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    Image::new(width, height, channels, data)
}

fn png(progressive: bool, bitdepth: u8, palette: bool, adaptive_filtering: bool) -> Encoding {
    Encoding::Png {
        compression_level: 6,
        palette,
        quality: 90,
        bitdepth,
        progressive,
        adaptive_filtering,
    }
}

fn written(image: &Image, encoding: &Encoding) -> Vec<u8> {
    encode(image, encoding, Rgba::BLACK, &Metadata::default()).unwrap()
}

/// IHDR's interlace method: byte 28 of a PNG (signature 8, chunk length and type 8,
/// then width, height, depth, colour type, compression and filter method).
fn interlace_method(png: &[u8]) -> u8 {
    png[28]
}

#[test]
fn interlaced_png_decodes_to_the_pixels_of_the_plain_one() {
    // Sizes below, at and across the 8x8 Adam7 block, where passes are empty or partial.
    let sizes = [(1, 1), (2, 3), (5, 7), (9, 9), (37, 23), (64, 40)];
    for (width, height) in sizes {
        for channels in 1..=4 {
            let image = pattern(width, height, channels);
            let plain = written(&image, &png(false, 8, false, true));
            let interlaced = written(&image, &png(true, 8, false, true));
            assert_eq!(interlace_method(&plain), 0);
            assert_eq!(interlace_method(&interlaced), 1);
            assert_eq!(
                decode_all(&interlaced),
                decode_all(&plain),
                "{width}x{height}, {channels} channels"
            );
        }
    }
}

#[test]
fn interlaced_low_bit_grey_and_palettes_pack_each_pass_row_on_its_own() {
    for (width, height) in [(3, 3), (13, 11), (40, 17)] {
        for (channels, bitdepth, palette) in [
            (1, 1, false),
            (1, 2, false),
            (1, 4, false),
            (3, 8, true),
            (4, 4, true),
        ] {
            let image = pattern(width, height, channels);
            let plain = written(&image, &png(false, bitdepth, palette, true));
            let interlaced = written(&image, &png(true, bitdepth, palette, true));
            assert_eq!(interlace_method(&interlaced), 1);
            assert_eq!(
                decode_all(&interlaced),
                decode_all(&plain),
                "{width}x{height}, {channels} channels at {bitdepth} bits, palette {palette}"
            );
        }
    }
}

#[test]
fn unfiltered_png_is_the_same_image_in_other_bytes() {
    let photo = decode_all(&corpus("kodak-kodim23.png"));
    let adaptive = written(&photo, &png(false, 8, false, true));
    let unfiltered = written(&photo, &png(false, 8, false, false));
    assert_ne!(adaptive, unfiltered);
    assert_eq!(decode_all(&unfiltered), photo);
}

fn limits(fail_on: FailOn) -> DecodeLimits {
    DecodeLimits {
        fail_on,
        ..DecodeLimits::default()
    }
}

#[test]
fn a_png_cut_short_warns_and_shows_its_rows_only_at_fail_on_none() {
    let photo = decode_all(&corpus("kodak-kodim23.png"));
    let row = photo.width as usize * photo.channels as usize;
    for progressive in [false, true] {
        let whole = written(&photo, &png(progressive, 8, false, true));
        let cut = &whole[..whole.len() * 3 / 5];
        for fail_on in [FailOn::Truncated, FailOn::Error, FailOn::Warning] {
            let header = read_header_for(cut, &limits(fail_on)).unwrap();
            let error = decode(cut, &header, DecodeScale::FULL, &limits(fail_on)).unwrap_err();
            assert_eq!(error.kind, ErrorKind::CorruptInput, "{error}");
            assert!(error.message.contains("read error"), "{error}");
        }
        let header = read_header_for(cut, &limits(FailOn::None)).unwrap();
        assert_eq!(header.warnings, ["not enough data"]);
        let shown = decode(cut, &header, DecodeScale::FULL, &limits(FailOn::None)).unwrap();
        assert_eq!((shown.width, shown.height), (photo.width, photo.height));
        let last_row = &shown.data[shown.data.len() - row..];
        assert!(last_row.iter().all(|&v| v == 0), "below the cut is black");
        if !progressive {
            // Rows before the cut are the photo's own; interlaced, every row has a pass.
            assert_eq!(&shown.data[..row * 100], &photo.data[..row * 100]);
        }
    }
    let whole = written(&photo, &png(false, 8, false, true));
    assert!(read_header_for(&whole, &DecodeLimits::default())
        .unwrap()
        .warnings
        .is_empty());
}
