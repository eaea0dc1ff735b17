//! Shrink-on-load: how much smaller than stored an input is decoded, so that the decoder
//! (libjpeg-turbo's scaled IDCT, libwebp's scaler) does part of the reduction and Lanczos3
//! does the rest from a smaller image.
//!
//! The rule: the smallest decode that keeps SSIMULACRA2 within 0.5 of resizing from a
//! full-size decode. What a smaller decode costs depends on the reduction Lanczos3 still
//! makes after it (the *residual*: decoded width / output width) and on the decoder.
//! Measured with `pixelpool-bench shrink-quality --encode jpeg` (decode, Lanczos3 over the
//! exact extent of the picture, JPEG q80, scored on the interior against a float
//! reference; reductions 1.25x to 32x) on five corpus JPEGs (canyon-wren, spices-of-life,
//! motherboard-circuits, kitten-on-lawn, exiforient-landscape-6: 4:2:0 and 4:4:4, 2 to
//! 11 MP) and the three corpus WebPs, 2026-12-01. Mean SSIMULACRA2 lost against a
//! full-size decode, by residual (the worst photo, exiforient, loses 1-2 at every scale):
//!
//! | decode | residual 1.5 | 2 | 2.5 | 3 | 4 |
//! | --- | --- | --- | --- | --- | --- |
//! | JPEG 7/8 | 0.38 | 0.37 | **0.42** | 0.28 | 0.24 |
//! | JPEG 6/8 | 0.53 | **0.42** | 0.33 | 0.36 | 0.32 |
//! | JPEG 5/8 | 0.33 | **0.26** | 0.29 | 0.38 | 0.26 |
//! | JPEG 3/8 | 0.68 | **0.34** | 0.37 | 0.34 | 0.13 |
//! | JPEG 4/8 (1/2) | 0.84 | 0.55 | 0.34 | 0.11 | 0.06 |
//! | JPEG 2/8 (1/4) | 1.48 | 0.95 | 0.53 | 0.16 | 0.27 |
//! | JPEG 1/8 | 1.45 | 0.86 | 0.52 | 0.37 | 0.23 |
//! | WebP, worst of 4x-32x | 2.08 | 1.04 | 0.93 | **0.50** | 0.40 |
//!
//! Finer around the thresholds, 1/2 at residual 2.0 / 2.1 / 2.175 / 2.25 lost 0.55 /
//! **0.39** / 0.36 / 0.34; 1/4 at 2.6 / 2.7 lost 0.52 / **0.32**; 1/8 at 2.6 / 2.7 lost
//! 0.29 / **0.27**.
//!
//! The generic scales keep quality with less residual, but they are slower to decode
//! than the next larger one that has SIMD (libjpeg-turbo's 1/2, 1/4 and 1/8 IDCTs are
//! jidctred.c with SIMD, the others jidctint.c in plain C). Milliseconds per decode, one
//! thread, 2026-12-01:
//!
//! | photo | 1/8 | 2/8 | 3/8 | 4/8 | 5/8 | 6/8 | 7/8 | 8/8 |
//! | --- | --- | --- | --- | --- | --- | --- | --- | --- |
//! | spices-of-life (10 MP, 2.8 MB) | 21 | 25 | 32 | 29 | 44 | 51 | 65 | 34 |
//! | canyon-wren (8 MP, 0.4 MB) | 5 | 7 | 12 | 8 | 25 | 30 | 41 | 14 |
//! | kitten-on-lawn (11 MP, 4:4:4) | 17 | 21 | 26 | 24 | 46 | 55 | 85 | 33 |
//! | sunset-beach (25 MP, progressive) | 272 | 277 | 276 | 271 | 316 | 362 | 455 | 347 |
//!
//! So JPEG decodes at 1/8, 1/4, 1/2 or full size: 3/8 is slower than 4/8 and 5/8 to 7/8
//! slower than a full decode. The old rule (the same scales with a residual of 2) lost
//! 0.55 (1/2), 0.95 (1/4) and 0.86 (1/8) on average.

pub use crate::decode::DecodeScale;
use crate::decode::{self, Header};
use crate::geometry::{self, Request};
use crate::spec::Format;

/// How sharp loads an image for one output: the size its JPEG or WebP decoder gives
/// (which sharp then plans the output in) and the decode that gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub size: (u32, u32),
    pub scale: DecodeScale,
    /// What sharp divides the input by on load: n for a JPEG shrunk by n, WebP's exact
    /// shrink, else 1 (sharp reports a strategy crop's attention point times it).
    pub shrink: f64,
}

impl Load {
    pub fn whole(size: (u32, u32)) -> Load {
        Load {
            size,
            scale: DecodeScale::FULL,
            shrink: 1.0,
        }
    }

    /// Full-size pixels per loaded pixel, on each axis of an image `full` in size: n for a
    /// JPEG shrunk by n (its last row and column are cut, not squeezed), else the ratio.
    pub fn full_pixels_per_pixel(&self, full: (u32, u32)) -> (f64, f64) {
        if self.scale.size.is_none() {
            let n = self.scale.den as f64 / self.scale.num as f64;
            return (n, n);
        }
        (
            full.0 as f64 / self.size.0 as f64,
            full.1 as f64 / self.size.1 as f64,
        )
    }
}

