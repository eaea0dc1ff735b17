//! libvips' integer block shrink (`vips_shrinkh`/`vips_shrinkv` with `ceil`), which its
//! `vips_reduce` runs before the kernel whenever a reduction is at least twice its `gap`
//! of 2: sharp's resizes average `factor` x `factor` blocks first and leave the kernel a
//! reduction between 2 and 4. Blocks past the image's edge repeat the edge pixel, as
//! libvips extends the input by copying.

use crate::image::Image;

/// The block shrink libvips makes before a kernel reduces `from` pixels to `to`: the
/// whole part of `from / to / 2`, at least 1.
pub fn factor(from: f64, to: u32) -> u32 {
    ((from / to as f64 / 2.0).floor() as u32).max(1)
}

/// Means of `x_factor` x `y_factor` blocks of the `width` x `height` pixels of `source`
/// whose top-left is (`left`, `top`), rounded to nearest. With alpha the colour is
/// averaged premultiplied, as sharp premultiplies before resizing.
pub fn shrink(
    source: &Image,
    (left, top): (u32, u32),
    (width, height): (u32, u32),
    (x_factor, y_factor): (u32, u32),
) -> Image {
    let channels = source.channels as usize;
    let (out_width, out_height) = (width.div_ceil(x_factor), height.div_ceil(y_factor));
    let last_column = source.width - 1;
    let last_row = source.height - 1;
    let block = u64::from(x_factor) * u64::from(y_factor);
    let mut data = Vec::with_capacity(out_width as usize * out_height as usize * channels);
    let mut sums = vec![0u64; out_width as usize * channels];
    for out_y in 0..out_height {
        sums.fill(0);
        for dy in 0..y_factor {
            let y = (top + out_y * y_factor + dy).min(last_row);
            let row = &source.data[y as usize * source.stride()..][..source.stride()];
            for (out_x, sum) in sums.chunks_exact_mut(channels).enumerate() {
                for dx in 0..x_factor {
                    let x = (left + out_x as u32 * x_factor + dx).min(last_column);
                    let pixel = &row[x as usize * channels..][..channels];
                    add(sum, pixel);
                }
            }
        }
        for sum in sums.chunks_exact(channels) {
            mean(sum, block, &mut data);
        }
    }
    Image::new(out_width, out_height, source.channels, data)
}

/// Adds a pixel to its block's sums; with alpha (2 or 4 channels) colour times alpha.
fn add(sum: &mut [u64], pixel: &[u8]) {
    match pixel.len() {
        2 | 4 => {
            let alpha = u64::from(pixel[pixel.len() - 1]);
            let colours = pixel.len() - 1;
            for (s, &v) in sum[..colours].iter_mut().zip(&pixel[..colours]) {
                *s += u64::from(v) * alpha;
            }
            sum[colours] += alpha;
        }
        _ => sum
            .iter_mut()
            .zip(pixel)
            .for_each(|(s, &v)| *s += u64::from(v)),
    }
}

fn mean(sum: &[u64], block: u64, out: &mut Vec<u8>) {
    let rounded = |total: u64, count: u64| ((total + count / 2) / count) as u8;
    match sum.len() {
        2 | 4 => {
            let colours = sum.len() - 1;
            let alpha = sum[colours];
            for &s in &sum[..colours] {
                out.push(if alpha == 0 { 0 } else { rounded(s, alpha) });
            }
            out.push(rounded(alpha, block));
        }
        _ => out.extend(sum.iter().map(|&s| rounded(s, block))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_leave_the_kernel_at_least_twice_its_gap() {
        assert_eq!(factor(1280.0, 320), 2);
        assert_eq!(factor(1280.0, 640), 1);
        assert_eq!(factor(1000.0, 100), 5);
        assert_eq!(factor(10.0, 100), 1);
    }

    #[test]
    fn averages_blocks_and_repeats_the_edge() {
        let grey = Image::new(3, 1, 1, vec![10, 20, 101]);
        let shrunk = shrink(&grey, (0, 0), (3, 1), (2, 1));
        assert_eq!(shrunk.data, vec![15, 101]);
    }

    #[test]
    fn colour_under_transparent_pixels_does_not_bleed() {
        let rgba = Image::new(2, 1, 4, vec![255, 0, 0, 0, 0, 0, 255, 255]);
        let shrunk = shrink(&rgba, (0, 0), (2, 1), (2, 1));
        assert_eq!(shrunk.data, vec![0, 0, 255, 128]);
    }
}
