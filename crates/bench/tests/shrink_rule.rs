//! Shrink-on-load's quality rule, held to on corpus photos: the scale the pipeline picks
//! loses at most 0.5 SSIMULACRA2 (mean over the photos) against a full-size decode once
//! encoded as JPEG q80, and the next smaller decode would lose more.
use std::path::PathBuf;

use pixelpool_bench::encoding::sweep_encoding;
use pixelpool_bench::shrink_quality::{Photo, LOSS_BOUND};
use pixelpool_engine::shrink::DecodeScale;
use pixelpool_engine::{decode_scale, OutputSpec};

const PHOTOS: [&str; 2] = ["budgie-canyon-wren.jpg", "budgie-motherboard-circuits.jpg"];

fn corpus(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/photos")
        .join(name);
    path.to_string_lossy().into_owned()
}

/// The pipeline's scale for one output `reduction` times narrower than the photo, under the
/// measured quality rule (`fastShrinkOnLoad: false`; `true` is sharp's own rule).
fn chosen(path: &str, width: u32, reduction: f64) -> DecodeScale {
    let bytes = std::fs::read(path).unwrap();
    let spec = OutputSpec {
        width: Some((width as f64 / reduction).round() as u32),
        fast_shrink_on_load: false,
        ..OutputSpec::new(sweep_encoding("jpeg").unwrap())
    };
    decode_scale(&bytes, &[spec]).unwrap()
}

#[track_caller]
fn mean_loss(photos: &[Photo], reduction: f64, scale_of: impl Fn(&Photo) -> DecodeScale) -> f64 {
    let encoding = Some(sweep_encoding("jpeg").unwrap());
    let losses: Vec<f64> = photos
        .iter()
        .map(|photo| {
            photo
                .trial(reduction, scale_of(photo), encoding)
                .unwrap()
                .loss
        })
        .collect();
    losses.iter().sum::<f64>() / losses.len() as f64
}

#[test]
fn each_jpeg_scale_keeps_quality_and_a_smaller_one_would_not() {
    let paths: Vec<String> = PHOTOS.iter().map(|name| corpus(name)).collect();
    let photos: Vec<Photo> = paths.iter().map(|p| Photo::open(p).unwrap()).collect();
    // Each reduction is just past where the rule first allows that scale, and the next
    // scale down would lose too much there.
    let cases = [(4.3, 4, Some(2)), (11.0, 2, Some(1)), (22.0, 1, None)];
    for (reduction, eighths, smaller) in cases {
        for (path, photo) in paths.iter().zip(&photos) {
            let scale = chosen(path, photo.width(), reduction);
            assert_eq!(
                scale,
                DecodeScale::eighths_of(eighths),
                "{path} at {reduction}x"
            );
        }
        let scale = DecodeScale::eighths_of(eighths);
        let loss = mean_loss(&photos, reduction, |_| scale);
        assert!(
            loss <= LOSS_BOUND,
            "{eighths}/8 at {reduction}x loses {loss:.2}"
        );
        if let Some(num) = smaller {
            let loss = mean_loss(&photos, reduction, |_| DecodeScale::eighths_of(num));
            assert!(
                loss > LOSS_BOUND,
                "{num}/8 at {reduction}x loses only {loss:.2}: the rule is too cautious"
            );
        }
    }
}
