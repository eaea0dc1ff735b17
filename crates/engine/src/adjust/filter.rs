//! Neighbourhood filters: blur, sharp's mild sharpen, convolve, median. Edges repeat the
//! border pixel, as libvips' convolutions do; colour is premultiplied by alpha while
//! filtering.

use crate::image::Image;
use crate::operations::{Blur, Convolution};

/// Samples as f32, colour premultiplied by alpha (0-1).
pub struct Planes {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub data: Vec<f32>,
}

impl Planes {
    pub fn premultiplied(image: &Image) -> Self {
        let channels = image.channels as usize;
        let alpha = image.has_alpha();
        let mut data: Vec<f32> = image.data.iter().map(|&v| v as f32).collect();
        if alpha {
            for pixel in data.chunks_exact_mut(channels) {
                let (colour, a) = pixel.split_at_mut(channels - 1);
                colour.iter_mut().for_each(|v| *v *= a[0] / 255.0);
            }
        }
        Self {
            width: image.width as usize,
            height: image.height as usize,
            channels,
            data,
        }
    }

    pub fn into_image(mut self) -> Image {
        let channels = self.channels;
        if channels == 2 || channels == 4 {
            for pixel in self.data.chunks_exact_mut(channels) {
                let (colour, a) = pixel.split_at_mut(channels - 1);
                let a = a[0].clamp(0.0, 255.0);
                let scale = if a > 0.0 { 255.0 / a } else { 0.0 };
                colour.iter_mut().for_each(|v| *v *= scale);
            }
        }
        let data = self
            .data
            .iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect();
        Image::new(self.width as u32, self.height as u32, channels as u8, data)
    }

    /// Convolves rows, then columns, with `kernel` (odd length, summing to 1).
    pub fn convolve_separable(&self, kernel: &[f32]) -> Self {
        let radius = (kernel.len() / 2) as isize;
        let (w, h, ch) = (self.width, self.height, self.channels);
        let clamp = |v: isize, len: usize| v.clamp(0, len as isize - 1) as usize;
        let mut rows = vec![0f32; self.data.len()];
        for y in 0..h {
            let row = &self.data[y * w * ch..][..w * ch];
            for x in 0..w {
                for c in 0..ch {
                    let mut sum = 0.0;
                    for (k, weight) in kernel.iter().enumerate() {
                        let sx = clamp(x as isize + k as isize - radius, w);
                        sum += row[sx * ch + c] * weight;
                    }
                    rows[(y * w + x) * ch + c] = sum;
                }
            }
        }
        let mut out = vec![0f32; self.data.len()];
        for y in 0..h {
            for (k, weight) in kernel.iter().enumerate() {
                let sy = clamp(y as isize + k as isize - radius, h);
                let source = &rows[sy * w * ch..][..w * ch];
                let target = &mut out[y * w * ch..][..w * ch];
                for (t, s) in target.iter_mut().zip(source) {
                    *t += s * weight;
                }
            }
        }
        Self { data: out, ..*self }
    }
}

/// libvips' `gaussmat`: samples of the Gaussian out to where it falls below `min_amplitude`.
pub fn gaussian_kernel(sigma: f64, min_amplitude: f64) -> Vec<f32> {
    let two_sigma_squared = 2.0 * sigma * sigma;
    let limit = (8.0 * sigma).clamp(1.0, 5000.0) as i64;
    let radius = (0..limit)
        .find(|&x| (-((x * x) as f64) / two_sigma_squared).exp() < min_amplitude)
        .unwrap_or(limit)
        .saturating_sub(1)
        .max(0);
    let weights: Vec<f64> = (-radius..=radius)
        .map(|x| (-((x * x) as f64) / two_sigma_squared).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| (w / total) as f32).collect()
}

pub fn blur(image: &Image, blur: Blur) -> Image {
    let kernel = match blur {
        Blur::Mild => vec![1.0 / 3.0; 3],
        Blur::Gaussian {
            sigma,
            min_amplitude,
        } => gaussian_kernel(sigma, min_amplitude),
        Blur::Approximate {
            sigma,
            min_amplitude,
        } => return super::approximate_blur::blur(image, sigma, min_amplitude),
    };
    Planes::premultiplied(image)
        .convolve_separable(&kernel)
        .into_image()
}