/// sharp's shrink-on-load for `request` of an image of `full` size (upright): with `fast`
/// (its `fastShrinkOnLoad`), JPEG at 1/2, 1/4 or 1/8 once the shrink reaches that (one
/// step less where the shrink's whole part equals it, for libjpeg's rounding), and WebP
/// scaled to the output by libwebp; without, JPEG leaves at least 2x to the resize and
/// WebP loads whole. libvips gives a JPEG shrunk by n the floor of size / n.
pub fn sharp_load(format: Format, full: (u32, u32), request: &Request, fast: bool) -> Load {
    let whole = Load::whole(full);
    if request.width.is_none() && request.height.is_none() {
        return whole;
    }
    let (h, v) = geometry::shrinks((full.0 as f64, full.1 as f64), request);
    let shrink = h.min(v);
    match format {
        Format::Jpeg => {
            let factor = if fast { 1.0 } else { 2.0 };
            let mut n = [8, 4, 2]
                .into_iter()
                .find(|&n| shrink >= n as f64 * factor)
                .unwrap_or(1);
            if n > 1 && shrink.trunc() as u32 == n {
                n /= 2;
            }
            if n == 1 {
                return whole;
            }
            Load {
                size: ((full.0 / n).max(1), (full.1 / n).max(1)),
                scale: DecodeScale::eighths_of(8 / n),
                shrink: n as f64,
            }
        }
        Format::Webp if fast && shrink > 1.0 => {
            // libvips' WebP loader: size x (1 / shrink), rounded half to even.
            let scaled =
                |size: u32| ((size as f64 * (1.0 / shrink)).round_ties_even() as u32).max(1);
            let size = (scaled(full.0), scaled(full.1));
            Load {
                size,
                scale: DecodeScale::to_size(size, full),
                shrink,
            }
        }
        _ => whole,
    }
}

/// The JPEG scales worth decoding at (in eighths: the ones with SIMD IDCTs), smallest
/// first, each with the residual reduction it must leave: from there on the mean loss in
/// the tables above (bold) stays at or below 0.5.
const JPEG_SCALES: [(u32, f64); 3] = [(1, 2.7), (2, 2.7), (4, 2.1)];
const WEBP_RESIDUAL: f64 = 3.0;

/// The smallest decode of `header`'s image that leaves every output the residual its
/// decoder needs, where `needed` is the smallest reduction (full size / output size)
/// among the outputs.
pub fn choose(header: &Header, bytes: &[u8], needed: f64) -> DecodeScale {
    if header.format == Format::Svg && needed.is_finite() {
        // Vectors render at the size asked, larger too, and lose nothing by it.
        return DecodeScale::rendering(needed);
    }
    if !needed.is_finite() || needed <= 1.0 {
        return DecodeScale::FULL;
    }
    match header.format {
        Format::Jpeg if decode::jpeg_scales_while_decoding(bytes) => JPEG_SCALES
            .into_iter()
            .find(|&(eighths, residual)| needed * eighths as f64 / 8.0 >= residual)
            .map_or(DecodeScale::FULL, |(num, _)| DecodeScale::eighths_of(num)),
        Format::Webp if !decode::is_animated_webp(bytes) && needed > WEBP_RESIDUAL => {
            DecodeScale::webp_leaving(WEBP_RESIDUAL, needed)
        }
        _ => DecodeScale::FULL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(format: Format) -> Header {
        Header {
            format,
            width: 4000,
            height: 3000,
            has_alpha: false,
            orientation: 1,
            exif: None,
            icc: None,
            warnings: Vec::new(),
        }
    }

    #[track_caller]
    fn jpeg_eighths(needed: f64) -> u32 {
        let scale = choose(&header(Format::Jpeg), &[], needed);
        scale.num * 8 / scale.den
    }

    #[test]
    fn jpeg_takes_the_smallest_scale_that_leaves_its_residual() {
        assert_eq!(jpeg_eighths(3.0), 8);
        assert_eq!(jpeg_eighths(4.1), 8);
        assert_eq!(jpeg_eighths(4.2), 4);
        assert_eq!(jpeg_eighths(4.35), 4); // W1
        assert_eq!(jpeg_eighths(10.7), 4);
        assert_eq!(jpeg_eighths(10.8), 2);
        assert_eq!(jpeg_eighths(21.5), 2);
        assert_eq!(jpeg_eighths(21.6), 1);
        for needed in [1.1, 2.0, 3.0, 5.0, 7.0, 10.0, 13.0, 16.0, 40.0] {
            let eighths = jpeg_eighths(needed);
            if eighths < 8 {
                let (_, residual) = JPEG_SCALES.iter().find(|(e, _)| *e == eighths).unwrap();
                assert!(needed * eighths as f64 / 8.0 >= *residual);
            }
        }
    }

    #[test]
    fn webp_decodes_to_the_size_that_leaves_its_residual() {
        let webp = header(Format::Webp);
        assert_eq!(choose(&webp, &[], 3.0), DecodeScale::FULL);
        let scale = choose(&webp, &[], 12.0);
        assert_eq!(scale.apply(4000), 1000);
        assert_eq!(scale.apply(3000), 750);
    }

    #[test]
    fn formats_without_a_scaled_decoder_decode_at_full_size() {
        for format in [Format::Png, Format::Gif, Format::Avif, Format::Tiff] {
            assert_eq!(choose(&header(format), &[], 16.0), DecodeScale::FULL);
        }
    }
}
