//! sharp's `stats()`: per-channel statistics of the decoded input (as stored, not turned
//! upright), opacity, entropy, sharpness and the dominant colour, with libvips' definitions.

use crate::decode::{self, Header};
use crate::error::Result;
use crate::image::Image;
use crate::shrink::DecodeScale;
use crate::spec::DecodeLimits;

#[derive(Debug, Clone, PartialEq)]
pub struct ChannelStats {
    pub min: u8,
    pub max: u8,
    pub sum: f64,
    pub squares_sum: f64,
    pub mean: f64,
    pub stdev: f64,
    pub min_x: u32,
    pub min_y: u32,
    pub max_x: u32,
    pub max_y: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageStats {
    pub channels: Vec<ChannelStats>,
    pub is_opaque: bool,
    /// Shannon entropy of the greyscale histogram, in bits.
    pub entropy: f64,
    /// Standard deviation of the greyscale Laplacian (over 9).
    pub sharpness: f64,
    /// Centre of the fullest bin of a 16x16x16 RGB histogram.
    pub dominant: [u8; 3],
}

pub fn statistics(bytes: &[u8], limits: &DecodeLimits) -> Result<ImageStats> {
    let header: Header = decode::read_header(bytes)?;
    let image = decode::decode(bytes, &header, DecodeScale::FULL, limits)?;
    Ok(of_image(&image))
}

pub fn of_image(image: &Image) -> ImageStats {
    let channels = image.channels as usize;
    let channel_stats: Vec<ChannelStats> = (0..channels).map(|c| channel(image, c)).collect();
    let is_opaque = !image.has_alpha() || channel_stats[channels - 1].min == 255;
    // libvips' b-w (linear luminance, sRGB-encoded), as sharp's stats() takes it.
    let grey = crate::pixels::with_channels(&crate::adjust::greyscale(image), 1);
    ImageStats {
        channels: channel_stats,
        is_opaque,
        entropy: entropy(&grey.data),
        sharpness: sharpness(&grey),
        dominant: dominant(image),
    }
}

fn channel(image: &Image, c: usize) -> ChannelStats {
    let channels = image.channels as usize;
    let (mut min, mut max, mut min_at, mut max_at) = (u8::MAX, u8::MIN, 0, 0);
    let (mut sum, mut squares_sum) = (0f64, 0f64);
    for (i, pixel) in image.data.chunks_exact(channels).enumerate() {
        let v = pixel[c];
        if v < min {
            (min, min_at) = (v, i);
        }
        if v > max {
            (max, max_at) = (v, i);
        }
        sum += v as f64;
        squares_sum += (v as f64) * (v as f64);
    }
    let n = (image.width as f64) * (image.height as f64);
    let mean = sum / n;
    let variance = if n > 1.0 {
        ((squares_sum - sum * sum / n) / (n - 1.0)).max(0.0)
    } else {
        0.0
    };
    let at = |i: usize| {
        (
            (i % image.width as usize) as u32,
            (i / image.width as usize) as u32,
        )
    };
    let ((min_x, min_y), (max_x, max_y)) = (at(min_at), at(max_at));
    ChannelStats {
        min,
        max,
        sum,
        squares_sum,
        mean,
        stdev: variance.sqrt(),
        min_x,
        min_y,
        max_x,
        max_y,
    }
}

fn entropy(grey: &[u8]) -> f64 {
    let mut histogram = [0u64; 256];
    grey.iter().for_each(|&v| histogram[v as usize] += 1);
    let n = grey.len() as f64;
    let sum: f64 = histogram
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = count as f64 / n;
            p * p.log2()
        })
        .sum();
    sum.abs()
}

fn sharpness(grey: &Image) -> f64 {
    let (w, h) = (grey.width as i64, grey.height as i64);
    if w * h <= 1 {
        return 0.0;
    }
    let at =
        |x: i64, y: i64| grey.data[(y.clamp(0, h - 1) * w + x.clamp(0, w - 1)) as usize] as f64;
    let (mut sum, mut squares) = (0f64, 0f64);
    for y in 0..h {
        for x in 0..w {
            let v =
                (at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y)) / 9.0;
            sum += v;
            squares += v * v;
        }
    }
    let n = (w * h) as f64;
    ((squares - sum * sum / n) / (n - 1.0)).max(0.0).sqrt()
}

fn dominant(image: &Image) -> [u8; 3] {
    let rgb = crate::pixels::with_channels(image, 3);
    // libvips' 16 bins take 1-16, 17-32, ... 241-255 (0 in the first), as measured in
    // sharp's output: a value of 16 is in the first bin, 17 in the second.
    let bin = |value: u8| value.saturating_sub(1) as usize >> 4;
    let mut histogram = vec![0u32; 4096];
    for p in rgb.data.chunks_exact(3) {
        histogram[bin(p[0]) | bin(p[1]) << 4 | bin(p[2]) << 8] += 1;
    }
    let fullest = histogram
        .iter()
        .enumerate()
        // libvips' maxpos scans the 16x16 (red by green) histogram row by row, blue the
        // band: the first of equal counts has the least green, then red, then blue.
        .max_by_key(|&(i, &count)| (count, std::cmp::Reverse((i >> 4 & 15, i & 15, i >> 8))))
        .map_or(0, |(i, _)| i);
    [
        (fullest & 15) as u8 * 16 + 8,
        (fullest >> 4 & 15) as u8 * 16 + 8,
        (fullest >> 8) as u8 * 16 + 8,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_colour_image_has_its_extremes_mean_and_dominant() {
        let mut image = Image::filled(4, 1, &[250, 10, 10, 255]);
        image.data[12..16].copy_from_slice(&[0, 0, 200, 128]);
        let stats = of_image(&image);
        assert_eq!((stats.channels[0].min, stats.channels[0].max), (0, 250));
        assert_eq!((stats.channels[0].min_x, stats.channels[0].max_x), (3, 0));
        assert_eq!(stats.channels[0].mean, 187.5);
        assert!(!stats.is_opaque);
        assert_eq!(stats.dominant, [248, 8, 8]);
        assert!((stats.entropy - 0.811).abs() < 0.01, "{}", stats.entropy);
    }
}
