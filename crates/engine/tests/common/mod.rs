#![allow(dead_code)]
use std::path::PathBuf;

use pixelpool_engine::decode;
use pixelpool_engine::shrink::DecodeScale;
use pixelpool_engine::{DecodeLimits, Encoding, Image, OutputSpec};

pub fn corpus(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/photos")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("corpus photo {}: {e}", path.display()))
}

/// A file from one of this crate's test folders (each folder's README says how it was made).
pub fn test_file(folder: &str, name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(folder)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("test file {}: {e}", path.display()))
}

#[track_caller]
pub fn decode_all(bytes: &[u8]) -> Image {
    let header = decode::read_header(bytes).expect("output has a readable header");
    decode::decode(bytes, &header, DecodeScale::FULL, &DecodeLimits::default())
        .expect("output decodes")
}

pub fn png_lossless() -> Encoding {
    Encoding::png(1)
}

pub fn jpeg(quality: u8) -> Encoding {
    Encoding::Jpeg {
        quality,
        progressive: false,
        chroma_subsampling: pixelpool_engine::ChromaSubsampling::Half,
        optimise_coding: true,
    }
}

pub fn webp(quality: u8) -> Encoding {
    Encoding::webp(quality, false)
}

pub fn sized(width: Option<u32>, height: Option<u32>, encoding: Encoding) -> OutputSpec {
    OutputSpec {
        width,
        height,
        ..OutputSpec::new(encoding)
    }
}

/// Mean absolute difference per sample between two images of the same layout.
#[track_caller]
pub fn mean_difference(a: &Image, b: &Image) -> f64 {
    assert_eq!(
        (a.width, a.height, a.channels),
        (b.width, b.height, b.channels)
    );
    let total: u64 = a
        .data
        .iter()
        .zip(&b.data)
        .map(|(x, y)| x.abs_diff(*y) as u64)
        .sum();
    total as f64 / a.data.len() as f64
}

/// Four flat quadrants: red, green / blue, white. Any rotation or mirror moves them.
pub fn quadrants(width: u32, height: u32) -> Image {
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let colour = match (x < width / 2, y < height / 2) {
                (true, true) => [255, 0, 0],
                (false, true) => [0, 255, 0],
                (true, false) => [0, 0, 255],
                (false, false) => [255, 255, 255],
            };
            data.extend_from_slice(&colour);
        }
    }
    Image::new(width, height, 3, data)
}
