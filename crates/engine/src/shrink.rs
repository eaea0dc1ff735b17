//! Shrink-on-load: how much smaller than stored an input is decoded, so that the decoder
//! (libjpeg-turbo's scaled IDCT, libwebp's scaler) does part of the reduction and Lanczos3
//! does the rest from a smaller image.
//!
//! The rule: the smallest decode that keeps SSIMULACRA2 within 0.5 of resizing from a
//! full-size decode. What a smaller decode costs depends on the reduction Lanczos3 still
//! makes after it (the *residual*: decoded width / output width) and on the decoder.
//! Measured with `pixelpool-bench shrink-quality --encode jpeg` (decode, Lanczos3, JPEG
//! q80, scored against a float reference; reductions 1.25x to 32x) on five corpus JPEGs
//! (canyon-wren, spices-of-life, motherboard-circuits, kitten-on-lawn, exiforient-
//! landscape-6: 4:2:0 and 4:4:4, 2 to 11 MP) and the three corpus WebPs, 2026-12-01. Mean
//! SSIMULACRA2 lost against a full-size decode (worst photo in brackets):
//!
//! | decode | residual 1.5 | 2 | 3 | 4 | 6 |
//! | --- | --- | --- | --- | --- | --- |
//! | JPEG 1/2 | 0.85 (1.44) | 0.57 (1.13) | **0.20** (0.48) | 0.07 (0.36) | 0.09 (0.27) |
//! | JPEG 1/4 | 2.08 (4.01) | 1.48 (3.73) | **0.41** (0.95) | 0.22 (0.40) | 0.55 (1.40) |
//! | JPEG 1/8 | 3.75 (9.14) | 2.33 (5.20) | 1.60 (5.57) | **0.13** (0.84) | |
//! | JPEG 5/8, 6/8, 7/8 | | | | 0.51-0.89 (1.71) | **0.43** (1.42) |
//! | WebP at 4x / 6x / 8x | 1.64 / 1.73 / 0.69 | 0.56 / 1.01 / 0.30 | **0.31 / 0.26 / 0.10** | | |
//!
//! libjpeg-turbo's 1/2, 1/4 and 1/8 IDCTs (jidctred.c, with SIMD) alias less than its
//! generic M/8 ones (jidctint.c, plain C): on detailed 4:4:4 photos 5/8 loses more than
//! 4/8. Every M/8 is considered, but a generic one needs a residual of 6, where 1/2 always
//! qualifies first: the finer scales never pay. The old rule (1/2, 1/4, 1/8 with a
//! residual of 2) lost 0.6 to 2.3 on average, up to 5.2 on one photo.
//!
//! Without an encode (lossless outputs) the losses are larger (docs/shrink-on-load.md);
//! the rule is set for the lossy outputs that are nearly all of a site's images.

use crate::decode::{self, Header};
use crate::spec::Format;

/// Decoded size = stored size x `num / den` on each axis, rounded up (as libjpeg and
/// libwebp round it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeScale {
    pub num: u32,
    pub den: u32,
}

impl DecodeScale {
    pub const FULL: DecodeScale = DecodeScale { num: 1, den: 1 };

    pub fn is_full(self) -> bool {
        self.num >= self.den
    }

    pub fn apply(self, size: u32) -> u32 {
        (size as u64 * self.num as u64).div_ceil(self.den as u64) as u32
    }

    /// The decoded size of `header`'s image.
    pub fn size_of(self, header: &Header) -> (u32, u32) {
        (self.apply(header.width), self.apply(header.height))
    }

    /// As libjpeg-turbo's M/8: rounded up, so never decoded smaller than asked.
    pub fn eighths(self) -> u32 {
        if self.is_full() {
            return 8;
        }
        (self.num * 8).div_ceil(self.den).clamp(1, 8)
    }

    /// Decoded pixels per stored pixel on each axis, exactly. libjpeg scales by M/8, so the
    /// last row or column may hold only part of a pixel's worth of the image; libwebp
    /// resamples the whole image to the size asked.
    pub fn exact(self, header: &Header, decoded: (u32, u32)) -> (f64, f64) {
        match header.format {
            Format::Jpeg => {
                let factor = self.eighths() as f64 / 8.0;
                (factor, factor)
            }
            _ => (
                decoded.0 as f64 / header.width as f64,
                decoded.1 as f64 / header.height as f64,
            ),
        }
    }
}

/// Residual reductions from the table above: where the mean loss falls to 0.5 or below.
const JPEG_HALF_QUARTER_RESIDUAL: f64 = 3.0;
const JPEG_EIGHTH_RESIDUAL: f64 = 4.0;
const JPEG_GENERIC_IDCT_RESIDUAL: f64 = 6.0;
const WEBP_RESIDUAL: f64 = 3.0;
/// WebP decodes to any size; its scale is kept to this many steps.
const WEBP_STEPS: u32 = 4096;

/// The residual reduction a JPEG decoded at `eighths`/8 must leave.
pub fn jpeg_residual(eighths: u32) -> f64 {
    match eighths {
        1 => JPEG_EIGHTH_RESIDUAL,
        2 | 4 => JPEG_HALF_QUARTER_RESIDUAL,
        _ => JPEG_GENERIC_IDCT_RESIDUAL,
    }
}

/// The smallest decode of `header`'s image that leaves every output the residual its
/// decoder needs, where `needed` is the smallest reduction (full size / output size)
/// among the outputs.
pub fn choose(header: &Header, bytes: &[u8], needed: f64) -> DecodeScale {
    if !needed.is_finite() || needed <= 1.0 {
        return DecodeScale::FULL;
    }
    match header.format {
        Format::Jpeg => (1..8)
            .find(|&eighths| needed * eighths as f64 / 8.0 >= jpeg_residual(eighths))
            .map_or(DecodeScale::FULL, |num| DecodeScale { num, den: 8 }),
        Format::Webp if !decode::is_animated_webp(bytes) && needed > WEBP_RESIDUAL => {
            let num = (WEBP_STEPS as f64 * WEBP_RESIDUAL / needed).ceil() as u32;
            DecodeScale {
                num,
                den: WEBP_STEPS,
            }
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
        }
    }

    #[track_caller]
    fn jpeg_eighths(needed: f64) -> u32 {
        let scale = choose(&header(Format::Jpeg), &[], needed);
        scale.num * 8 / scale.den
    }

    #[test]
    fn jpeg_takes_the_smallest_scale_that_leaves_its_residual() {
        assert_eq!(jpeg_eighths(1.5), 8);
        assert_eq!(jpeg_eighths(5.9), 8);
        assert_eq!(jpeg_eighths(6.0), 4);
        assert_eq!(jpeg_eighths(11.9), 4);
        assert_eq!(jpeg_eighths(12.0), 2);
        assert_eq!(jpeg_eighths(31.9), 2);
        assert_eq!(jpeg_eighths(32.0), 1);
        for needed in [1.1, 2.0, 3.0, 5.0, 7.0, 10.0, 13.0, 16.0, 40.0] {
            let eighths = jpeg_eighths(needed);
            if eighths < 8 {
                assert!(needed * eighths as f64 / 8.0 >= jpeg_residual(eighths));
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
