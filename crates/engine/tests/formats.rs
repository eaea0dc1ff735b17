mod common;

use common::*;
use pixelpool_engine::encode::{encode, Metadata};
use pixelpool_engine::{
    process, DecodeLimits, Encoding, ErrorKind, FailOn, Fit, Format, Image, OutputSpec, Rgba,
};

#[test]
fn every_encoder_output_decodes_back() {
    let photo = corpus("kodak-kodim23.png");
    let encodings = [
        (jpeg(80), Format::Jpeg),
        (
            Encoding::Jpeg {
                quality: 80,
                progressive: true,
                chroma_subsampling: pixelpool_engine::ChromaSubsampling::Full,
                optimise_coding: true,
            },
            Format::Jpeg,
        ),
        (Encoding::png(6), Format::Png),
        (webp(80), Format::Webp),
        (Encoding::webp(100, true), Format::Webp),
    ];
    let source = decode_all(&photo);
    for (encoding, format) in encodings {
        let out = process(
            &photo,
            &[OutputSpec::new(encoding)],
            &DecodeLimits::default(),
        )
        .unwrap();
        let encoded = &out.outputs[0];
        assert_eq!(pixelpool_engine::sniff(&encoded.bytes), Some(format));
        let decoded = decode_all(&encoded.bytes);
        assert_eq!((decoded.width, decoded.height), (768, 512));
        let difference = mean_difference(&decoded, &source);
        assert!(
            difference < 6.0,
            "{encoding:?} differs from the source by {difference}"
        );
    }
}

#[test]
fn lossless_webp_and_png_are_exact() {
    let photo = corpus("kodak-kodim03.png");
    let source = decode_all(&photo);
    for encoding in [Encoding::png(9), Encoding::webp(100, true)] {
        let out = process(
            &photo,
            &[OutputSpec::new(encoding)],
            &DecodeLimits::default(),
        )
        .unwrap();
        assert_eq!(decode_all(&out.outputs[0].bytes), source, "{encoding:?}");
    }
}

#[test]
fn decodes_every_corpus_format() {
    for (name, format, size) in [
        ("budgie-lake-sherburne.jpg", Format::Jpeg, (3840, 2160)),
        ("budgie-blue-periwinkle.jpg", Format::Jpeg, (3840, 2560)),
        ("golibwebp-cosmos.webp", Format::Webp, (1024, 768)),
        ("kodak-kodim01.png", Format::Png, (768, 512)),
    ] {
        let out = process(
            &corpus(name),
            &[sized(Some(200), None, png_lossless())],
            &DecodeLimits::default(),
        )
        .unwrap();
        assert_eq!(out.input.format, format, "{name}");
        assert_eq!((out.input.width, out.input.height), size, "{name}");
        let image = decode_all(&out.outputs[0].bytes);
        assert_eq!(image.width, 200, "{name}");
        assert!(
            image.data.iter().any(|&v| v > 20) && image.data.iter().any(|&v| v < 235),
            "{name} is blank"
        );
    }
}

#[test]
fn alpha_survives_resize_without_colour_bleed() {
    // Left half opaque red, right half fully transparent *green*: premultiplied resizing
    // must not pull green into the red edge.
    let mut data = Vec::new();
    for _y in 0..64 {
        for x in 0..64 {
            data.extend_from_slice(if x < 32 {
                &[255, 0, 0, 255]
            } else {
                &[0, 255, 0, 0]
            });
        }
    }
    let source = Image::new(64, 64, 4, data);
    let png = encode(&source, &png_lossless(), Rgba::BLACK, &Metadata::default()).unwrap();
    for encoding in [png_lossless(), webp(90)] {
        let out = process(
            &png,
            &[sized(Some(16), None, encoding)],
            &DecodeLimits::default(),
        )
        .unwrap();
        assert!(out.input.has_alpha);
        let image = decode_all(&out.outputs[0].bytes);
        assert_eq!(
            (image.width, image.height, image.channels),
            (16, 16, 4),
            "{encoding:?}"
        );
        let edge = image.pixel(7, 8);
        assert!(
            edge[3] > 200 && edge[1] < 40,
            "edge pixel {edge:?} for {encoding:?}"
        );
        assert!(
            image.pixel(15, 8)[3] < 10,
            "transparent side kept for {encoding:?}"
        );
    }
}

