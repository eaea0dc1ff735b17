//! A JPEG decoded at full size and resized to JPEG stays in Y'CbCr planes (planar.rs). What comes
//! out must be as good as what the RGB path makes of the same job: the size planned,
//! as close to the exact resize, at odd sizes and crops too.
mod common;

use common::*;
use pixelpool_engine::{
    decode_scale, process, takes_planes, ChromaSubsampling, DecodeLimits, Encoding, Fit, OutputSpec,
};

fn jpeg_444(quality: u8) -> Encoding {
    Encoding::Jpeg {
        quality,
        progressive: false,
        chroma_subsampling: ChromaSubsampling::Full,
    }
}

/// How far the output is from the exact (lossless) resize when made from planes, and when
/// made through RGB: the job with a lossless PNG of the same output beside it, which sends
/// the whole job through RGB and gives the reference.
#[track_caller]
fn both_ways(bytes: &[u8], spec: &OutputSpec) -> Errors {
    let alone = std::slice::from_ref(spec);
    assert!(
        takes_planes(bytes, alone).unwrap(),
        "{spec:?} stays in planes"
    );
    let reference = OutputSpec {
        encoding: png_lossless(),
        ..spec.clone()
    };
    let with_png = [spec.clone(), reference];
    assert!(!takes_planes(bytes, &with_png).unwrap());
    let limits = DecodeLimits::default();
    let planes = process(bytes, alone, &limits).unwrap();
    let rgb = process(bytes, &with_png, &limits).unwrap();
    let [planes, rgb, exact] = [&planes.outputs[0], &rgb.outputs[0], &rgb.outputs[1]]
        .map(|output| decode_all(&output.bytes));
    assert_eq!((planes.width, planes.height), (exact.width, exact.height));
    Errors {
        planes: mean_difference(&planes, &exact),
        rgb: mean_difference(&rgb, &exact),
    }
}

#[derive(Debug)]
struct Errors {
    planes: f64,
    rgb: f64,
}

impl Errors {
    /// As close to the exact resize as the RGB path, or within a tenth of a level.
    fn as_good(&self) -> bool {
        self.planes <= self.rgb * 1.05 + 0.1
    }
}

#[test]
fn planes_make_the_pixels_of_the_rgb_path() {
    // spices-of-life: 4:2:0, 3840x2560, no profile; kitten-on-lawn: 4:4:4. Every width is
    // decoded at full size (a reduction under 4.2x).
    for name in ["budgie-the-spices-of-life.jpg", "budgie-kitten-on-lawn.jpg"] {
        let bytes = corpus(name);
        for width in [3001, 1745, 1097] {
            for encoding in [jpeg(80), jpeg_444(80)] {
                let spec = sized(Some(width), None, encoding);
                let errors = both_ways(&bytes, &spec);
                assert!(
                    errors.as_good(),
                    "{name} at {width} ({encoding:?}): {errors:?}"
                );
            }
        }
    }
}

#[test]
fn odd_sizes_and_crops_keep_their_planned_size() {
    let bytes = corpus("budgie-the-spices-of-life.jpg");
    // Stretched (fill) to a sliver, or cropped (cover): each a reduction under 4.2x on one
    // axis, so decoded at full size.
    let fill = [(1, 2559), (3, 2557), (3839, 1), (3001, 7)].map(|s| (Fit::Fill, s));
    let cover = [(1001, 2557), (2999, 333)].map(|s| (Fit::Cover, s));
    for (fit, (width, height)) in fill.into_iter().chain(cover) {
        for encoding in [jpeg(80), jpeg_444(80)] {
            let spec = OutputSpec {
                fit,
                ..sized(Some(width), Some(height), encoding)
            };
            let errors = both_ways(&bytes, &spec);
            assert!(
                errors.as_good(),
                "{width}x{height} {encoding:?}: {errors:?}"
            );
        }
    }
}

#[test]
fn other_inputs_and_effects_go_through_rgb() {
    let jpeg_input = corpus("budgie-the-spices-of-life.jpg");
    let resize = sized(Some(1400), None, jpeg(80));
    let grey = OutputSpec {
        grayscale: true,
        ..resize.clone()
    };
    let turned = OutputSpec {
        rotate: 90,
        ..resize.clone()
    };
    let lossless = sized(
        Some(400),
        None,
        Encoding::Webp {
            quality: 80,
            lossless: true,
            effort: 4,
            alpha_quality: 100,
        },
    );
    // WebP, and a reduction decoded at 1/2.
    let lossy = sized(Some(400), None, webp(80));
    let scaled = sized(Some(853), None, jpeg(80));
    assert!(!decode_scale(&jpeg_input, std::slice::from_ref(&scaled))
        .unwrap()
        .is_full());
    for spec in [grey, turned, lossless, lossy, scaled] {
        assert!(!takes_planes(&jpeg_input, &[spec]).unwrap());
    }
    // A profile other than sRGB (canyon-wren's), EXIF orientation 8, a PNG input.
    let resize = std::slice::from_ref(&resize);
    assert!(!takes_planes(&corpus("budgie-canyon-wren.jpg"), resize).unwrap());
    assert!(!takes_planes(&corpus("exiforient-portrait-8.jpg"), resize).unwrap());
    assert!(!takes_planes(&corpus("kodak-kodim23.png"), resize).unwrap());
}
