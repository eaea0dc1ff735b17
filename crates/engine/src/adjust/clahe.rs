//! sharp's `clahe`: libvips' local histogram equalisation (`vips_hist_local`). Every sample
//! of every band becomes where it falls in the histogram of the window around it (the
//! image mirrored past its edges), scaled to 0-255; a `max_slope` clips each bin at that
//! count and spreads what it clipped evenly over all 256 bins (contrast limiting).
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{EngineError, ErrorKind, Result};
use crate::image::Image;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Clahe {
    /// The window, in pixels; at most the image's size.
    pub width: u32,
    pub height: u32,
    /// 0 for plain local equalisation, else the clip of a histogram bin (1-100).
    pub max_slope: u32,
}

pub fn clahe(image: &Image, clahe: Clahe) -> Result<Image> {
    let Clahe {
        width: window_width,
        height: window_height,
        max_slope,
    } = clahe;
    if window_width == 0
        || window_height == 0
        || window_width > image.width
        || window_height > image.height
    {
        return Err(EngineError::new(
            ErrorKind::InvalidOption,
            format!(
                "clahe: hist_local: window too large ({window_width}x{window_height} on a {}x{} image)",
                image.width, image.height
            ),
        ));
    }
    // The window's columns and rows in the image, for a window starting at each place.
    let window_indices = |span: u32, size: u32| -> Vec<usize> {
        (0..size + span - 1)
            .map(|i| super::canvas::mirrored(i as i64 - (span / 2) as i64, size as i64) as usize)
            .collect()
    };
    let columns = window_indices(window_width, image.width);
    let rows = window_indices(window_height, image.height);
    let channels = image.channels as usize;
    let area = window_width as u64 * window_height as u64;
    let mut data = vec![0u8; image.data.len()];
    data.par_chunks_mut(image.stride())
        .enumerate()
        .for_each(|(y, out)| {
            let window_rows = &rows[y..y + window_height as usize];
            let mut histograms = vec![[0u32; 256]; channels];
            let add_column = |histograms: &mut [[u32; 256]], column: usize, sign: i32| {
                for &row in window_rows {
                    let pixel = &image.data[(row * image.width as usize + column) * channels..];
                    for (band, histogram) in histograms.iter_mut().enumerate() {
                        let bin = &mut histogram[pixel[band] as usize];
                        *bin = bin.wrapping_add_signed(sign);
                    }
                }
            };
            for &column in &columns[..window_width as usize] {
                add_column(&mut histograms, column, 1);
            }
            for x in 0..image.width as usize {
                for band in 0..channels {
                    let target = image.data[(y * image.width as usize + x) * channels + band];
                    let sum = cumulative(&histograms[band], target, max_slope);
                    out[x * channels + band] = (255 * sum / area) as u8;
                }
                if x + 1 < image.width as usize {
                    add_column(&mut histograms, columns[x], -1);
                    add_column(&mut histograms, columns[x + window_width as usize], 1);
                }
            }
        });
    Ok(Image::new(image.width, image.height, image.channels, data))
}

/// The count of the histogram up to and including `target`, clipped as libvips clips it.
fn cumulative(histogram: &[u32; 256], target: u8, max_slope: u32) -> u64 {
    let target = target as usize;
    if max_slope == 0 {
        return histogram[..=target].iter().map(|&n| n as u64).sum();
    }
    let clipped = |n: u32| n.min(max_slope) as u64;
    let over: u64 = histogram
        .iter()
        .map(|&n| n.saturating_sub(max_slope) as u64)
        .sum();
    let below: u64 = histogram[..=target].iter().map(|&n| clipped(n)).sum();
    below + (target as u64 + 1) * over / 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_of_the_whole_image_ranks_every_sample() {
        // Four values in a 4x1 image, a window of 1x1 mirrored: each sample alone is the
        // top of its histogram, so everything becomes 255.
        let image = Image::new(4, 1, 1, vec![10, 20, 30, 40]);
        let plain = Clahe {
            width: 1,
            height: 1,
            max_slope: 0,
        };
        assert_eq!(clahe(&image, plain).unwrap().data, [255; 4]);
        // A 3x1 window: 10 sees [10 (mirrored), 10, 20], so it ranks 2 of 3: 255 * 2 / 3.
        let wide = Clahe { width: 3, ..plain };
        assert_eq!(clahe(&image, wide).unwrap().data, [170, 170, 170, 255]);
    }

    #[test]
    fn the_slope_limit_spreads_what_it_clips() {
        let mut histogram = [0u32; 256];
        histogram[0] = 10;
        // Clipped at 2: 2 counted, 8 spread over 256 bins, (0 + 1) * 8 / 256 = 0 of them.
        assert_eq!(cumulative(&histogram, 0, 2), 2);
        // Up to bin 255 every spread share is back: 2 + 256 * 8 / 256.
        assert_eq!(cumulative(&histogram, 255, 2), 10);
    }

    #[test]
    fn a_window_larger_than_the_image_is_refused() {
        let image = Image::new(4, 1, 1, vec![0; 4]);
        let window = Clahe {
            width: 5,
            height: 1,
            max_slope: 0,
        };
        assert!(clahe(&image, window).is_err());
    }
}
