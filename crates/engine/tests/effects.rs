//! What gatsby-plugin-sharp asks for beyond plain resizing: trim, duotone, palette PNG and
//! AVIF output.
mod common;

use common::*;
use pixelpool_engine::{
    process, sniff, ChromaSubsampling, DecodeLimits, Duotone, Encoding, Format, Image, OutputSpec,
    Rgba, Trim,
};

fn png_of(image: &Image) -> Vec<u8> {
    let spec = OutputSpec::new(png_lossless());
    let source =
        pixelpool_engine::encode::encode(image, &spec.encoding, Rgba::BLACK, &Default::default())
            .unwrap();
    process(&source, &[spec], &DecodeLimits::default())
        .unwrap()
        .outputs
        .remove(0)
        .bytes
}

/// A 200x100 white image with a 60x40 dark block at (50, 30).
fn framed() -> Image {
    let mut image = Image::filled(200, 100, &[255, 255, 255]);
    for y in 30..70 {
        for x in 50..110 {
            let at = y * image.stride() + x * 3;
            image.data[at..at + 3].copy_from_slice(&[20, 40, 200]);
        }
    }
    image
}

#[test]
fn trim_cuts_uniform_edges_before_resizing() {
    let input = png_of(&framed());
    let trimmed = OutputSpec {
        trim: Some(Trim::within(10.0)),
        ..OutputSpec::new(png_lossless())
    };
    let halved = OutputSpec {
        width: Some(30),
        ..trimmed.clone()
    };
    let whole = OutputSpec::new(png_lossless());
    let outputs = process(&input, &[trimmed, halved, whole], &DecodeLimits::default())
        .unwrap()
        .outputs;
    let size = |i: usize| (outputs[i].width, outputs[i].height);
    assert_eq!(size(0), (60, 40), "the block alone");
    assert_eq!(size(1), (30, 20), "planned on the trimmed size");
    assert_eq!(size(2), (200, 100), "other outputs keep the edges");
    assert_eq!(
        outputs[0].placement.trim_offset,
        Some([50, 30]),
        "where the block starts"
    );
    assert_eq!(outputs[2].placement.trim_offset, None);
    let block = decode_all(&outputs[0].bytes);
    assert_eq!(block.pixel(0, 0), &[20, 40, 200]);
    assert_eq!(block.pixel(59, 39), &[20, 40, 200]);
}

#[test]
fn duotone_maps_luminance_between_shadow_and_highlight() {
    // Left half black, right half white.
    let mut image = Image::filled(40, 20, &[0, 0, 0]);
    for y in 0..20 {
        for x in 20..40 {
            let at = y * image.stride() + x * 3;
            image.data[at..at + 3].copy_from_slice(&[255, 255, 255]);
        }
    }
    let input = png_of(&image);
    let highlight = Rgba {
        r: 250,
        g: 200,
        b: 10,
        a: 255,
    };
    let shadow = Rgba {
        r: 10,
        g: 0,
        b: 90,
        a: 255,
    };
    let full = OutputSpec {
        duotone: Some(Duotone {
            highlight,
            shadow,
            opacity: None,
        }),
        ..OutputSpec::new(png_lossless())
    };
    let half = OutputSpec {
        duotone: Some(Duotone {
            highlight,
            shadow,
            opacity: Some(50),
        }),
        ..OutputSpec::new(png_lossless())
    };
    let outputs = process(&input, &[full, half], &DecodeLimits::default())
        .unwrap()
        .outputs;
    let toned = decode_all(&outputs[0].bytes);
    assert_eq!(toned.pixel(2, 2), &[10, 0, 90], "black becomes the shadow");
    assert_eq!(
        toned.pixel(37, 2),
        &[250, 200, 10],
        "white becomes the highlight"
    );
    let blended = decode_all(&outputs[1].bytes);
    // Half (128/255) of the tone over the original.
    assert_eq!(blended.pixel(2, 2), &[5, 0, 45], "half over black");
    assert_eq!(blended.pixel(37, 2), &[252, 227, 132], "half over white");
}

#[test]
fn palette_png_holds_at_most_256_colours_close_to_the_photo() {
    let input = corpus("kodak-kodim23.png");
    let palette = OutputSpec {
        width: Some(256),
        ..OutputSpec::new(Encoding::Png {
            compression_level: 9,
            palette: true,
            quality: 80,
            bitdepth: 8,
            progressive: false,
            adaptive_filtering: true,
        })
    };
    let truecolour = OutputSpec {
        width: Some(256),
        ..OutputSpec::new(png_lossless())
    };
    let outputs = process(&input, &[palette, truecolour], &DecodeLimits::default())
        .unwrap()
        .outputs;
    // Colour type 3 (indexed) in the IHDR chunk.
    assert_eq!(outputs[0].bytes[25], 3, "an indexed PNG");
    assert!(outputs[0].bytes.len() < outputs[1].bytes.len() / 2);
    let quantised = decode_all(&outputs[0].bytes);
    let exact = decode_all(&outputs[1].bytes);
    let difference = mean_difference(&quantised, &exact);
    assert!(difference < 4.0, "mean difference {difference}");
}

#[test]
fn avif_output_is_an_avif_file_smaller_at_lower_quality() {
    let input = corpus("kodak-kodim23.png");
    let avif = |quality| OutputSpec {
        width: Some(200),
        ..OutputSpec::new(Encoding::Avif {
            quality,
            effort: 4,
            lossless: false,
            chroma_subsampling: ChromaSubsampling::Full,
        })
    };
    let outputs = process(&input, &[avif(80), avif(30)], &DecodeLimits::default())
        .unwrap()
        .outputs;
    for output in &outputs {
        assert_eq!(output.format, Format::Avif);
        assert_eq!(sniff(&output.bytes), Some(Format::Avif));
        assert_eq!((output.width, output.height), (200, 133));
    }
    assert!(outputs[1].bytes.len() < outputs[0].bytes.len());
}
