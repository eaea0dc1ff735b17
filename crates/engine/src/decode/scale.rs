//! The scale an image is decoded at: what shrink-on-load (crate::shrink) chooses and the
//! decoders apply.
use super::Header;
use crate::spec::Format;

/// WebP decodes and SVG renders at any size; their scale is kept to this many steps.
const WEBP_STEPS: u32 = 4096;

/// Decoded size = stored size x `num / den` on each axis, rounded up (as libjpeg and
/// libwebp round it), unless `size` names it exactly (decoders that resample to any size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeScale {
    pub num: u32,
    pub den: u32,
    pub size: Option<(u32, u32)>,
}

impl DecodeScale {
    pub const FULL: DecodeScale = DecodeScale {
        num: 1,
        den: 1,
        size: None,
    };

    /// libjpeg-turbo's scaled IDCT at `eighths` / 8.
    pub fn eighths_of(eighths: u32) -> DecodeScale {
        DecodeScale {
            num: eighths,
            den: 8,
            size: None,
        }
    }

    /// A resampling decode (libwebp's scaler) to exactly `size`, of a `stored` one.
    pub fn to_size(size: (u32, u32), stored: (u32, u32)) -> DecodeScale {
        DecodeScale {
            num: size.0.max(size.1),
            den: stored.0.max(stored.1),
            size: Some(size),
        }
    }

    /// Of two decodes, the one that keeps more pixels.
    pub fn finer(self, other: DecodeScale) -> DecodeScale {
        let ratio = |s: DecodeScale| s.num as f64 / s.den as f64;
        if ratio(other) > ratio(self) {
            other
        } else {
            self
        }
    }

    pub fn is_full(self) -> bool {
        self.num >= self.den
    }

    pub fn apply(self, size: u32) -> u32 {
        (size as u64 * self.num as u64).div_ceil(self.den as u64) as u32
    }

    /// The decoded size of `header`'s image.
    pub fn size_of(self, header: &Header) -> (u32, u32) {
        self.size
            .unwrap_or((self.apply(header.width), self.apply(header.height)))
    }

    /// A WebP decode that leaves `residual` of a `reduction` to Lanczos3.
    pub fn webp_leaving(residual: f64, reduction: f64) -> DecodeScale {
        DecodeScale {
            num: (WEBP_STEPS as f64 * residual / reduction).ceil() as u32,
            den: WEBP_STEPS,
            size: None,
        }
    }

    /// A vector image rendered `1 / reduction` of its header's size (above 1 to enlarge).
    pub fn rendering(reduction: f64) -> DecodeScale {
        DecodeScale {
            num: (WEBP_STEPS as f64 / reduction).ceil().min(u32::MAX as f64) as u32,
            den: WEBP_STEPS,
            size: None,
        }
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