#[test]
fn grey_and_palette_pngs_decode_to_colour_outputs() {
    let grey = Image::new(8, 8, 1, (0..64).map(|v| v as u8 * 4).collect());
    let png = encode(&grey, &png_lossless(), Rgba::BLACK, &Metadata::default()).unwrap();
    let out = process(
        &png,
        &[OutputSpec::new(webp(90)), OutputSpec::new(jpeg(90))],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(decode_all(&out.outputs[0].bytes).channels, 3);
    assert_eq!(decode_all(&out.outputs[1].bytes).channels, 1);
}

#[test]
fn truncated_jpeg_is_rejected_unless_fail_on_none() {
    let photo = corpus("budgie-canyon-wren.jpg");
    let spec = [sized(Some(100), None, jpeg(80))];
    for cut in [10 * 1024, photo.len() / 2] {
        let error = process(&photo[..cut], &spec, &DecodeLimits::default()).unwrap_err();
        assert_eq!(error.kind, ErrorKind::CorruptInput, "{error}");
        assert!(error.message.contains("truncated"), "{error}");
    }
    let truncated = &photo[..photo.len() / 2];
    let lenient = DecodeLimits {
        fail_on: FailOn::None,
        ..DecodeLimits::default()
    };
    let out = process(truncated, &spec, &lenient).unwrap();
    assert_eq!(out.outputs[0].width, 100);
}

#[test]
fn garbage_empty_and_broken_crc_are_coded_errors() {
    let spec = [OutputSpec::new(jpeg(80))];
    let limits = DecodeLimits::default();
    assert_eq!(
        process(b"", &spec, &limits).unwrap_err().kind,
        ErrorKind::UnsupportedFormat
    );
    let noise: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert_eq!(
        process(&noise, &spec, &limits).unwrap_err().kind,
        ErrorKind::UnsupportedFormat
    );

    let mut png = corpus("kodak-kodim05.png");
    let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
    png[idat + 100] ^= 0xFF;
    assert_eq!(
        process(&png, &spec, &limits).unwrap_err().kind,
        ErrorKind::CorruptInput
    );
}

#[test]
fn oversized_header_is_rejected_before_decoding() {
    let tiny = encode(
        &Image::filled(1, 1, &[1, 2, 3]),
        &png_lossless(),
        Rgba::BLACK,
        &Metadata::default(),
    )
    .unwrap();
    // Patch IHDR (bytes 16..24) to claim 65536 x 65536 and fix its CRC.
    let mut huge = tiny.clone();
    huge[16..20].copy_from_slice(&65536u32.to_be_bytes());
    huge[20..24].copy_from_slice(&65536u32.to_be_bytes());
    let crc = crc32fast::hash(&huge[12..29]);
    huge[29..33].copy_from_slice(&crc.to_be_bytes());
    let error = process(
        &huge,
        &[OutputSpec::new(jpeg(80))],
        &DecodeLimits::default(),
    )
    .unwrap_err();
    assert_eq!(error.kind, ErrorKind::InputTooLarge, "{error}");
    assert!(error.message.contains("65536x65536"), "{error}");
}

#[test]
fn keep_metadata_carries_exif_and_icc() {
    let photo = corpus("budgie-canyon-wren.jpg");
    let mut spec = sized(Some(300), None, jpeg(80));
    spec.keep_metadata = true;
    for encoding in [jpeg(80), png_lossless(), webp(80)] {
        let spec = OutputSpec {
            encoding,
            ..spec.clone()
        };
        let out = process(
            &photo,
            &[
                spec.clone(),
                OutputSpec {
                    keep_metadata: false,
                    ..spec
                },
            ],
            &DecodeLimits::default(),
        )
        .unwrap();
        let kept = pixelpool_engine::decode::read_header(&out.outputs[0].bytes).unwrap();
        let stripped = pixelpool_engine::decode::read_header(&out.outputs[1].bytes).unwrap();
        assert!(
            kept.exif.is_some() && kept.icc.is_some(),
            "{encoding:?} kept {kept:?}"
        );
        assert!(
            stripped.exif.is_none() && stripped.icc.is_none(),
            "{encoding:?}"
        );
    }
}

#[test]
fn contain_fills_borders_with_background() {
    let photo = corpus("kodak-kodim20.png");
    let mut spec = sized(Some(300), Some(300), png_lossless());
    spec.fit = Fit::Contain;
    spec.background = Rgba {
        r: 0,
        g: 0,
        b: 255,
        a: 255,
    };
    let out = process(&photo, &[spec], &DecodeLimits::default()).unwrap();
    let image = decode_all(&out.outputs[0].bytes);
    assert_eq!((image.width, image.height), (300, 300));
    assert_eq!(image.pixel(150, 0), &[0, 0, 255]);
    assert_eq!(image.pixel(150, 299), &[0, 0, 255]);
}

#[test]
fn sixteen_bit_palette_and_gif_inputs_decode() {
    // 16-bit RGB: the high byte of each sample survives.
    let mut sixteen = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut sixteen, 2, 1);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Sixteen);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_image_data(&[
                0xFF, 0x00, 0x80, 0x01, 0x00, 0xFF, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC,
            ])
            .unwrap();
    }
    let out = process(
        &sixteen,
        &[OutputSpec::new(png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(
        decode_all(&out.outputs[0].bytes).data,
        vec![0xFF, 0x80, 0x00, 0x12, 0x56, 0x9A]
    );

    // Palette with transparency: indices become RGBA.
    let mut indexed = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut indexed, 2, 1);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(vec![255, 0, 0, 0, 0, 255]);
        encoder.set_trns(vec![255, 0]);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[0, 1]).unwrap();
    }
    let out = process(
        &indexed,
        &[OutputSpec::new(png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert!(out.input.has_alpha);
    assert_eq!(
        decode_all(&out.outputs[0].bytes).data,
        vec![255, 0, 0, 255, 0, 0, 255, 0]
    );

    // GIF: the first frame, on a transparent canvas of the logical screen size.
    let mut gif_bytes = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut gif_bytes, 4, 2, &[0, 255, 0, 0, 0, 255]).unwrap();
        let mut first = gif::Frame {
            width: 2,
            height: 2,
            buffer: vec![0, 0, 0, 0].into(),
            ..gif::Frame::default()
        };
        encoder.write_frame(&first).unwrap();
        first.buffer = vec![1, 1, 1, 1].into();
        encoder.write_frame(&first).unwrap();
    }
    let out = process(
        &gif_bytes,
        &[OutputSpec::new(png_lossless())],
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(out.input.format, Format::Gif);
    let image = decode_all(&out.outputs[0].bytes);
    assert_eq!((image.width, image.height), (4, 2));
    // No frame declares a transparent colour: no alpha, as libvips reads it.
    assert_eq!(image.channels, 3);
    assert_eq!(
        image.pixel(0, 0),
        &[0, 255, 0],
        "first frame, not the second"
    );
    assert_eq!(image.pixel(3, 1), &[0, 0, 0], "outside the frame is black");
}

#[test]
fn a_gif_extension_block_of_an_unknown_label_is_skipped_as_libvips_skips_it() {
    let mut plain = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut plain, 2, 2, &[255, 0, 0, 0, 0, 255]).unwrap();
        let frame = gif::Frame {
            width: 2,
            height: 2,
            buffer: vec![0, 1, 1, 0].into(),
            ..gif::Frame::default()
        };
        encoder.write_frame(&frame).unwrap();
    }
    // Label 0x99 is no extension GIF89a defines; the frame follows it.
    let frame_at = plain.iter().position(|&b| b == 0x2C).unwrap();
    let mut unknown = plain[..frame_at].to_vec();
    unknown.extend_from_slice(b"\x21\x99\x03abc\x00");
    unknown.extend_from_slice(&plain[frame_at..]);
    let decoded = |bytes: &[u8]| {
        let out = process(
            bytes,
            &[OutputSpec::new(png_lossless())],
            &DecodeLimits::default(),
        );
        decode_all(&out.unwrap().outputs[0].bytes).data
    };
    assert_eq!(decoded(&unknown), decoded(&plain));
}