/// sharp's `sharpen()` without options: (32 x centre - the 8 neighbours) / 24, which is
/// (33 x centre - 9 x the 3x3 mean) / 24.
pub fn mild_sharpen(image: &Image) -> Image {
    let planes = Planes::premultiplied(image);
    let mean = planes.convolve_separable(&[1.0 / 3.0; 3]);
    let alpha_index = planes
        .channels
        .is_multiple_of(2)
        .then_some(planes.channels - 1);
    let data = planes
        .data
        .iter()
        .zip(&mean.data)
        .enumerate()
        .map(|(i, (&centre, &mean))| {
            if Some(i % planes.channels) == alpha_index {
                centre
            } else {
                (33.0 * centre - 9.0 * mean) / 24.0
            }
        })
        .collect();
    Planes { data, ..planes }.into_image()
}

/// The median of each `size` x `size` window, channel by channel.
pub fn median(image: &Image, size: u8) -> Image {
    let radius = (size / 2) as isize;
    let (w, h, ch) = (
        image.width as isize,
        image.height as isize,
        image.channels as usize,
    );
    let mut window = Vec::with_capacity(size as usize * size as usize);
    let mut data = Vec::with_capacity(image.data.len());
    for y in 0..h {
        for x in 0..w {
            for c in 0..ch {
                window.clear();
                for dy in -radius..=radius {
                    let sy = (y + dy).clamp(0, h - 1);
                    for dx in -radius..=radius {
                        let sx = (x + dx).clamp(0, w - 1);
                        window.push(image.data[(sy * w + sx) as usize * ch + c]);
                    }
                }
                let middle = window.len() / 2;
                data.push(*window.select_nth_unstable(middle).1);
            }
        }
    }
    Image::new(image.width, image.height, image.channels, data)
}

/// sharp's `convolve`: libvips' `conv` at float precision on every band (colour
/// premultiplied, as sharp premultiplies for it), edges extended by copying: the weighted
/// sum over `scale` plus `offset`, rounded and clipped to 8 bits where libvips casts.
pub fn convolve(image: &Image, convolution: &Convolution) -> Image {
    let planes = Planes::premultiplied(image);
    let (width, height, bands) = (planes.width as i64, planes.height as i64, planes.channels);
    let (kw, kh) = (convolution.width as i64, convolution.height as i64);
    let (scale, offset) = (convolution.scale as f32, convolution.offset as f32);
    let mut data = vec![0f32; planes.data.len()];
    for y in 0..height {
        for x in 0..width {
            let at = (y * width + x) as usize * bands;
            let sums = &mut data[at..at + bands];
            for (k, &weight) in convolution.kernel.iter().enumerate() {
                let sx = (x + k as i64 % kw - kw / 2).clamp(0, width - 1);
                let sy = (y + k as i64 / kw - kh / 2).clamp(0, height - 1);
                let from = (sy * width + sx) as usize * bands;
                for (sum, &v) in sums.iter_mut().zip(&planes.data[from..from + bands]) {
                    *sum += weight as f32 * v;
                }
            }
            sums.iter_mut().for_each(|sum| *sum = *sum / scale + offset);
        }
    }
    Planes { data, ..planes }.into_image()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaussian_kernels_match_libvips_widths() {
        // vips_gaussmat: 2x - 1 wide, x the first offset below min_amplitude.
        assert_eq!(gaussian_kernel(1.0, 0.2).len(), 3);
        assert_eq!(gaussian_kernel(2.0, 0.2).len(), 7);
        let sum: f32 = gaussian_kernel(5.0, 0.2).iter().sum();
        assert!((sum - 1.0).abs() < 1e-5);
    }

    #[test]
    fn median_removes_a_lone_speck_and_blur_spreads_it() {
        let mut image = Image::filled(5, 5, &[0]);
        image.data[12] = 255;
        assert!(median(&image, 3).data.iter().all(|&v| v == 0));
        let blurred = blur(&image, Blur::Mild);
        assert_eq!(blurred.data[12], 28);
        assert_eq!(blurred.data[6], 28);
        assert_eq!(blurred.data[0], 0);
    }

    #[test]
    fn mild_sharpen_keeps_flat_areas_and_steepens_edges() {
        let flat = Image::filled(4, 4, &[100, 150, 200]);
        assert_eq!(mild_sharpen(&flat), flat);
        let mut edge = Image::filled(4, 1, &[100]);
        edge.data[2..].fill(200);
        let sharpened = mild_sharpen(&edge);
        assert!(
            sharpened.data[1] < 100 && sharpened.data[2] > 200,
            "{:?}",
            sharpened.data
        );
    }

    #[test]
    fn transparent_pixels_do_not_bleed_colour() {
        let mut image = Image::filled(3, 1, &[255, 0, 0, 0]);
        image.data[4..8].copy_from_slice(&[0, 0, 255, 255]);
        let blurred = blur(&image, Blur::Mild);
        assert_eq!(&blurred.data[4..7], &[0, 0, 255]);
    }
}
