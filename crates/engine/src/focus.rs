//! Content-aware placement of a `cover` crop (sharp's `entropy` and `attention`). The
//! image is analysed at a small size; every window position along the cropped axis is
//! scored and the best one kept, ties going to the one nearest the centre.

use crate::error::Result;
use crate::geometry::Region;
use crate::image::Image;
use crate::pixels::with_channels;
use crate::resize::resize;
use crate::spec::Gravity;

/// Longest side of the analysis image.
const ANALYSIS_SIZE: f64 = 256.0;

/// Where a `width` x `height` window (in `image` pixels) should sit: its left and top.
pub fn place(image: &Image, width: f64, height: f64, strategy: Gravity) -> Result<(f64, f64)> {
    let scale = (ANALYSIS_SIZE / image.width.max(image.height) as f64).min(1.0);
    let (small_w, small_h) = (
        ((image.width as f64 * scale).round() as u32).max(1),
        ((image.height as f64 * scale).round() as u32).max(1),
    );
    let whole = Region::whole(image.width as f64, image.height as f64);
    let small = resize(&with_channels(image, 3), whole, small_w, small_h)?;
    let (window_w, window_h) = (
        ((width * scale).round() as u32).clamp(1, small_w),
        ((height * scale).round() as u32).clamp(1, small_h),
    );
    let interest = (strategy == Gravity::Attention).then(|| SummedArea::new(&small, attention));
    let score = |left: u32, top: u32| match &interest {
        Some(sums) => sums.window(left, top, window_w, window_h),
        None => entropy(&small, left, top, window_w, window_h),
    };
    let centre = (
        (small_w - window_w) as f64 / 2.0,
        (small_h - window_h) as f64 / 2.0,
    );
    let mut best = (f64::MIN, f64::MAX, 0, 0);
    for top in 0..=small_h - window_h {
        for left in 0..=small_w - window_w {
            let value = score(left, top);
            let distance = (left as f64 - centre.0).abs() + (top as f64 - centre.1).abs();
            if value > best.0 + 1e-9 || ((value - best.0).abs() <= 1e-9 && distance < best.1) {
                best = (value, distance, left, top);
            }
        }
    }
    let clamp = |value: f64, room: f64| value.clamp(0.0, room.max(0.0));
    Ok((
        clamp(best.2 as f64 / scale, image.width as f64 - width),
        clamp(best.3 as f64 / scale, image.height as f64 - height),
    ))
}

fn luma(p: &[u8]) -> f64 {
    0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64
}

/// Shannon entropy (bits) of the window's luminance, in 32 bins.
fn entropy(image: &Image, left: u32, top: u32, width: u32, height: u32) -> f64 {
    let mut histogram = [0u32; 32];
    for y in top..top + height {
        for x in left..left + width {
            histogram[(luma(image.pixel(x, y)) as usize) >> 3] += 1;
        }
    }
    let total = (width * height) as f64;
    histogram
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| n as f64 / total)
        .map(|p| -p * p.log2())
        .sum()
}

/// How much a pixel draws the eye: luminance edges, saturation, and skin tones.
fn attention(image: &Image, x: u32, y: u32) -> f64 {
    let at = |dx: i64, dy: i64| {
        let cx = (x as i64 + dx).clamp(0, image.width as i64 - 1) as u32;
        let cy = (y as i64 + dy).clamp(0, image.height as i64 - 1) as u32;
        luma(image.pixel(cx, cy))
    };
    let edge = (at(1, 0) - at(-1, 0)).abs() + (at(0, 1) - at(0, -1)).abs();
    let p = image.pixel(x, y);
    let (r, g, b) = (p[0] as f64, p[1] as f64, p[2] as f64);
    let saturation = r.max(g).max(b) - r.min(g).min(b);
    let skin = r > 95.0 && g > 40.0 && b > 20.0 && r > g && r > b && r - g.min(b) > 15.0;
    edge + 0.5 * saturation + if skin { 60.0 } else { 0.0 }
}

/// Sums of a per-pixel score over any rectangle in constant time.
struct SummedArea {
    width: usize,
    sums: Vec<f64>,
}

impl SummedArea {
    fn new(image: &Image, score: impl Fn(&Image, u32, u32) -> f64) -> Self {
        let width = image.width as usize + 1;
        let mut sums = vec![0.0; width * (image.height as usize + 1)];
        for y in 0..image.height as usize {
            for x in 0..image.width as usize {
                sums[(y + 1) * width + x + 1] = score(image, x as u32, y as u32)
                    + sums[y * width + x + 1]
                    + sums[(y + 1) * width + x]
                    - sums[y * width + x];
            }
        }
        Self { width, sums }
    }

    fn window(&self, left: u32, top: u32, width: u32, height: u32) -> f64 {
        let at = |x: u32, y: u32| self.sums[y as usize * self.width + x as usize];
        at(left + width, top + height) - at(left, top + height) - at(left + width, top)
            + at(left, top)
    }
}