/// A 16x16 GIF of 16 colours, every row different; `transparent` declares colour 0 so.
fn striped_gif(transparent: bool) -> Vec<u8> {
    let palette: Vec<u8> = (0..16u8)
        .flat_map(|i| [i * 16, 255 - i * 16, i * 8])
        .collect();
    let mut bytes = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut bytes, 16, 16, &palette).unwrap();
        let frame = gif::Frame {
            width: 16,
            height: 16,
            buffer: (0..256u32)
                .map(|i| ((i / 16 + i % 3) % 15 + 1) as u8)
                .collect(),
            transparent: transparent.then_some(0),
            ..gif::Frame::default()
        };
        encoder.write_frame(&frame).unwrap();
    }
    bytes
}

/// The GIF with its frame's image data cut to `keep` bytes (still well-formed sub-blocks),
/// or with a frame of zero width put before it.
fn damaged_gif(bytes: &[u8], keep: Option<usize>) -> Vec<u8> {
    let descriptor = bytes.iter().rposition(|&b| b == 0x2C).unwrap();
    let data_at = descriptor + 10 + 1; // no local colour table; then the LZW code size
    let mut data = Vec::new();
    let mut at = data_at;
    while bytes[at] != 0 {
        data.extend_from_slice(&bytes[at + 1..at + 1 + bytes[at] as usize]);
        at += bytes[at] as usize + 1;
    }
    let mut out = bytes[..descriptor].to_vec();
    if keep.is_none() {
        out.extend_from_slice(&[
            0x2C,
            0,
            0,
            0,
            0,
            0,
            0,
            10,
            0,
            0,
            bytes[data_at - 1],
            1,
            0,
            0,
        ]);
    }
    out.extend_from_slice(&bytes[descriptor..data_at]);
    for block in data[..keep.unwrap_or(data.len())].chunks(255) {
        out.push(block.len() as u8);
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&[0, 0x3B]);
    out
}

#[test]
fn a_gif_with_short_image_data_or_an_empty_frame_shows_what_it_holds_as_libnsgif() {
    let decoded = |bytes: &[u8]| {
        let out = process(
            bytes,
            &[OutputSpec::new(png_lossless())],
            &DecodeLimits::default(),
        );
        decode_all(&out.unwrap().outputs[0].bytes)
    };
    let whole = decoded(&striped_gif(false));
    // An empty frame first is the first frame: it draws nothing on the black canvas.
    let empty_first = decoded(&damaged_gif(&striped_gif(false), None));
    assert_eq!(empty_first.channels, 3);
    assert!(empty_first.data.iter().all(|&v| v == 0));
    let short = decoded(&damaged_gif(&striped_gif(false), Some(40)));
    assert_eq!(short.channels, 3);
    let row = 16 * 3;
    let held = short
        .data
        .chunks(row)
        .zip(whole.data.chunks(row))
        .take_while(|(short, whole)| short == whole)
        .count();
    assert!((1..15).contains(&held), "{held} whole rows kept");
    assert!(
        short.data[15 * row..].iter().all(|&v| v == 0),
        "the rest is black"
    );
    // With a transparent colour declared, the missing pixels are transparent.
    let transparent = decoded(&damaged_gif(&striped_gif(true), Some(40)));
    assert_eq!(transparent.channels, 4);
    assert_eq!(transparent.pixel(15, 15), &[0, 0, 0, 0]);
}
